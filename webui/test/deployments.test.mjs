// The Deployments view and the overview's "needs attention" block in Debian's Chromium against a real `beach node`:
// deployments applied over HTTP (PUT /v1/deployments/{name}) show desired against actual, Scale and Restart go through
// a confirmation to the API, a 4xx answer is shown to the person, and a deployment in a crash loop (a class that does
// not exist) comes first on the overview with its error.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  browserMissing, chromiumVersion, launchBrowser, openPage, screenshot, sleep, startNode, waitForSamples, eventually
} from './helpers.mjs';

const missing = browserMissing();
const onCi = process.env.CI === 'true';
if (missing) {
  console.log(`${onCi ? 'FAILED' : 'SKIPPED'}: the webui deployment browser tests did not run: ${missing}`);
}
const SKIP = { skip: (!onCi && missing) || false };
const TOKEN = `webui-deploy-${Math.random().toString(36).slice(2)}`;
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const P1_TOKEN = `webui-p1-${Math.random().toString(36).slice(2)}`;
const P1 = 'webui-p1-compute';
const WEB = 'webui-web';
const BROKEN = 'webui-broken';
// Named to sort before BROKEN by name: the overview and the list must order by state, not by name.
const STUCK = 'webui-awaiting-node';

/** Column order of the deployments table (views/deployments.js). */
const COL = { name: 0, state: 2, desired: 3, actual: 4, nodes: 5, restarts: 6, error: 7 };

describe('Deployments in Chromium', { timeout: 300_000 }, () => {
  let node;
  let browser;
  let gatewayNode;

  const call = async (method, path, body) => {
    const r = await fetch(node.url + path, { method, headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const status = (name) => call('GET', `/v1/deployments/${name}`);
  const actorIds = async (category) => (await call('GET', `/v1/realms/global/actors?category=${category}`)).map((a) => a.id).sort();
  /** The text of one cell of a deployment's row. */
  const cell = (page, name, column) => page.getByRole('table', { name: 'Deployments' })
    .locator(`tr[data-key="${name}"] td`).nth(COL[column]).textContent();

  before(async () => {
    if (missing) {
      if (onCi) {
        throw new Error(`the webui browser tests cannot run on CI: ${missing}`);
      }
      return;
    }
    console.log(`# ${chromiumVersion()}`);
    node = await startNode({ name: 'webui-deployments-node', env: { BEACH_GATEWAY_TOKENS: JSON.stringify({ admin: TOKEN, realms: { project1: P1_TOKEN } }) } });
    await waitForSamples(node, AUTH);
    gatewayNode = (await call('GET', '/v1/health')).node;
    await call('PUT', `/v1/deployments/${WEB}`, { realm: 'global', class: 'Echo', categories: ['dep-web'], instances: 2 });
    await eventually('the web deployment is available', async () => (await status(WEB)).state === 'available');
    browser = await launchBrowser();
  }, { timeout: 150_000 });

  after(async () => {
    if (browser) {
      await browser.close();
    }
    if (node) {
      await node.stop();
    }
  }, { timeout: 30_000 });

  test('the view lists a deployment applied over HTTP with desired, actual and where its actors run', SKIP, async () => {
    const page = await openPage(browser, { token: TOKEN });
    await page.goto(`${node.url}/#/deployments`);
    await page.getByRole('table', { name: 'Deployments' }).locator(`tr[data-key="${WEB}"]`).waitFor();
    await eventually('desired 2, actual 2', async () =>
      (await cell(page, WEB, 'desired')).trim() === '2' && (await cell(page, WEB, 'actual')).trim() === '2');
    assert.equal((await cell(page, WEB, 'state')).trim(), 'available');
    assert.equal(await page.locator(`tr[data-key="${WEB}"] .state`).getAttribute('class'), 'state badge ok');
    assert.match(await cell(page, WEB, 'nodes'), new RegExp(`${gatewayNode.split('-')[0]} ×2`));
    assert.equal((await cell(page, WEB, 'restarts')).trim(), '0');
    assert.equal(await page.locator('nav [data-nav="deployments"]').getAttribute('aria-current'), 'page');
    await screenshot(page, 'deployments-1-list');

    // Its own page: the per-node breakdown and the record.
    await page.getByRole('link', { name: WEB, exact: true }).click();
    await page.getByRole('heading', { name: `Deployment ${WEB}` }).waitFor();
    const byNode = page.getByRole('table', { name: `Actors of deployment ${WEB} by node` });
    await eventually('the per-node table counts 2 on the node', async () => /×?2/.test(await byNode.textContent())
      && (await byNode.textContent()).includes(gatewayNode.split('-')[0]));
    assert.match(await page.locator('.facts').textContent(), /Instances\s*2/);
    await screenshot(page, 'deployments-2-detail');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('Scale asks first, changes desired, and actual follows; a 400 is shown with its message', SKIP, async () => {
    const page = await openPage(browser, { token: TOKEN });
    await page.goto(`${node.url}/#/deployments`);
    const input = page.getByLabel(`New instance count of deployment ${WEB}`);
    await input.waitFor();
    const scale = page.getByRole('button', { name: `Scale deployment ${WEB}` });
    const dialog = page.getByRole('dialog');

    // Cancel changes nothing.
    await input.fill('3');
    await scale.click();
    await dialog.waitFor();
    assert.match(await dialog.textContent(), new RegExp(`Scale deployment ${WEB} .*from 2 to 3 instances`));
    const posts = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
    await page.getByRole('button', { name: 'Cancel' }).click();
    // The dialog's answer is acted on when it closes: once it is gone, a scale would already have been sent.
    await dialog.waitFor({ state: 'hidden' });
    // The dialog's close event and the handler it resolves run as page tasks: let one more task pass after them.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    assert.deepEqual(posts.filter((u) => u.includes('/scale')), [], 'cancel must not scale');
    assert.equal((await status(WEB)).desired, 2, 'cancel must not scale');

    // Confirm scales: desired goes to 3 at once, actual converges.
    await input.fill('3');
    await scale.click();
    await dialog.waitFor();
    await screenshot(page, 'deployments-3-scale-confirm');
    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    await eventually('the gateway has desired 3', async () => (await status(WEB)).desired === 3);
    await eventually('the row shows desired 3 and actual 3', async () =>
      (await cell(page, WEB, 'desired')).trim() === '3' && (await cell(page, WEB, 'actual')).trim() === '3');
    assert.equal((await actorIds('dep-web')).length, 3);

    // A count the gateway refuses: its message reaches the person, nothing changes.
    await page.getByLabel(`New instance count of deployment ${WEB}`).fill('-1');
    await page.getByRole('button', { name: `Scale deployment ${WEB}` }).click();
    await dialog.waitFor();
    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    const alert = page.locator('main .banner[role="alert"]').filter({ hasText: 'Scale of' });
    await alert.waitFor();
    assert.match(await alert.textContent(), /Scale of webui-web failed: 400 BAD_REQUEST: the body must be \{"count": N\} with N an integer ≥ 0/);
    assert.equal((await status(WEB)).desired, 3);
    await screenshot(page, 'deployments-4-scale-400');
    assert.deepEqual(page.problems.filter((p) => !/status of 400/.test(p)), []);
    await page.close();
  });

  test('Restart asks first, then posts a rolling restart that replaces every actor', SKIP, async () => {
    const page = await openPage(browser, { token: TOKEN });
    const before = await actorIds('dep-web');
    assert.equal(before.length, 3, 'the scale test ran first');
    const posts = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') {
        posts.push(new URL(r.url()).pathname);
      }
    });
    await page.goto(`${node.url}/#/deployments/${WEB}`);
    const restart = page.getByRole('button', { name: `Restart deployment ${WEB}` });
    await restart.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /one at a time/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    assert.deepEqual(posts, [], 'cancel must not restart');

    await restart.click();
    await dialog.waitFor();
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    await page.getByText(new RegExp(`Rolling restart \\d+ of deployment ${WEB} started`)).waitFor({ timeout: 60_000 });
    assert.deepEqual(posts, [`/v1/deployments/${WEB}/restart`]);
    // Awaited until the rollout is through: right after the POST the three old actors still run (a rolling restart
    // starts each replacement before it stops the actor it replaces), and three ids alone would be those.
    const afterIds = await eventually('three new actors run and none of the old ones', async () => {
      const ids = await actorIds('dep-web');
      return ids.length === 3 && ids.every((id) => !before.includes(id)) && ids;
    });
    assert.equal(afterIds.length, 3);
    await screenshot(page, 'deployments-5-restarted');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('a failed deployment comes first on the overview with its error, and links to its page', SKIP, async () => {
    // A class that does not exist: every start fails, and after more than one restart the leader gives up.
    await call('PUT', `/v1/deployments/${BROKEN}`, { realm: 'global', class: 'NoSuchClass', categories: ['dep-broken'],
      instances: 1, maxRestarts: 1, backoff: { initialMs: 50, maxMs: 100 } });
    // No node carries this tag: the leader cannot place it, so it is degraded (less urgent than failed).
    await call('PUT', `/v1/deployments/${STUCK}`, { realm: 'global', class: 'Echo', categories: ['dep-awaiting'],
      instances: 1, strategy: 'node(no-such-tag)' });
    await eventually('the broken deployment fails', async () => (await status(BROKEN)).state === 'failed');
    await eventually('the stuck deployment is degraded', async () => (await status(STUCK)).state === 'degraded');

    const page = await openPage(browser, { token: TOKEN });
    await page.goto(`${node.url}/`);
    const block = page.getByRole('region', { name: 'Needs attention' });
    await eventually('both are listed, failed first', async () => {
      const names = await block.locator('li').evaluateAll((lis) => lis.map((li) => li.dataset.deployment));
      return JSON.stringify(names) === JSON.stringify([BROKEN, STUCK]);
    });
    const broken = block.locator(`li[data-deployment="${BROKEN}"]`);
    assert.match(await broken.textContent(), /failed/);
    assert.match(await broken.textContent(), /class NoSuchClass not found in realm 'global'/);
    assert.match(await broken.textContent(), /0 of 1 running/);
    assert.match(await block.locator(`li[data-deployment="${STUCK}"]`).textContent(), /degraded/);
    assert.doesNotMatch(await block.textContent(), new RegExp(WEB), 'an available deployment needs no attention');
    // At the top: before the cards and every other panel of the overview.
    const first = await page.locator('main .view > :is(section, div)').first().evaluate((el) => el.getAttribute('aria-labelledby') || el.className);
    assert.equal(first, 'view-head');
    const afterHead = await page.locator('main .view > :is(section, div)').nth(1).getAttribute('aria-labelledby');
    assert.equal(afterHead, 'ov-attention');
    await screenshot(page, 'deployments-6-overview-attention');

    // The deployments view sorts the same way.
    await broken.getByRole('link').click();
    await page.getByRole('heading', { name: `Deployment ${BROKEN}` }).waitFor();
    assert.match(page.url(), new RegExp(`#/deployments/${BROKEN}$`));
    const lastError = page.getByRole('region', { name: 'Last error' });
    await eventually('the detail shows the error', async () => /class NoSuchClass not found/.test(await lastError.textContent()));
    assert.match(await page.locator('.deployment-state').textContent(), /failed.*crash loop/);
    await screenshot(page, 'deployments-7-failed-detail');
    await page.getByRole('link', { name: 'Deployments', exact: true }).first().click();
    const keys = await eventually('the list orders failed, degraded, available', async () => {
      const k = await page.getByRole('table', { name: 'Deployments' }).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.key));
      return [BROKEN, STUCK, WEB].every((name) => k.includes(name)) && k;
    });
    // The node's start-up deployments (the samples) are listed too, available like WEB: after the two in trouble.
    assert.deepEqual(keys.slice(0, 2), [BROKEN, STUCK]);
    assert.ok(keys.indexOf(WEB) > 1, `${WEB} (available) after the failed and the degraded one: ${keys}`);
    assert.match(await cell(page, BROKEN, 'error'), /404 NOT_FOUND: class NoSuchClass not found/);
    assert.equal((await cell(page, BROKEN, 'desired')).trim(), '1');
    assert.equal((await cell(page, BROKEN, 'actual')).trim(), '0');
    assert.equal((await cell(page, BROKEN, 'restarts')).trim(), '2');
    assert.equal(await page.locator(`tr[data-key="${BROKEN}"] .state`).getAttribute('class'), 'state badge err');
    await screenshot(page, 'deployments-8-list-failed-first');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('a realm token sees and scales only its realm\'s deployments', SKIP, async () => {
    await call('PUT', `/v1/deployments/${P1}`, { realm: 'project1', class: 'project1.ComputeActor', categories: ['dep-p1'], instances: 1 });
    await eventually('the project1 deployment is available', async () => (await status(P1)).state === 'available');
    const page = await openPage(browser, { token: P1_TOKEN });
    await page.goto(`${node.url}/#/deployments`);
    const table = page.getByRole('table', { name: 'Deployments' });
    await table.locator(`tr[data-key="${P1}"]`).waitFor();
    // Only project1's: this test's and the node's start-up deployments of realm project1, none of realm global.
    const shown = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.key));
    assert.ok(shown.includes(P1), `${P1} listed: ${shown}`);
    for (const name of shown) {
      assert.equal((await status(name)).deployment.realm, 'project1', `${name} shown to a project1 token`);
    }
    assert.ok(!shown.includes(WEB) && !shown.includes(BROKEN), 'the global deployments are not shown to a project1 token');
    await page.getByLabel(`New instance count of deployment ${P1}`).fill('2');
    await page.getByRole('button', { name: `Scale deployment ${P1}` }).click();
    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    await eventually('actual follows to 2', async () => (await cell(page, P1, 'actual')).trim() === '2');
    assert.equal((await status(P1)).desired, 2);
    // Another realm's deployment is 404 to this token, and the view says so.
    await page.goto(`${node.url}/#/deployments/${BROKEN}`);
    await page.locator('main .banner[role="alert"]').filter({ hasText: `no deployment '${BROKEN}'` }).waitFor();
    // The overview's block does not show the global realm's failed deployment to it.
    await page.goto(`${node.url}/#/`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText(/^Updated /).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Needs attention' }).count(), 0);
    await screenshot(page, 'deployments-9-realm-token');
    assert.deepEqual(page.problems.filter((p) => !/status of 404/.test(p)), []);
    await page.close();
  });
});
