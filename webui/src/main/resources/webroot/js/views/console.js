// Console: a request to any category of any realm, with the realm and category typed in. The category and
// actor views embed the same console with their target fixed. Opened from a log line's trace id (`trace=`), it shows
// that trace id and looks up the recent log lines that carry it (of the actor, or else the category, it came from).

import { get, path } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { iso, time } from '../format.js';
import { requestConsole } from '../request-console.js';

export function render(ctx) {
  const realmList = uid('realms');
  const categoryList = uid('cats');
  const realms = h('datalist', { id: realmList });
  const categories = h('datalist', { id: categoryList });
  const c = requestConsole({
    editable: true,
    realm: ctx.query.get('realm') || 'global',
    category: ctx.query.get('category') || '',
    op: ctx.query.get('op') || '',
    realmList,
    categoryList,
    target: 'POST /v1/realms/{realm}/categories/{category}/{op}',
  });
  const realmInput = c.element.querySelector('input[name="realm"]');

  // Suggestions, read when the view opens and when the realm changes: not polled.
  get('/v1/realms', { signal: ctx.signal })
    .then((rs) => replace(realms, rs.map((r) => h('option', { value: r.name }))))
    .catch(() => {});
  let timer = null;
  const loadCategories = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      get(path(['v1', 'realms', realmInput.value.trim() || 'global', 'categories']), { signal: ctx.signal })
        .then((cs) => replace(categories, cs.map((x) => h('option', { value: x.name }))))
        .catch(() => replace(categories));
    }, 300);
  };
  realmInput.addEventListener('input', loadCategories);
  loadCategories();

  // Reached from a log line's trace id: say which trace and what the logs hold of it.
  const trace = (ctx.query.get('trace') || '').slice(0, TRACE_MAX);
  return h('section', { class: 'view' },
    h('div', { class: 'view-head' },
      h('h1', null, 'Console'),
      h('p', { class: 'muted' }, 'Send a request to a category and see the reply or the typed error. ',
        'Mode all gathers every actor\u2019s answer; broadcast and shoot do not wait for replies.')),
    trace ? traceLookup(ctx, trace) : null,
    h('section', { class: 'panel' }, c.element, realms, categories));
}

/** Longer text in `trace=` is not a trace id: cut, so a crafted link cannot fill the page. */
const TRACE_MAX = 128;
/** How many recent lines are searched for the trace (the gateway's limit is 10,000). */
const LOOKUP_LINES = 1000;

/** The trace id the console was opened with, and the recent log lines that carry it. */
function traceLookup(ctx, trace) {
  const realm = ctx.query.get('realm') || '';
  const actor = ctx.query.get('actor') || '';
  const category = ctx.query.get('category') || '';
  const result = h('div', { class: 'trace-lines' });
  const where = actor ? `actor ${actor}` : category ? `category ${category}` : '';
  if (realm && where) {
    replace(result, h('p', { class: 'muted small' }, `Looking for its lines in the logs of ${where}…`));
    const url = path(['v1', 'realms', realm, actor ? 'actors' : 'categories', actor || category, 'logs'], { limit: LOOKUP_LINES });
    get(url, { signal: ctx.signal }).then((page) => {
      const lines = (page?.lines || []).filter((l) => l.traceId === trace);
      replace(result, lines.length
        ? h('table', { class: 'data compact log-lines', 'aria-label': `Log lines of trace ${trace}` },
          h('thead', null, h('tr', null, ['Time', 'Level', 'Actor', 'Message'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, lines.map((l) => h('tr', null,
            h('td', { class: 'nowrap' }, h('time', { datetime: iso(l.time) }, time(l.time))),
            h('td', null, String(l.level ?? '')),
            h('td', { class: 'mono' }, String(l.actor ?? '')),
            h('td', { class: 'log-message' }, String(l.message ?? ''))))))
        : h('p', { class: 'muted small' }, `No line of this trace among the last ${LOOKUP_LINES} of ${where}.`));
    }).catch((e) => {
      if (e.name !== 'AbortError') {
        replace(result, h('p', { class: 'bad small', role: 'alert' }, `Could not read the logs of ${where}: ${e.status ? e.status + ' ' : ''}${e.message}`));
      }
    });
  }
  return h('section', { class: 'panel trace-panel', 'aria-label': 'Trace from a log line' },
    h('p', { class: 'trace-line' }, 'Trace id ', h('code', { class: 'trace-id' }, trace),
      h('span', { class: 'muted' }, where ? ` · from a log line of ${where} in realm ${realm}` : ' · from a log line')),
    result,
    h('p', { class: 'muted small' }, 'Send its request again from here: each request gets a trace id of its own, shown with the answer.'));
}
