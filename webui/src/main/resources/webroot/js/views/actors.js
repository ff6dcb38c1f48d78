// Category and actor detail: live stats, recent errors, the request console and stop buttons on the Activity tab,
// the live log lines on the Logs tab (js/logs.js; its stream runs only while the tab is shown).
// Both read GET /v1/realms/{realm}/actors?category=...[&node=...] once per refresh; recent errors come from
// each actor's stats.recentErrors when the gateway sends them, from actor.failed events and from the
// console's own failed requests.

import { api, get, path } from '../api.js';
import { History, Trend } from '../charts.js';
import { h, hashOf, link, replace, setText } from '../dom.js';
import { errorName, int, iso, ms, num, plural, shortId, time } from '../format.js';
import { logsPanel } from '../logs.js';
import { requestConsole } from '../request-console.js';
import { RateTracker, recentErrors, totals } from '../stats.js';
import { PagedTable, perNode } from '../table.js';
import { tabView } from '../tabs.js';

/** Asks, then stops one actor (DELETE /v1/realms/{realm}/actors/{id}); true when it was stopped. */
export async function stopActor(ctx, realm, id) {
  const ok = await ctx.confirm(`Stop actor ${id} in realm ${realm}? Its category's other actors keep answering; `
    + 'if it was the last one, requests to the category fail with 503 until another actor is deployed.', 'Stop actor');
  if (!ok) {
    return false;
  }
  try {
    await api('DELETE', path(['v1', 'realms', realm, 'actors', id]));
    ctx.toast(`Stopped actor ${id}`);
    ctx.refreshSoon();
    return true;
  } catch (e) {
    ctx.toast(`Could not stop ${id}: ${e.message}`, 'error');
    return false;
  }
}

/** Columns of an actor table: id, class, categories, node, the actor's own counters, and a stop button. */
export function actorColumns(ctx, realm, sortable = false) {
  return [
    { key: 'id', label: 'Actor', sortable, value: (a) => a.id,
      render: (a) => h('a', { class: 'mono', href: hashOf(['realms', realm, 'actors', a.id], { category: a.categories?.[0], node: a.node }) }, a.id) },
    { key: 'class', label: 'Class', sortable, value: (a) => a.class || '', render: (a) => h('span', { class: 'mono' }, a.class || '–') },
    { key: 'categories', label: 'Categories', sortable, value: (a) => (a.categories || []).join(', '),
      render: (a) => (a.categories || []).map((c, i) => [i ? ', ' : '', link(['realms', realm, 'categories', c], c)]) },
    { key: 'node', label: 'Node', sortable, value: (a) => a.node || '', render: (a) => link(['nodes', a.node], shortId(a.node), { class: 'mono', title: a.node }) },
    { key: 'processed', label: 'Processed', num: true, sortable, value: (a) => a.stats?.processed ?? 0, render: (a) => int(a.stats?.processed) },
    { key: 'errors', label: 'Errors', num: true, sortable, value: (a) => a.stats?.errors ?? 0,
      render: (a) => (a.stats?.errors ? h('span', { class: 'bad' }, int(a.stats.errors)) : int(a.stats?.errors)) },
    { key: 'pending', label: 'Pending', num: true, sortable, value: (a) => a.stats?.pending ?? 0, render: (a) => int(a.stats?.pending) },
    { key: 'rate', label: 'Rate/s', num: true, sortable, value: (a) => a.stats?.rate ?? 0, render: (a) => num(a.stats?.rate) },
    { key: 'latency', label: 'Mean', num: true, sortable, value: (a) => a.stats?.meanLatencyMs ?? 0,
      render: (a) => (a.stats?.processed ? ms(a.stats.meanLatencyMs) : '–') },
    { key: 'stop', label: 'Action', value: (a) => a.id,
      render: (a) => h('button', { type: 'button', class: 'danger small', 'aria-label': `Stop actor ${a.id}`,
        on: { click: () => stopActor(ctx, realm, a.id) } }, 'Stop') },
  ];
}

/** A table of recent errors: [{time, op, code, message, actor, node}], with a note on where they come from. */
function errorsTable(realm) {
  const table = new PagedTable([
    { key: 'time', label: 'Time', value: (e) => e.time || 0, render: (e) => h('time', { datetime: iso(e.time) }, time(e.time)) },
    { key: 'actor', label: 'Actor', value: (e) => e.actor || '', render: (e) => (e.actor ? h('span', { class: 'mono' }, e.actor) : '–') },
    { key: 'op', label: 'Op', value: (e) => e.op || '–' },
    { key: 'code', label: 'Code', value: (e) => e.code || '', render: (e) => h('span', { class: 'badge err' }, `${e.code || '?'} ${errorName(e.code)}`) },
    { key: 'message', label: 'Message', wrap: true, value: (e) => e.message || '' },
  ], { caption: `Recent errors in realm ${realm}`, empty: 'No errors recorded.', pageSize: 25,
    rowKey: (e) => `${e.time}|${e.actor}|${e.op}|${e.code}|${e.message}` });
  const note = h('p', { class: 'muted small', hidden: true });
  table.element.prepend(note);
  /** Says so when actors count errors the gateway does not list (no stats.recentErrors in its answer). */
  table.explain = (actors) => {
    const counted = actors.reduce((sum, a) => sum + (a.stats?.errors || 0), 0);
    const listed = actors.some((a) => Array.isArray(a.stats?.recentErrors));
    note.hidden = listed || counted === 0;
    setText(note, `The actors counted ${int(counted)} errors, but this gateway does not list them per actor `
      + '(no stats.recentErrors). Shown here: handler crashes (actor.failed events) and failures of requests sent from this page.');
  };
  return table;
}

/** Errors seen on this page (console failures, actor.failed events), merged with the actors' own lists. */
class ErrorLog {
  constructor(match) {
    this.match = match;
    this.seen = [];
  }

  fromEvent(e) {
    if (e.type === 'actor.failed' && this.match({ actor: e.actor, categories: e.categories || [] })) {
      this.seen.push({ time: e.time, op: e.op, code: e.error?.code, message: e.error?.message, actor: e.actor, node: e.node });
    }
  }

  fromConsole(err) {
    const e = err.error || {};
    this.seen.push({ time: Date.now(), op: e.op, code: err.status, message: err.message, actor: e.actor, node: e.node });
  }

  merged(actors) {
    const all = [...recentErrors(actors, 100), ...this.seen];
    const unique = new Map();
    for (const e of all) {
      // The same failure can arrive as an event and in the actor's list, a few ms apart.
      unique.set(`${Math.round((e.time || 0) / 1000)}|${e.actor}|${e.op}|${e.message}`, e);
    }
    return [...unique.values()].sort((a, b) => (b.time || 0) - (a.time || 0)).slice(0, 100);
  }
}

function statBlock(entries) {
  return h('dl', { class: 'stat-row' }, entries.map(([label, value]) => h('div', null, h('dt', null, label), h('dd', null, value))));
}

export function renderCategory(ctx) {
  const [realm, category] = ctx.params;
  const tracker = new RateTracker();
  const table = new PagedTable(actorColumns(ctx, realm, true), { caption: `Actors of ${realm}/${category}`, empty: 'No actor runs in this category.' });
  const errors = errorsTable(realm);
  const log = new ErrorLog((e) => e.categories.some((c) => c === category || c.startsWith(category + '.')));
  const stats = h('div', { class: 'stat-wrap' });
  const nodes = h('p', { class: 'per-node' });
  const summary = h('p', { class: 'muted' }, 'Reading the category…');
  const stopAll = h('button', { type: 'button', class: 'danger' }, 'Stop all actors of this category');
  let count = 0;
  let lastActors = [];

  const consolePanel = requestConsole({
    realm,
    category,
    target: `POST /v1/realms/${realm}/categories/${category}/{op}`,
    onError: (err) => {
      log.fromConsole(err);
      errors.setRows(log.merged(lastActors));
    },
  });

  stopAll.addEventListener('click', async () => {
    const ok = await ctx.confirm(`Stop all ${int(count)} actors of category ${category} (and its sub-categories) in realm ${realm}? `
      + 'Requests to it fail with 503 until actors are deployed again.', 'Stop all');
    if (!ok) {
      return;
    }
    try {
      const { data } = await api('DELETE', path(['v1', 'realms', realm, 'actors'], { category }));
      ctx.toast(`Stopped ${int(data?.stopped ?? 0)} actors of ${category}`);
      ctx.refreshSoon();
    } catch (e) {
      ctx.toast(`Could not stop ${category}: ${e.message}`, 'error');
    }
  });

  ctx.onEvent((e) => {
    log.fromEvent(e);
    if (e.type === 'actor.stopped' && Array.isArray(e.actors)) {
      e.actors.forEach((a) => table.trs.get(a.id)?.remove());
    }
    if (e.type.startsWith('actor.') || e.type === 'node.left') {
      ctx.refreshSoon();
    }
  });
  ctx.stream.recent.forEach((e) => log.fromEvent(e));

  ctx.every(async (signal) => {
    const actors = await get(path(['v1', 'realms', realm, 'actors'], { category }), { signal });
    lastActors = actors;
    count = actors.length;
    const t = totals(actors);
    const rates = tracker.sample(actors, Date.now());
    table.setRows(actors);
    errors.setRows(log.merged(actors));
    errors.explain(actors);
    stopAll.disabled = actors.length === 0;
    replace(stats, statBlock([
      ['Actors', int(t.actors)],
      ['Messages/s', num(rates.messages)],
      ['Errors/s', rates.errors === null ? '–' : num(rates.errors)],
      ['Processed', int(t.processed)],
      ['Errors', int(t.errors)],
      ['Refused (429)', int(t.rejected)],
      ['Pending', int(t.pending)],
      ['Mean latency', t.meanLatencyMs === null ? '–' : ms(t.meanLatencyMs)],
    ]));
    const byNode = {};
    actors.forEach((a) => {
      byNode[a.node] = (byNode[a.node] || 0) + 1;
    });
    replace(nodes, actors.length ? ['Per node: ', perNode(byNode)] : h('span', { class: 'muted' },
      'No actor runs in this category: requests to it fail with 503. ',
      h('a', { href: hashOf(['deploy'], { realm, category }) }, 'Deploy one'), '.'));
    setText(summary, `${plural(actors.length, 'actor')} · updated ${time(Date.now())}`);
  });

  return h('section', { class: 'view' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, link(['realms'], 'Realms'), ' › ', link(['realms', realm], realm), ' › ', category),
    h('div', { class: 'view-head' },
      h('h1', null, 'Category ', h('span', { class: 'mono' }, category)),
      summary,
      h('div', { class: 'head-actions' }, h('a', { class: 'button ghost', href: hashOf(['deploy'], { realm, category }) }, 'Deploy more'), stopAll)),
    stats,
    nodes,
    detailTabs(ctx, `Category ${category}`, [
      h('div', { class: 'columns' },
        h('section', { class: 'panel', 'aria-labelledby': 'cat-console' },
          h('h2', { id: 'cat-console' }, 'Send a request'), consolePanel.element),
        h('section', { class: 'panel', 'aria-labelledby': 'cat-errors' },
          h('h2', { id: 'cat-errors' }, 'Recent errors'), errors.element)),
      h('section', { class: 'panel', 'aria-labelledby': 'cat-actors' },
        h('h2', { id: 'cat-actors' }, 'Actors'), table.element),
    ], logsPanel(ctx, { realm, category })));
}

/** Activity (what the view showed so far) and Logs tabs; the log stream follows only while its tab is shown. */
function detailTabs(ctx, what, activity, logs) {
  return tabView(ctx, `${what}: activity and logs`, [
    { id: 'activity', label: 'Activity', content: h('div', { class: 'stack' }, activity) },
    { id: 'logs', label: 'Logs', content: h('section', { class: 'panel', 'aria-label': `Logs of ${what}` }, logs.element),
      onShow: () => logs.start(), onHide: () => logs.stop() },
  ]).element;
}

export function renderActor(ctx) {
  const [realm, id] = ctx.params;
  const category = ctx.query.get('category') || '';
  const node = ctx.query.get('node') || '';
  const tracker = new RateTracker();
  const rate = new History();
  const pending = new History();
  const facts = h('dl', { class: 'facts' });
  const stats = h('div', { class: 'stat-wrap' });
  const gone = h('p', { class: 'banner warn', role: 'status', hidden: true });
  const errors = errorsTable(realm);
  const log = new ErrorLog((e) => e.actor === id);
  const stop = h('button', { type: 'button', class: 'danger' }, 'Stop this actor');
  const rateChart = h('div');
  const pendingChart = h('div');
  const rateNow = h('span', { class: 'chart-now' });
  const pendingNow = h('span', { class: 'chart-now' });
  const consoleBox = h('div');
  let actor = null;
  let consoleFor = null;

  stop.addEventListener('click', async () => {
    if (await stopActor(ctx, realm, id)) {
      stop.disabled = true;
    }
  });
  const charts = [];
  requestAnimationFrame(() => {
    if (!ctx.alive) {
      return;
    }
    charts.push(new Trend(rateChart, { series: [{ label: 'Messages/s', history: rate, valueEl: rateNow, format: (v) => num(v) }], height: 110, label: 'Messages per second' }));
    charts.push(new Trend(pendingChart, { series: [{ label: 'Pending', history: pending, valueEl: pendingNow, color: '--accent-2', format: (v) => int(v) }], height: 110, label: 'Pending requests' }));
  });
  ctx.onCleanup(() => charts.forEach((c) => c.destroy()));
  ctx.onEvent((e) => {
    log.fromEvent(e);
    if ((e.type === 'actor.stopped' || e.type === 'actor.started') && (e.actors || []).some((a) => a.id === id)) {
      ctx.refreshSoon();
    }
  });
  ctx.stream.recent.forEach((e) => log.fromEvent(e));

  ctx.every(async (signal) => {
    const list = await get(path(['v1', 'realms', realm, 'actors'], { category, node }), { signal });
    const found = list.find((a) => a.id === id) || null;
    if (!found) {
      replace(gone, `Actor ${id} is not running: it was stopped or its node left. `, link(['realms', realm], `Back to realm ${realm}`));
      gone.hidden = false;
      stop.disabled = true;
      return;
    }
    gone.hidden = true;
    actor = found;
    const s = actor.stats || {};
    const now = Date.now();
    const r = tracker.sample([actor], now);
    rate.push(now, r.messages);
    pending.push(now, s.pending ?? 0);
    charts.forEach((c) => c.update());
    errors.setRows(log.merged([actor]));
    errors.explain([actor]);
    replace(facts,
      fact('Id', h('span', { class: 'mono' }, actor.id)),
      fact('Class', h('span', { class: 'mono' }, actor.class || '–')),
      fact('Realm', link(['realms', realm], realm)),
      fact('Categories', (actor.categories || []).map((c, i) => [i ? ', ' : '', link(['realms', realm, 'categories', c], c)])),
      fact('Node', link(['nodes', actor.node], shortId(actor.node), { class: 'mono', title: actor.node })),
      fact('Started', h('time', { datetime: iso(actor.startedAt) }, time(actor.startedAt))),
      actor.concurrency ? fact('Concurrency', int(actor.concurrency)) : null,
      actor.mailboxSize ? fact('Mailbox', int(actor.mailboxSize)) : null);
    replace(stats, statBlock([
      ['Processed', int(s.processed)],
      ['Errors', int(s.errors)],
      ['Refused (429)', int(s.rejected)],
      ['Pending', int(s.pending)],
      ['Rate/s', num(s.rate)],
      ['Mean latency', s.processed ? ms(s.meanLatencyMs) : '–'],
    ]));
    const cats = actor.categories || [];
    if (consoleFor !== cats.join(',')) {
      consoleFor = cats.join(',');
      const target = cats.includes(category) ? category : cats[0];
      const c = requestConsole({
        realm,
        category: target,
        target: `Goes to category ${target}: any of its actors may answer, not only this one.`,
        onError: (err) => {
          log.fromConsole(err);
          errors.setRows(log.merged(actor ? [actor] : []));
        },
      });
      replace(consoleBox, c.element);
    }
  });

  return h('section', { class: 'view' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, link(['realms'], 'Realms'), ' › ', link(['realms', realm], realm),
      category ? [' › ', link(['realms', realm, 'categories', category], category)] : null, ' › ', h('span', { class: 'mono' }, id)),
    h('div', { class: 'view-head' },
      h('h1', null, 'Actor ', h('span', { class: 'mono' }, id)),
      h('div', { class: 'head-actions' }, stop)),
    gone,
    stats,
    detailTabs(ctx, `Actor ${id}`, [
      h('div', { class: 'columns' },
        h('section', { class: 'panel', 'aria-labelledby': 'actor-facts' }, h('h2', { id: 'actor-facts' }, 'Facts'), facts),
        h('section', { class: 'panel', 'aria-labelledby': 'actor-trends' },
          h('h2', { id: 'actor-trends' }, 'Trends'),
          h('h3', { class: 'chart-title' }, 'Messages/s ', rateNow), rateChart,
          h('h3', { class: 'chart-title' }, 'Pending ', pendingNow), pendingChart)),
      h('div', { class: 'columns' },
        h('section', { class: 'panel', 'aria-labelledby': 'actor-console' }, h('h2', { id: 'actor-console' }, 'Send a request'), consoleBox),
        h('section', { class: 'panel', 'aria-labelledby': 'actor-errors' }, h('h2', { id: 'actor-errors' }, 'Recent errors'), errors.element)),
    ], logsPanel(ctx, { realm, actor: id, consoleCategory: category })));
}

function fact(label, value) {
  return [h('dt', null, label), h('dd', null, value)];
}
