// The dashboard's Logs tabs in Debian's Chromium against a real `beach node`: an actor pushed as source logs what
// it is told (with a trace id when asked, or a burst of numbered lines); its actor page and its category page follow
// the lines live on their Logs tab, the pause button holds them in a bounded buffer, the level filter asks the
// gateway for fewer, and a trace id opens the request console, which shows that id and the lines that carry it.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  REPO, browserMissing, chromiumVersion, launchBrowser, openPage, screenshot, sleep, startNode, waitForSamples, eventually
} from './helpers.mjs';

const missing = browserMissing();
const onCi = process.env.CI === 'true';
if (missing) {
  console.log(`${onCi ? 'FAILED' : 'SKIPPED'}: the webui log browser tests did not run: ${missing}`);
}
const SKIP = { skip: (!onCi && missing) || false };
const TOKEN = `webui-logs-${Math.random().toString(36).slice(2)}`;
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const REALM = 'logsui';

const TALKER = `import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.MDC;

public class Talker extends dev.beach.Actor {
  @Override
  public Future<?> start() {
    on("say", req -> {
      JsonObject b = req.json();
      if (b.getString("trace") != null) {
        MDC.put("trace_id", b.getString("trace"));
      }
      try {
        if ("warn".equals(b.getString("level"))) {
          log().warn("{}", b.getString("text"));
        } else {
          log().info("{}", b.getString("text"));
        }
      } finally {
        MDC.remove("trace_id");
      }
      req.reply(new JsonObject().put("actor", id()));
    });
    // {n, per, everyMs}: n numbered lines, per at a time: slow enough for node.logLinesPerSecond (100).
    on("burst", req -> {
      JsonObject b = req.json();
      int n = b.getInteger("n");
      int per = b.getInteger("per");
      int[] done = {0};
      every(b.getLong("everyMs"), timer -> {
        for (int i = 0; i < per && done[0] < n; i++) {
          log().info("burst {}", done[0]++);
        }
        if (done[0] >= n) {
          cancel(timer);
        }
      });
      req.reply(new JsonObject().put("actor", id()));
    });
    return super.start();
  }
}
`;

describe('Logs panels in Chromium', { timeout: 300_000 }, () => {
  let node;
  let browser;
  let codeDir;
  let one;
  let two;

  const call = async (method, path, body, type = 'application/json') => {
    const r = await fetch(node.url + path, { method, headers: { ...AUTH, 'Content-Type': type }, body });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
    return r.status === 204 ? null : r.json();
  };
  const say = (category, text, extra = {}) =>
    call('POST', `/v1/realms/${REALM}/categories/${category}/say`, JSON.stringify({ text, ...extra }));

  before(async () => {
    if (missing) {
      if (onCi) {
        throw new Error(`the webui browser tests cannot run on CI: ${missing}`);
      }
      return;
    }
    console.log(`# ${chromiumVersion()}`);
    // A copy of the sample realms: the pushed Talker.java must not land in the checkout's samples/realms.
    codeDir = mkdtempSync(join(tmpdir(), 'beach-webui-logs-code-'));
    cpSync(join(REPO, 'samples', 'realms'), codeDir, { recursive: true });
    node = await startNode({ name: 'webui-logs-node',
      env: { BEACH_GATEWAY_TOKENS: JSON.stringify({ admin: TOKEN }), BEACH_NODE_CODE_DIR: codeDir } });
    await waitForSamples(node, AUTH);
    await call('PUT', `/v1/realms/${REALM}/code/Talker.java`, TALKER, 'text/x-java-source');
    [one] = (await call('POST', `/v1/realms/${REALM}/actors`, JSON.stringify({ class: 'Talker', categories: ['talk.one'] }))).ids;
    [two] = (await call('POST', `/v1/realms/${REALM}/actors`, JSON.stringify({ class: 'Talker', categories: ['talk.two'] }))).ids;
    browser = await launchBrowser();
  }, { timeout: 150_000 });

  after(async () => {
    if (browser) {
      await browser.close();
    }
    if (node) {
      await node.stop();
    }
    if (codeDir) {
      rmSync(codeDir, { recursive: true, force: true });
    }
  }, { timeout: 30_000 });

  test('the actor page\'s Logs tab follows its lines live, pauses, and filters by level', SKIP, async () => {
    const page = await openPage(browser, { token: TOKEN });
    const follows = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('/logs')) {
        follows.push(r.url());
      }
    });
    await page.goto(`${node.url}/#/realms/${REALM}/actors/${one}?category=talk.one`);
    const logsTab = page.getByRole('tab', { name: 'Logs' });
    await page.getByRole('heading', { name: 'Facts' }).waitFor();
    assert.equal(await page.getByRole('tab', { name: 'Activity' }).getAttribute('aria-selected'), 'true');
    assert.deepEqual(follows, [], 'no log stream while the Logs tab is not shown');
    await logsTab.click();
    assert.equal(await logsTab.getAttribute('aria-selected'), 'true');
    assert.match(page.url(), /[?&]tab=logs/, 'the tab is in the address');
    const table = page.getByRole('table', { name: `Log lines of actor ${one}` });
    await eventually('the started line is shown', async () => (await table.textContent()).includes('started'));

    await say('talk.one', 'hello <b>live</b>');
    await eventually('a new line appears without a reload', async () => (await table.textContent()).includes('hello <b>live</b>'));
    assert.equal(await table.locator('b').count(), 0, 'a message must not become markup');
    await table.scrollIntoViewIfNeeded();
    await screenshot(page, 'logs-1-actor-live');

    await page.getByRole('button', { name: 'Pause' }).click();
    await say('talk.one', 'said while paused');
    await page.getByText('Paused: 1 new line buffered').waitFor();
    assert.equal((await table.textContent()).includes('said while paused'), false, 'paused: the table stays still');
    await screenshot(page, 'logs-2-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await eventually('the held line shows on resume', async () => (await table.textContent()).includes('said while paused'));

    // More than the buffer holds while paused: the oldest go, and are counted.
    await page.getByRole('button', { name: 'Pause' }).click();
    await call('POST', `/v1/realms/${REALM}/categories/talk.one/burst`, JSON.stringify({ n: 520, per: 40, everyMs: 500 }));
    await eventually('every burst line arrived', async () =>
      /Paused: 500 new lines buffered, 20 dropped \(the buffer holds 500\)/.test(await page.locator('.logs-panel [role="status"]').textContent()), 30_000);
    assert.equal(await table.getByText('burst 519', { exact: true }).count(), 0, 'paused: nothing shown yet');
    await screenshot(page, 'logs-2b-paused-full');
    await page.getByRole('button', { name: 'Resume' }).click();
    await table.getByText('burst 519', { exact: true }).waitFor();
    assert.equal(await table.getByText('burst 20', { exact: true }).count(), 1, 'the newest 500 are shown');
    assert.equal(await table.getByText('burst 19', { exact: true }).count(), 0, 'the oldest were dropped');
    assert.equal(await table.locator('tbody tr').count(), 500);
    assert.match(await page.locator('.logs-panel [role="status"]').textContent(), /^Live · 20 lines were dropped while paused$/);

    await page.getByLabel('Lowest level shown').selectOption('WARN');
    await say('talk.one', 'quiet info line');
    await say('talk.one', 'loud warning', { level: 'warn' });
    await eventually('the warning shows', async () => (await table.textContent()).includes('loud warning'));
    const text = await table.textContent();
    assert.equal(text.includes('quiet info line'), false, text);
    assert.equal(text.includes('hello'), false, 'the filter applies to the recent lines too');
    await screenshot(page, 'logs-3-level-filter');
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('the category page merges its actors and a trace id opens the console, which traces what it sends', SKIP, async () => {
    const page = await openPage(browser, { token: TOKEN });
    // Opened on the Logs tab by its address.
    await page.goto(`${node.url}/#/realms/${REALM}/categories/talk?tab=logs`);
    assert.equal(await page.getByRole('tab', { name: 'Logs' }).getAttribute('aria-selected'), 'true');
    const table = page.getByRole('table', { name: 'Log lines of category talk' });
    // The first page is the category's newest lines: after the burst of the test before, one line of each actor.
    await say('talk.one', 'one is here');
    await say('talk.two', 'two is here');
    await eventually('lines of both actors are shown', async () => {
      const t = await table.textContent();
      return t.includes(one) && t.includes(two);
    });
    await say('talk.two', 'traced line', { trace: '4bf92f3577b34da6a3ce929d0e0e4736' });
    const row = table.locator('tr', { hasText: 'traced line' });
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(two));
    await table.scrollIntoViewIfNeeded();
    await screenshot(page, 'logs-4-category');
    await row.getByRole('link').click();
    const traced = page.getByRole('region', { name: 'Trace from a log line' });
    await traced.waitFor();
    assert.match(page.url(), /#\/console\?.*trace=4bf92f3577b34da6a3ce929d0e0e4736/);
    assert.match(page.url(), /realm=logsui/);
    assert.equal(await traced.locator('.trace-id').textContent(), '4bf92f3577b34da6a3ce929d0e0e4736');
    // It looks the trace up in the category's logs: the line that carried it is there.
    const lines = page.getByRole('table', { name: 'Log lines of trace 4bf92f3577b34da6a3ce929d0e0e4736' });
    await lines.waitFor();
    assert.match(await lines.textContent(), /traced line/);
    assert.match(await lines.textContent(), new RegExp(two));
    await screenshot(page, 'logs-5-trace-console');

    // A request sent from the console carries a traceparent, and the console shows its trace id.
    assert.equal(await page.getByLabel('Category', { exact: true }).inputValue(), 'talk');
    await page.getByLabel('Op', { exact: true }).fill('say');
    await page.getByLabel('Body (JSON)').fill(JSON.stringify({ text: 'from the console' }));
    const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/say'));
    await page.getByRole('button', { name: 'Send' }).click();
    const traceparent = (await sent).headers().traceparent;
    assert.match(traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const shown = page.locator('.console-output .trace-id');
    await shown.waitFor();
    assert.equal(await shown.textContent(), traceparent.split('-')[1]);
    assert.match(await page.locator('.console-output .trace-line').textContent(), /sent by this console as the traceparent header/);
    await screenshot(page, 'logs-6-console-traceparent');
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});
