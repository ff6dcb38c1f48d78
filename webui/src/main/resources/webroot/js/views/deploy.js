// Deploy form: POST /v1/realms/{realm}/actors with {class, categories, instances, strategy, hint,
// concurrency, params} → 201 {ids}. Names are checked here with the same rules as the gateway so most
// mistakes are caught before a request; the gateway's answer (or typed error) is shown either way.

import { api, get, path } from '../api.js';
import { field, h, hashOf, link, replace, uid } from '../dom.js';
import { errorName, int } from '../format.js';

const REALM = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const CATEGORY = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;
const CLASS = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;

const STRATEGIES = [
  ['random', 'random — any node', null],
  ['roundrobin', 'roundrobin — nodes in turn', null],
  ['least-loaded', 'least-loaded — lowest CPU + heap', null],
  ['spread', 'spread — one per node', null],
  ['local', 'local — the gateway\u2019s node', null],
  ['affinity', 'affinity — nodes that host a category', 'Category to be near'],
  ['repulsion', 'repulsion — fewest of a category', 'Category to avoid'],
  ['node', 'node — one node by id, host or tag', 'Node id, host or tag'],
];

export function render(ctx) {
  const q = ctx.query;
  const realmList = uid('realms');
  const classList = uid('classes');
  const realm = h('input', { name: 'realm', required: true, value: q.get('realm') || 'global', list: realmList, autocomplete: 'off', spellcheck: 'false' });
  const cls = h('input', { name: 'class', required: true, value: q.get('class') || '', list: classList, autocomplete: 'off', spellcheck: 'false', placeholder: 'Echo or com.example.Worker' });
  const categories = h('input', { name: 'categories', required: true, value: q.get('category') || '', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. echo, analytics.ingest' });
  const instances = h('input', { name: 'instances', type: 'number', min: 1, max: 100000, step: 1, value: '1', required: true, inputmode: 'numeric' });
  const strategy = h('select', { name: 'strategy' }, STRATEGIES.map(([v, label]) => h('option', { value: v }, label)));
  const hint = h('input', { name: 'hint', autocomplete: 'off', spellcheck: 'false', disabled: true, placeholder: 'not needed for this strategy' });
  const concurrency = h('input', { name: 'concurrency', type: 'number', min: 1, max: 10000, step: 1, value: '1', inputmode: 'numeric' });
  const params = h('textarea', { name: 'params', rows: 4, spellcheck: 'false', class: 'mono' });
  params.value = '{}';
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Deploy');
  const result = h('div', { class: 'console-output', 'aria-live': 'polite' });
  const realms = h('datalist', { id: realmList });
  const classes = h('datalist', { id: classList });
  const hintField = field('Hint', hint, 'Only for affinity, repulsion and node');
  const hintLabel = hintField.querySelector('label');

  const onStrategy = () => {
    const s = STRATEGIES.find(([v]) => v === strategy.value);
    const needs = Boolean(s && s[2]);
    hint.disabled = !needs;
    hint.required = needs;
    hintLabel.textContent = needs ? s[2] : 'Hint';
    hint.placeholder = needs ? (strategy.value === 'node' ? 'e.g. gpu or 10.0.0.5' : 'e.g. echo') : 'not needed for this strategy';
  };
  strategy.addEventListener('change', onStrategy);

  get('/v1/realms', { signal: ctx.signal })
    .then((rs) => replace(realms, rs.map((r) => h('option', { value: r.name }))))
    .catch(() => {});
  let classTimer = null;
  const loadClasses = () => {
    clearTimeout(classTimer);
    classTimer = setTimeout(async () => {
      const name = realm.value.trim();
      if (!REALM.test(name)) {
        return;
      }
      try {
        const files = await get(path(['v1', 'realms', name, 'code']), { signal: ctx.signal });
        replace(classes, (files || []).map((f) => (typeof f === 'string' ? f : f.file))
          .filter((f) => f && f.endsWith('.java')).map((f) => h('option', { value: f.replace(/\.java$/, '') })));
      } catch {
        replace(classes); // a new realm has no code yet: nothing to suggest
      }
    }, 400);
  };
  realm.addEventListener('input', loadClasses);
  loadClasses();

  const invalid = (control, message) => {
    control.setAttribute('aria-invalid', 'true');
    replace(result, h('div', { class: 'result error', role: 'alert' }, h('p', null, message)));
    control.focus();
    return null;
  };

  const read = () => {
    form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    const r = realm.value.trim();
    if (!REALM.test(r)) {
      return invalid(realm, 'Realm must match [a-z0-9][a-z0-9_-]{0,62}.');
    }
    const c = cls.value.trim();
    if (!CLASS.test(c)) {
      return invalid(cls, 'Class must be a Java class name such as Echo or com.example.Worker.');
    }
    const cats = categories.value.split(',').map((s) => s.trim()).filter(Boolean);
    if (cats.length === 0 || !cats.every((x) => CATEGORY.test(x))) {
      return invalid(categories, 'Give at least one category; each is dot-separated segments of [a-z0-9_-]+ (e.g. analytics.ingest).');
    }
    const n = Number(instances.value);
    if (!Number.isInteger(n) || n < 1 || n > 100000) {
      return invalid(instances, 'Instances must be a whole number from 1 to 100,000.');
    }
    const conc = Number(concurrency.value || 1);
    if (!Number.isInteger(conc) || conc < 1 || conc > 10000) {
      return invalid(concurrency, 'Concurrency must be a whole number from 1 to 10,000.');
    }
    let p;
    try {
      p = params.value.trim() ? JSON.parse(params.value) : {};
    } catch (e) {
      return invalid(params, `Params are not valid JSON: ${e.message}`);
    }
    if (!p || typeof p !== 'object' || Array.isArray(p)) {
      return invalid(params, 'Params must be a JSON object, e.g. {"start": 10}.');
    }
    if (!hint.disabled && !hint.value.trim()) {
      return invalid(hint, `The ${strategy.value} strategy needs a hint: ${hintLabel.textContent.toLowerCase()}.`);
    }
    const body = { class: c, categories: cats, instances: n, strategy: strategy.value, concurrency: conc, params: p };
    if (!hint.disabled) {
      body.hint = hint.value.trim();
    }
    return { realm: r, body };
  };

  const form = h('form', { class: 'deploy', novalidate: true, 'aria-label': 'Deploy actors' },
    h('div', { class: 'grid-fields' },
      field('Realm', realm, 'Created when the first actor is deployed'),
      field('Class', cls, 'A .java file of the realm\u2019s code, or a class in one of its jars'),
      field('Categories', categories, 'Comma-separated'),
      field('Instances', instances),
      field('Strategy', strategy),
      hintField,
      field('Concurrency', concurrency, 'Requests one actor handles at once')),
    field('Params (JSON object)', params, 'Keys starting with _ are private: no API shows them'),
    h('div', { class: 'actions' }, submit),
    realms, classes,
    result);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const spec = read();
    if (!spec) {
      return;
    }
    submit.disabled = true;
    replace(result, h('p', { class: 'muted' }, `Deploying ${spec.body.instances} × ${spec.body.class}…`));
    try {
      const { data } = await api('POST', path(['v1', 'realms', spec.realm, 'actors']), { body: spec.body });
      const ids = (data && data.ids) || [];
      const category = spec.body.categories[0];
      replace(result, h('div', { class: 'result ok', role: 'status' },
        h('p', { class: 'result-head' }, h('span', { class: 'badge ok' }, '201'), ' ',
          `Deployed ${int(ids.length)} ${ids.length === 1 ? 'actor' : 'actors'} of ${spec.body.class} in ${spec.realm}/${spec.body.categories.join(', ')}`),
        h('ul', { class: 'ids' }, ids.slice(0, 20).map((id) => h('li', null,
          h('a', { class: 'mono', href: hashOf(['realms', spec.realm, 'actors', id], { category }) }, id)))),
        ids.length > 20 ? h('p', { class: 'muted' }, `and ${int(ids.length - 20)} more`) : null,
        h('p', null, link(['realms', spec.realm, 'categories', category], `Open category ${category}`), ' · ',
          link(['realms', spec.realm], `Open realm ${spec.realm}`))));
      ctx.toast(`Deployed ${int(ids.length)} × ${spec.body.class}`);
    } catch (err) {
      if (err.name === 'AbortError') {
        return;
      }
      replace(result, h('div', { class: 'result error', role: 'alert' },
        h('p', { class: 'result-head' }, h('span', { class: 'badge err' }, String(err.status || 'network')), ' ', h('strong', null, errorName(err.status))),
        h('p', { class: 'error-message' }, err.message)));
    } finally {
      submit.disabled = false;
    }
  });

  onStrategy();
  return h('section', { class: 'view' },
    h('div', { class: 'view-head' },
      h('h1', null, 'Deploy actors'),
      h('p', { class: 'muted' }, 'Start actors of a class from a realm\u2019s code. They appear in the realm\u2019s views as soon as they start.')),
    h('section', { class: 'panel' }, form));
}
