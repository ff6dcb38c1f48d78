// Deployments: desired state (GET /v1/deployments) against what runs — desired and actual counts, where the actors
// run, the state the leader reports (progressing | available | degraded | failed), restarts and the last error — with a
// Scale and a rolling Restart per deployment, each behind a confirmation. Refreshed every 2 s like the other views and
// early on deployment.* events (a realm token's event stream carries none of those: the poll still is).

import { api, get, path } from '../api.js';
import { h, hashOf, link, replace, setText } from '../dom.js';
import { errorName, int, iso, json, plural, shortId, time } from '../format.js';
import { PagedTable, perNode } from '../table.js';

/** Worst first: the order of the list and of the overview's "needs attention" block. */
const STATE_ORDER = { failed: 0, degraded: 1, progressing: 2, available: 3 };
const STATE_BADGE = { failed: 'badge err', degraded: 'badge warn', progressing: 'badge info', available: 'badge ok' };

/** True for the states a person should look at. */
export function needsAttention(status) {
  return status.state === 'failed' || status.state === 'degraded';
}

/** Failed, then degraded, progressing, available; by name within a state. */
export function byUrgency(a, b) {
  return (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) || String(a.name).localeCompare(String(b.name));
}

export function deploymentState(state) {
  const text = String(state || 'unknown');
  return h('span', { class: ['state', STATE_BADGE[text] || 'badge'], dataset: { state: text } }, text);
}

/** "code NAME: message" of a lastError ({code, message, ...}), or ''. */
export function errorText(error) {
  if (!error || typeof error !== 'object') {
    return '';
  }
  return `${error.code ?? ''} ${error.code ? errorName(error.code) : ''}: ${error.message ?? ''}`.trim();
}

/** A per-node deployment scales perNode (actors on each matching node), the others instances. */
function countOf(status) {
  const d = status.deployment || {};
  const perNodeCount = Number.isInteger(d.perNode) && d.perNode > 0;
  return { perNode: perNodeCount, count: perNodeCount ? d.perNode : (d.instances ?? status.desired ?? 0) };
}

function categoriesOf(status) {
  const c = status.deployment?.categories;
  return Array.isArray(c) ? c.map(String) : c ? [String(c)] : [];
}

/**
 * Number field + Scale button: POST /v1/deployments/{name}/scale {"count": N} after a confirmation. The gateway
 * judges the count (400 with its reason for a negative one or one over the quota): its message is shown, not guessed here.
 */
function scaleControl(ctx, status, report) {
  const { perNode: isPerNode, count } = countOf(status);
  const unit = isPerNode ? 'per node' : 'instances';
  const input = h('input', { type: 'number', step: 1, value: String(count), class: 'count', inputmode: 'numeric',
    'aria-label': `New ${isPerNode ? 'per-node count' : 'instance count'} of deployment ${status.name}` });
  const button = h('button', { type: 'submit', class: 'ghost small', 'aria-label': `Scale deployment ${status.name}` }, 'Scale');
  // The unit is said only for per-node deployments, where the count is not the total: the table stays narrow.
  const form = h('form', { class: 'inline-form', novalidate: true, title: `Scale to this many ${unit}` },
    input, isPerNode ? h('span', { class: 'muted small' }, unit) : null, button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) {
      report(status.name, 'Scale', { status: 0, message: `'${text}' is not a number: type how many ${unit}` });
      input.focus();
      return;
    }
    const ok = await ctx.confirm(`Scale deployment ${status.name} (realm ${status.deployment?.realm}) from ${int(count)} to `
      + `${int(n)} ${unit}? ${n < count ? 'The newest actors stop first.' : 'The leader starts the missing actors.'}`, 'Scale');
    if (!ok) {
      input.value = String(count);
      return;
    }
    button.disabled = true;
    try {
      const { data } = await api('POST', path(['v1', 'deployments', status.name, 'scale']), { body: { count: n } });
      report(status.name, 'Scale', null, `Deployment ${status.name} now wants ${int(data?.desired ?? n)} actors`);
      ctx.refreshSoon();
    } catch (err) {
      if (err?.name !== 'AbortError') {
        report(status.name, 'Scale', err);
      }
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** Rolling restart (POST /v1/deployments/{name}/restart), one actor at a time, after a confirmation. */
function restartButton(ctx, status, report) {
  const button = h('button', { type: 'button', class: 'ghost small', 'aria-label': `Restart deployment ${status.name}` }, 'Restart');
  button.addEventListener('click', async () => {
    const cats = categoriesOf(status).join(', ');
    const ok = await ctx.confirm(`Restart deployment ${status.name}? Each of its actors (categories ${cats}, realm `
      + `${status.deployment?.realm}) is replaced, one at a time, with the realm's current code: a new one starts before `
      + 'each old one stops. Other deployments and actors in those categories are left alone.', 'Restart');
    if (!ok) {
      return;
    }
    button.disabled = true;
    setText(button, 'Restarting…');
    try {
      // The gateway answers at once with the bumped restart revision; the leader then rolls the actors.
      const { data } = await api('POST', path(['v1', 'deployments', status.name, 'restart']));
      report(status.name, 'Restart', null, `Rolling restart ${data?.restartRevision ?? ''} of deployment ${status.name} `
        + 'started: its actors are replaced one at a time');
      ctx.refreshSoon();
    } catch (err) {
      if (err?.name !== 'AbortError') {
        report(status.name, 'Restart', err);
      }
    } finally {
      button.disabled = false;
      setText(button, 'Restart');
    }
  });
  return button;
}

/**
 * How the result of an action reaches the person: success as a toast; a failure (the gateway's 4xx/5xx message) as a
 * toast and in the view's alert line, which stays until the next action so it cannot be missed.
 */
function reporter(ctx, alert) {
  return (name, action, error, success) => {
    if (!error) {
      alert.hidden = true;
      ctx.toast(success);
      return;
    }
    const status = error.status ? `${error.status} ${errorName(error.status)}: ` : '';
    const message = `${action} of ${name} failed: ${status}${error.message || error}`;
    replace(alert, message);
    alert.hidden = false;
    ctx.toast(message, 'error');
  };
}

function refreshOnEvents(ctx) {
  ctx.onEvent((e) => {
    if (e.type.startsWith('deployment.') || e.type === 'actor.exited' || e.type === 'node.left' || e.type === 'node.joined'
      || e.type === 'node.draining') {
      ctx.refreshSoon();
    }
  });
}

export function renderList(ctx) {
  const alert = h('p', { class: 'banner', role: 'alert', hidden: true });
  const report = reporter(ctx, alert);
  const summary = h('p', { class: 'muted' }, 'Reading the deployments…');
  const table = new PagedTable([
    { key: 'name', label: 'Deployment', value: (s) => s.name, render: (s) => link(['deployments', s.name], s.name, { class: 'mono' }) },
    { key: 'what', label: 'Realm: class → categories', wrap: true,
      value: (s) => `${s.deployment?.realm}: ${s.deployment?.class} → ${categoriesOf(s).join(', ')}`,
      render: (s) => [link(['realms', s.deployment?.realm], s.deployment?.realm || '–'), ': ',
        h('span', { class: 'mono' }, s.deployment?.class || '–'), ' → ',
        categoriesOf(s).map((c, i) => [i ? ', ' : '', link(['realms', s.deployment?.realm, 'categories', c], c)])] },
    { key: 'state', label: 'State', wrap: true, value: (s) => `${s.state}|${s.message || ''}`,
      render: (s) => [deploymentState(s.state), s.message && s.state !== 'available' ? h('div', { class: 'muted small' }, s.message) : null] },
    { key: 'desired', label: 'Desired', num: true, value: (s) => int(s.desired) },
    { key: 'actual', label: 'Actual', num: true, value: (s) => int(s.actual),
      render: (s) => (s.actual < s.desired ? h('span', { class: 'bad' }, int(s.actual)) : int(s.actual)) },
    { key: 'nodes', label: 'Per node', value: (s) => JSON.stringify(s.perNode || {}), render: (s) => perNode(s.perNode) },
    { key: 'restarts', label: 'Restarts', num: true, value: (s) => int(s.restarts) },
    { key: 'error', label: 'Last error', wrap: true, value: (s) => errorText(s.lastError) || '–',
      render: (s) => (s.lastError ? h('span', { class: 'bad' }, errorText(s.lastError)) : '–') },
    // Rebuilt only when the count changes, so a number being typed survives the 2 s refresh.
    { key: 'actions', label: 'Actions', value: (s) => `${s.name}|${countOf(s).count}|${s.deployment?.realm}|${categoriesOf(s)}`,
      render: (s) => h('div', { class: 'row-actions' }, scaleControl(ctx, s, report), restartButton(ctx, s, report)) },
  ], { caption: 'Deployments', empty: 'No deployments. Apply one with PUT /v1/deployments/{name} or bin/beach apply.',
    rowKey: (s) => s.name });

  refreshOnEvents(ctx);
  ctx.every(async (signal) => {
    const list = await get('/v1/deployments', { signal });
    if (!ctx.alive) {
      return;
    }
    const sorted = list.slice().sort(byUrgency);
    table.setRows(sorted);
    const bad = sorted.filter(needsAttention).length;
    setText(summary, `${plural(sorted.length, 'deployment')}${bad ? ` · ${int(bad)} need attention` : ''} · updated ${time(Date.now())}`);
  });

  return h('section', { class: 'view' },
    h('div', { class: 'view-head' },
      h('h1', null, 'Deployments'),
      summary),
    h('p', { class: 'muted small lead' }, 'Desired state the cluster keeps running: the leader starts, moves and replaces actors until the ',
      'actual count matches the desired one. Failed and degraded deployments come first.'),
    alert,
    h('section', { class: 'panel deployments-table' }, table.element));
}

export function renderDetail(ctx) {
  const [name] = ctx.params;
  const alert = h('p', { class: 'banner', role: 'alert', hidden: true });
  const report = reporter(ctx, alert);
  const head = h('div', { class: 'head-actions' });
  const state = h('div', { class: 'deployment-state' });
  const stats = h('div', { class: 'stat-wrap' });
  const facts = h('dl', { class: 'facts' });
  const lastError = h('div', null, h('p', { class: 'muted' }, 'None.'));
  const record = h('pre', { class: 'reply' });
  const nodes = new PagedTable([
    { key: 'node', label: 'Node', value: (r) => r.node, render: (r) => link(['nodes', r.node], shortId(r.node), { class: 'mono', title: r.node }) },
    { key: 'actors', label: 'Actors', num: true, value: (r) => int(r.actors) },
  ], { caption: `Actors of deployment ${name} by node`, empty: 'No actor of this deployment runs.', rowKey: (r) => r.node });
  let headKey = null;

  refreshOnEvents(ctx);
  ctx.every(async (signal) => {
    const s = await get(path(['v1', 'deployments', name]), { signal });
    if (!ctx.alive) {
      return;
    }
    const d = s.deployment || {};
    // The controls are rebuilt only when what they act on changes, so a count being typed is kept.
    const key = `${countOf(s).count}|${d.realm}|${categoriesOf(s)}`;
    if (key !== headKey) {
      headKey = key;
      replace(head, scaleControl(ctx, s, report), restartButton(ctx, s, report));
    }
    replace(state, deploymentState(s.state), s.message ? h('span', { class: 'muted' }, ' ', s.message) : null,
      h('span', { class: 'muted small' }, ` · updated ${time(s.updatedAt)}`));
    replace(stats, h('dl', { class: 'stat-row' },
      [['Desired', int(s.desired)], ['Actual', int(s.actual)], ['Restarts', int(s.restarts)]]
        .map(([label, value]) => h('div', null, h('dt', null, label), h('dd', { class: label === 'Actual' && s.actual < s.desired ? 'bad' : null }, value)))));
    const { perNode: isPerNode, count } = countOf(s);
    replace(facts,
      fact('Realm', link(['realms', d.realm], d.realm || '–')),
      fact('Class', h('span', { class: 'mono' }, d.class || '–')),
      fact('Categories', categoriesOf(s).map((c, i) => [i ? ', ' : '', link(['realms', d.realm, 'categories', c], c)])),
      fact(isPerNode ? 'Per node' : 'Instances', int(count)),
      fact('Strategy', [d.strategy || '–', d.hint ? ` (${d.hint})` : '']),
      fact('Restart policy', `${d.restart || '–'}; at most ${int(d.maxRestarts)} restarts in ${int(d.windowMs)} ms, backoff `
        + `${int(d.backoff?.initialMs)}–${int(d.backoff?.maxMs)} ms`),
      fact('Updated', h('time', { datetime: iso(s.updatedAt) }, time(s.updatedAt))));
    replace(lastError, s.lastError
      ? h('div', { class: 'result error' },
        h('p', { class: 'result-head' }, h('span', { class: 'badge err' }, String(s.lastError.code ?? '?')), ' ', h('strong', null, errorName(s.lastError.code))),
        h('p', { class: 'error-message' }, String(s.lastError.message ?? '')),
        s.lastError.details && Object.keys(s.lastError.details).length
          ? h('details', null, h('summary', null, 'Details'), h('pre', null, json(s.lastError.details))) : null)
      : h('p', { class: 'muted' }, 'None.'));
    nodes.setRows(Object.entries(s.perNode || {}).map(([node, actors]) => ({ node, actors })).sort((a, b) => b.actors - a.actors));
    setText(record, json(d));
  });

  return h('section', { class: 'view' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, link(['deployments'], 'Deployments'), ' › ', h('span', { class: 'mono' }, name)),
    h('div', { class: 'view-head' },
      h('h1', null, 'Deployment ', h('span', { class: 'mono' }, name)),
      head),
    alert,
    state,
    stats,
    h('div', { class: 'columns' },
      h('section', { class: 'panel', 'aria-labelledby': 'dep-facts' }, h('h2', { id: 'dep-facts' }, 'Desired state'), facts,
        h('details', null, h('summary', null, 'The record (private params left out)'), record)),
      h('section', { class: 'panel', 'aria-labelledby': 'dep-nodes' }, h('h2', { id: 'dep-nodes' }, 'Per node'), nodes.element)),
    h('section', { class: 'panel', 'aria-labelledby': 'dep-error' }, h('h2', { id: 'dep-error' }, 'Last error'), lastError));
}

function fact(label, value) {
  return [h('dt', null, label), h('dd', null, value)];
}

/** `#/deployments/{name}` */
export function deploymentHref(name) {
  return hashOf(['deployments', name]);
}
