// The dashboard in Debian's Chromium against a real `beach node` (sample realms deployed, an admin token
// configured so the token entry is exercised too). One node and one browser for the whole file; each test
// opens its own tab and saves a screenshot under target/screenshots/.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  browserMissing, chromiumVersion, launchBrowser, openPage, screenshot, sleep, startNode, waitForSamples, eventually
} from './helpers.mjs';

const missing = browserMissing();
// On CI (CI=true, as .ci/run sets) a missing browser fails the tests: a green build that skipped them is a false green.
const onCi = process.env.CI === 'true';
if (missing) {
  console.log(`${onCi ? 'FAILED' : 'SKIPPED'}: the webui browser tests did not run: ${missing}`);
}

/** Off CI, each test skips with the reason when Chromium is missing, so the runner counts them as skipped. */
const SKIP = { skip: (!onCi && missing) || false };
const TOKEN = `webui-admin-${Math.random().toString(36).slice(2)}`;
const AUTH = { Authorization: `Bearer ${TOKEN}` };

describe('Beach dashboard in Chromium', { timeout: 300_000 }, () => {
  let node;
  let browser;
  let gatewayNode;

  const apiGet = async (path) => {
    const r = await fetch(node.url + path, { headers: AUTH });
    assert.equal(r.status, 200, `GET ${path}`);
    return r.json();
  };

  before(async () => {
    if (missing) {
      if (onCi) {
        throw new Error(`the webui browser tests cannot run on CI: ${missing}`);
      }
      return; // each test skips with the reason; no node is started for nothing
    }
    console.log(`# ${chromiumVersion()}`);
    // Traced (spans to the node's log, the default exporter): the console shows each answer's trace id.
    node = await startNode({ name: 'webui-test-node',
      env: { BEACH_GATEWAY_TOKENS: JSON.stringify({ admin: TOKEN }), BEACH_TRACING_ENABLED: 'true' } });
    await waitForSamples(node, AUTH);
    gatewayNode = (await apiGet('/v1/health')).node;
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

  test('the overview shows the node and the sample actors', SKIP, async () => {
    const page = await openPage(browser, { token: TOKEN });
    await page.goto(`${node.url}/`);
    const short = gatewayNode.split('-')[0];
    const nodes = page.getByRole('table', { name: 'Nodes of the cluster' });
    await eventually('the node is listed', async () => (await nodes.textContent()).includes(short));
    assert.match(await nodes.textContent(), /ready/);
    const busiest = page.getByRole('table', { name: 'The busiest actors' });
    const text = await eventually('the sample actors are listed', async () => {
      const t = await busiest.textContent();
      return ['Echo', 'Counter', 'Sleeper', 'project1.WriterActor', 'project1.ComputeActor', 'project1.IngestActor']
        .every((c) => t.includes(c)) && t;
    });
    assert.match(text, /global/);
    const actors = await apiGet('/v1/realms');
    const total = actors.reduce((s, r) => s + r.actors, 0);
    await eventually('the actors card counts every actor', async () =>
      (await page.getByRole('region', { name: 'Actors', exact: true }).textContent()).includes(String(total)));
    const realms = await page.getByRole('table', { name: 'Realms' }).textContent();
    assert.match(realms, /global/);
    assert.match(realms, /project1/);
    await sleep(2500); // a second refresh: the trend lines have two points
    await screenshot(page, '1-overview');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  let deployed = [];

  test('deploying from the form makes the new actors appear without a reload', SKIP, async () => {
    const watcher = await openPage(browser, { token: TOKEN });
    await watcher.goto(`${node.url}/#/realms/global/categories/webtest`);
    await watcher.getByText('No actor runs in this category: requests to it fail with 503').waitFor();
    await watcher.evaluate(() => {
      window.__notReloaded = true;
    });

    const page = await openPage(browser, { token: TOKEN });
    await page.goto(`${node.url}/#/deploy`);
    await page.getByLabel('Realm').fill('global');
    await page.getByLabel('Class').fill('Echo');
    await page.getByLabel('Categories').fill('webtest');
    await page.getByLabel('Instances').fill('2');
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await page.getByText('Deployed 2 actors of Echo').waitFor();
    deployed = await page.locator('ul.ids a').allTextContents();
    assert.equal(deployed.length, 2);
    await screenshot(page, '2-deploy-form');

    const table = watcher.getByRole('table', { name: 'Actors of global/webtest' });
    await eventually('the other tab lists both new actors', async () => {
      const t = await table.textContent();
      return deployed.every((id) => t.includes(id));
    }, 10_000);
    assert.equal(await watcher.evaluate(() => window.__notReloaded), true, 'the watching tab was not reloaded');
    await screenshot(watcher, '2-deployed-appears');

    // The form's own link goes to the category without loading the page again.
    await page.evaluate(() => {
      window.__notReloaded = true;
    });
    await page.getByRole('link', { name: 'Open category webtest' }).click();
    const own = page.getByRole('table', { name: 'Actors of global/webtest' });
    await eventually('the category view lists the new actors', async () => {
      const t = await own.textContent();
      return deployed.every((id) => t.includes(id));
    });
    assert.equal(await page.evaluate(() => window.__notReloaded), true);
    assert.deepEqual(watcher.problems, []);
    assert.deepEqual(page.problems, []);
    await watcher.close();
    await page.close();
  });

  test('the console sends a request and shows the reply, as text', SKIP, async () => {
    const page = await openPage(browser, { token: TOKEN });
    await page.goto(`${node.url}/#/realms/global/categories/echo`);
    await page.getByLabel('Op', { exact: true }).fill('echo');
    const hostile = '<img src=x onerror="window.__owned=1"> & <b>bold</b>';
    await page.getByLabel('Body (JSON)').fill(JSON.stringify({ hello: 'beach', hostile }));
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.getByRole('region', { name: 'Send a request' }).locator('pre.reply');
    await reply.waitFor();
    const shown = JSON.parse(await reply.textContent());
    assert.deepEqual(shown, { hello: 'beach', hostile });
    assert.match(await page.locator('.console-output .badge').first().textContent(), /200/);
    assert.equal(await page.locator('.console-output img, .console-output b').count(), 0, 'reply text must not become markup');
    assert.equal(await page.evaluate(() => window.__owned), undefined);
    // The answer's trace id (the gateway's traceparent) is shown, and it is the trace the node exported.
    const traceId = (await page.locator('.console-output .trace-id').textContent()).trim();
    assert.match(traceId, /^[0-9a-f]{32}$/);
    await eventually('the node exported that trace', async () => readFileSync(node.log, 'utf8')
      .includes(`'POST /v1/realms/{realm}/categories/{category}/{op}' : ${traceId} `));

    // mode all: every actor's outcome.
    await page.getByLabel('Mode').selectOption('all');
    await page.getByRole('button', { name: 'Send' }).click();
    await eventually('both echo actors answer', async () => (await page.locator('.console-output tbody tr').count()) === 2);
    await screenshot(page, '3-console-reply');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('a request to an empty category shows the 503 message', SKIP, async () => {
    const page = await openPage(browser, { token: TOKEN });
    await page.goto(`${node.url}/#/realms/global/categories/nobody-home`);
    await page.getByText('No actor runs in this category: requests to it fail with 503').waitFor();
    await page.getByLabel('Op', { exact: true }).fill('echo');
    await page.getByRole('button', { name: 'Send' }).click();
    const error = page.locator('.console-output .result.error');
    await error.waitFor({ timeout: 20_000 });
    const text = await error.textContent();
    assert.match(text, /503/);
    assert.match(text, /NO_ACTORS/);
    assert.match(text, /no actor in category 'nobody-home' of realm 'global'/);
    assert.match(await page.locator('.console-output .trace-id').textContent(), /^[0-9a-f]{32}$/,
      'a failure shows its trace id too');
    // The failure is listed under recent errors too.
    await eventually('the error is listed', async () =>
      (await page.getByRole('table', { name: 'Recent errors in realm global' }).textContent()).includes('503'));
    await screenshot(page, '4-console-503');
    assert.deepEqual(page.problems.filter((p) => !/status of 503/.test(p)), []);
    await page.close();
  });

  test('stopping an actor asks first, then removes it', SKIP, async () => {
    assert.equal(deployed.length, 2, 'the deploy test ran first');
    const [victim, survivor] = deployed;
    const page = await openPage(browser, { token: TOKEN });
    await page.goto(`${node.url}/#/realms/global/categories/webtest`);
    const table = page.getByRole('table', { name: 'Actors of global/webtest' });
    await eventually('both actors are listed', async () => {
      const t = await table.textContent();
      return deployed.every((id) => t.includes(id));
    });

    // Cancel keeps it.
    await page.getByRole('button', { name: `Stop actor ${victim}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), new RegExp(victim));
    const deletes = [];
    page.on('request', (r) => r.method() === 'DELETE' && deletes.push(r.url()));
    await page.getByRole('button', { name: 'Cancel' }).click();
    // The dialog's answer is acted on when it closes: once it is gone, a stop would already have been sent.
    await dialog.waitFor({ state: 'hidden' });
    // The dialog's close event and the handler it resolves run as page tasks: let one more task pass after them.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    assert.deepEqual(deletes, [], 'cancel must not stop the actor');
    const afterCancel = (await apiGet('/v1/realms/global/actors?category=webtest')).map((a) => a.id);
    assert.ok(afterCancel.includes(victim), 'cancel must not stop the actor');

    // Confirm stops it, and the row goes away without a reload.
    await page.getByRole('button', { name: `Stop actor ${victim}` }).click();
    await dialog.waitFor();
    await screenshot(page, '5-stop-confirm');
    await page.getByRole('button', { name: 'Stop actor', exact: true }).click();
    await eventually('the stopped actor leaves the table', async () => !(await table.textContent()).includes(victim), 10_000);
    assert.match(await table.textContent(), new RegExp(survivor));
    const left = (await apiGet('/v1/realms/global/actors?category=webtest')).map((a) => a.id);
    assert.deepEqual(left, [survivor]);
    await screenshot(page, '5-stopped');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('a gateway with tokens asks for one, keeps it in the tab and never puts it in a URL', SKIP, async () => {
    const page = await openPage(browser);
    const urls = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.goto(`${node.url}/`);
    const dialog = page.getByRole('dialog', { name: 'Gateway token' });
    await dialog.waitFor();
    await screenshot(page, '6-token-dialog');
    await page.getByLabel('Bearer token').fill(TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    const nodes = page.getByRole('table', { name: 'Nodes of the cluster' });
    await eventually('the overview loads with the token', async () => (await nodes.textContent()).includes(gatewayNode.split('-')[0]));
    await eventually('the event stream connects with the token', async () => (await page.locator('#live-status').getAttribute('data-status')) === 'live');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('beach.token')), TOKEN);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.ok(urls.every((u) => !u.includes(TOKEN)), 'the token must not appear in any URL');
    assert.ok(!page.url().includes(TOKEN));
    // 401s before the token was entered are expected; nothing else.
    assert.deepEqual(page.problems.filter((p) => !/status of 401/.test(p)), []);
    await page.close();
  });

  test('10,000 actors page without freezing the browser', SKIP, async () => {
    const r = await fetch(`${node.url}/v1/realms/global/actors`, {
      method: 'POST',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify({ class: 'Echo', categories: ['bulk'], instances: 10_000 }),
    });
    assert.equal(r.status, 201);
    const page = await openPage(browser, { token: TOKEN });
    try {
      await page.goto(`${node.url}/#/realms/global/categories/bulk`);
      const table = page.getByRole('table', { name: 'Actors of global/bulk' });
      await eventually('the pager counts 10,000 actors', async () => /of 10[,.\u202f\u00a0]?000/.test(await page.locator('.pager-status').last().textContent()), 30_000);
      assert.ok(await table.locator('tbody tr').count() <= 200, 'only one page of rows is in the DOM');
      // The page answers promptly through several refresh cycles.
      const worstStall = async (ms) => {
        let worst = 0;
        const until = Date.now() + ms;
        while (Date.now() < until) {
          const t0 = Date.now();
          await page.evaluate(() => 1);
          worst = Math.max(worst, Date.now() - t0);
          await sleep(100);
        }
        return worst;
      };
      let worst = await worstStall(5000);
      assert.ok(worst < 1500, `the category view stalled for ${worst} ms`);
      await page.getByRole('button', { name: 'Next page' }).last().click();
      await eventually('the next page shows rows 51-100', async () => /Rows 51–100 of/.test(await page.locator('.pager-status').last().textContent()));
      await screenshot(page, '7-ten-thousand');

      // The overview reads every actor's stats each cycle: still responsive.
      await page.evaluate(() => {
        location.hash = '#/';
      });
      await eventually('the overview counts the 10,000', async () =>
        /10[,.\u202f\u00a0]?0\d\d/.test(await page.getByRole('region', { name: 'Actors', exact: true }).textContent()), 20_000);
      worst = await worstStall(5000);
      assert.ok(worst < 1500, `the overview stalled for ${worst} ms`);
      await page.evaluate(() => {
        location.hash = '#/realms/global/categories/bulk';
      });
      await page.getByRole('button', { name: 'Stop all actors of this category' }).waitFor();
      await eventually('the bulk actors are listed again', async () => /of 10[,.\u202f\u00a0]?000/.test(await page.locator('.pager-status').last().textContent()), 20_000);

      await page.getByRole('button', { name: 'Stop all actors of this category' }).click();
      await page.getByRole('button', { name: 'Stop all', exact: true }).click();
      await eventually('all bulk actors are stopped', async () => (await apiGet('/v1/realms/global/actors?category=bulk')).length === 0, 30_000);
      await eventually('the table empties', async () => (await table.textContent()).includes('No actor runs in this category'), 10_000);
      assert.deepEqual(page.problems, []);
    } finally {
      await fetch(`${node.url}/v1/realms/global/actors?category=bulk`, { method: 'DELETE', headers: AUTH }).catch(() => {});
      await page.close();
    }
  });

  test('every view renders without a console error, in dark mode too', SKIP, async () => {
    const page = await openPage(browser, { token: TOKEN });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${node.url}/`);
    await page.getByRole('table', { name: 'The busiest actors' }).getByText('Echo').first().waitFor();
    await sleep(2200);
    await screenshot(page, '8-overview-dark');
    const counter = (await apiGet('/v1/realms/global/actors?category=counter'))[0];
    const views = [
      ['#/nodes', /^Nodes$/, 'ready'],
      [`#/nodes/${gatewayNode}`, /^Node /, 'Actors hosted, by category'],
      ['#/realms', /^Realms$/, 'project1'],
      ['#/realms/global', /^Realm global$/, 'Counter'],
      ['#/realms/project1/categories/compute', /^Category compute$/, 'project1.ComputeActor'],
      [`#/realms/global/actors/${counter.id}?category=counter&node=${counter.node}`, /^Actor /, 'Started'],
      ['#/realms/global/code', /^Code of global$/, 'Echo.java'],
      ['#/realms/global/code/Echo.java', /^Echo\.java$/, 'class Echo'],
      ['#/console', /^Console$/, 'Affinity key'],
      ['#/deploy', /^Deploy actors$/, 'Concurrency'],
      ['#/deployments', /^Deployments$/, 'global-echo'],
      ['#/events', /^Events$/, 'Actor failed'],
    ];
    for (const [hash, heading, content] of views) {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await eventually(`the view ${hash} opens`, async () => heading.test((await page.locator('main h1').textContent()).trim()));
      await page.locator('main').getByText(content, { exact: false }).first().waitFor();
      await sleep(300);
    }
    // Events arrive live on the events view.
    await fetch(`${node.url}/v1/realms/global/actors`, {
      method: 'POST',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify({ class: 'Counter', categories: ['late'], instances: 1 }),
    });
    await page.locator('.event-list li.event').filter({ hasText: 'actor.started' }).first().waitFor({ timeout: 10_000 });
    await screenshot(page, '8-events-dark');
    await page.evaluate(() => {
      location.hash = '#/realms/global';
    });
    await page.getByRole('table', { name: 'Actors of realm global' }).getByText('Counter').first().waitFor();
    await sleep(500);
    await screenshot(page, '8-realm-dark');
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});
