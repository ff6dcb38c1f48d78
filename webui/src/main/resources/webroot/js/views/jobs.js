// Jobs (the compute issue's map/stream jobs): GET /v1/jobs when the gateway has it, with progress bars kept
// live by job.progress events ({job, node, state, done, failed, total, rate, elapsedMs}). The section is
// shown only when the gateway's OpenAPI spec lists GET /v1/jobs.

import { get } from '../api.js';
import { h, setText } from '../dom.js';
import { duration, int, num, shortId, time } from '../format.js';
import { PagedTable } from '../table.js';

function progress(job) {
  const total = job.total;
  const finished = (job.done || 0) + (job.failed || 0);
  const fraction = total > 0 ? Math.min(1, finished / total) : null;
  const label = total > 0 ? `${int(finished)} of ${int(total)}` : `${int(finished)} so far`;
  const bar = h('progress', { max: total > 0 ? total : null, value: total > 0 ? finished : null, 'aria-label': `Progress: ${label}` });
  return h('span', { class: 'progress-cell' }, bar, h('span', { class: 'small' }, fraction === null ? label : `${label} (${Math.floor(fraction * 100)} %)`));
}

/** The jobs list may be an array or {jobs: [...]}; ids may be `id` or `job`. */
function normalise(data) {
  const list = Array.isArray(data) ? data : (data && Array.isArray(data.jobs) ? data.jobs : []);
  return list.map((j) => ({ ...j, id: j.id ?? j.job }));
}

export function render(ctx) {
  const jobs = new Map();
  const summary = h('p', { class: 'muted' }, 'Reading jobs…');
  const table = new PagedTable([
    { key: 'id', label: 'Job', value: (j) => String(j.id), render: (j) => h('span', { class: 'mono' }, String(j.id)) },
    { key: 'where', label: 'Target', value: (j) => [j.realm, j.category, j.op].filter(Boolean).join('/') || '–' },
    { key: 'state', label: 'State', value: (j) => j.state || '?',
      render: (j) => h('span', { class: ['badge', j.state === 'running' ? 'warn' : j.state === 'succeeded' ? 'ok' : 'err'] }, j.state || '?') },
    { key: 'progress', label: 'Progress', value: (j) => `${j.done}|${j.failed}|${j.total}`, render: progress },
    { key: 'failed', label: 'Failed', num: true, value: (j) => int(j.failed) },
    { key: 'rate', label: 'Items/s', num: true, value: (j) => num(j.rate) },
    { key: 'elapsed', label: 'Elapsed', num: true, value: (j) => duration(j.elapsedMs) },
    { key: 'node', label: 'Node', value: (j) => shortId(j.node) },
  ], { caption: 'Jobs', empty: 'No jobs.', sortKey: 'id' });

  const show = () => {
    table.setRows([...jobs.values()].reverse());
    const running = [...jobs.values()].filter((j) => j.state === 'running').length;
    setText(summary, `${int(jobs.size)} jobs, ${int(running)} running · updated ${time(Date.now())}`);
  };
  ctx.onEvent((e) => {
    if (e.type === 'job.progress' && e.job) {
      jobs.set(e.job, { ...(jobs.get(e.job) || {}), ...e, id: e.job });
      show();
    }
  });
  ctx.every(async (signal) => {
    const list = normalise(await get('/v1/jobs', { signal }));
    for (const j of list) {
      jobs.set(j.id, { ...(jobs.get(j.id) || {}), ...j });
    }
    show();
  });
  return h('section', { class: 'view' },
    h('div', { class: 'view-head' }, h('h1', null, 'Jobs'), summary),
    h('section', { class: 'panel' }, table.element));
}
