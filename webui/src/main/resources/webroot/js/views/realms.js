// Realms → categories → actors. The realm list is GET /v1/realms; a realm shows its category tree with
// per-node counts (GET /v1/realms/{realm}/categories) and its actors a page at a time
// (GET /v1/realms/{realm}/actors?offset&limit[&category][&node], total from X-Total-Count), so a realm of
// 10,000 actors costs one page per refresh.

import { api, get, path } from '../api.js';
import { field, h, hashOf, link, setText } from '../dom.js';
import { int, shortId, time } from '../format.js';
import { PagedTable } from '../table.js';
import { actorColumns } from './actors.js';

export function renderList(ctx) {
  const table = new PagedTable([
    { key: 'name', label: 'Realm', value: (r) => r.name, render: (r) => link(['realms', r.name], r.name), sortable: true },
    { key: 'actors', label: 'Actors', num: true, value: (r) => r.actors, render: (r) => int(r.actors), sortable: true },
    { key: 'categories', label: 'Categories', num: true, value: (r) => r.categories, render: (r) => int(r.categories), sortable: true },
    { key: 'links', label: 'Go to', value: () => '',
      render: (r) => [link(['realms', r.name, 'code'], 'code'), ' · ', h('a', { href: hashOf(['deploy'], { realm: r.name }) }, 'deploy'),
        ' · ', h('a', { href: hashOf(['console'], { realm: r.name }) }, 'console')] },
  ], { caption: 'Realms', empty: 'No realms yet: deploy an actor to create one.', rowKey: (r) => r.name });
  const summary = h('p', { class: 'muted' }, 'Reading realms…');
  ctx.onEvent((e) => {
    if (e.type.startsWith('actor.') || e.type === 'node.left') {
      ctx.refreshSoon();
    }
  });
  ctx.every(async (signal) => {
    const realms = await get('/v1/realms', { signal });
    table.setRows(realms);
    setText(summary, `${int(realms.length)} realms, ${int(realms.reduce((s, r) => s + r.actors, 0))} actors · updated ${time(Date.now())}`);
  });
  return h('section', { class: 'view' },
    h('div', { class: 'view-head' }, h('h1', null, 'Realms'), summary),
    h('section', { class: 'panel' }, table.element));
}

/** Rows of the category tree: every category and every dotted prefix above it, with sums over sub-categories. */
export function categoryTree(categories) {
  const byName = new Map();
  for (const c of categories) {
    const parts = c.name.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const name = parts.slice(0, i).join('.');
      let row = byName.get(name);
      if (!row) {
        byName.set(name, row = { name, depth: i - 1, own: 0, actors: 0, nodes: {}, real: false });
      }
      row.actors += c.actors;
      for (const [node, n] of Object.entries(c.nodes || {})) {
        row.nodes[node] = (row.nodes[node] || 0) + n;
      }
      if (i === parts.length) {
        row.real = true;
        row.own = c.actors;
      }
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function renderRealm(ctx) {
  const [realm] = ctx.params;
  const categorySelect = h('select', { name: 'category' }, h('option', { value: '' }, 'All categories'));
  const nodeSelect = h('select', { name: 'node' }, h('option', { value: '' }, 'All nodes'));
  const wantedCategory = ctx.query.get('category') || '';
  const wantedNode = ctx.query.get('node') || '';
  const summary = h('p', { class: 'muted' }, 'Reading the realm…');

  const tree = new PagedTable([
    { key: 'name', label: 'Category', value: (c) => c.name, signature: (c) => `${c.depth}${c.real}`,
      render: (c) => h('span', { class: 'tree', style: { paddingLeft: `${c.depth * 1.25}rem` } },
        c.depth ? h('span', { class: 'tree-branch', 'aria-hidden': 'true' }, '└ ') : null,
        link(['realms', realm, 'categories', c.name], c.depth ? c.name.split('.').pop() : c.name, { title: c.name }),
        c.real ? null : h('span', { class: 'muted small' }, ' (prefix)')) },
    { key: 'actors', label: 'Actors', num: true, value: (c) => int(c.actors) },
    { key: 'nodes', label: 'Per node', value: (c) => JSON.stringify(c.nodes), render: (c) => perNode(c.nodes) },
  ], { caption: `Categories of realm ${realm}`, empty: 'No categories: this realm has no actors.', rowKey: (c) => c.name });

  const actors = new PagedTable(actorColumns(ctx, realm), {
    caption: `Actors of realm ${realm}`,
    empty: 'No actors match.',
    onPage: () => ctx.refreshSoon(),
  });
  actors.clientMode = false;

  const onFilter = () => {
    actors.reset();
    ctx.refreshSoon();
  };
  categorySelect.addEventListener('change', onFilter);
  nodeSelect.addEventListener('change', onFilter);

  ctx.onEvent((e) => {
    if (e.type === 'actor.stopped' && Array.isArray(e.actors)) {
      // Take stopped actors off the page at once; the next refresh brings the counts.
      e.actors.forEach((a) => actors.trs.get(a.id)?.remove());
    }
    if (e.type.startsWith('actor.') || e.type.startsWith('node.')) {
      ctx.refreshSoon();
    }
  });

  ctx.every(async (signal) => {
    const [categories, nodes] = await Promise.all([
      get(path(['v1', 'realms', realm, 'categories']), { signal }),
      get('/v1/nodes', { signal }),
    ]);
    syncOptions(categorySelect, categories.map((c) => [c.name, `${c.name} (${int(c.actors)})`]), wantedCategory);
    syncOptions(nodeSelect, nodes.map((n) => [n.id, `${shortId(n.id)} · ${n.host || ''}`]), wantedNode);
    tree.setRows(categoryTree(categories));
    const r = await api('GET', path(['v1', 'realms', realm, 'actors'], {
      category: categorySelect.value, node: nodeSelect.value, offset: actors.offset, limit: actors.limit,
    }), { signal });
    const total = Number(r.headers.get('X-Total-Count') ?? r.data.length);
    if (r.data.length === 0 && actors.offset > 0 && total > 0) {
      actors.offset = Math.max(0, Math.floor((total - 1) / actors.limit) * actors.limit);
      return ctx.refreshSoon();
    }
    actors.setPage(r.data, total);
    setText(summary, `${int(categories.length)} categories · ${int(total)} actors${categorySelect.value || nodeSelect.value ? ' match the filter' : ''} · updated ${time(Date.now())}`);
    return undefined;
  });

  return h('section', { class: 'view' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, link(['realms'], 'Realms'), ' › ', realm),
    h('div', { class: 'view-head' },
      h('h1', null, 'Realm ', h('span', { class: 'mono' }, realm)),
      summary,
      h('div', { class: 'head-actions' },
        h('a', { class: 'button', href: hashOf(['deploy'], { realm }) }, 'Deploy actors'),
        h('a', { class: 'button ghost', href: hashOf(['console'], { realm }) }, 'Console'),
        link(['realms', realm, 'code'], 'Code files', { class: 'button ghost' }))),
    h('section', { class: 'panel', 'aria-labelledby': 'realm-cats' },
      h('h2', { id: 'realm-cats' }, 'Categories'),
      h('p', { class: 'muted small' }, 'A request to a category reaches its sub-categories too; prefixes are listed for that reason.'),
      tree.element),
    h('section', { class: 'panel', 'aria-labelledby': 'realm-actors' },
      h('h2', { id: 'realm-actors' }, 'Actors'),
      h('form', { class: 'toolbar', 'aria-label': 'Actor filters', on: { submit: (e) => e.preventDefault() } },
        field('Category', categorySelect), field('Node', nodeSelect)),
      actors.element));
}

/** Keeps a <select>'s options equal to `entries` ([value, label]) after its first "all" option, keeping the choice. */
export function syncOptions(select, entries, initial) {
  const chosen = select.dataset.touched ? select.value : (select.value || initial);
  const have = [...select.options].slice(1).map((o) => `${o.value}\u0000${o.textContent}`).join('\u0001');
  const want = entries.map(([v, l]) => `${v}\u0000${l}`).join('\u0001');
  if (have !== want) {
    while (select.options.length > 1) {
      select.remove(1);
    }
    entries.forEach(([v, l]) => select.append(h('option', { value: v }, l)));
  }
  if (chosen && ![...select.options].some((o) => o.value === chosen)) {
    // Keep a chosen value that has no entry (a category being deployed), so the filter does not silently widen.
    select.append(h('option', { value: chosen }, chosen));
  }
  select.value = chosen || '';
  if (!select.dataset.watch) {
    select.dataset.watch = '1';
    select.addEventListener('change', () => {
      select.dataset.touched = '1';
    });
  }
}

