// The candidate page's state (one object, S), what survives a reload in the browser's storage
// (position, flags), the figures' blob URLs, and the page frame: showing a screen, the top bar and
// test bar, the save status, and the answer queue that autosaves.
import { $, errorNotice, h } from './shell.js';
import { formatDateInZone } from './locale.js';
import { t, tx } from './i18n.js';
import { candidateBlobUrl, candidateSession, capi } from './take-api.js';
import { AnswerQueue } from './take-queue.js';
import { remainingMs, syncClock, updateTimer } from './take-clock.js';
import { enterPause, refreshState } from './take-proctor.js';
import { adoptStored, sectionClosed } from './take-section.js';

export const POS_KEY = 'meritest.take.pos';
/** The attempt and open section as the page last saw them, for a reload without the network. */
export const SNAPSHOT_KEY = 'meritest.take.snapshot';
/** The service worker's cache of the sections' figures (emptied when the test ends or the candidate leaves). */
const FIGURE_CACHE = 'meritest-take-figures';

export const S = {
  attempt: null, // the API's Attempt
  section: null, // the open Section (started), or null
  preview: null, // a pending section's instructions, when the server shows them before the start
  phase: null, // 'intro' | 'items' while a section is open
  index: 0, // current item (items.length = the end of a forward-only section)
  answers: new Map(), // item id → response
  flags: new Map(), // item id → flagged for review
  practice: new Map(), // practice item id → local response (never sent)
  queue: null,
  images: new Map(), // figure path → Promise<blob: URL>
  current: null, // the rendered item ({flush})
  render: null, // re-renders the current screen (language change)
  notice: null, // {kind, key, vars} shown above the section list
  timeUp: false,
  closing: false,
  skipArmed: false,
  stopped: false,
  loginError: null, // the last refused sign-in, kept across a language switch
  invalidItem: null, // the item on screen whose typed answer is not a number (so not saved)
  stream: null, // the live line to the proctor ({stop, live}), while signed in
  live: null, // the latest CandidateState (from the stream, or read from the attempt)
  paused: false, // a proctor paused the test: the clock stands still, answers wait
  messages: [], // proctor messages shown now
  dismissed: new Set(), // ids of proctor messages dismissed on this page
  opening: false, // a section is being opened because the proctor started the session
  lastPoll: 0,
};

export const main = $('#main');
export const testbar = $('#testbar');

/** An error as a notice: the candidate's sentence for the code, never the code itself nor the server's English words. */
export function errorBox(err, extraClass = '') {
  const box = errorNotice(err, extraClass, { prefix: 'take.err.', telling: () => false, showCode: false });
  // The window of a campaign that is not open, in the campaign's own zone.
  const d = err && err.details;
  const when = d && (err.code === 'campaign_not_open' ? d.opens_at : err.code === 'campaign_closed' ? d.closes_at : null);
  if (when) {
    const zone = d.time_zone && d.time_zone_iana ? { code: d.time_zone, iana: d.time_zone_iana } : null;
    box.append(h('p', { class: 'take-error-when' }, t(`take.err.${err.code}.when`, { when: formatDateInZone(when, zone) })));
  }
  return box;
}

export function minutes(seconds) {
  const total = Math.max(0, Math.round(seconds || 0));
  const m = Math.floor(total / 60);
  const sec = total % 60;
  if (m === 0) return t('take.seconds', { n: sec });
  return sec === 0 ? t('take.minutes', { n: m }) : t('take.minsec', { m, s: sec });
}

/** Replaces the page content and moves focus to its heading (so screen readers announce it). */
export function show(render, { focus = true } = {}) {
  S.render = render;
  const content = render();
  main.replaceChildren(...(Array.isArray(content) ? content : [content]));
  updateChrome();
  saveSnapshot();
  if (focus) {
    const target = main.querySelector('[data-focus]') || main.querySelector('h1');
    if (target) {
      if (!target.hasAttribute('tabindex') && !/^(INPUT|BUTTON|SELECT|TEXTAREA|A)$/.test(target.tagName)) target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: false });
    }
  }
  window.scrollTo(0, 0);
}

export function rerender() {
  if (!S.render) return;
  if (S.current) S.current.flush();
  const active = document.activeElement;
  const keepId = active && active.id;
  const content = S.render();
  main.replaceChildren(...(Array.isArray(content) ? content : [content]));
  updateChrome();
  if (keepId && document.getElementById(keepId)) document.getElementById(keepId).focus();
}

export function sectionOf(pos) {
  return S.attempt && (S.attempt.sections || []).find((s) => s.position === pos);
}

function posKey() {
  return S.attempt ? S.attempt.id : null;
}

export function savePos() {
  if (!S.section) return;
  sessionStorage.setItem(POS_KEY, JSON.stringify({ attempt: posKey(), section: S.section.position, index: S.index, phase: S.phase }));
}

export function readPos() {
  try {
    const p = JSON.parse(sessionStorage.getItem(POS_KEY) || 'null');
    return p && p.attempt === posKey() ? p : null;
  } catch {
    return null;
  }
}

function flagsKey() {
  return `meritest.take.flags.${posKey()}`;
}

export function readLocalFlags() {
  try {
    return JSON.parse(localStorage.getItem(flagsKey()) || '{}') || {};
  } catch {
    return {};
  }
}

export function writeLocalFlag(item, value) {
  const f = readLocalFlags();
  f[item] = !!value;
  try {
    localStorage.setItem(flagsKey(), JSON.stringify(f));
  } catch {
    /* storage full: the flag still goes with the next save of the answer */
  }
}

export function image(path) {
  if (!S.images.has(path)) S.images.set(path, candidateBlobUrl(path));
  return S.images.get(path);
}

export function forgetImages() {
  for (const p of S.images.values()) p.then((u) => URL.revokeObjectURL(u), () => {});
  S.images.clear();
}

// ---------------------------------------------------------------- what a reload without the network needs

let snapshotTimer = null;

/**
 * Keeps what the page shows (the attempt, the open section with its items and the answers on
 * screen, the remaining time) in this tab's sessionStorage, shortly after each change: a reload
 * while the network is down starts from it (take-screens.js route), and the server's state
 * replaces it as soon as the network is back. Items carry no key (invariant 4), so nothing is kept
 * that the page did not already hold.
 */
export function saveSnapshot() {
  if (snapshotTimer) return;
  snapshotTimer = setTimeout(writeSnapshot, 300);
}

export function writeSnapshot() {
  clearTimeout(snapshotTimer);
  snapshotTimer = null;
  if (!S.attempt || S.stopped || !candidateSession()) return;
  let section = null;
  if (S.section) {
    const responses = {};
    for (const [id, response] of S.answers) responses[id] = { response, seq: 0, flagged: !!S.flags.get(id) };
    for (const [id, flagged] of S.flags) if (flagged && !responses[id]) responses[id] = { response: null, seq: 0, flagged: true };
    section = { ...S.section, responses };
  }
  const left = S.section ? remainingMs() : null;
  const snap = { attempt: S.attempt, section, remaining_ms: left, at: Date.now(), paused: S.paused };
  try {
    sessionStorage.setItem(SNAPSHOT_KEY, JSON.stringify(snap));
  } catch {
    /* storage full: a reload without the network shows the retry screen instead */
  }
}

/** The kept snapshot of `attemptId`, with the open section's remaining time counted down to now. */
export function readSnapshot(attemptId) {
  let snap;
  try {
    snap = JSON.parse(sessionStorage.getItem(SNAPSHOT_KEY) || 'null');
  } catch {
    return null;
  }
  if (!snap || !snap.attempt || (attemptId && snap.attempt.id !== attemptId)) return null;
  if (snap.section && typeof snap.remaining_ms === 'number') {
    const elapsed = snap.paused ? 0 : Math.max(0, Date.now() - snap.at);
    snap.section.remaining_ms = Math.max(0, snap.remaining_ms - elapsed);
  }
  return snap;
}

/** Forgets the snapshot and the kept figures (the test ended, or the candidate left). */
export function clearSnapshot() {
  clearTimeout(snapshotTimer);
  snapshotTimer = null;
  sessionStorage.removeItem(SNAPSHOT_KEY);
  if (typeof caches !== 'undefined') caches.delete(FIGURE_CACHE).catch(() => {});
}

// ---------------------------------------------------------------- top bar, test bar, save status

function updateChrome() {
  const session = candidateSession();
  const who = $('#who');
  const name = (S.attempt && S.attempt.participant && S.attempt.participant.name) || (session && session.name) || '';
  who.textContent = session && !S.stopped ? name : '';
  $('#take-signout').hidden = !session || S.stopped || !!S.section;
  const open = !!S.section && !S.stopped;
  testbar.hidden = !open;
  if (open) $('#testbar-title').textContent = tx(S.section.title) || t('take.section.n', { n: S.section.position + 1 });
  renderSaveStatus();
  updateTimer();
}

export function renderSaveStatus() {
  const el = $('#save-status');
  const st = S.queue ? S.queue.state() : { status: 'idle', pending: 0 };
  // A typed answer that is not a number was not saved: the badge must not say "saved" beside it.
  const status = S.invalidItem && S.section && st.status !== 'offline' && st.status !== 'stopped' && st.status !== 'held' ? 'invalid' : st.status;
  el.dataset.state = status;
  const offline = $('#offline-note');
  if (offline) offline.hidden = st.status !== 'offline';
  let text = '';
  if (status === 'invalid') text = t('take.save.invalid');
  else if (st.status === 'offline') text = st.pending > 0 ? t('take.save.offlineQueued', { n: st.pending }) : t('take.save.offline');
  else if (st.status === 'saving') text = t('take.save.saving');
  else if (st.status === 'retrying') text = t('take.save.retrying');
  else if (st.status === 'saved') text = t('take.save.saved');
  else if (st.status === 'stopped') text = t('take.save.stopped');
  else if (st.status === 'held') text = t('take.save.held', { n: st.pending });
  if (el.textContent !== text) el.textContent = text;
}

// ---------------------------------------------------------------- the answer queue

export function ensureQueue() {
  const id = S.attempt && S.attempt.id;
  if (!id) return;
  if (S.queue && S.queue.attemptId === id) {
    if (S.queue.paused && !S.paused) S.queue.resume();
    return;
  }
  if (S.queue) S.queue.stop();
  S.queue = new AnswerQueue({
    attemptId: id,
    send: (e) => capi('/api/v1/candidate/answers', {
      method: 'PUT',
      body: { section: e.section, item: e.item, response: e.response, seq: e.seq, flagged: e.flagged },
    }),
    on: {
      change: renderSaveStatus,
      reply: (entry, reply) => {
        if (reply && S.section && entry.section === S.section.position) syncClock(reply.remaining_ms);
        if (reply && reply.outcome === 'superseded') adoptStored(entry.section, entry.item, reply.stored);
      },
      closed: (section) => {
        if (S.section && S.section.position === section) sectionClosed('timeout');
      },
      rejected: (entry, err) => {
        const box = $('#item-error');
        if (box) box.replaceChildren(errorBox(err));
      },
      held: () => {
        // The server says the test is paused before the live line did: hold, and ask for the state.
        if (!S.paused) enterPause(null);
        refreshState();
      },
      fatal: () => {
        /* onSessionLost handles every case */
      },
    },
  });
  if (S.paused) S.queue.pause();
  renderSaveStatus();
  // Answers left from before a reload (or a lost session) go out now.
  S.queue.retryNow();
}
