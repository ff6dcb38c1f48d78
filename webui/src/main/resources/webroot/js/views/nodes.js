// Nodes: every member with host, tags, uptime, CPU, heap, actors and readiness (GET /v1/nodes), and a
// detail view per node (GET /v1/nodes/{id}, plus per-realm category counts from
// GET /v1/realms/{realm}/categories, whose `nodes` map says how many actors each node hosts).

import { get, path } from '../api.js';
import { History, Trend } from '../charts.js';
import { h, hashOf, link, replace, setText } from '../dom.js';
import { bytes, duration, int, iso, percent, shortId, time } from '../format.js';
import { PagedTable } from '../table.js';
import { stateBadge } from './overview.js';

function meter(fraction, label) {
  const pct = Math.max(0, Math.min(1, fraction || 0));
  return h('span', { class: 'meter-cell' },
    h('span', { class: ['meter', pct > 0.85 ? 'high' : pct > 0.6 ? 'mid' : null], role: 'img', 'aria-label': label },
      h('span', { class: 'meter-fill', style: { width: `${(pct * 100).toFixed(1)}%` } })),
    h('span', { class: 'meter-text' }, label));
}

function tags(list) {
  return (list || []).length ? (list || []).map((t) => h('span', { class: 'tag' }, t)) : h('span', { class: 'muted' }, '–');
}

export function renderList(ctx) {
  const table = new PagedTable([
    { key: 'id', label: 'Node', value: (n) => n.id, render: (n) => link(['nodes', n.id], shortId(n.id), { class: 'mono', title: n.id }), sortable: true },
    { key: 'host', label: 'Host', value: (n) => n.host || '–', sortable: true },
    { key: 'tags', label: 'Tags', value: (n) => (n.tags || []).join(','), render: (n) => tags(n.tags) },
    { key: 'uptime', label: 'Uptime', num: true, value: (n) => n.uptimeMs || 0, render: (n) => duration(n.uptimeMs), sortable: true },
    { key: 'cpu', label: 'CPU', value: (n) => n.cpu ?? 0, signature: (n) => percent(n.cpu), render: (n) => meter(n.cpu, percent(n.cpu)), sortable: true },
    { key: 'heap', label: 'Heap', value: (n) => (n.heapMax ? n.heapUsed / n.heapMax : 0), signature: (n) => bytes(n.heapUsed),
      render: (n) => meter(n.heapMax ? n.heapUsed / n.heapMax : 0, `${bytes(n.heapUsed)} of ${bytes(n.heapMax)}`), sortable: true },
    { key: 'actors', label: 'Actors', num: true, value: (n) => n.actors || 0, render: (n) => int(n.actors), sortable: true },
    { key: 'ready', label: 'Ready', value: (n) => String(n.ready !== false), render: (n) => stateBadge(n) },
  ], { caption: 'Nodes of the cluster', empty: 'No nodes answer.' });
  const summary = h('p', { class: 'muted' }, 'Reading nodes…');

  ctx.onEvent((e) => {
    if (e.type === 'node.joined' || e.type === 'node.left' || e.type.startsWith('actor.')) {
      ctx.refreshSoon();
    }
  });
  ctx.every(async (signal) => {
    const nodes = await get('/v1/nodes', { signal });
    table.setRows(nodes);
    const ready = nodes.filter((n) => n.ready !== false).length;
    setText(summary, `${int(nodes.length)} nodes, ${int(ready)} ready · updated ${time(Date.now())}`);
  });

  return h('section', { class: 'view' },
    h('div', { class: 'view-head' }, h('h1', null, 'Nodes'), summary),
    h('section', { class: 'panel' }, table.element));
}

/** Per-node histories survive leaving the detail view, for as long as the page is open. */
const nodeHistories = new Map();

export function renderDetail(ctx) {
  const [id] = ctx.params;
  let hist = nodeHistories.get(id);
  if (!hist) {
    nodeHistories.set(id, hist = { cpu: new History(), heap: new History(), actors: new History() });
  }
  const facts = h('dl', { class: 'facts' });
  const cpuChart = h('div');
  const heapChart = h('div');
  const actorsChart = h('div');
  const cpuNow = h('span', { class: 'chart-now' });
  const heapNow = h('span', { class: 'chart-now' });
  const actorsNow = h('span', { class: 'chart-now' });
  const hosted = new PagedTable([
    { key: 'realm', label: 'Realm', value: (r) => r.realm, render: (r) => link(['realms', r.realm], r.realm), sortable: true },
    { key: 'category', label: 'Category', value: (r) => r.category,
      render: (r) => link(['realms', r.realm, 'categories', r.category], r.category), sortable: true },
    { key: 'here', label: 'On this node', num: true, value: (r) => r.here, render: (r) => int(r.here), sortable: true },
    { key: 'all', label: 'In the cluster', num: true, value: (r) => r.all, render: (r) => int(r.all), sortable: true },
    { key: 'list', label: 'Actors', value: (r) => `${r.realm}/${r.category}`,
      render: (r) => h('a', { href: hashOf(['realms', r.realm], { category: r.category, node: id }) }, 'list here') },
  ], { caption: 'Categories with actors on this node', empty: 'No actors on this node.', rowKey: (r) => `${r.realm}/${r.category}`, sortKey: 'realm' });
  const gone = h('p', { class: 'banner warn', hidden: true, role: 'status' });

  const charts = [];
  requestAnimationFrame(() => {
    if (!ctx.alive) {
      return;
    }
    charts.push(new Trend(cpuChart, { series: [{ label: 'CPU', history: hist.cpu, valueEl: cpuNow, format: (v) => `${Math.round(v)} %` }], height: 110, yMax: 100, label: 'CPU over time' }));
    charts.push(new Trend(heapChart, { series: [{ label: 'Heap used', history: hist.heap, valueEl: heapNow, color: '--accent-2', format: (v) => bytes(v) }], height: 110, label: 'Heap used over time' }));
    charts.push(new Trend(actorsChart, { series: [{ label: 'Actors', history: hist.actors, valueEl: actorsNow, color: '--accent-3', format: (v) => int(v) }], height: 110, label: 'Actors over time' }));
  });
  ctx.onCleanup(() => charts.forEach((c) => c.destroy()));
  ctx.onEvent((e) => {
    if (e.type.startsWith('actor.') || e.type.startsWith('node.')) {
      ctx.refreshSoon();
    }
  });

  ctx.every(async (signal) => {
    let node;
    try {
      node = await get(path(['v1', 'nodes', id]), { signal });
    } catch (e) {
      if (e.status === 404) {
        setText(gone, 'This node is not in the cluster (it left, or the id is wrong). The figures below are the last ones seen.');
        gone.hidden = false;
        return;
      }
      throw e;
    }
    gone.hidden = true;
    const now = Date.now();
    hist.cpu.push(now, node.cpu >= 0 ? node.cpu * 100 : null);
    hist.heap.push(now, node.heapUsed);
    hist.actors.push(now, node.actors);
    charts.forEach((c) => c.update());
    replace(facts,
      fact('Id', h('span', { class: 'mono' }, node.id)),
      fact('Host', node.host || '–'),
      fact('Tags', tags(node.tags)),
      fact('Started', h('time', { datetime: iso(node.startedAt) }, time(node.startedAt))),
      fact('Uptime', duration(node.uptimeMs)),
      fact('CPU', meter(node.cpu, percent(node.cpu))),
      fact('Heap', meter(node.heapMax ? node.heapUsed / node.heapMax : 0, `${bytes(node.heapUsed)} of ${bytes(node.heapMax)}`)),
      fact('Actors', int(node.actors)),
      fact('State', stateBadge(node)));

    const realms = await get('/v1/realms', { signal });
    const rows = [];
    const lists = await Promise.all(realms.map((r) => get(path(['v1', 'realms', r.name, 'categories']), { signal }).catch(() => [])));
    realms.forEach((r, i) => {
      for (const c of lists[i] || []) {
        const here = (c.nodes && c.nodes[id]) || 0;
        if (here > 0) {
          rows.push({ realm: r.name, category: c.name, here, all: c.actors });
        }
      }
    });
    hosted.setRows(rows);
  });

  return h('section', { class: 'view' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, link(['nodes'], 'Nodes'), ' › ', h('span', { class: 'mono' }, shortId(id))),
    h('div', { class: 'view-head' }, h('h1', null, 'Node ', h('span', { class: 'mono' }, shortId(id)))),
    gone,
    h('div', { class: 'columns' },
      h('section', { class: 'panel', 'aria-labelledby': 'node-facts' }, h('h2', { id: 'node-facts' }, 'Facts'), facts),
      h('section', { class: 'panel', 'aria-labelledby': 'node-trends' },
        h('h2', { id: 'node-trends' }, 'Trends'),
        h('h3', { class: 'chart-title' }, 'CPU ', cpuNow), cpuChart,
        h('h3', { class: 'chart-title' }, 'Heap used ', heapNow), heapChart,
        h('h3', { class: 'chart-title' }, 'Actors ', actorsNow), actorsChart)),
    h('section', { class: 'panel', 'aria-labelledby': 'node-hosted' },
      h('h2', { id: 'node-hosted' }, 'Actors hosted, by category'), hosted.element));
}

function fact(label, value) {
  return [h('dt', null, label), h('dd', null, value)];
}
