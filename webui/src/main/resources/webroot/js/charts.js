// Small live trend charts on uPlot (vendor/uplot, MIT). A History keeps the last few minutes of one figure;
// a Trend draws one or more histories. Colours come from the page's CSS variables, so charts follow the
// light/dark setting.

import uPlot from '../vendor/uplot/uPlot.esm.js';

/** About 6 minutes of samples at one per 2 s. */
const MAX_POINTS = 180;

/** A sampled figure over time; a null value marks a gap (e.g. the view was closed). */
export class History {
  constructor(max = MAX_POINTS) {
    this.max = max;
    this.t = [];
    this.v = [];
  }

  push(timeMs, value) {
    const t = timeMs / 1000;
    const last = this.t[this.t.length - 1];
    if (last !== undefined && t - last > 30) {
      // Long pause (view closed, tab hidden): break the line instead of drawing a false slope.
      this.t.push((last + t) / 2);
      this.v.push(null);
    }
    this.t.push(t);
    this.v.push(value === undefined || Number.isNaN(value) ? null : value);
    if (this.t.length > this.max) {
      this.t.splice(0, this.t.length - this.max);
      this.v.splice(0, this.v.length - this.max);
    }
  }

  get last() {
    return this.v.length ? this.v[this.v.length - 1] : null;
  }
}

function cssVar(name, fallback) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/**
 * A trend chart. `spark: true` draws a bare line (cards); otherwise axes and a legend.
 * `series`: [{label, history, color (CSS variable name), format(value)}].
 */
export class Trend {
  constructor(container, { series, height = 44, spark = false, yMin = 0, yMax = null, label }) {
    this.container = container;
    this.series = series;
    this.spark = spark;
    this.container.classList.add(spark ? 'spark' : 'trend');
    this.container.setAttribute('role', 'img');
    if (label) {
      this.container.setAttribute('aria-label', label);
    }
    const text = cssVar('--muted', '#666');
    const grid = cssVar('--grid', 'rgba(128,128,128,.15)');
    const opts = {
      width: Math.max(80, container.clientWidth || 200),
      height,
      // No legend: each chart has a heading that carries the latest value (see `update`).
      legend: { show: false },
      cursor: spark ? { show: false } : { drag: { x: false, y: false } },
      select: { show: false },
      padding: spark ? [2, 0, 2, 0] : [8, 8, 0, 0],
      scales: {
        x: { time: true },
        y: {
          range: (u, min, max) => {
            const lo = yMin === null ? min : Math.min(yMin, min);
            let hi = yMax === null ? max : yMax;
            if (!(hi > lo)) {
              hi = lo + 1;
            }
            return [lo, yMax === null ? hi * (spark ? 1.3 : 1.1) : hi];
          },
        },
      },
      axes: spark ? [{ show: false }, { show: false }] : [
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          space: 70,
          values: (u, vals) => vals.map((v) => new Date(v * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })),
        },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          size: 76,
          values: (u, vals) => vals.map((v) => (series[0].format ? series[0].format(v) : String(v))),
        },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: cssVar(s.color || '--accent', '#0e6e8c'),
          width: spark ? 1.5 : 2,
          fill: spark ? undefined : cssVar((s.color || '--accent') + '-fill', 'rgba(14,110,140,.12)'),
          points: { show: false },
          spanGaps: false,
          value: (u, v) => (v === null || v === undefined ? '–' : s.format ? s.format(v) : String(v)),
        })),
      ],
    };
    this.plot = new uPlot(opts, this.data(), container);
    this.resizer = new ResizeObserver(() => {
      const w = container.clientWidth;
      if (w > 0 && Math.abs(w - this.plot.width) > 2) {
        this.plot.setSize({ width: w, height });
      }
    });
    this.resizer.observe(container);
  }

  data() {
    const base = this.series[0].history;
    return [base.t.slice(), ...this.series.map((s) => s.history.v.slice())];
  }

  update() {
    this.plot.setData(this.data());
    for (const s of this.series) {
      if (s.valueEl) {
        const v = s.history.last;
        s.valueEl.textContent = v === null || v === undefined ? '–' : s.format ? s.format(v) : String(v);
      }
    }
  }

  destroy() {
    this.resizer.disconnect();
    this.plot.destroy();
  }
}
