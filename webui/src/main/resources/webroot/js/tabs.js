// Tabs inside a view (WAI-ARIA tabs: a tablist of buttons, one tabpanel each, arrow keys move between tabs).
// The chosen tab goes into the page address as `tab=<id>` with history.replaceState: a link or a reload opens the
// same tab, and no hashchange fires, so the view is not rebuilt (nor its streams restarted) by switching.

import { h, uid } from './dom.js';

/**
 * tabs: [{id, label, content: Node, onShow(), onHide()}]; the first is the default. Returns {element, select(id)}.
 * The tab named by the address's `tab` parameter (ctx.query) opens first.
 */
export function tabView(ctx, label, tabs) {
  const base = uid('tab');
  const buttons = [];
  const panels = [];
  let current = null;

  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': label });
  tabs.forEach((tab, i) => {
    const button = h('button', {
      type: 'button', role: 'tab', id: `${base}-${tab.id}`, 'aria-controls': `${base}-${tab.id}-panel`,
      'aria-selected': 'false', tabindex: '-1', class: 'tab', dataset: { tab: tab.id },
    }, tab.label);
    button.addEventListener('click', () => select(tab.id, true));
    button.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (step || e.key === 'Home' || e.key === 'End') {
        e.preventDefault();
        const next = e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : (i + step + tabs.length) % tabs.length;
        select(tabs[next].id, true);
        buttons[next].focus();
      }
    });
    buttons.push(button);
    panels.push(h('div', { role: 'tabpanel', id: `${base}-${tab.id}-panel`, 'aria-labelledby': button.id, hidden: true,
      class: 'tab-panel' }, tab.content));
    tablist.append(button);
  });

  function select(id, remember) {
    const index = Math.max(0, tabs.findIndex((t) => t.id === id));
    if (current === index) {
      return;
    }
    if (current !== null) {
      tabs[current].onHide?.();
    }
    current = index;
    buttons.forEach((b, i) => {
      b.setAttribute('aria-selected', String(i === index));
      b.tabIndex = i === index ? 0 : -1;
    });
    panels.forEach((p, i) => {
      p.hidden = i !== index;
    });
    tabs[index].onShow?.();
    if (remember && ctx.alive) {
      rememberTab(index === 0 ? '' : tabs[index].id);
    }
  }

  select(ctx.query.get('tab') || tabs[0].id, false);
  return { element: h('div', { class: 'tab-view' }, tablist, panels), select };
}

/** Puts `tab=<id>` into the address (or takes it out for the default tab) without a hashchange. */
function rememberTab(id) {
  const raw = location.hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const pathPart = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  if (id) {
    query.set('tab', id);
  } else {
    query.delete('tab');
  }
  const text = query.toString();
  history.replaceState(history.state, '', `#${pathPart}${text ? '?' + text : ''}`);
}
