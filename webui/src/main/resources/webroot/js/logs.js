// The Logs tab of the actor and category views: GET /v1/realms/{realm}/actors/{id}/logs (or
// .../categories/{category}/logs) with follow=true, read as Server-Sent Events through fetch() so the token goes in
// a header, never in a URL. The recent lines come first, then new ones as the actors write them; at most MAX_LINES
// stay on the page. The level filter is asked of the gateway (a quiet level is not crowded out by a chatty one);
// Pause keeps the page still while lines gather in a buffer of at most HOLD_LINES (the oldest go first, and are
// counted), shown on Resume; a line's trace id links to the request console. The stream runs only while the tab
// is shown (start/stop): a hidden tab holds none of the gateway's follow streams.

import { askForToken, authHeaders, path } from './api.js';
import { h, hashOf, setText } from './dom.js';
import { iso } from './format.js';

export const MAX_LINES = 500;
/** Lines held while paused: more could not be shown on Resume anyway (the table keeps MAX_LINES). */
export const HOLD_LINES = MAX_LINES;
const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
const RETRY_MS = 3000;

/**
 * `{element, start(), stop()}` for `{realm, actor}` or `{realm, category}`: start() follows the lines (again, after
 * a stop), stop() ends the stream; the view's end (ctx) stops it too. `consoleCategory` is the category a trace link
 * opens the console on when the panel is an actor's.
 */
export function logsPanel(ctx, { realm, actor, category, consoleCategory = '' }) {
  const target = actor ? `actor ${actor}` : `category ${category}`;
  const levelSelect = h('select', { name: 'level', 'aria-label': 'Lowest level shown' },
    h('option', { value: '' }, 'All levels'), LEVELS.map((l) => h('option', { value: l }, `${l} and above`)));
  const pause = h('button', { type: 'button', class: 'ghost small', 'aria-pressed': 'false' }, 'Pause');
  const status = h('span', { class: 'muted small', role: 'status' }, 'Connecting…');
  const rows = h('tbody');
  const columns = ['Time', 'Level', actor ? null : 'Actor', 'Message', 'Trace'].filter(Boolean);
  const table = h('table', { class: 'data compact log-lines', 'aria-label': `Log lines of ${target}` },
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))), rows);
  const empty = h('p', { class: 'muted small' }, `No lines yet: what ${target} writes through log() shows up here.`);
  const box = h('div', { class: 'log-box' }, table);
  const seen = new Set();
  let held = [];
  let dropped = 0;
  let paused = false;
  let active = false;
  let stream = null;
  let retry = null;

  const traceCategory = category || consoleCategory;

  function row(line) {
    const level = String(line.level || '');
    const badge = level === 'ERROR' ? 'badge err' : level === 'WARN' ? 'badge warn' : 'badge';
    const trace = line.traceId
      ? h('a', { class: 'mono', href: hashOf(['console'], { realm, category: traceCategory, actor, trace: line.traceId }),
        title: `Open the request console for trace ${line.traceId}` }, String(line.traceId).slice(0, 12))
      : '';
    const message = [String(line.message ?? '')];
    if (line.truncated) {
      message.push(h('span', { class: 'muted small' }, ' (cut)'));
    }
    return h('tr', { dataset: { level } },
      h('td', { class: 'mono nowrap' }, h('time', { datetime: iso(line.time) }, clock(line.time))),
      h('td', null, h('span', { class: badge }, level)),
      actor ? null : h('td', { class: 'mono' }, String(line.actor ?? '')),
      h('td', { class: 'log-message' }, message),
      h('td', null, trace));
  }

  function show(lines) {
    if (lines.length === 0) {
      return;
    }
    const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
    rows.append(...lines.map(row));
    while (rows.children.length > MAX_LINES) {
      rows.firstElementChild.remove();
    }
    empty.hidden = true;
    if (atBottom) {
      box.scrollTop = box.scrollHeight;
    }
  }

  function add(line) {
    const key = `${line.node}:${line.seq}`;
    if (seen.has(key)) {
      return; // read again after a reconnect
    }
    seen.add(key);
    if (seen.size > 4 * MAX_LINES) {
      seen.clear();
      seen.add(key);
    }
    if (paused) {
      held.push(line);
      if (held.length > HOLD_LINES) {
        dropped += held.length - HOLD_LINES;
        held = held.slice(held.length - HOLD_LINES);
      }
      setText(status, pausedText());
    } else {
      show([line]);
    }
  }

  function pausedText() {
    const lines = `${held.length} new line${held.length === 1 ? '' : 's'} buffered`;
    return dropped ? `Paused: ${lines}, ${dropped} dropped (the buffer holds ${HOLD_LINES})` : `Paused: ${lines}`;
  }

  async function follow() {
    clearTimeout(retry);
    if (!active) {
      return undefined;
    }
    stream?.abort();
    const controller = new AbortController();
    stream = controller;
    const url = path(['v1', 'realms', realm, actor ? 'actors' : 'categories', actor || category, 'logs'],
      { follow: 'true', level: levelSelect.value || undefined });
    try {
      const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...authHeaders() },
        signal: controller.signal, cache: 'no-store' });
      if (response.status === 401) {
        await response.body?.cancel();
        if (await askForToken('the logs need a token')) {
          return follow();
        }
        setText(status, 'The logs need a token.');
        return undefined;
      }
      if (!response.ok || !response.body) {
        let message = `HTTP ${response.status}`;
        try {
          message = (await response.json()).error?.message || message;
        } catch {
          // not JSON
        }
        setText(status, message);
        return undefined;
      }
      if (!paused) {
        setText(status, 'Live');
      }
      await read(response.body.getReader(), add);
      setText(status, 'The gateway ended the stream; reconnecting…');
    } catch (e) {
      if (controller.signal.aborted) {
        return undefined;
      }
      setText(status, `Log stream lost: ${e && e.message ? e.message : e}; reconnecting…`);
    }
    if (ctx.alive && active && stream === controller) {
      retry = setTimeout(follow, RETRY_MS);
    }
    return undefined;
  }

  levelSelect.addEventListener('change', () => {
    rows.replaceChildren();
    held = [];
    dropped = 0;
    seen.clear();
    empty.hidden = false;
    follow();
  });
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    setText(pause, paused ? 'Resume' : 'Pause');
    if (paused) {
      setText(status, pausedText());
    } else {
      show(held);
      setText(status, dropped ? `Live · ${dropped} line${dropped === 1 ? ' was' : 's were'} dropped while paused` : 'Live');
      held = [];
      dropped = 0;
    }
  });
  const stop = () => {
    active = false;
    clearTimeout(retry);
    stream?.abort();
    stream = null;
  };
  ctx.onCleanup(stop);

  return {
    element: h('div', { class: 'logs-panel' },
      h('div', { class: 'toolbar' }, levelSelect, h('div', { class: 'toolbar-actions' }, pause, status)),
      empty, box),
    start() {
      if (!active && ctx.alive) {
        active = true;
        setText(status, paused ? pausedText() : 'Connecting…');
        follow();
      }
    },
    stop,
  };
}

/** Reads `data:` events of a text/event-stream body and hands each JSON value to `onLine`. */
async function read(reader, onLine) {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer = (buffer + decoder.decode(value, { stream: true })).replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''));
      if (data.length) {
        try {
          onLine(JSON.parse(data.join('\n')));
        } catch {
          // not a line of ours
        }
      }
    }
  }
}

/** HH:MM:SS.mmm local time: lines come many per second. */
function clock(epochMs) {
  const d = new Date(epochMs || 0);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

