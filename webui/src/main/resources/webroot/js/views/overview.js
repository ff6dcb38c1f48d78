// Overview: the cluster at a glance. One refresh cycle reads /v1/health, /v1/nodes, /v1/realms and each
// realm's actors (with stats); messages/s, errors/s and p95 latency come from the difference between two
// cycles (stats.js). Histories live at module level, so coming back to the overview keeps the trend.

import { get, path } from '../api.js';
import { History, Trend } from '../charts.js';
import { h, hashOf, link, replace, setText } from '../dom.js';
import { bytes, int, ms, num, percent, shortId, time } from '../format.js';
import { RateTracker } from '../stats.js';
import { PagedTable } from '../table.js';
import { byUrgency, deploymentHref, deploymentState, errorText, needsAttention } from './deployments.js';
import { describeEvent } from './events.js';

const history = {
  nodes: new History(),
  actors: new History(),
  messages: new History(),
  errors: new History(),
  p95: new History(),
};
const tracker = new RateTracker();
/** Per-realm trackers, for the messages/s column of the realms table. */
const realmTrackers = new Map();

/** At most this many realms' actor lists are read at once. */
const PARALLEL = 4;

export function render(ctx) {
  const cards = {
    nodes: card('Nodes', 'nodes', 'Nodes in the cluster; the figure under it counts the ready ones'),
    actors: card('Actors', 'actors', 'Actors running in every realm'),
    messages: card('Messages/s', 'messages', 'Requests handled per second by all actors, from successive reads of their counters'),
    errors: card('Errors/s', 'errors', 'Failed plus refused (429) requests per second', '--danger'),
    p95: card('p95 latency', 'p95', '95th percentile of the actors\u2019 handling time in the last interval (per-actor means, weighted by requests)', '--warn'),
    realms: card('Realms', null, 'Realms with actors or code, and their categories (summed over realms)'),
  };
  let gatewayNode = null;
  const nodesTable = new PagedTable([
    { key: 'id', label: 'Node', value: (n) => n.id, signature: (n) => String(n.id === gatewayNode),
      render: (n) => [link(['nodes', n.id], shortId(n.id), { class: 'mono', title: n.id }),
        n.id === gatewayNode ? h('span', { class: 'tag' }, 'this gateway') : null] },
    { key: 'cpu', label: 'CPU', num: true, value: (n) => percent(n.cpu) },
    { key: 'heap', label: 'Heap', num: true, value: (n) => `${bytes(n.heapUsed)} / ${bytes(n.heapMax)}` },
    { key: 'actors', label: 'Actors', num: true, value: (n) => int(n.actors) },
    { key: 'state', label: 'State', value: (n) => String(n.ready !== false), render: (n) => stateBadge(n) },
  ], { caption: 'Nodes of the cluster', empty: 'No nodes.' });
  const realmsTable = new PagedTable([
    { key: 'name', label: 'Realm', value: (r) => r.name, render: (r) => link(['realms', r.name], r.name) },
    { key: 'actors', label: 'Actors', num: true, value: (r) => int(r.actors) },
    { key: 'categories', label: 'Categories', num: true, value: (r) => int(r.categories) },
    { key: 'rate', label: 'Msg/s', num: true, value: (r) => (r.rate === null ? '–' : num(r.rate)) },
    { key: 'errors', label: 'Errors', num: true, value: (r) => int(r.errors) },
  ], { caption: 'Realms', empty: 'No realms yet.', rowKey: (r) => r.name });
  const busiest = new PagedTable([
    { key: 'id', label: 'Actor', value: (a) => a.id,
      render: (a) => h('a', { class: 'mono', href: hashOf(['realms', a.realm, 'actors', a.id], { category: a.categories?.[0], node: a.node }) }, a.id) },
    { key: 'class', label: 'Class', value: (a) => a.class || '–', render: (a) => h('span', { class: 'mono' }, a.class || '–') },
    { key: 'where', label: 'Realm / category', value: (a) => `${a.realm}/${(a.categories || []).join(', ')}`,
      render: (a) => [link(['realms', a.realm], a.realm), ' / ', (a.categories || []).map((c, i) => [i ? ', ' : '', link(['realms', a.realm, 'categories', c], c)])] },
    { key: 'node', label: 'Node', value: (a) => shortId(a.node), render: (a) => link(['nodes', a.node], shortId(a.node), { class: 'mono', title: a.node }) },
    { key: 'rate', label: 'Msg/s', num: true, value: (a) => num(a.msgs) },
    { key: 'processed', label: 'Processed', num: true, value: (a) => int(a.stats?.processed) },
    { key: 'errors', label: 'Errors', num: true, value: (a) => int(a.stats?.errors) },
    { key: 'latency', label: 'Mean', num: true, value: (a) => (a.stats?.processed ? ms(a.stats.meanLatencyMs) : '–') },
  ], { caption: 'The busiest actors', empty: 'No actors run.' });
  const eventsList = h('ol', { class: 'event-list compact', 'aria-label': 'Latest events' });
  const updated = h('p', { class: 'muted' }, 'Reading the cluster…');
  const attentionList = h('ul', { class: 'attention-list' });
  const attention = h('section', { class: 'panel attention', 'aria-labelledby': 'ov-attention', hidden: true },
    h('h2', { id: 'ov-attention' }, 'Needs attention'), attentionList);

  const view = h('section', { class: 'view overview' },
    h('div', { class: 'view-head' }, h('h1', null, 'Overview'), updated),
    attention,
    h('div', { class: 'cards' }, Object.values(cards).map((c) => c.element)),
    h('div', { class: 'columns' },
      h('section', { class: 'panel', 'aria-labelledby': 'ov-nodes' },
        h('h2', { id: 'ov-nodes' }, link(['nodes'], 'Nodes')), nodesTable.element),
      h('section', { class: 'panel', 'aria-labelledby': 'ov-realms' },
        h('h2', { id: 'ov-realms' }, link(['realms'], 'Realms')), realmsTable.element)),
    h('section', { class: 'panel', 'aria-labelledby': 'ov-busiest' },
      h('h2', { id: 'ov-busiest' }, 'Busiest actors ', h('span', { class: 'muted small' }, '(by messages/s, then processed; top 10)')),
      busiest.element),
    h('section', { class: 'panel', 'aria-labelledby': 'ov-events' },
      h('h2', { id: 'ov-events' }, link(['events'], 'Latest events')),
      eventsList));

  const charts = [];
  // Charts need their container in the document to measure it.
  requestAnimationFrame(() => {
    if (!ctx.alive) {
      return;
    }
    for (const c of Object.values(cards)) {
      if (c.key) {
        charts.push(new Trend(c.chart, {
          series: [{ label: c.title, history: history[c.key], color: c.color }],
          spark: true,
          height: 40,
          label: `${c.title} over the last minutes`,
        }));
      }
    }
  });
  ctx.onCleanup(() => charts.forEach((c) => c.destroy()));

  const latest = ctx.stream.recent.filter((e) => e.type !== 'node.stats').slice(-8).reverse();
  const placeholder = h('li', { class: 'muted' }, 'No events since this page opened. Deploy or stop an actor to see one.');
  replace(eventsList, latest.length ? latest.map((e) => eventItem(e)) : placeholder);
  ctx.onEvent((event) => {
    if (event.type === 'node.stats') {
      return;
    }
    placeholder.remove();
    eventsList.prepend(eventItem(event));
    while (eventsList.children.length > 8) {
      eventsList.lastElementChild.remove();
    }
    if (event.type.startsWith('actor.') || event.type.startsWith('node.') || event.type.startsWith('deployment.')) {
      ctx.refreshSoon();
    }
  });

  ctx.every(async (signal) => {
    const [health, nodes, realms, deployments] = await Promise.all([
      get('/v1/health', { signal }),
      get('/v1/nodes', { signal }),
      get('/v1/realms', { signal }),
      // Not having the deployments must not blank the rest of the overview: the block just stays hidden.
      get('/v1/deployments', { signal }).catch((e) => {
        if (e.name === 'AbortError') {
          throw e;
        }
        return null;
      }),
    ]);
    const lists = await mapLimit(realms, PARALLEL, (r) =>
      get(path(['v1', 'realms', r.name, 'actors']), { signal }).catch((e) => {
        if (e.name === 'AbortError') {
          throw e;
        }
        return null; // one realm failing (403 with a realm token) must not blank the overview
      }));
    if (!ctx.alive) {
      return;
    }
    const now = Date.now();
    const all = [];
    lists.forEach((list) => {
      if (Array.isArray(list)) {
        all.push(...list);
      }
    });
    const rates = tracker.sample(all, now);
    const ready = nodes.filter((n) => n.ready !== false).length;
    const categories = realms.reduce((sum, r) => sum + (r.categories || 0), 0);
    const actorCount = realms.reduce((sum, r) => sum + (r.actors || 0), 0);

    history.nodes.push(now, nodes.length);
    history.actors.push(now, actorCount);
    history.messages.push(now, rates.messages);
    history.errors.push(now, rates.errors);
    history.p95.push(now, rates.p95);

    cards.nodes.set(int(nodes.length), ready === nodes.length ? 'all ready' : `${int(ready)} ready, ${int(nodes.length - ready)} draining`,
      ready === nodes.length ? null : 'warn');
    cards.actors.set(int(actorCount), `${int(realms.length)} realms`);
    cards.messages.set(num(rates.messages), rates.interval ? `over ${num(rates.interval)} s` : 'actors\u2019 own rate');
    cards.errors.set(num(rates.errors), rates.errors === null ? 'from the next refresh' : 'failed + refused', rates.errors > 0 ? 'bad' : null);
    cards.p95.set(rates.p95 === null ? '–' : ms(rates.p95), rates.p95 === null ? 'no requests in the interval' : 'per-actor means');
    cards.realms.set(int(realms.length), `${int(categories)} categories`);
    charts.forEach((c) => c.update());

    showAttention(attention, attentionList, deployments);
    gatewayNode = health.node;
    busiest.setRows(all.map((a) => ({ ...a, msgs: rates.perActor.get(a.id) ?? 0 }))
      .sort((a, b) => b.msgs - a.msgs || (b.stats?.processed || 0) - (a.stats?.processed || 0) || a.id.localeCompare(b.id))
      .slice(0, 10));
    nodesTable.setRows(nodes);
    realmsTable.setRows(realms.map((r, i) => {
      let tr = realmTrackers.get(r.name);
      if (!tr) {
        realmTrackers.set(r.name, tr = new RateTracker());
      }
      const list = Array.isArray(lists[i]) ? lists[i] : null;
      return {
        name: r.name,
        actors: r.actors,
        categories: r.categories,
        rate: list ? tr.sample(list, now).messages : null,
        errors: list ? list.reduce((sum, a) => sum + ((a.stats && a.stats.errors) || 0), 0) : null,
      };
    }));
    setText(updated, `Updated ${time(now)} · refreshes every 2 s and on live events`);
  });

  return view;
}

/** Failed and degraded deployments, failed first, each linking to its page; the block hides when there is none. */
function showAttention(section, list, deployments) {
  const bad = Array.isArray(deployments) ? deployments.filter(needsAttention).sort(byUrgency) : [];
  section.hidden = bad.length === 0;
  // Rebuilt only when something shown changed: a link that has the keyboard focus survives the 2 s refresh.
  const signature = JSON.stringify(bad.map((s) => [s.name, s.state, s.actual, s.desired, s.restarts, s.lastError, s.message]));
  if (list.dataset.sig === signature) {
    return;
  }
  list.dataset.sig = signature;
  replace(list, bad.map((s) => h('li', { dataset: { deployment: s.name } },
    deploymentState(s.state), ' ',
    h('a', { href: deploymentHref(s.name) }, 'Deployment ', h('span', { class: 'mono' }, s.name)),
    h('span', { class: 'muted' }, ` in ${s.deployment?.realm ?? '?'} · ${int(s.actual)} of ${int(s.desired)} running`,
      s.restarts ? ` · ${int(s.restarts)} restarts` : ''),
    s.lastError ? h('div', { class: 'bad small' }, errorText(s.lastError)) : null,
    s.message ? h('div', { class: 'muted small' }, s.message) : null)));
}

function card(title, key, help, color = '--accent') {
  const value = h('div', { class: 'card-value' }, '–');
  const note = h('div', { class: 'card-note muted' }, '');
  const chart = key ? h('div', { class: 'card-chart' }) : null;
  const element = h('section', { class: 'card', 'aria-label': title, title: help },
    h('h2', { class: 'card-title' }, title), value, note, chart);
  return {
    key,
    title,
    color,
    chart,
    element,
    set(v, n, tone) {
      setText(value, v);
      setText(note, n || '');
      element.dataset.tone = tone || '';
    },
  };
}

export function stateBadge(n) {
  return n.ready === false
    ? h('span', { class: 'badge warn' }, 'draining')
    : h('span', { class: 'badge ok' }, 'ready');
}

export function eventItem(e) {
  const d = describeEvent(e);
  return h('li', { class: ['event', d.tone] },
    h('time', { datetime: new Date(e.time || Date.now()).toISOString() }, time(e.time)),
    h('span', { class: 'event-type' }, e.type),
    h('span', { class: 'event-text' }, d.text),
    d.href ? h('a', { href: d.href, class: 'small' }, d.linkText || 'open') : null);
}

/** Runs `fn` over `items` with at most `limit` at once; results in input order. */
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}

