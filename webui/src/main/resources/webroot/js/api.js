// The gateway's HTTP API (DESIGN.md "HTTP contract"). Every call goes through `api()`: it adds the bearer
// token, turns `{"error": {...}}` answers into ApiError, and on 401 asks for a token once and retries.
// The token lives in this tab's sessionStorage only: never in the URL, never in localStorage.

const TOKEN_KEY = 'beach.token';

/** A failed call: `status` is the HTTP status (0 when the gateway could not be reached). */
export class ApiError extends Error {
  constructor(status, error) {
    super(error && error.message ? error.message : `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = error && error.code ? error.code : status;
    this.error = error || { code: status, message: this.message };
  }
}

let tokenPrompt = null;
let pendingPrompt = null;
const tokenListeners = new Set();

export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(value) {
  try {
    if (value) {
      sessionStorage.setItem(TOKEN_KEY, value);
    } else {
      sessionStorage.removeItem(TOKEN_KEY);
    }
  } catch {
    // Storage disabled: the token then lasts only as long as this page.
  }
  memoryToken = value || '';
  tokenListeners.forEach((fn) => fn(memoryToken));
}

let memoryToken = token();

export function onTokenChange(fn) {
  tokenListeners.add(fn);
  return () => tokenListeners.delete(fn);
}

/** Installs the function that asks the person for a token: `(reason) => Promise<string|null>`. */
export function setTokenPrompt(fn) {
  tokenPrompt = fn;
}

/**
 * Asks for a token once even when several calls get 401 at the same time; resolves true when a new token
 * was entered.
 */
export function askForToken(reason) {
  if (!tokenPrompt) {
    return Promise.resolve(false);
  }
  if (!pendingPrompt) {
    pendingPrompt = tokenPrompt(reason).then((value) => {
      pendingPrompt = null;
      if (value) {
        setToken(value);
        return true;
      }
      return false;
    });
  }
  return pendingPrompt;
}

export function authHeaders() {
  const t = memoryToken || token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

/** `/v1/realms/a%2Fb` from ['v1', 'realms', 'a/b']; query values are encoded, empty ones dropped. */
export function path(segments, query) {
  let p = '/' + segments.map((s) => encodeURIComponent(String(s))).join('/');
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') {
        q.set(k, String(v));
      }
    }
    const text = q.toString();
    if (text) {
      p += '?' + text;
    }
  }
  return p;
}

/**
 * Calls the gateway. `options.body` (any JSON value) is sent as JSON; `options.text` as a raw string body
 * (sent with Content-Type application/json: the console checks it is JSON first).
 * Resolves `{status, data, headers, ms}`; rejects with ApiError.
 */
export async function api(method, url, options = {}) {
  for (let attempt = 0; ; attempt++) {
    const headers = { Accept: 'application/json, text/plain;q=0.5', ...authHeaders() };
    let body;
    if (options.text !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = options.text;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    } else if (method === 'POST' || method === 'PUT') {
      // The gateway wants a JSON content type on every state-changing request, bodiless commands included.
      headers['Content-Type'] = 'application/json';
    }
    const started = performance.now();
    let response;
    try {
      response = await fetch(url, { method, headers, body, signal: options.signal, cache: 'no-store' });
    } catch (e) {
      if (e && e.name === 'AbortError') {
        throw e;
      }
      throw new ApiError(0, { code: 0, message: `cannot reach the gateway (${e && e.message ? e.message : e})` });
    }
    const data = await read(response);
    const ms = performance.now() - started;
    if (response.status === 401 && attempt === 0 && !options.noPrompt) {
      const message = data && data.error ? data.error.message : 'this gateway needs a token';
      if (await askForToken(message)) {
        continue;
      }
    }
    if (!response.ok) {
      const error = data && typeof data === 'object' && data.error && typeof data.error === 'object'
        ? data.error
        : { code: response.status, message: typeof data === 'string' && data ? data : `HTTP ${response.status}` };
      const failure = new ApiError(response.status, error);
      failure.ms = ms;
      failure.headers = response.headers;
      throw failure;
    }
    return { status: response.status, data, headers: response.headers, ms };
  }
}

async function read(response) {
  if (response.status === 204) {
    return null;
  }
  const type = response.headers.get('Content-Type') || '';
  const text = await response.text();
  if (type.includes('json') && !type.includes('ndjson')) {
    if (text === '') {
      return null;
    }
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export const get = (url, options) => api('GET', url, options).then((r) => r.data);
