// Console: a request to any category of any realm, with the realm and category typed in. The category and
// actor views embed the same console with their target fixed.

import { get, path } from '../api.js';
import { h, replace, uid } from '../dom.js';
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

  // Reached from a log line's trace id: say which trace, so the request can be sent again and compared.
  const trace = ctx.query.get('trace');
  return h('section', { class: 'view' },
    trace ? h('p', { class: 'banner', role: 'status' }, 'From a log line of trace ', h('code', null, trace),
      '. Send its request again from here to follow it through the cluster.') : null,
    h('div', { class: 'view-head' },
      h('h1', null, 'Console'),
      h('p', { class: 'muted' }, 'Send a request to a category and see the reply or the typed error. ',
        'Mode all gathers every actor\u2019s answer; broadcast and shoot do not wait for replies.')),
    h('section', { class: 'panel' }, c.element, realms, categories));
}
