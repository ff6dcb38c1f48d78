// Live event stream: what GET /v1/events delivers (actor started/stopped/failed, node joined/left, job
// progress), newest first, filtered by realm and kind on this page. The page keeps one stream for all views;
// this view reads its buffer and appends as events arrive. No polling.

import { get } from '../api.js';
import { field, h, hashOf, replace, setText } from '../dom.js';
import { int, json, shortId, time } from '../format.js';
import { eventRealms } from '../sse.js';

const KINDS = [
  ['actor.started', 'Actor started'],
  ['actor.stopped', 'Actor stopped'],
  ['actor.failed', 'Actor failed'],
  ['node', 'Node joined/left'],
  ['job', 'Job progress'],
  ['deployment', 'Deployments'],
  ['other', 'Other'],
];
const SHOWN = 300;

function kindOf(type) {
  if (type === 'actor.started' || type === 'actor.stopped' || type === 'actor.failed') {
    return type;
  }
  if (type.startsWith('node.')) {
    return 'node';
  }
  if (type.startsWith('job.')) {
    return 'job';
  }
  if (type.startsWith('deployment.')) {
    return 'deployment';
  }
  return 'other';
}

/** One line about an event, a tone for its colour and a link to what it concerns. */
export function describeEvent(e) {
  const actors = Array.isArray(e.actors) ? e.actors : [];
  switch (e.type) {
    case 'actor.started':
    case 'actor.stopped': {
      const verb = e.type === 'actor.started' ? 'started' : 'stopped';
      const first = actors[0] || {};
      const cats = first.categories && first.categories.length ? first.categories.join(', ') : '';
      if (actors.length === 1) {
        return {
          text: `${first.id} (${first.class}) ${verb} in ${first.realm}/${cats} on ${shortId(e.node)}`,
          tone: verb === 'started' ? 'ok' : 'muted',
          href: verb === 'started'
            ? hashOf(['realms', first.realm, 'actors', first.id], { category: first.categories?.[0], node: first.node })
            : hashOf(['realms', first.realm]),
          linkText: verb === 'started' ? 'actor' : 'realm',
        };
      }
      const groups = new Set(actors.map((a) => `${a.realm}/${(a.categories || []).join(',')} (${a.class})`));
      return {
        text: `${int(actors.length)} actors ${verb} on ${shortId(e.node)}: ${[...groups].slice(0, 3).join('; ')}${groups.size > 3 ? '…' : ''}`,
        tone: verb === 'started' ? 'ok' : 'muted',
        href: first.realm ? hashOf(['realms', first.realm]) : null,
        linkText: 'realm',
      };
    }
    case 'actor.failed': {
      const error = e.error || {};
      return {
        text: `${e.actor} (${e.class || '?'}) in ${e.realm}/${(e.categories || []).join(', ')} failed on ${e.op}: ${error.code || ''} ${error.message || ''}`,
        tone: 'bad',
        href: e.realm && e.actor ? hashOf(['realms', e.realm, 'actors', e.actor], { category: e.categories?.[0], node: e.node }) : null,
        linkText: 'actor',
      };
    }
    case 'node.joined': {
      const info = e.info || {};
      return { text: `node ${shortId(info.id || e.node)} joined (${info.host || 'unknown host'})`, tone: 'ok', href: hashOf(['nodes', info.id || e.node]), linkText: 'node' };
    }
    case 'node.left':
      return { text: `node ${shortId(e.node)} left; ${int(e.actorsLost || 0)} actors lost (seen by ${shortId(e.reportedBy)})`, tone: 'bad', href: hashOf(['nodes']), linkText: 'nodes' };
    case 'job.progress': {
      const total = e.total >= 0 ? int(e.total) : '?';
      return { text: `job ${e.job} ${e.state}: ${int(e.done)} done, ${int(e.failed)} failed of ${total}`, tone: e.state === 'failed' ? 'bad' : 'muted', href: '#/jobs', linkText: 'jobs' };
    }
    case 'deployment.applied':
    case 'deployment.scaled':
    case 'deployment.removed':
    case 'deployment.progressing':
    case 'deployment.available':
    case 'deployment.degraded':
    case 'deployment.failed':
    case 'deployment.restarting':
    case 'deployment.crashloop':
      return describeDeployment(e);
    case 'stream.dropped':
      return { text: `${int(e.dropped)} events were dropped (this page read too slowly); views reloaded`, tone: 'warn' };
    default:
      return { text: `${e.type} from ${shortId(e.node)}`, tone: 'muted' };
  }
}

function describeDeployment(e) {
  const what = e.type.slice('deployment.'.length);
  const counts = e.desired !== undefined ? `: ${int(e.actual)} of ${int(e.desired)} running` : '';
  const error = e.lastError || e.error;
  const why = error && error.message ? ` (${error.message})` : e.message ? ` (${e.message})` : '';
  const scaled = e.instances !== undefined ? ` to ${int(e.instances)} instances` : e.perNode !== undefined ? ` to ${int(e.perNode)} per node` : '';
  const restarting = what === 'restarting' ? ` instance ${e.instance} in ${int(e.delayMs)} ms after ${e.reason}` : '';
  const tone = what === 'failed' || what === 'crashloop' ? 'bad' : what === 'degraded' || what === 'restarting' ? 'warn'
    : what === 'available' ? 'ok' : 'muted';
  return {
    text: `deployment ${e.name} ${what}${scaled}${restarting}${counts}${why}`,
    tone,
    href: what === 'removed' ? '#/deployments' : hashOf(['deployments', e.name]),
    linkText: 'deployment',
  };
}

export function render(ctx) {
  const realmSelect = h('select', { name: 'realm' }, h('option', { value: '' }, 'All realms'));
  const kindBoxes = KINDS.map(([value, label]) => {
    const box = h('input', { type: 'checkbox', name: 'kind', value, checked: true });
    return { value, box, element: h('label', { class: 'check' }, box, ' ', label) };
  });
  const pause = h('button', { type: 'button', class: 'ghost', 'aria-pressed': 'false' }, 'Pause');
  const clear = h('button', { type: 'button', class: 'ghost' }, 'Clear');
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  const list = h('ol', { class: 'event-list', 'aria-label': 'Events, newest first' });
  let paused = false;
  let since = 0; // events before this index of the buffer were cleared
  let missed = 0;

  const realms = new Set();
  const addRealm = (name) => {
    if (name && !realms.has(name)) {
      realms.add(name);
      realmSelect.append(h('option', { value: name }, name));
    }
  };
  get('/v1/realms', { signal: ctx.signal }).then((rs) => rs.forEach((r) => addRealm(r.name))).catch(() => {});

  const wanted = (e) => {
    if (e.type === 'node.stats') {
      return false;
    }
    const kinds = new Set(kindBoxes.filter((k) => k.box.checked).map((k) => k.value));
    if (!kinds.has(kindOf(e.type))) {
      return false;
    }
    const realm = realmSelect.value;
    if (realm) {
      const rs = eventRealms(e);
      // Cluster-wide events (nodes) concern every realm.
      return rs.size === 0 || rs.has(realm);
    }
    return true;
  };

  const redraw = () => {
    const events = ctx.stream.recent.slice(since).filter(wanted).reverse().slice(0, SHOWN);
    replace(list, events.length ? events.map(item) : h('li', { class: 'muted empty' }, 'No events match. They appear here as they happen.'));
    missed = 0;
    updateCount();
  };
  const updateCount = () => {
    setText(count, `${int(Math.min(list.querySelectorAll('li.event').length, SHOWN))} shown${missed ? ` · ${int(missed)} new while paused` : ''}`);
  };

  realmSelect.addEventListener('change', redraw);
  kindBoxes.forEach((k) => k.box.addEventListener('change', redraw));
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    setText(pause, paused ? 'Resume' : 'Pause');
    if (!paused) {
      redraw();
    }
  });
  clear.addEventListener('click', () => {
    since = ctx.stream.recent.length;
    redraw();
  });

  ctx.onEvent((e) => {
    eventRealms(e).forEach(addRealm);
    if (!wanted(e)) {
      return;
    }
    if (paused) {
      missed += 1;
      updateCount();
      return;
    }
    const empty = list.querySelector('li.empty');
    if (empty) {
      empty.remove();
    }
    list.prepend(item(e));
    while (list.children.length > SHOWN) {
      list.lastElementChild.remove();
    }
    updateCount();
  });

  const view = h('section', { class: 'view' },
    h('div', { class: 'view-head' },
      h('h1', null, 'Events'),
      h('p', { class: 'muted' }, 'Live from GET /v1/events since this page opened (the last 1,000 are kept).')),
    h('form', { class: 'toolbar', 'aria-label': 'Event filters', on: { submit: (e) => e.preventDefault() } },
      field('Realm', realmSelect),
      h('fieldset', { class: 'kinds' }, h('legend', null, 'Kinds'), kindBoxes.map((k) => k.element)),
      h('div', { class: 'toolbar-actions' }, pause, clear, count)),
    h('section', { class: 'panel' }, list));
  redraw();
  return view;
}

function item(e) {
  const d = describeEvent(e);
  return h('li', { class: ['event', d.tone] },
    h('time', { datetime: new Date(e.time || Date.now()).toISOString() }, time(e.time)),
    h('span', { class: 'event-type' }, e.type),
    h('span', { class: 'event-text' }, d.text),
    d.href ? h('a', { href: d.href, class: 'small' }, d.linkText || 'open') : null,
    h('details', { class: 'event-json' }, h('summary', null, 'JSON'), h('pre', null, json(e))));
}
