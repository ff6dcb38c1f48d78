// Number, time and size formatting for tables and cards. Figures use one locale (the browser's) so
// columns line up; missing values show as an en dash rather than 0, which would be a claim.

const DASH = '–';
const intFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const twoFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

function missing(n) {
  return n === null || n === undefined || Number.isNaN(n);
}

export function int(n) {
  return missing(n) ? DASH : intFmt.format(n);
}

/** A rate or small figure: two decimals below 10, one below 100, none above. */
export function num(n) {
  if (missing(n)) {
    return DASH;
  }
  const a = Math.abs(n);
  return a < 10 ? twoFmt.format(n) : a < 100 ? oneFmt.format(n) : intFmt.format(n);
}

export function ms(n) {
  return missing(n) ? DASH : `${num(n)} ms`;
}

export function percent(fraction) {
  return missing(fraction) || fraction < 0 ? DASH : `${oneFmt.format(fraction * 100)} %`;
}

export function bytes(n) {
  if (missing(n) || n < 0) {
    return DASH;
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${i === 0 ? intFmt.format(v) : oneFmt.format(v)} ${units[i]}`;
}

/** 3 d 4 h, 5 h 12 min, 7 min 3 s, 42 s. */
export function duration(msValue) {
  if (missing(msValue) || msValue < 0) {
    return DASH;
  }
  const s = Math.floor(msValue / 1000);
  const d = Math.floor(s / 86400);
  const hr = Math.floor((s % 86400) / 3600);
  const min = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) {
    return `${d} d ${hr} h`;
  }
  if (hr > 0) {
    return `${hr} h ${min} min`;
  }
  if (min > 0) {
    return `${min} min ${sec} s`;
  }
  return `${sec} s`;
}

/** Local wall-clock time with seconds; the full date only when not today. */
export function time(epochMs) {
  if (missing(epochMs) || !epochMs) {
    return DASH;
  }
  const d = new Date(epochMs);
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay ? d.toLocaleTimeString() : d.toLocaleString();
}

/** ISO-8601 text for title attributes and <time datetime>. */
export function iso(epochMs) {
  return missing(epochMs) || !epochMs ? '' : new Date(epochMs).toISOString();
}

/** The first block of a UUID-like node id: enough to tell nodes apart in a table. */
export function shortId(id) {
  if (!id) {
    return DASH;
  }
  const cut = id.indexOf('-');
  return cut > 0 && id.length > 20 ? id.slice(0, cut) : id;
}

export function plural(n, one, many = one + 's') {
  return `${int(n)} ${n === 1 ? one : many}`;
}

/** Pretty JSON for <pre> blocks (set as text, never as HTML). */
export function json(value) {
  if (value === undefined) {
    return '';
  }
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

export const ERROR_NAMES = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'OVERLOADED',
  500: 'ACTOR_FAILED',
  503: 'NO_ACTORS',
  504: 'TIMEOUT',
};

export function errorName(code) {
  return ERROR_NAMES[code] || (code ? `HTTP ${code}` : 'NETWORK');
}
