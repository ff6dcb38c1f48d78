// The dashboard shell: hash router, one view at a time, the shared event stream, the token and
// confirmation dialogs, toasts. Each view gets a context whose poller refreshes it at most every 2 s.

import { api, askForToken, onTokenChange, setToken, setTokenPrompt, token } from './api.js';
import { h, replace, setText } from './dom.js';
import { plural, shortId } from './format.js';
import { EventStream } from './sse.js';
import * as overview from './views/overview.js';
import * as nodes from './views/nodes.js';
import * as realms from './views/realms.js';
import * as actors from './views/actors.js';
import * as code from './views/code.js';
import * as deploy from './views/deploy.js';
import * as deployments from './views/deployments.js';
import * as events from './views/events.js';
import * as jobs from './views/jobs.js';
import * as consoleView from './views/console.js';

/** The least time between two refresh cycles of one view (the "one poll per view every 2 s"). */
export const MIN_POLL_MS = 2000;

const ROUTES = [
  [/^$/, 'overview', overview.render],
  [/^nodes$/, 'nodes', nodes.renderList],
  [/^nodes\/([^/]+)$/, 'nodes', nodes.renderDetail],
  [/^realms$/, 'realms', realms.renderList],
  [/^realms\/([^/]+)$/, 'realms', realms.renderRealm],
  [/^realms\/([^/]+)\/categories\/([^/]+)$/, 'realms', actors.renderCategory],
  [/^realms\/([^/]+)\/actors\/([^/]+)$/, 'realms', actors.renderActor],
  [/^realms\/([^/]+)\/code$/, 'realms', code.renderList],
  [/^realms\/([^/]+)\/code\/([^/]+)$/, 'realms', code.renderFile],
  [/^console$/, 'console', consoleView.render],
  [/^deploy$/, 'deploy', deploy.render],
  [/^deployments$/, 'deployments', deployments.renderList],
  [/^deployments\/([^/]+)$/, 'deployments', deployments.renderDetail],
  [/^events$/, 'events', events.render],
  [/^jobs$/, 'jobs', jobs.render],
];

const stream = new EventStream('/v1/events');
const main = document.getElementById('main');
let current = null;
let jobsAvailable = false;

// ------------------------------------------------------------------ view context

class ViewContext {
  constructor(params, query, section) {
    this.params = params;
    this.query = query;
    this.section = section;
    this.controller = new AbortController();
    this.signal = this.controller.signal;
    this.stream = stream;
    this.cleanups = [];
    this.poller = null;
    this.banner = h('div', { class: 'banner', role: 'alert', hidden: true });
  }

  /**
   * Runs `cycle(signal)` now and then again at least MIN_POLL_MS after each start (longer when a cycle
   * was slow: the wait is three times its duration), only while the tab is visible. One per view.
   */
  every(cycle) {
    if (this.poller) {
      throw new Error('a view has one poller');
    }
    this.poller = new Poller(this, cycle);
    this.poller.start();
    return this.poller;
  }

  /** Asks for an early refresh (after an event); still never sooner than MIN_POLL_MS after the last one. */
  refreshSoon() {
    if (this.poller) {
      this.poller.soon();
    }
  }

  /** Subscribes to live events for the life of the view. */
  onEvent(fn) {
    this.cleanups.push(stream.on(fn));
  }

  onCleanup(fn) {
    this.cleanups.push(fn);
  }

  get alive() {
    return !this.signal.aborted;
  }

  showError(error) {
    if (!error) {
      this.banner.hidden = true;
      this.banner.replaceChildren();
      return;
    }
    const message = error.status === 0 ? error.message
      : `${error.status ? error.status + ' ' : ''}${error.message || error}`;
    replace(this.banner, message);
    this.banner.hidden = false;
  }

  dispose() {
    this.controller.abort();
    if (this.poller) {
      this.poller.stop();
    }
    this.cleanups.forEach((fn) => fn());
  }

  toast(message, kind) {
    toast(message, kind);
  }

  confirm(text, okLabel) {
    return confirmDialog(text, okLabel);
  }

  navigate(hash) {
    location.hash = hash;
  }

  get jobsAvailable() {
    return jobsAvailable;
  }
}

class Poller {
  constructor(ctx, cycle) {
    this.ctx = ctx;
    this.cycle = cycle;
    this.timer = null;
    this.lastStart = 0;
    this.nextDelay = MIN_POLL_MS;
    this.running = false;
    this.stopped = false;
    this.onVisible = () => {
      if (!document.hidden && !this.running && !this.timer) {
        this.schedule(0);
      }
    };
  }

  start() {
    document.addEventListener('visibilitychange', this.onVisible);
    this.run();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  schedule(afterMs) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, Math.max(0, afterMs));
  }

  soon() {
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(this.lastStart + MIN_POLL_MS - Date.now());
  }

  async run() {
    if (this.stopped || this.running) {
      return;
    }
    if (document.hidden) {
      return; // resumed by visibilitychange
    }
    this.running = true;
    this.again = false;
    this.lastStart = Date.now();
    try {
      await this.cycle(this.ctx.signal);
      if (this.ctx.alive) {
        this.ctx.showError(null);
      }
    } catch (e) {
      if (this.ctx.alive && !(e && e.name === 'AbortError')) {
        this.ctx.showError(e);
      }
    }
    this.running = false;
    if (this.stopped) {
      return;
    }
    const took = Date.now() - this.lastStart;
    const wait = this.again ? MIN_POLL_MS : Math.max(MIN_POLL_MS, took * 3);
    this.schedule(this.lastStart + wait - Date.now());
  }
}

// ------------------------------------------------------------------ routing

function parseHash() {
  let raw = location.hash.replace(/^#\/?/, '');
  let query = '';
  const q = raw.indexOf('?');
  if (q >= 0) {
    query = raw.slice(q + 1);
    raw = raw.slice(0, q);
  }
  raw = raw.replace(/\/+$/, '');
  return { path: raw, query: new URLSearchParams(query) };
}

function route() {
  const { path, query } = parseHash();
  let match = null;
  let section = 'overview';
  let render = notFound;
  for (const [pattern, name, fn] of ROUTES) {
    match = pattern.exec(path);
    if (match) {
      section = name;
      render = fn;
      break;
    }
  }
  let params = [];
  try {
    params = match ? match.slice(1).map(decodeURIComponent) : [];
  } catch {
    render = notFound;
  }
  if (current) {
    current.dispose();
  }
  const ctx = new ViewContext(params, query, section);
  current = ctx;
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === section) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
  let view;
  try {
    view = render(ctx);
  } catch (e) {
    console.error(e);
    view = h('section', null, h('h1', null, 'This view failed'), h('p', null, String(e && e.message)));
  }
  replace(main, ctx.banner, view);
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    if (routedOnce) {
      heading.focus({ preventScroll: true });
    }
    document.title = `${heading.textContent} · Beach`;
  }
  routedOnce = true;
  window.scrollTo(0, 0);
}
let routedOnce = false;

function notFound(ctx) {
  return h('section', null,
    h('h1', null, 'Not found'),
    h('p', null, 'No dashboard view at ', h('code', null, location.hash), '. ', h('a', { href: '#/' }, 'Back to the overview'), '.'));
}

// ------------------------------------------------------------------ dialogs and toasts

const tokenDialog = document.getElementById('token-dialog');
const tokenInput = document.getElementById('token-input');
const tokenReason = document.getElementById('token-reason');
let tokenResolve = null;

function openTokenDialog(reason) {
  return new Promise((resolve) => {
    tokenResolve = resolve;
    setText(tokenReason, reason || 'Enter a token for this gateway (an admin token, or a realm token).');
    tokenInput.value = '';
    if (!tokenDialog.open) {
      tokenDialog.showModal();
    }
    tokenInput.focus();
  });
}

function closeTokenDialog(value) {
  if (tokenDialog.open) {
    tokenDialog.close();
  }
  const resolve = tokenResolve;
  tokenResolve = null;
  if (resolve) {
    resolve(value);
  }
}

document.getElementById('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = tokenInput.value.trim();
  if (value) {
    closeTokenDialog(value);
  }
});
document.getElementById('token-cancel').addEventListener('click', () => closeTokenDialog(null));
document.getElementById('token-clear').addEventListener('click', () => {
  setToken('');
  closeTokenDialog(null);
  toast('Token forgotten');
});
tokenDialog.addEventListener('cancel', () => closeTokenDialog(null));
setTokenPrompt(openTokenDialog);

document.getElementById('token-button').addEventListener('click', async () => {
  if (await askForToken(token() ? 'Replace the token this tab uses.' : 'Enter a token for this gateway.')) {
    toast('Token set for this tab');
  }
});

function updateTokenButton() {
  const button = document.getElementById('token-button');
  setText(button, token() ? 'Token ✓' : 'Token');
  button.setAttribute('aria-label', token() ? 'Token set: change or forget it' : 'Enter a gateway token');
}

onTokenChange(() => {
  updateTokenButton();
  updateCluster();
  stream.restart();
  probeJobs();
  if (current) {
    current.refreshSoon();
  }
});

const confirmEl = document.getElementById('confirm-dialog');

/** A modal yes/no question; Cancel has the focus so Enter never destroys anything by accident. */
export function confirmDialog(text, okLabel = 'Stop') {
  return new Promise((resolve) => {
    setText(document.getElementById('confirm-text'), text);
    setText(document.getElementById('confirm-ok'), okLabel);
    confirmEl.returnValue = 'cancel';
    const done = () => {
      confirmEl.removeEventListener('close', done);
      resolve(confirmEl.returnValue === 'ok');
    };
    confirmEl.addEventListener('close', done);
    confirmEl.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const el = h('div', { class: ['toast', kind], role: kind === 'error' ? 'alert' : 'status' }, message);
  box.appendChild(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

// ------------------------------------------------------------------ header: live status, cluster

const live = document.getElementById('live-status');
stream.onStatus((status, detail) => {
  live.dataset.status = status;
  const label = status === 'live' ? 'live' : status === 'connecting' ? 'connecting' : status === 'down' ? 'offline' : '';
  setText(live.querySelector('.label'), label);
  live.title = `Live event stream (GET /v1/events): ${detail || label}`;
});

async function updateCluster() {
  try {
    const { data } = await api('GET', '/v1/health', { noPrompt: true });
    setText(document.getElementById('cluster-summary'),
      `${plural(data.nodes, 'node')} · via node ${shortId(data.node)}${data.status === 'UP' ? '' : ' · ' + data.status}`);
  } catch (e) {
    setText(document.getElementById('cluster-summary'), e.status === 0 ? 'gateway unreachable' : `gateway: ${e.status} ${e.message}`);
  }
}

stream.on((event) => {
  if (event.type === 'node.joined' || event.type === 'node.left') {
    updateCluster();
  }
  if (event.type === 'stream.dropped') {
    // The gateway could not send us everything: views re-read the whole state.
    if (current) {
      current.refreshSoon();
    }
  }
});

/**
 * The jobs section appears only when the gateway has GET /v1/jobs (the jobs issue adds it). The public spec
 * says so without a 404 in the browser console; the jobs view then reads /v1/jobs itself.
 */
async function probeJobs() {
  try {
    const { data } = await api('GET', '/v1/openapi.yaml', { noPrompt: true });
    jobsAvailable = typeof data === 'string' && /^ {2}\/v1\/jobs:\s*\n(?: {4}.*\n)*? {4}get:/m.test(data);
  } catch {
    jobsAvailable = false;
  }
  document.getElementById('nav-jobs').hidden = !jobsAvailable;
}

// ------------------------------------------------------------------ start

document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault(); // "#main" is not a route
  main.focus();
});

let themeQuery = window.matchMedia('(prefers-color-scheme: dark)');
themeQuery.addEventListener('change', () => route()); // charts read their colours from CSS on creation

window.addEventListener('hashchange', route);
updateTokenButton();
updateCluster();
probeJobs();
stream.start();
route();
