// The dashboard's Logs panels in Debian's Chromium against a real `beach node`: an actor pushed as source logs what
// it is told (with a trace id when asked); its actor page and its category page follow the lines live, the pause
// button holds them, the level filter asks the gateway for fewer, and a trace id opens the request console.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  REPO, browserMissing, chromiumVersion, launchBrowser, openPage, screenshot, sleep, startNode, waitForSamples,
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
    return super.start();
  }
}
`;

async function eventually(what, fn, timeout = 15_000) {
  const until = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) {
        return last;
      }
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) {
      assert.fail(`${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await sleep(200);
  }
}

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

  test('the actor page follows its lines live, pauses, and filters by level', SKIP, async () => {
    const page = await openPage(browser, { token: TOKEN });
    await page.goto(`${node.url}/#/realms/${REALM}/actors/${one}?category=talk.one`);
    const table = page.getByRole('table', { name: `Log lines of actor ${one}` });
    await eventually('the started line is shown', async () => (await table.textContent()).includes('started'));

    await say('talk.one', 'hello <b>live</b>');
    await eventually('a new line appears without a reload', async () => (await table.textContent()).includes('hello <b>live</b>'));
    assert.equal(await table.locator('b').count(), 0, 'a message must not become markup');
    await table.scrollIntoViewIfNeeded();
    await screenshot(page, 'logs-1-actor-live');

    await page.getByRole('button', { name: 'Pause' }).click();
    await say('talk.one', 'said while paused');
    await page.getByText('Paused: 1 new line waiting').waitFor();
    assert.equal((await table.textContent()).includes('said while paused'), false, 'paused: the table stays still');
    await screenshot(page, 'logs-2-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await eventually('the held line shows on resume', async () => (await table.textContent()).includes('said while paused'));

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

  test('the category page merges its actors and a trace id opens the console', SKIP, async () => {
    const page = await openPage(browser, { token: TOKEN });
    await page.goto(`${node.url}/#/realms/${REALM}/categories/talk`);
    const table = page.getByRole('table', { name: 'Log lines of category talk' });
    await eventually('both actors started', async () => {
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
    await page.getByText('From a log line of trace').waitFor();
    assert.match(page.url(), /#\/console\?.*trace=4bf92f3577b34da6a3ce929d0e0e4736/);
    assert.match(page.url(), /realm=logsui/);
    await screenshot(page, 'logs-5-trace-console');
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});
