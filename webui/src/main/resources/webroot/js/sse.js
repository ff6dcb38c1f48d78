// One live connection to GET /v1/events for the whole page, shared by every view.
// EventSource cannot send an Authorization header and the token must never go into a URL, so the stream
// is read with fetch() and parsed here (the text/event-stream format: `id:`, `data:`, `retry:`, comments).

import { authHeaders, askForToken } from './api.js';

const MAX_BUFFER = 1000;

export class EventStream {
  constructor(url = '/v1/events') {
    this.url = url;
    this.listeners = new Set();
    this.statusListeners = new Set();
    this.status = 'idle';
    this.detail = '';
    this.retryMs = 3000;
    this.controller = null;
    this.timer = null;
    this.stopped = true;
    /** Recent events, newest last, for views that open after they arrived. */
    this.recent = [];
  }

  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onStatus(fn) {
    this.statusListeners.add(fn);
    fn(this.status, this.detail);
    return () => this.statusListeners.delete(fn);
  }

  start() {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.controller) {
      this.controller.abort();
    }
    this.setStatus('idle', '');
  }

  /** Reconnects now, e.g. after the token changed. */
  restart() {
    this.stop();
    this.start();
  }

  setStatus(status, detail) {
    this.status = status;
    this.detail = detail || '';
    this.statusListeners.forEach((fn) => fn(status, this.detail));
  }

  async connect() {
    clearTimeout(this.timer);
    const controller = new AbortController();
    this.controller = controller;
    this.setStatus('connecting', '');
    try {
      const response = await fetch(this.url, {
        headers: { Accept: 'text/event-stream', ...authHeaders() },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (response.status === 401) {
        await response.body?.cancel();
        this.setStatus('down', 'the event stream needs a token');
        if (await askForToken('the live event stream needs a token')) {
          return this.connect();
        }
        return this.later();
      }
      if (!response.ok || !response.body) {
        let message = `HTTP ${response.status}`;
        try {
          const body = await response.json();
          message = body.error?.message || message;
        } catch {
          // not JSON: keep the status
        }
        this.setStatus('down', message);
        return this.later();
      }
      this.setStatus('live', '');
      await this.read(response.body.getReader());
      if (!this.stopped) {
        this.setStatus('down', 'the gateway closed the event stream');
      }
    } catch (e) {
      if (controller.signal.aborted) {
        return undefined;
      }
      this.setStatus('down', `event stream lost: ${e && e.message ? e.message : e}`);
    }
    return this.later();
  }

  later() {
    if (!this.stopped) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.connect(), this.retryMs);
    }
  }

  async read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      // Events end with a blank line; accept \n, \r\n and \r line ends as the format allows.
      buffer = buffer.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.parseBlock(block);
      }
    }
  }

  parseBlock(block) {
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) {
        value = value.slice(1);
      }
      if (name === 'data') {
        data.push(value);
      } else if (name === 'retry' && /^\d+$/.test(value)) {
        this.retryMs = Math.max(1000, Number(value));
      }
    }
    if (data.length === 0) {
      return;
    }
    let event;
    try {
      event = JSON.parse(data.join('\n'));
    } catch {
      return; // not one of ours
    }
    if (!event || typeof event !== 'object' || typeof event.type !== 'string') {
      return;
    }
    this.recent.push(event);
    if (this.recent.length > MAX_BUFFER) {
      this.recent.splice(0, this.recent.length - MAX_BUFFER);
    }
    this.listeners.forEach((fn) => {
      try {
        fn(event);
      } catch (e) {
        console.warn('event listener failed', e);
      }
    });
  }
}

/** The realm an event concerns, or null for cluster-wide events (nodes). */
export function eventRealms(event) {
  const realms = new Set();
  if (typeof event.realm === 'string') {
    realms.add(event.realm);
  }
  if (Array.isArray(event.actors)) {
    for (const a of event.actors) {
      if (a && typeof a.realm === 'string') {
        realms.add(a.realm);
      }
    }
  }
  if (event.actor && typeof event.actor === 'object' && typeof event.actor.realm === 'string') {
    realms.add(event.actor.realm);
  }
  return realms;
}
