// Code files of a realm (GET /v1/realms/{realm}/code: [{file, size, sha256, modifiedAt}]) and the text
// of a single-file .java actor (GET /v1/realms/{realm}/code/{file}). Pushing code is an admin task for
// the CLI (`beach push`); the dashboard only reads.

import { get, path } from '../api.js';
import { h, hashOf, link, setText } from '../dom.js';
import { bytes, int, iso, time } from '../format.js';
import { PagedTable } from '../table.js';

export function renderList(ctx) {
  const [realm] = ctx.params;
  const summary = h('p', { class: 'muted' }, 'Reading the code files…');
  const table = new PagedTable([
    { key: 'file', label: 'File', sortable: true, value: (f) => f.file,
      render: (f) => (f.file.endsWith('.java') ? link(['realms', realm, 'code', f.file], f.file, { class: 'mono' }) : h('span', { class: 'mono' }, f.file)) },
    { key: 'size', label: 'Size', num: true, sortable: true, value: (f) => f.size ?? 0, render: (f) => bytes(f.size) },
    { key: 'modified', label: 'Modified', sortable: true, value: (f) => f.modifiedAt ?? 0,
      render: (f) => h('time', { datetime: iso(f.modifiedAt) }, time(f.modifiedAt)) },
    { key: 'sha', label: 'SHA-256', value: (f) => f.sha256 || '', render: (f) => h('span', { class: 'mono muted', title: f.sha256 || '' }, (f.sha256 || '–').slice(0, 12)) },
    { key: 'deploy', label: 'Deploy', value: (f) => f.file,
      render: (f) => (f.file.endsWith('.java')
        ? h('a', { href: hashOf(['deploy'], { realm, class: f.file.replace(/\.java$/, '') }) }, 'deploy…')
        : h('span', { class: 'muted' }, 'jar')) },
  ], { caption: `Code files of realm ${realm}`, empty: 'This realm has no code files.', rowKey: (f) => f.file, sortKey: 'file' });

  // Code changes rarely: read it when the view opens and on the refresh button, not every 2 s.
  const load = async () => {
    try {
      const files = await get(path(['v1', 'realms', realm, 'code']), { signal: ctx.signal });
      const list = (files || []).map((f) => (typeof f === 'string' ? { file: f } : f));
      table.setRows(list);
      setText(summary, `${int(list.length)} files · read ${time(Date.now())}`);
      ctx.showError(null);
    } catch (e) {
      if (e.name !== 'AbortError') {
        ctx.showError(e);
      }
    }
  };
  load();

  return h('section', { class: 'view' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, link(['realms'], 'Realms'), ' › ', link(['realms', realm], realm), ' › code'),
    h('div', { class: 'view-head' },
      h('h1', null, 'Code of ', h('span', { class: 'mono' }, realm)),
      summary,
      h('div', { class: 'head-actions' }, h('button', { type: 'button', class: 'ghost', on: { click: load } }, 'Reload'))),
    h('p', { class: 'muted small' }, 'Files in the realm folder: *.jar and single-file *.java actors. Push new code with ',
      h('code', null, `beach push --realm ${realm} FILE`), ' (admin token).'),
    h('section', { class: 'panel' }, table.element));
}

export function renderFile(ctx) {
  const [realm, file] = ctx.params;
  const pre = h('pre', { class: 'source', tabindex: 0, 'aria-label': `Source of ${file}` }, 'Loading…');
  get(path(['v1', 'realms', realm, 'code', file]), { signal: ctx.signal })
    .then((text) => setText(pre, typeof text === 'string' ? text : JSON.stringify(text, null, 2)))
    .catch((e) => {
      if (e.name !== 'AbortError') {
        setText(pre, '');
        ctx.showError(e);
      }
    });
  return h('section', { class: 'view' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, link(['realms'], 'Realms'), ' › ', link(['realms', realm], realm), ' › ',
      link(['realms', realm, 'code'], 'code'), ' › ', file),
    h('div', { class: 'view-head' },
      h('h1', null, h('span', { class: 'mono' }, file)),
      h('div', { class: 'head-actions' },
        file.endsWith('.java') ? h('a', { class: 'button', href: hashOf(['deploy'], { realm, class: file.replace(/\.java$/, '') }) }, 'Deploy this class') : null)),
    pre);
}

