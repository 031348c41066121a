// The countdown. The server owns the time: the page counts down from the remaining time the
// server sends (a monotonic local clock measures the elapsed part), checks it against the server
// now and then, warns at five minutes and one, and when it runs out sends the last answers and
// waits for the server to close the section (unless a proctor gave extra time).
import { $ } from './shell.js';
import { t } from './i18n.js';
import { clockText } from './locale.js';
import { candidateSession, capi, isSessionOver } from './take-api.js';
import { S, rerender, saveSnapshot, sectionOf } from './take-state.js';
import { applyState, stateOfAttempt } from './take-proctor.js';
import { sectionClosed } from './take-section.js';

const WARN_AT = [5 * 60_000, 60_000];
/** How often the countdown is checked against the server when nothing else has re-synced it. */
const SYNC_EVERY_MS = 45_000;
/** How often the attempt is read while the live line to the proctor is down. */
const POLL_WHEN_OFFLINE_MS = 5000;

// ---------------------------------------------------------------- the clock (the server owns it)

export const clock = { deadline: null, frozen: null, lastSync: 0, ticker: null, limitMs: 0, warned: new Set() };

/**
 * Counts down from the server's remaining time (a monotonic local clock measures the elapsed part).
 * While the test is paused the time is only kept (frozen), not counted.
 */
export function syncClock(remainingMs) {
  if (typeof remainingMs !== 'number' || !Number.isFinite(remainingMs) || !S.section) return;
  if (S.paused) {
    clock.frozen = Math.max(0, remainingMs);
    clock.lastSync = performance.now();
    updateTimer();
    return;
  }
  clock.frozen = null;
  clock.deadline = performance.now() + Math.max(0, remainingMs);
  clock.lastSync = performance.now();
  if (!clock.ticker) clock.ticker = setInterval(updateTimer, 250);
  updateTimer();
}

export function stopClock() {
  if (clock.ticker) clearInterval(clock.ticker);
  clock.ticker = null;
  clock.deadline = null;
  clock.frozen = null;
  clock.warned = new Set();
  const alert = $('#time-alert');
  alert.textContent = '';
  alert.className = 'time-alert';
}

export function remainingMs() {
  if (S.paused) return clock.frozen;
  return clock.deadline === null ? null : Math.max(0, clock.deadline - performance.now());
}

/** Stops the countdown where it is (or at the server's frozen time) while the test is paused. */
export function freezeClock(remaining) {
  const now = clock.deadline === null ? null : Math.max(0, clock.deadline - performance.now());
  clock.frozen = typeof remaining === 'number' && Number.isFinite(remaining) ? Math.max(0, remaining) : (clock.frozen ?? now);
  if (clock.ticker) clearInterval(clock.ticker);
  clock.ticker = null;
  clock.deadline = null;
  updateTimer();
}

export function updateTimer() {
  const el = $('#timer-value');
  const timer = $('#timer');
  const rem = remainingMs();
  if (rem === null) {
    el.textContent = '--:--';
    return;
  }
  const text = clockText(rem);
  if (el.textContent !== text) el.textContent = text;
  timer.setAttribute('aria-label', t(S.paused ? 'take.timer.ariaPaused' : 'take.timer.aria', { time: text }));
  timer.classList.toggle('timer-paused', S.paused);
  const pauseTime = $('#pause-time');
  if (pauseTime && pauseTime.textContent !== text) pauseTime.textContent = text;
  if (S.paused) return;
  timer.classList.toggle('timer-warn', rem <= WARN_AT[0] && clock.limitMs > WARN_AT[0]);
  timer.classList.toggle('timer-danger', rem <= WARN_AT[1]);
  for (const at of WARN_AT) {
    if (rem > 0 && rem <= at && clock.limitMs > at && !clock.warned.has(at)) {
      clock.warned.add(at);
      const alert = $('#time-alert');
      alert.className = 'time-alert ' + (at === WARN_AT[1] ? 'time-alert-danger' : 'time-alert-warn');
      alert.dataset.warn = String(at / 60000);
      alert.textContent = t(at === WARN_AT[1] ? 'take.warn.one' : 'take.warn.five');
    }
  }
  if (rem <= 0 && S.section && !S.closing) onTimeUp();
}

export async function periodicSync() {
  if (S.stopped || !S.attempt || !candidateSession()) return;
  // The live line is down: read the attempt instead, so a proctor's action still shows soon.
  if (S.stream && !S.stream.live() && performance.now() - S.lastPoll >= POLL_WHEN_OFFLINE_MS - 250) {
    await resyncNow({ poll: true });
    return;
  }
  if (!S.section || S.closing) return;
  if (performance.now() - clock.lastSync < SYNC_EVERY_MS) return;
  await resyncNow();
}

/**
 * Asks the server for the attempt now (after a pause of the page, periodically, or while the live
 * line is down): remaining time, and the proctor's state when the live line cannot bring it.
 */
export async function resyncNow({ poll = false } = {}) {
  if (S.stopped || !S.attempt || !candidateSession()) return;
  if (!poll && (!S.section || S.closing)) return;
  clock.lastSync = performance.now();
  S.lastPoll = performance.now();
  try {
    const a = await capi('/api/v1/candidate/attempt');
    if (S.stopped) return;
    S.attempt = a;
    saveSnapshot();
    applyState(stateOfAttempt(a), { fromPoll: true });
    if (!S.section || S.closing || S.stopped) return;
    const s = sectionOf(S.section.position);
    if (!s || s.status === 'closed') {
      await sectionClosed(s && s.closed_reason === 'submitted' ? 'submitted' : 'timeout');
      return;
    }
    syncClock(a.remaining_ms);
  } catch {
    /* offline: the local countdown goes on; the next reply re-syncs it */
  }
}

/** The deadline moved (extra time): the countdown follows, even after the local clock ran out. */
export function extendTo(remaining) {
  if (S.closing || S.timeUp) {
    if (remaining <= 1500) return;
    S.timeUp = false;
    S.closing = false;
    const alert = $('#time-alert');
    alert.textContent = '';
    alert.className = 'time-alert';
    syncClock(remaining);
    if (S.phase === 'items') rerender();
    return;
  }
  syncClock(remaining);
}

/** The deadline passed on the local countdown: last answers out, then the server says it closed. */
async function onTimeUp() {
  if (S.closing || !S.section) return;
  S.closing = true;
  S.timeUp = true;
  if (S.current) S.current.flush();
  const alert = $('#time-alert');
  alert.className = 'time-alert time-alert-danger';
  alert.dataset.warn = '0';
  alert.textContent = t('take.time.up');
  if (S.phase === 'items') rerender();
  await S.queue.drained(5000);
  await confirmClosed();
}

async function confirmClosed() {
  const pos = S.section && S.section.position;
  if (pos === undefined || pos === null) return;
  for (let i = 0; i < 60 && S.section && S.section.position === pos && !S.stopped; i++) {
    try {
      const s = await capi(`/api/v1/candidate/sections/${pos}`);
      if (s.status === 'closed') break;
      if (typeof s.remaining_ms === 'number' && s.remaining_ms > 1500) {
        // The deadline moved (extra time from a proctor): carry on.
        S.section.remaining_ms = s.remaining_ms;
        S.timeUp = false;
        S.closing = false;
        syncClock(s.remaining_ms);
        $('#time-alert').textContent = '';
        if (S.phase === 'items') rerender();
        return;
      }
    } catch (err) {
      if (isSessionOver(err)) return;
      if (err.code === 'attempt_paused') {
        // Paused at the very end: the clock stands still, and the pause's end syncs it again.
        S.closing = false;
        S.timeUp = false;
        return;
      }
      if (err.code === 'section_closed' || err.status === 409) break;
    }
    await new Promise((r) => setTimeout(r, Math.min(1000 + i * 500, 5000)));
  }
  if (!S.section || S.section.position !== pos) return;
  await sectionClosed('timeout');
}
