import assert from 'node:assert/strict';
// Test support: a real `beach node` (the launcher's fat jar) serving the dashboard from this source tree,
// and Debian's Chromium driven by playwright-core. Everything started here is stopped in `after` hooks and,
// should the test process die first, by the exit handler.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const WEBUI = resolve(here, '..');
export const REPO = resolve(WEBUI, '..');
export const WEBROOT_PARENT = join(WEBUI, 'src', 'main', 'resources');
export const SCREENSHOTS = join(WEBUI, 'target', 'screenshots');
export const CHROMIUM = process.env.BEACH_CHROMIUM || '/usr/bin/chromium';
const JAR = process.env.BEACH_JAR || join(REPO, 'launcher', 'target', 'beach.jar');

/** The flags the machine notes give for Chromium in a closed network, as root, without a GPU. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];

/** The flags every node JVM gets (bin/beach passes the same java argument file), and a heap bound. */
const JVM_FLAGS = [`@${join(REPO, 'modules', 'core', 'src', 'main', 'resources', 'dev', 'beach', 'spi', 'node-jvm.args')}`, '-Xmx1g'];

/** Why the browser tests cannot run here, or null when they can. Printed, never silent. */
export function browserMissing() {
  if (!existsSync(CHROMIUM)) {
    return `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set BEACH_CHROMIUM`;
  }
  return null;
}

export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const started = new Set();
process.on('exit', () => {
  for (const child of started) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * Starts one node: `java <bin/beach flags> -cp <webui resources>:<beach.jar> dev.beach.launcher.Main node`
 * on free ports, its own cluster name and a temporary BEACH_HOME; resolves once /health/ready says UP.
 * The webui resources come first on the class path, so the node serves this tree's dashboard even when
 * beach.jar was built without it. `env` adds variables (e.g. gateway tokens).
 */
export async function startNode({ env = {}, name = 'node' } = {}) {
  if (!existsSync(JAR)) {
    throw new Error(`${JAR} is missing: build it first (mvn -q -DskipTests package -pl launcher -am)`);
  }
  const gatewayPort = await freePort();
  const clusterPort = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'beach-webui-test-'));
  mkdirSync(join(WEBUI, 'target'), { recursive: true });
  const log = join(WEBUI, 'target', `${name}.log`);
  const out = openSync(log, 'w');
  const java = process.env.JAVA_HOME && existsSync(join(process.env.JAVA_HOME, 'bin', 'java'))
    ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const cluster = `webui-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const args = [...JVM_FLAGS, '-cp', `${WEBROOT_PARENT}:${JAR}`, 'dev.beach.launcher.Main', 'node',
    '--gateway-port', String(gatewayPort), '--port', String(clusterPort), '--name', cluster];
  const child = spawn(java, args, {
    cwd: REPO,
    env: { ...process.env, BEACH_HOME: home, ...env },
    stdio: ['ignore', out, out],
  });
  started.add(child);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    started.delete(child);
  });
  const url = `http://127.0.0.1:${gatewayPort}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) {
      throw new Error(`beach node exited early (${JSON.stringify(exited)}); see ${log}`);
    }
    try {
      const r = await fetch(`${url}/health/ready`);
      if (r.status === 200) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`beach node not ready within 90 s; see ${log}`);
    }
    await sleep(300);
  }
  const node = {
    url,
    log,
    child,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const until = Date.now() + 15_000;
        while (!exited && Date.now() < until) {
          await sleep(100);
        }
        if (!exited) {
          child.kill('SIGKILL');
        }
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
  return node;
}

/** Waits until the node's deploy list has run: the sample actors are all there. */
export async function waitForSamples(node, headers = {}) {
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${node.url}/v1/realms`, { headers });
      if (r.ok) {
        const realms = await r.json();
        const count = (name) => realms.find((x) => x.name === name)?.actors || 0;
        if (count('global') >= 4 && count('project1') >= 4) {
          return realms;
        }
      }
    } catch {
      // retry
    }
    if (Date.now() > until) {
      throw new Error('the sample actors did not all start within 60 s');
    }
    await sleep(300);
  }
}

/** A fresh Chromium with its own new profile directory, at 1280×800. */
export async function launchBrowser({ colorScheme = 'light' } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'beach-webui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    colorScheme,
    timeout: 60_000,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A page that records what would show up in the browser's console as an error and every uncaught
 * exception; `token` is put into session storage before the dashboard loads.
 */
export async function openPage(browser, { token } = {}) {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      problems.push(`console: ${msg.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  if (token) {
    await page.addInitScript((t) => sessionStorage.setItem('beach.token', t), token);
  }
  page.problems = problems;
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

export function sleep(ms) {
  return new Promise((ok) => setTimeout(ok, ms));
}

/** Chromium's version line, for the test log. */
export function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Polls `fn` until it returns a truthy value; fails with `what` (and the last value or error) after `timeout` ms. */
export async function eventually(what, fn, timeout = 20_000) {
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
