// The request console: op + JSON body + mode, sent to POST /v1/realms/{realm}/categories/{category}/{op};
// shows the reply, every actor's outcome (mode all) or the typed error ({"error": {code, message, ...}}).
// Each request carries a W3C traceparent made here, and the console shows its trace id, so a person can find the
// request in a tracing backend; when the gateway's answer carries a traceparent of its own, that one's id is shown.

import { api, ApiError, path } from './api.js';
import { field, h, replace, uid } from './dom.js';
import { errorName, json, num } from './format.js';

const MODES = [
  ['one', 'one (one actor replies)'],
  ['all', 'all (every actor replies)'],
  ['broadcast', 'broadcast (no replies)'],
  ['shoot', 'shoot (fire and forget)'],
];

/**
 * options: {realm, category} fixed targets, or `editable: true` for realm/category inputs;
 * `onError(error)` is told about failures (for the recent-errors list).
 */
export function requestConsole(options = {}) {
  const form = h('form', { class: 'console', novalidate: true, 'aria-label': 'Send a request' });
  let realmInput = null;
  let categoryInput = null;
  if (options.editable) {
    realmInput = h('input', { name: 'realm', required: true, value: options.realm || 'global', spellcheck: 'false', autocomplete: 'off', list: options.realmList || null });
    categoryInput = h('input', { name: 'category', required: true, value: options.category || '', spellcheck: 'false', autocomplete: 'off', placeholder: 'e.g. echo', list: options.categoryList || null });
  }
  const opInput = h('input', { name: 'op', required: true, value: options.op || '', spellcheck: 'false', autocomplete: 'off', placeholder: 'e.g. echo', pattern: '[A-Za-z0-9_.\\-]+' });
  const bodyInput = h('textarea', { name: 'body', rows: 5, spellcheck: 'false', class: 'mono' });
  bodyInput.value = options.body || '{}';
  const modeSelect = h('select', { name: 'mode' }, MODES.map(([v, label]) => h('option', { value: v }, label)));
  const timeoutInput = h('input', { name: 'timeout', type: 'number', min: 1, max: 600000, step: 1, placeholder: 'node default', inputmode: 'numeric' });
  const keyInput = h('input', { name: 'key', spellcheck: 'false', autocomplete: 'off', placeholder: 'optional' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const outputId = uid('out');
  const output = h('div', { class: 'console-output', id: outputId, 'aria-live': 'polite' });

  form.append(
    h('div', { class: 'grid-fields' },
      realmInput ? field('Realm', realmInput) : null,
      categoryInput ? field('Category', categoryInput, 'Reaches the category and its sub-categories') : null,
      field('Op', opInput, options.opHint || 'The request type the actor handles'),
      field('Mode', modeSelect),
      field('Timeout (ms)', timeoutInput),
      field('Affinity key', keyInput, 'Same key, same actor')),
    field('Body (JSON)', bodyInput, 'Ctrl+Enter sends'),
    h('div', { class: 'actions' }, send, h('span', { class: 'muted small' }, options.target || '')),
    output);

  bodyInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const realm = realmInput ? realmInput.value.trim() : options.realm;
    const category = categoryInput ? categoryInput.value.trim() : options.category;
    const op = opInput.value.trim();
    if (!realm || !category || !op) {
      showLocal(output, `Fill in ${[!realm && 'realm', !category && 'category', !op && 'op'].filter(Boolean).join(', ')}.`);
      (!op ? opInput : categoryInput || realmInput).focus();
      return;
    }
    const text = bodyInput.value.trim() === '' ? 'null' : bodyInput.value;
    try {
      JSON.parse(text);
    } catch (err) {
      showLocal(output, `The body is not valid JSON: ${err.message}`);
      bodyInput.focus();
      return;
    }
    const traceparent = newTraceparent();
    const mode = modeSelect.value;
    const query = { mode: mode === 'one' ? undefined : mode, timeout: timeoutInput.value || undefined, key: keyInput.value || undefined };
    send.disabled = true;
    replace(output, h('p', { class: 'muted' }, `Sending ${op} to ${realm}/${category}…`));
    try {
      const r = await api('POST', path(['v1', 'realms', realm, 'categories', category, op], query),
        { text, headers: { traceparent } });
      showReply(output, r, mode);
      output.append(traceLine(traceparent, r.headers));
    } catch (err) {
      if (err instanceof ApiError) {
        showError(output, err);
        output.append(traceLine(traceparent, err.headers));
        if (options.onError) {
          options.onError(err);
        }
      } else if (!(err && err.name === 'AbortError')) {
        showLocal(output, String(err));
      }
    } finally {
      send.disabled = false;
    }
  });

  return { element: form, opInput, bodyInput, modeSelect };
}

/** A new W3C traceparent: version 00, a random trace id (16 bytes) and parent span id (8 bytes), sampled. */
export function newTraceparent() {
  const hex = (bytes) => {
    for (;;) {
      const text = Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
      if (!/^0+$/.test(text)) {
        return text; // all zeros is invalid in both fields
      }
    }
  };
  return `00-${hex(16)}-${hex(8)}-01`;
}

/** The trace id of a traceparent header value, or null when it is not one. */
export function traceIdOf(traceparent) {
  const m = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(String(traceparent ?? '').trim().toLowerCase());
  return m && m[1] !== 'ff' && !/^0+$/.test(m[2]) ? m[2] : null;
}

/**
 * "Trace id …" of the request: the answer's traceparent when it has one (the gateway's HTTP span, which continues the
 * one sent), else the one this console sent. An answer whose flags say "not sampled" names a trace the node did not
 * record, and says so.
 */
function traceLine(sent, headers) {
  const header = headers?.get?.('traceparent');
  const answered = traceIdOf(header);
  const id = answered || traceIdOf(sent);
  const sampled = answered && (parseInt(String(header).trim().slice(-2), 16) & 1) === 1;
  return h('p', { class: 'trace-line muted small' }, 'Trace id ',
    h('code', { class: 'trace-id', title: 'the trace of this request' }, id), ' · ',
    !answered ? 'sent by this console as the traceparent header (the answer carried none: the node does not trace)'
      : sampled ? 'from the traceparent header of the answer: the node recorded this trace'
        : 'from the traceparent header of the answer, not sampled: the node recorded no spans for it');
}

function showLocal(output, message) {
  replace(output, h('div', { class: 'result error', role: 'alert' }, h('p', null, message)));
}

function showReply(output, r, mode) {
  const head = h('p', { class: 'result-head' },
    h('span', { class: 'badge ok' }, `${r.status}`), ' ', statusText(r.status, mode), h('span', { class: 'muted' }, ` · ${num(r.ms)} ms`));
  if (mode === 'all' && r.data && Array.isArray(r.data.replies)) {
    const rows = r.data.replies.map((rep) => h('tr', null,
      h('td', { class: 'mono' }, String(rep.actor ?? '')),
      h('td', { class: 'mono' }, String(rep.node ?? '').slice(0, 8)),
      h('td', null, rep.ok ? h('span', { class: 'badge ok' }, 'ok') : h('span', { class: 'badge err' }, `${rep.error?.code ?? ''} ${errorName(rep.error?.code)}`)),
      h('td', null, h('pre', { class: 'inline' }, rep.ok ? json(rep.data) : String(rep.error?.message ?? '')))));
    replace(output, h('div', { class: 'result ok' }, head,
      h('table', { class: 'data compact' },
        h('thead', null, h('tr', null, ['Actor', 'Node', 'Outcome', 'Reply'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, rows))));
    return;
  }
  const body = typeof r.data === 'string' ? r.data : json(r.data);
  replace(output, h('div', { class: 'result ok' }, head, h('pre', { class: 'reply', tabindex: 0, 'aria-label': 'Reply' }, body)));
}

function statusText(status, mode) {
  if (status === 202) {
    return mode === 'broadcast' ? 'Broadcast accepted' : 'Accepted (fire and forget)';
  }
  return mode === 'all' ? 'Replies' : 'Reply';
}

function showError(output, err) {
  const e = err.error || {};
  const where = [e.realm && `realm ${e.realm}`, e.category && `category ${e.category}`, e.actor && `actor ${e.actor}`,
    e.node && `node ${String(e.node).slice(0, 8)}`, e.op && `op ${e.op}`].filter(Boolean).join(' · ');
  const details = e.details && typeof e.details === 'object' && Object.keys(e.details).length ? e.details : null;
  replace(output, h('div', { class: 'result error', role: 'alert' },
    h('p', { class: 'result-head' },
      h('span', { class: 'badge err' }, `${err.status || 'network'}`), ' ',
      h('strong', null, errorName(err.status)),
      err.ms !== undefined ? h('span', { class: 'muted' }, ` · ${num(err.ms)} ms`) : null),
    h('p', { class: 'error-message' }, err.message),
    where ? h('p', { class: 'muted small' }, where) : null,
    details ? h('details', null, h('summary', null, 'Details'), h('pre', null, json(details))) : null));
}
