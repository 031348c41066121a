// The proctor's room as data: the rows of one session kept by participant, the server's clock
// (each row's time left and last sign of life are read against it), the state the page derives
// ("disconnected"), counters, and the filtered and sorted list the table shows. No DOM here.

/** Attempt states of a row, in the order the counters and the state sort use. */
export const STATES = ['not_arrived', 'lobby', 'in_section', 'paused', 'finished', 'expired', 'terminated'];
/** States in which a candidate is expected to be online (the only ones that can be "disconnected"). */
const ONLINE_STATES = new Set(['lobby', 'in_section']);
/** States whose section clock means something. */
const CLOCK_STATES = new Set(['in_section', 'paused']);

/** Text folded for searching: lower case, no accents, no spaces or dots (NIPs are typed with them). */
export function fold(text) {
  return String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export class Room {
  constructor() {
    this.session = null;
    this.rows = new Map(); // participant → Row (with _at: the server time it was received)
    this.offsetMs = 0; // server clock − local clock
    this.disconnectAfterMs = 60_000;
    this.version = 0; // grows with every change of the rows
  }

  /** The server's clock now, as this page estimates it. */
  now() {
    return Date.now() + this.offsetMs;
  }

  clock(serverTimeMs) {
    if (typeof serverTimeMs === 'number' && Number.isFinite(serverTimeMs)) this.offsetMs = serverTimeMs - Date.now();
  }

  /** A full Room from the server: replaces everything. */
  snapshot(room) {
    this.clock(room.server_time_ms);
    this.session = room.session || this.session;
    if (typeof room.disconnect_after_ms === 'number') this.disconnectAfterMs = room.disconnect_after_ms;
    const at = this.now();
    this.rows = new Map((room.rows || []).map((r) => [r.participant, { ...r, _at: at }]));
    this.version += 1;
  }

  /** Changed rows: each replaces the row of its participant. Returns the participants changed. */
  update({ rows = [], server_time_ms: serverTime }) {
    this.clock(serverTime);
    const at = this.now();
    for (const r of rows) this.rows.set(r.participant, { ...r, _at: at });
    if (rows.length) this.version += 1;
    return rows.map((r) => r.participant);
  }

  /**
   * Answer counts: [{participant, section, answered, last_seen_ms}, …]. A count is taken when the
   * row shows that section open (a row that moved on since comes whole, in `update`). Within a
   * section a count only grows (answers are never taken back), so a count that one node read
   * before another node's newer one, and that arrives after it, does not lower the row. Returns
   * the participants changed.
   */
  progress({ progress = [], server_time_ms: serverTime }) {
    this.clock(serverTime);
    const changed = [];
    for (const p of progress) {
      const row = this.rows.get(p.participant);
      if (!row || row.section !== p.section) continue;
      row.answered = Math.max(row.answered || 0, p.answered);
      if (typeof p.last_seen_ms === 'number') row.last_seen_ms = Math.max(row.last_seen_ms || 0, p.last_seen_ms);
      changed.push(p.participant);
    }
    if (changed.length) this.version += 1;
    return changed;
  }

  /** Presence only: [[participant, last_seen_ms], …]; an older sign of life (from a node that
   * flushed later) does not replace a newer one. */
  seen({ seen = [], server_time_ms: serverTime }) {
    this.clock(serverTime);
    let changed = false;
    for (const [participant, lastSeen] of seen) {
      const row = this.rows.get(participant);
      if (row && typeof lastSeen === 'number' && lastSeen > (row.last_seen_ms || 0)) {
        row.last_seen_ms = lastSeen;
        changed = true;
      }
    }
    if (changed) this.version += 1;
    return changed;
  }

  get(participant) {
    return this.rows.get(participant) || null;
  }

  /** Signed in, not finished, and silent for longer than the server's limit. */
  isDisconnected(row, now = this.now()) {
    return ONLINE_STATES.has(row.state) && typeof row.last_seen_ms === 'number' && now - row.last_seen_ms > this.disconnectAfterMs;
  }

  /** Milliseconds left in the open section (frozen while paused), or null when no clock runs. */
  timeLeft(row, now = this.now()) {
    if (!CLOCK_STATES.has(row.state)) return null;
    if (row.state === 'paused') return typeof row.remaining_ms === 'number' ? Math.max(0, row.remaining_ms) : null;
    if (typeof row.deadline_ms === 'number') return Math.max(0, row.deadline_ms - now);
    if (typeof row.remaining_ms === 'number') return Math.max(0, row.remaining_ms - (now - row._at));
    return null;
  }

  static flagged(row) {
    return row.integrity > 0 || !!row.irregular;
  }

  /** {total, flagged, disconnected, <state>: n for each state}. */
  counters(now = this.now()) {
    const c = { total: 0, flagged: 0, disconnected: 0 };
    for (const s of STATES) c[s] = 0;
    for (const row of this.rows.values()) {
      c.total += 1;
      if (row.state in c) c[row.state] += 1;
      if (Room.flagged(row)) c.flagged += 1;
      if (this.isDisconnected(row, now)) c.disconnected += 1;
    }
    return c;
  }

  /**
   * The rows to show: filter {state: 'all' | a state | 'disconnected', flagged: bool, search: text},
   * sort {key: name | state | progress | time | seen | integrity, dir: 1 | -1}.
   */
  view({ state = 'all', flagged = false, search = '' } = {}, { key = 'name', dir = 1 } = {}, now = this.now()) {
    const q = fold(search).trim();
    const qDigits = q.replace(/[\s.\-]/g, '');
    const out = [];
    for (const row of this.rows.values()) {
      if (state === 'disconnected') {
        if (!this.isDisconnected(row, now)) continue;
      } else if (state !== 'all' && row.state !== state) continue;
      if (flagged && !Room.flagged(row)) continue;
      if (q) {
        const inName = fold(row.name).includes(q);
        const inNip = qDigits !== '' && /^\d+$/.test(qDigits) && String(row.nip || '').includes(qDigits);
        if (!inName && !inNip) continue;
      }
      out.push(row);
    }
    const byName = (a, b) => String(a.name || '').localeCompare(String(b.name || ''), 'id', { sensitivity: 'base' })
      || String(a.nip || '').localeCompare(String(b.nip || ''));
    // Rows without a value (no clock, never seen) go last whatever the direction.
    const nullsLast = (va, vb) => {
      if (va === null && vb === null) return 0;
      if (va === null) return 1;
      if (vb === null) return -1;
      return null;
    };
    const measure = {
      state: (r) => STATES.indexOf(r.state) * 2 + (this.isDisconnected(r, now) ? 1 : 0),
      progress: (r) => (r.total > 0 ? r.answered / r.total : r.answered > 0 ? 1 : 0) * 1e6 + (r.section ?? -1) * 1e3 + r.answered,
      time: (r) => this.timeLeft(r, now),
      seen: (r) => (typeof r.last_seen_ms === 'number' ? r.last_seen_ms : null),
      integrity: (r) => (r.integrity || 0) * 2 + (r.irregular ? 1 : 0),
    }[key];
    if (!measure) {
      out.sort((a, b) => dir * byName(a, b));
      return out;
    }
    const values = new Map(out.map((r) => [r.participant, measure(r)]));
    out.sort((a, b) => {
      const va = values.get(a.participant);
      const vb = values.get(b.participant);
      const n = nullsLast(va, vb);
      if (n !== null) return n !== 0 ? n : byName(a, b);
      return dir * (va - vb) || byName(a, b);
    });
    return out;
  }
}

/** How long ago, as {key, n} for i18n: "proctor.ago.now" | ".s" | ".m" | ".h" | ".d". */
export function agoParts(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 2) return { key: 'proctor.ago.now', n: 0 };
  if (s < 60) return { key: 'proctor.ago.s', n: s };
  const m = Math.floor(s / 60);
  if (m < 60) return { key: 'proctor.ago.m', n: m };
  const h = Math.floor(m / 60);
  if (h < 48) return { key: 'proctor.ago.h', n: h };
  return { key: 'proctor.ago.d', n: Math.floor(h / 24) };
}

/** An integrity kind as one name: "integrity.page_hidden", "page_hidden" and "hidden" are the same. */
export function kindName(kind) {
  const k = String(kind || '').replace(/^integrity\./, '');
  return { hidden: 'page_hidden', blur: 'window_blur' }[k] || k;
}
