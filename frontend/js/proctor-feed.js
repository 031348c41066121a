// Server-Sent Events read with fetch and a ReadableStream (EventSource cannot send the bearer
// header): a line parser that follows the SSE rules, and a stream that reconnects by itself with
// a growing wait (1–3 s, 2–6 s, 4–10 s … at most 10 s; each page draws its own, so when a node
// stops, its thousands of pages do not all reconnect to the others in the same second), and
// starts over when nothing at all (not even a keep-alive comment) arrived for a while. The proctor's live room and the candidate's state
// stream both use it.

/** Waits before reconnecting: doubling from the first, never above the last. */
export const BACKOFF_MS = { first: 1000, max: 10_000 };

/** The wait before reconnection number `failures` (from 0): the doubled wait to three times it. */
export function reconnectWait(failures, random = Math.random) {
  const base = BACKOFF_MS.first * 2 ** Math.min(failures, 8);
  return Math.round(Math.min(BACKOFF_MS.max, base * (1 + 2 * random())));
}
/** Silence after which the connection is taken for dead (the server comments every 15 s). */
export const IDLE_MS = 40_000;

/**
 * Parses an event stream as it arrives. push(text) takes any piece of the body (lines may be split
 * anywhere); every complete event goes to onEvent(name, data). Lines starting with ":" are
 * comments; "data:" lines of one event are joined with "\n"; a blank line ends the event; an event
 * without data is not dispatched (as in the HTML standard).
 */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.event = '';
    this.data = [];
    this.skipLf = false;
  }

  push(text) {
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c === '\n' && this.skipLf) {
        // The "\n" of a "\r\n" whose "\r" ended the previous line.
        this.skipLf = false;
        start = i + 1;
        continue;
      }
      this.skipLf = false;
      if (c === '\r' || c === '\n') {
        this.line(this.buffer.slice(start, i));
        if (c === '\r') this.skipLf = true;
        start = i + 1;
      }
    }
    this.buffer = this.buffer.slice(start);
  }

  line(line) {
    if (line === '') {
      if (this.data.length) this.onEvent(this.event || 'message', this.data.join('\n'));
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    // "id" and "retry" are not used: every new connection starts with a full snapshot.
  }

  /** Forgets a half-received event (the connection broke in the middle of it). */
  reset() {
    this.buffer = '';
    this.event = '';
    this.data = [];
    this.skipLf = false;
  }
}

/**
 * A live event stream over fetch that keeps itself connected.
 *
 * new LiveStream({
 *   url,                       // the stream's path
 *   headers(),                 // request headers for each (re)connection, e.g. the bearer token
 *   onEvent(name, data),       // data already parsed as JSON (events whose data is not JSON are skipped)
 *   onStatus(status, info),    // 'connecting' | 'live' | 'reconnecting' ({inMs}) | 'stopped' ({error})
 *   onHttpError(status, body), // a refused connection: return 'stop' to give up, else it retries
 * })
 * start() connects; stop() closes for good; restart() drops the connection and connects at once.
 */
export class LiveStream {
  constructor({ url, headers = () => ({}), onEvent, onStatus = () => {}, onHttpError = () => 'retry', idleMs = IDLE_MS }) {
    this.url = url;
    this.headers = headers;
    this.onEvent = onEvent;
    this.onStatus = onStatus;
    this.onHttpError = onHttpError;
    this.idleMs = idleMs;
    this.ctrl = null;
    this.retryTimer = null;
    this.idleTimer = null;
    this.failures = 0;
    this.running = false;
    this.status = 'stopped';
    this.generation = 0;
    this.parser = new SseParser((name, data) => this.dispatch(name, data));
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(error = null) {
    this.running = false;
    this.generation += 1;
    clearTimeout(this.retryTimer);
    clearTimeout(this.idleTimer);
    this.retryTimer = null;
    this.idleTimer = null;
    if (this.ctrl) this.ctrl.abort();
    this.ctrl = null;
    this.setStatus('stopped', { error });
  }

  /** Drops the current connection and opens a new one now (its first event is a fresh snapshot). */
  restart() {
    if (!this.running) return;
    this.generation += 1;
    this.setStatus('reconnecting', { inMs: 0 });
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.ctrl) this.ctrl.abort();
    this.ctrl = null;
    this.connect();
  }

  setStatus(status, info = {}) {
    this.status = status;
    this.onStatus(status, info);
  }

  dispatch(name, data) {
    let parsed;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    // A whole event arrived: the connection works, so the next failure waits the shortest time.
    this.failures = 0;
    if (this.status !== 'live') this.setStatus('live');
    this.onEvent(name, parsed);
  }

  armIdle(generation) {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (generation === this.generation && this.running) this.restart();
    }, this.idleMs);
  }

  async connect() {
    const generation = ++this.generation;
    const ctrl = new AbortController();
    this.ctrl = ctrl;
    this.parser.reset();
    if (this.status !== 'reconnecting') this.setStatus('connecting');
    this.armIdle(generation);
    let res;
    try {
      res = await fetch(this.url, {
        headers: { Accept: 'text/event-stream', ...this.headers() },
        credentials: 'same-origin',
        cache: 'no-store',
        signal: ctrl.signal,
      });
    } catch {
      if (generation === this.generation) this.retry();
      return;
    }
    if (generation !== this.generation) {
      ctrl.abort();
      return;
    }
    if (!res.ok || !res.body) {
      let body = null;
      try {
        body = await res.json();
      } catch {
        /* not JSON */
      }
      if (generation !== this.generation) return;
      if (this.onHttpError(res.status, body) === 'stop') {
        this.stop(body || { status: res.status });
        return;
      }
      this.retry();
      return;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (generation !== this.generation) return;
        if (done) break;
        this.armIdle(generation);
        this.parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      /* aborted or broken: reconnect below */
    }
    if (generation === this.generation) this.retry();
  }

  retry() {
    if (!this.running) return;
    clearTimeout(this.idleTimer);
    if (this.ctrl) this.ctrl.abort();
    this.ctrl = null;
    const wait = reconnectWait(this.failures);
    this.failures += 1;
    this.setStatus('reconnecting', { inMs: wait });
    const generation = this.generation;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running && generation === this.generation) this.connect();
    }, wait);
  }
}
