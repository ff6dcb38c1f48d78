// A paged table that keeps its rows in place across refreshes: rows are keyed, and a cell is rewritten only
// when its text changed, so focus, selection and screen-reader position survive the 2 s refresh. Only one
// page of rows is ever in the DOM, which is what keeps 10,000 actors from freezing the page.

import { h, replace, setText, uid } from './dom.js';
import { int, shortId } from './format.js';

/**
 * columns: [{key, label, value(row) -> string|number (compared, sorted), render(row) -> Node|string (optional),
 *            num (right-aligned), sortable}]
 * options: {caption, pageSize, empty, rowKey(row), sortable (client mode only), onPage()}
 *
 * Client mode: `setRows(rows)` with all rows, paged and sorted here.
 * Server mode: `setPage(rows, total)` with one page; `offset` and `limit` say which page to fetch.
 */
export class PagedTable {
  constructor(columns, options = {}) {
    this.columns = columns;
    this.options = options;
    this.pageSize = options.pageSize || 50;
    this.offset = 0;
    this.total = 0;
    this.rows = [];
    this.sortKey = options.sortKey || null;
    this.sortDir = 1;
    this.trs = new Map();
    this.clientMode = true;

    const captionId = uid('cap');
    this.tbody = h('tbody');
    this.emptyRow = h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, options.empty || 'Nothing here.'));
    const headCells = columns.map((c) => this.header(c));
    this.table = h('table', { class: 'data', 'aria-describedby': options.caption ? captionId : null },
      options.caption ? h('caption', { id: captionId, class: 'sr-only' }, options.caption) : null,
      h('thead', null, h('tr', null, headCells)),
      this.tbody);
    this.status = h('span', { class: 'pager-status', 'aria-live': 'polite' });
    this.prev = h('button', { type: 'button', class: 'ghost small', 'aria-label': 'Previous page', on: { click: () => this.go(-1) } }, '‹ Prev');
    this.next = h('button', { type: 'button', class: 'ghost small', 'aria-label': 'Next page', on: { click: () => this.go(1) } }, 'Next ›');
    const sizeId = uid('size');
    this.sizeSelect = h('select', { id: sizeId, on: { change: () => this.setPageSize(Number(this.sizeSelect.value)) } },
      [25, 50, 100, 200].map((n) => h('option', { value: String(n), selected: n === this.pageSize }, String(n))));
    this.pager = h('div', { class: 'pager' },
      this.status,
      h('span', { class: 'spacer' }),
      h('label', { for: sizeId, class: 'muted' }, 'Rows per page'), this.sizeSelect,
      this.prev, this.next);
    this.element = h('div', { class: 'table-wrap' }, h('div', { class: 'scroll' }, this.table), this.pager);
    this.renderRows();
  }

  header(column) {
    if (!column.sortable) {
      return h('th', { scope: 'col', class: column.num ? 'num' : null }, column.label);
    }
    const button = h('button', { type: 'button', class: 'sort', on: { click: () => this.sortBy(column.key) } }, column.label);
    const th = h('th', { scope: 'col', class: column.num ? 'num' : null, 'aria-sort': 'none', dataset: { key: column.key } }, button);
    return th;
  }

  sortBy(key) {
    if (this.sortKey === key) {
      this.sortDir = -this.sortDir;
    } else {
      this.sortKey = key;
      this.sortDir = this.columns.find((c) => c.key === key)?.num ? -1 : 1;
    }
    for (const th of this.table.querySelectorAll('th[data-key]')) {
      th.setAttribute('aria-sort', th.dataset.key === this.sortKey ? (this.sortDir > 0 ? 'ascending' : 'descending') : 'none');
    }
    this.offset = 0;
    this.renderRows();
  }

  go(direction) {
    const next = this.offset + direction * this.pageSize;
    if (next < 0 || next >= Math.max(this.total, 1)) {
      return;
    }
    this.offset = next;
    if (this.clientMode) {
      this.renderRows();
    } else if (this.options.onPage) {
      this.options.onPage();
    }
  }

  setPageSize(n) {
    this.pageSize = n;
    this.offset = Math.floor(this.offset / n) * n;
    if (this.clientMode) {
      this.renderRows();
    } else if (this.options.onPage) {
      this.options.onPage();
    }
  }

  /** Back to the first page (after a filter changed). */
  reset() {
    this.offset = 0;
  }

  get limit() {
    return this.pageSize;
  }

  setRows(rows) {
    this.clientMode = true;
    this.rows = rows;
    this.total = rows.length;
    if (this.offset >= this.total && this.total > 0) {
      this.offset = Math.floor((this.total - 1) / this.pageSize) * this.pageSize;
    }
    this.renderRows();
  }

  setPage(rows, total) {
    this.clientMode = false;
    this.rows = rows;
    this.total = total;
    this.renderRows();
  }

  pageRows() {
    if (!this.clientMode) {
      return this.rows;
    }
    let rows = this.rows;
    if (this.sortKey) {
      const column = this.columns.find((c) => c.key === this.sortKey);
      if (column) {
        const dir = this.sortDir;
        rows = rows.slice().sort((a, b) => compare(column.value(a), column.value(b)) * dir);
      }
    }
    return rows.slice(this.offset, this.offset + this.pageSize);
  }

  renderRows() {
    const rows = this.pageRows();
    const keyOf = this.options.rowKey || ((row) => row.id);
    const keep = new Set();
    let index = 0;
    if (rows.length === 0) {
      this.tbody.replaceChildren(this.emptyRow);
      this.trs.clear();
    } else {
      if (this.emptyRow.parentNode) {
        this.emptyRow.remove();
      }
      for (const row of rows) {
        const key = String(keyOf(row));
        keep.add(key);
        let tr = this.trs.get(key);
        if (!tr) {
          tr = h('tr', { dataset: { key } }, this.columns.map((c) => h('td', { class: c.num ? 'num' : c.wrap ? 'wrap' : null })));
          this.trs.set(key, tr);
        }
        this.fill(tr, row);
        // Move only rows that are out of place: moving the row that holds the focus would drop it.
        if (this.tbody.children[index] !== tr) {
          this.tbody.insertBefore(tr, this.tbody.children[index] || null);
        }
        index += 1;
      }
      for (const [key, tr] of this.trs) {
        if (!keep.has(key)) {
          tr.remove();
          this.trs.delete(key);
        }
      }
    }
    const from = this.total === 0 ? 0 : this.offset + 1;
    const to = Math.min(this.offset + rows.length, this.total);
    setText(this.status, this.total === 0 ? 'No rows' : `Rows ${int(from)}–${int(to)} of ${int(this.total)}`);
    this.prev.disabled = this.offset === 0;
    this.next.disabled = this.offset + this.pageSize >= this.total;
    this.pager.hidden = this.total <= 25 && this.offset === 0 && this.pageSize >= this.total;
  }

  fill(tr, row) {
    this.columns.forEach((column, i) => {
      const td = tr.children[i];
      const value = column.value ? column.value(row) : '';
      const signature = String(value) + (column.signature ? '|' + column.signature(row) : '');
      if (td.dataset.sig === signature) {
        return;
      }
      td.dataset.sig = signature;
      if (column.render) {
        replace(td, column.render(row));
      } else {
        setText(td, value === null || value === undefined ? '–' : value);
      }
    });
  }
}

function compare(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  return String(a ?? '').localeCompare(String(b ?? ''), undefined, { numeric: true });
}

/** Actors per node as tags ("ab12cd34 ×3"), busiest first; a dash when there are none. */
export function perNode(nodes) {
  const entries = Object.entries(nodes || {}).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) {
    return h('span', { class: 'muted' }, '–');
  }
  return entries.map(([node, n]) => h('span', { class: 'tag mono', title: node }, `${shortId(node)} ×${int(n)}`));
}
