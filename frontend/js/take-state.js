// The candidate page's state (one object, S), what survives a reload in the browser's storage
// (position, flags), the figures' blob URLs, and the page frame: showing a screen, the top bar and
// test bar, the save status, and the answer queue that autosaves.
import { $, errorNotice } from './shell.js';
import { t, tx } from './i18n.js';
import { candidateBlobUrl, candidateSession, capi } from './take-api.js';
import { AnswerQueue } from './take-queue.js';
import { syncClock, updateTimer } from './take-clock.js';
import { enterPause, refreshState } from './take-proctor.js';
import { adoptStored, sectionClosed } from './take-section.js';

export const POS_KEY = 'meritest.take.pos';

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

/** Codes whose refusal the server explains best: its own words go below the sentence. */
const TELLING_CODES = ['campaign_not_open', 'campaign_closed', 'too_many_requests', 'resume_locked'];

/** An error as a notice: the candidate's sentence for the code, the code, and the server's words when they add something. */
export function errorBox(err, extraClass = '') {
  return errorNotice(err, extraClass, { prefix: 'take.err.', telling: (code) => TELLING_CODES.includes(code) });
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
  el.dataset.state = st.status;
  let text = '';
  if (st.status === 'offline') text = st.pending > 0 ? t('take.save.offlineQueued', { n: st.pending }) : t('take.save.offline');
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
