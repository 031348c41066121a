// The answer queue: every answer is written to localStorage first, then sent to the server in
// order, one at a time, with retry and backoff. It survives a reload and a lost network: what was
// not yet acknowledged is sent when the page comes back. Each answer carries a per-attempt
// sequence number that only grows (also in localStorage), so a retry is harmless and an older
// copy can never overwrite a newer one on the server.

/** Waits between retries (ms), then the last one again; a random fifth is added or removed. */
const BACKOFF = [1000, 2000, 4000, 8000, 15000, 30000];

function readJson(key, fallback) {
  try {
    const v = JSON.parse(localStorage.getItem(key) || 'null');
    return v === null ? fallback : v;
  } catch {
    return fallback;
  }
}

function writeJson(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false; // storage full or disabled: the answer is still sent from memory
  }
}

/**
 * new AnswerQueue({attemptId, send(entry) → Promise<reply>, on: {change(state), reply(entry, reply),
 * closed(section, err), rejected(entry, err), held(err), fatal(err)}})
 *
 * Entries: {section, item, response, seq, flagged}. States: "idle" (nothing sent yet this visit
 * and nothing waiting), "saving", "saved", "offline" (waiting for the network), "retrying"
 * (the server answered with a temporary error), "held" (answers wait while the queue is paused:
 * a proctor paused the test, or the session ended), "stopped" (this device may no longer send).
 * A reply "attempt_paused" pauses the queue (on.held) and keeps the answer; "attempt_terminated"
 * stops it (on.fatal).
 */
export class AnswerQueue {
  constructor({ attemptId, send, on = {} }) {
    this.attemptId = attemptId;
    this.key = `meritest.take.queue.${attemptId}`;
    this.seqKey = `meritest.take.seq.${attemptId}`;
    this.send = send;
    this.on = on;
    this.entries = readJson(this.key, []).filter((e) => e && typeof e.seq === 'number' && e.item);
    this.inFlight = null;
    this.timer = null;
    this.attempt = 0;
    this.networkDown = typeof navigator !== 'undefined' && navigator.onLine === false;
    this.serverTrouble = false;
    this.stopped = false;
    this.paused = false;
    this.savedOnce = false;
    this.waiters = [];
    this.onOnline = () => {
      this.networkDown = false;
      this.retryNow();
    };
    this.onOffline = () => {
      this.networkDown = true;
      this.changed();
    };
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    // Highest sequence number seen locally, including the queued entries.
    const top = this.entries.reduce((m, e) => Math.max(m, e.seq), 0);
    if (top > this.currentSeq()) this.bumpSeq(top);
  }

  currentSeq() {
    const n = Number(localStorage.getItem(this.seqKey));
    return Number.isFinite(n) && n > 0 ? n : 0;
  }

  /** Makes sure the next number is above n (from the server's stored responses or replies). */
  bumpSeq(n) {
    if (typeof n === 'number' && Number.isFinite(n) && n > this.currentSeq()) {
      try {
        localStorage.setItem(this.seqKey, String(Math.floor(n)));
      } catch {
        /* see writeJson */
      }
      this.memSeq = Math.max(this.memSeq || 0, Math.floor(n));
    }
  }

  nextSeq() {
    const n = Math.max(this.currentSeq(), this.memSeq || 0) + 1;
    this.memSeq = n;
    try {
      localStorage.setItem(this.seqKey, String(n));
    } catch {
      /* see writeJson */
    }
    return n;
  }

  persist() {
    writeJson(this.key, this.entries);
  }

  /** Queues an answer (a newer answer to the same item replaces a waiting older one) and sends. */
  enqueue({ section, item, response, flagged = false }) {
    if (this.stopped) return null;
    const entry = { section, item, response, flagged: !!flagged, seq: this.nextSeq() };
    this.entries = this.entries.filter((e) => e === this.inFlight || !(e.section === section && e.item === item));
    this.entries.push(entry);
    this.persist();
    this.changed();
    this.kick();
    return entry;
  }

  /** The newest waiting answer to an item, or null. */
  latest(section, item) {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e.section === section && e.item === item) return e;
    }
    return null;
  }

  pendingFor(section) {
    return this.entries.filter((e) => section === undefined || e.section === section).length;
  }

  /** Forgets the waiting answers of a section (it closed: the server will refuse them). */
  dropSection(section) {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e === this.inFlight || e.section !== section);
    if (this.entries.length !== before) {
      this.persist();
      this.changed();
    }
  }

  state() {
    const pending = this.entries.length;
    let status;
    if (this.stopped) status = 'stopped';
    else if (this.paused && pending > 0) status = 'held';
    else if (this.networkDown) status = 'offline';
    else if (pending > 0 && this.serverTrouble) status = 'retrying';
    else if (pending > 0) status = 'saving';
    else if (this.savedOnce) status = 'saved';
    else status = 'idle';
    return { status, pending };
  }

  changed() {
    const s = this.state();
    if (this.on.change) this.on.change(s);
    if (s.pending === 0) {
      const w = this.waiters;
      this.waiters = [];
      w.forEach((fn) => fn(true));
    }
  }

  /** Resolves true once nothing waits (or false after timeoutMs). */
  drained(timeoutMs = 15000) {
    if (this.entries.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v) => {
        clearTimeout(t);
        resolve(v);
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(done);
      this.retryNow();
    });
  }

  /** Sends at once instead of waiting for the backoff (network back, or the page asks). */
  retryNow() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.attempt = 0;
    this.changed();
    this.kick();
  }

  /** Stops sending for good (another device took over). */
  stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.changed();
  }

  /** Holds the answers until resume() (the session ended; they go after the next sign-in). */
  pause() {
    this.paused = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  resume() {
    this.paused = false;
    this.retryNow();
  }

  schedule() {
    if (this.timer || this.stopped || this.paused) return;
    const base = BACKOFF[Math.min(this.attempt, BACKOFF.length - 1)];
    const wait = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, wait);
  }

  async kick() {
    if (this.inFlight || this.timer || this.stopped || this.paused || this.entries.length === 0) return;
    const entry = this.entries[0];
    this.inFlight = entry;
    let reply;
    try {
      reply = await this.send(entry);
    } catch (err) {
      this.inFlight = null;
      this.failed(entry, err);
      return;
    }
    this.inFlight = null;
    this.networkDown = false;
    this.serverTrouble = false;
    this.attempt = 0;
    this.savedOnce = true;
    this.entries = this.entries.filter((e) => e !== entry);
    this.persist();
    if (reply && typeof reply.seq === 'number') this.bumpSeq(reply.seq);
    if (this.on.reply) this.on.reply(entry, reply);
    this.changed();
    this.kick();
  }

  failed(entry, err) {
    const status = err && typeof err.status === 'number' ? err.status : 0;
    const code = err && err.code;
    if (status === 0) {
      // No answer at all: the network is down (or the reply timed out). Keep it and try again.
      this.networkDown = true;
      this.changed();
      this.schedule();
      return;
    }
    if (status === 429 || status === 408 || status >= 500) {
      this.networkDown = false;
      this.serverTrouble = true;
      this.changed();
      this.schedule();
      return;
    }
    this.networkDown = false;
    this.serverTrouble = false;
    if (code === 'device_replaced') {
      this.stop();
      if (this.on.fatal) this.on.fatal(err);
      return;
    }
    if (status === 401) {
      // The session is over; the answers stay queued for the next sign-in.
      this.pause();
      this.changed();
      if (this.on.fatal) this.on.fatal(err);
      return;
    }
    if (code === 'attempt_paused') {
      // A proctor paused the test: the answer waits (in order) until the page resumes the queue.
      this.pause();
      this.changed();
      if (this.on.held) this.on.held(err);
      return;
    }
    if (code === 'attempt_terminated') {
      this.stop();
      if (this.on.fatal) this.on.fatal(err);
      return;
    }
    if (code === 'attempt_finished') {
      this.entries = [];
      this.persist();
      this.changed();
      if (this.on.closed) this.on.closed(entry.section, err);
      return;
    }
    if (code === 'section_closed') {
      this.entries = this.entries.filter((e) => e.section !== entry.section);
      this.persist();
      this.changed();
      if (this.on.closed) this.on.closed(entry.section, err);
      this.kick();
      return;
    }
    // Refused for good (invalid_response, an unknown item…): resending would not help.
    this.entries = this.entries.filter((e) => e !== entry);
    this.persist();
    this.changed();
    if (this.on.rejected) this.on.rejected(entry, err);
    this.kick();
  }
}
