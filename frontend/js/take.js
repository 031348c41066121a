// The candidate page (/take): sign-in with an access code, consent, the list of sections, each
// section's instructions and practice items, then one item at a time with a countdown from the
// server's remaining time, autosave through a local queue that survives reload and network loss,
// submission, and the end screen. A reload at any point comes back to the same section and item.
// A live line to the proctor (take-stream.js) brings the proctor's actions within moments: a
// pause stops the clock behind a full-screen notice, extra time grows the countdown, messages
// stay until dismissed, an ended test shows its end, and a lobby waits for admission and start.
import { $, errorNotice, h, renderShell } from './shell.js';
import { initI18n, t, tx } from './i18n.js';
import { clockText, formatDate, formatNumber, formatTime } from './locale.js';
import { candidateBlobUrl, candidateSession, capi, clearCandidate, isSessionOver, onSessionLost, rememberAttempt, saveCandidate } from './take-api.js';
import { AnswerQueue } from './take-queue.js';
import { openCandidateStream } from './take-stream.js';
import { watchIntegrity } from './take-signals.js';
import { isAnswered, renderCandidateItem } from './take-items.js';

const POS_KEY = 'meritest.take.pos';
const WARN_AT = [5 * 60_000, 60_000];
/** How often the countdown is checked against the server when nothing else has re-synced it. */
const SYNC_EVERY_MS = 45_000;
/** How often the attempt is read while the live line to the proctor is down. */
const POLL_WHEN_OFFLINE_MS = 5000;

const S = {
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

const main = $('#main');
const testbar = $('#testbar');

// ---------------------------------------------------------------- small helpers

/** Codes whose refusal the server explains best: its own words go below the sentence. */
const TELLING_CODES = ['campaign_not_open', 'campaign_closed', 'too_many_requests', 'resume_locked'];

/** An error as a notice: the candidate's sentence for the code, the code, and the server's words when they add something. */
function errorBox(err, extraClass = '') {
  return errorNotice(err, extraClass, { prefix: 'take.err.', telling: (code) => TELLING_CODES.includes(code) });
}

function minutes(seconds) {
  const total = Math.max(0, Math.round(seconds || 0));
  const m = Math.floor(total / 60);
  const sec = total % 60;
  if (m === 0) return t('take.seconds', { n: sec });
  return sec === 0 ? t('take.minutes', { n: m }) : t('take.minsec', { m, s: sec });
}

/** Replaces the page content and moves focus to its heading (so screen readers announce it). */
function show(render, { focus = true } = {}) {
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

function rerender() {
  if (!S.render) return;
  if (S.current) S.current.flush();
  const active = document.activeElement;
  const keepId = active && active.id;
  const content = S.render();
  main.replaceChildren(...(Array.isArray(content) ? content : [content]));
  updateChrome();
  if (keepId && document.getElementById(keepId)) document.getElementById(keepId).focus();
}

function sectionOf(pos) {
  return S.attempt && (S.attempt.sections || []).find((s) => s.position === pos);
}

function posKey() {
  return S.attempt ? S.attempt.id : null;
}

function savePos() {
  if (!S.section) return;
  sessionStorage.setItem(POS_KEY, JSON.stringify({ attempt: posKey(), section: S.section.position, index: S.index, phase: S.phase }));
}

function readPos() {
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

function readLocalFlags() {
  try {
    return JSON.parse(localStorage.getItem(flagsKey()) || '{}') || {};
  } catch {
    return {};
  }
}

function writeLocalFlag(item, value) {
  const f = readLocalFlags();
  f[item] = !!value;
  try {
    localStorage.setItem(flagsKey(), JSON.stringify(f));
  } catch {
    /* storage full: the flag still goes with the next save of the answer */
  }
}

function image(path) {
  if (!S.images.has(path)) S.images.set(path, candidateBlobUrl(path));
  return S.images.get(path);
}

function forgetImages() {
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

function renderSaveStatus() {
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

// ---------------------------------------------------------------- the clock (the server owns it)

const clock = { deadline: null, frozen: null, lastSync: 0, ticker: null, limitMs: 0, warned: new Set() };

/**
 * Counts down from the server's remaining time (a monotonic local clock measures the elapsed part).
 * While the test is paused the time is only kept (frozen), not counted.
 */
function syncClock(remainingMs) {
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

function stopClock() {
  if (clock.ticker) clearInterval(clock.ticker);
  clock.ticker = null;
  clock.deadline = null;
  clock.frozen = null;
  clock.warned = new Set();
  const alert = $('#time-alert');
  alert.textContent = '';
  alert.className = 'time-alert';
}

function remainingMs() {
  if (S.paused) return clock.frozen;
  return clock.deadline === null ? null : Math.max(0, clock.deadline - performance.now());
}

/** Stops the countdown where it is (or at the server's frozen time) while the test is paused. */
function freezeClock(remaining) {
  const now = clock.deadline === null ? null : Math.max(0, clock.deadline - performance.now());
  clock.frozen = typeof remaining === 'number' && Number.isFinite(remaining) ? Math.max(0, remaining) : (clock.frozen ?? now);
  if (clock.ticker) clearInterval(clock.ticker);
  clock.ticker = null;
  clock.deadline = null;
  updateTimer();
}

function updateTimer() {
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

async function periodicSync() {
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
async function resyncNow({ poll = false } = {}) {
  if (S.stopped || !S.attempt || !candidateSession()) return;
  if (!poll && (!S.section || S.closing)) return;
  clock.lastSync = performance.now();
  S.lastPoll = performance.now();
  try {
    const a = await capi('/api/v1/candidate/attempt');
    if (S.stopped) return;
    S.attempt = a;
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

setInterval(periodicSync, 5000);
watchIntegrity(() => Boolean(S.section) && S.section.status === 'open');
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') resyncNow();
});

// ---------------------------------------------------------------- the answer queue

function ensureQueue() {
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

// ---------------------------------------------------------------- session lost

function sessionLost(err) {
  if (err.code === 'device_replaced') {
    replaced();
    return;
  }
  if (err.code === 'attempt_terminated') {
    terminated();
    return;
  }
  if (S.stopped) return;
  if (S.queue) S.queue.pause();
  stopStream();
  leavePauseQuietly();
  clearMessages();
  stopClock();
  clearCandidate();
  S.section = null;
  S.notice = { kind: 'warn', key: 'take.login.expired' };
  show(loginScreen);
}
onSessionLost(sessionLost);

function replaced() {
  if (S.stopped) return;
  S.stopped = true;
  if (S.queue) S.queue.stop();
  stopStream();
  leavePauseQuietly();
  clearMessages();
  closeTakeDialogs();
  stopClock();
  clearCandidate();
  S.section = null;
  show(() => h('section', { class: 'take-screen', id: 'replaced' },
    h('h1', {}, t('take.replaced.title')),
    h('div', { class: 'notice notice-error', role: 'alert' },
      h('p', {}, t('take.replaced.body')),
      h('p', {}, t('take.replaced.next')))));
}

// ---------------------------------------------------------------- the proctor's live state

/** The CandidateState carried by an Attempt view (the same facts, read from the attempt). */
function stateOfAttempt(a) {
  const open = (a.sections || []).find((s) => s.status === 'open');
  return {
    status: a.status,
    paused: !!a.paused,
    section: open ? open.position : null,
    remaining_ms: typeof a.remaining_ms === 'number' ? a.remaining_ms : null,
    lobby: a.lobby || null,
    messages: Array.isArray(a.messages) ? a.messages : [],
  };
}

/** Opens the live line to the proctor (once per signed-in page). */
function ensureStream() {
  if (S.stream || S.stopped || !candidateSession()) return;
  const stream = openCandidateStream({
    onState: (st) => {
      if (S.stream === stream) applyState(st);
    },
    onRefused: (status, body) => {
      if (S.stream !== stream) return;
      S.stream = null;
      sessionLost({ status, code: (body && body.code) || 'http_' + status, message: (body && body.message) || '' });
    },
  });
  S.stream = stream;
}

function stopStream() {
  if (S.stream) S.stream.stop();
  S.stream = null;
}

/** Reads the attempt now and takes its state, whatever the live line says (after a refusal). */
async function refreshState() {
  try {
    const a = await capi('/api/v1/candidate/attempt');
    if (S.stopped) return;
    S.attempt = a;
    applyState(stateOfAttempt(a));
  } catch {
    /* the live line or the next poll brings it */
  }
}

function lobbyState() {
  if (S.live && S.live.lobby !== undefined) return S.live.lobby || null;
  return (S.attempt && S.attempt.lobby) || null;
}

/** A lobby campaign, and this candidate may not start yet (not admitted, or the session not started). */
function lobbyWaiting() {
  const l = lobbyState();
  return !!l && (!l.admitted || !l.session_started);
}

/**
 * Takes a CandidateState: messages, the end by a proctor, pause and resume, extra time, and the
 * lobby. A state read from a poll is ignored while the live line works (it may be older).
 */
function applyState(st, { fromPoll = false } = {}) {
  if (!st || S.stopped || !candidateSession()) return;
  if (fromPoll && S.stream && S.stream.live()) return;
  const lobbyBefore = JSON.stringify(lobbyState());
  S.live = st;
  if (S.attempt) {
    S.attempt.paused = !!st.paused;
    S.attempt.lobby = st.lobby || null;
  }
  showMessages(Array.isArray(st.messages) ? st.messages : []);
  if (st.status === 'terminated') {
    terminated();
    return;
  }
  if (st.paused) enterPause(st.remaining_ms);
  else if (S.paused) leavePause(st.remaining_ms);
  else if (S.section && st.section === S.section.position && typeof st.remaining_ms === 'number') extendTo(st.remaining_ms);
  if (S.render === sectionsScreen && !S.section && !S.opening) {
    const l = st.lobby;
    if (l && l.admitted && l.session_started && typeof st.section === 'number' && !st.paused) {
      // The proctor started the session: the first section runs for everyone now.
      enterStartedSection(st.section);
      return;
    }
    if (JSON.stringify(lobbyState()) !== lobbyBefore) rerender();
  }
}

/** The deadline moved (extra time): the countdown follows, even after the local clock ran out. */
function extendTo(remaining) {
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

/** Opens a section the proctor's start opened on the server, with its instructions first. */
async function enterStartedSection(position) {
  S.opening = true;
  try {
    await loadAttempt();
    const section = await capi(`/api/v1/candidate/sections/${position}`);
    if (section.status !== 'open') {
      rerender();
      return;
    }
    S.notice = null;
    S.preview = null;
    enterSection(section, { resume: false });
    const hasIntro = section.instructions || (section.practice || []).length > 0;
    if (!hasIntro && S.phase === 'intro') {
      S.phase = 'items';
      savePos();
    }
    showSectionPhase();
  } catch (err) {
    if (isSessionOver(err)) return;
    S.notice = null;
    show(() => h('section', { class: 'take-screen' }, h('h1', {}, t('take.title')), errorBox(err),
      h('p', {}, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openSection(position, { resume: true }) }, t('take.retry')))));
  } finally {
    S.opening = false;
  }
}

/** Closes the page's own dialogs (a submit confirmation): nothing may be done while paused or after the end. */
function closeTakeDialogs() {
  const d = $('#confirm-dialog');
  if (d) {
    if (d.open) d.close();
    d.remove();
  }
}

/** The proctor paused the test: the clock stands still, answers wait, the page says why. */
function enterPause(remaining) {
  const first = !S.paused;
  S.paused = true;
  if (S.queue) S.queue.pause();
  if (first && S.current) S.current.flush(); // a typed answer goes into the held queue
  freezeClock(remaining);
  renderSaveStatus();
  if (!first) {
    renderPauseOverlay();
    return;
  }
  closeTakeDialogs();
  main.inert = true;
  testbar.inert = true;
  renderPauseOverlay();
  const box = $('#pause-overlay .take-overlay-box');
  if (box) box.focus();
}

/** The proctor resumed: the clock runs again from the server's time, waiting answers go out. */
function leavePause(remaining) {
  const frozen = clock.frozen;
  leavePauseQuietly();
  if (S.queue && !S.queue.stopped) S.queue.resume();
  if (S.section) syncClock(typeof remaining === 'number' ? remaining : frozen);
  renderSaveStatus();
  const target = main.querySelector('[data-focus]') || main.querySelector('h1');
  if (target) {
    if (!target.hasAttribute('tabindex') && !/^(INPUT|BUTTON|SELECT|TEXTAREA|A)$/.test(target.tagName)) target.setAttribute('tabindex', '-1');
    target.focus();
  }
}

/** Takes the pause notice away without touching the queue or the clock (sign-out, the end). */
function leavePauseQuietly() {
  S.paused = false;
  clock.frozen = null;
  main.inert = false;
  testbar.inert = false;
  const el = $('#pause-overlay');
  if (el) el.remove();
  $('#timer').classList.remove('timer-paused');
}

function renderPauseOverlay() {
  if (!S.paused) return;
  let el = $('#pause-overlay');
  if (!el) {
    el = h('div', { id: 'pause-overlay', class: 'take-overlay', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'pause-title', 'aria-describedby': 'pause-body' });
    document.body.append(el);
  }
  const rem = remainingMs();
  el.replaceChildren(h('div', { class: 'take-overlay-box', tabindex: '-1' },
    h('div', { class: 'take-overlay-icon', 'aria-hidden': 'true' }, h('span', { class: 'take-pause-sign' })),
    h('h2', { id: 'pause-title' }, t('take.paused.title')),
    h('p', { id: 'pause-body' }, t('take.paused.body')),
    S.section && rem !== null ? h('p', {}, t('take.paused.left'), ' ', h('span', { class: 'take-overlay-time', id: 'pause-time' }, clockText(rem))) : null,
    h('p', { class: 'small muted' }, t('take.paused.wait'))));
}

/** The box of proctor messages (outside <main>, so it stays over every screen and the pause). */
function messagesBox() {
  let box = $('#take-messages');
  if (!box) {
    box = h('div', { id: 'take-messages', class: 'take-messages', 'aria-live': 'assertive' });
    document.body.append(box);
  }
  return box;
}

function messageNode(m) {
  const time = m.at ? formatTime(m.at) : '';
  const headId = 'message-head-' + m.id;
  return h('div', { class: 'notice notice-info take-message', role: 'alert', 'aria-labelledby': headId, dataset: { message: m.id } },
    h('p', { class: 'take-message-head', id: headId }, t('take.message.title'), time ? ` · ${time}` : ''),
    h('p', { class: 'take-message-text' }, m.text),
    h('button', { type: 'button', class: 'btn btn-primary take-message-dismiss', onclick: () => dismissMessage(m.id) }, t('take.message.dismiss')));
}

/** Shows the proctor's messages not yet dismissed (new ones are added, the others stay as they are). */
function showMessages(list) {
  S.messages = list.filter((m) => m && m.id && !S.dismissed.has(m.id));
  const box = messagesBox();
  const wanted = new Set(S.messages.map((m) => String(m.id)));
  for (const el of [...box.children]) if (!wanted.has(el.dataset.message)) el.remove();
  for (const m of S.messages) {
    if (!box.querySelector(`[data-message="${CSS.escape(String(m.id))}"]`)) box.append(messageNode(m));
  }
}

function renderMessages() {
  const box = $('#take-messages');
  if (box) box.replaceChildren(...(S.messages || []).map(messageNode));
}

function clearMessages() {
  S.messages = [];
  const box = $('#take-messages');
  if (box) box.replaceChildren();
}

async function dismissMessage(id) {
  S.dismissed.add(id);
  S.messages = (S.messages || []).filter((m) => m.id !== id);
  const el = $(`#take-messages [data-message="${CSS.escape(String(id))}"]`);
  const next = el && (el.nextElementSibling || el.previousElementSibling);
  if (el) el.remove();
  const focus = next && next.querySelector('button');
  if (focus) focus.focus();
  for (let tries = 0; tries < 3; tries++) {
    try {
      await capi(`/api/v1/candidate/messages/${encodeURIComponent(id)}/dismiss`, { method: 'POST' });
      return;
    } catch (err) {
      if (err.status !== 0 && err.status < 500) return;
      await new Promise((r) => setTimeout(r, 2000 * (tries + 1)));
    }
  }
}

/** A proctor ended the test: nothing more is sent, and the page says so. */
function terminated() {
  if (S.stopped) return;
  S.stopped = true;
  if (S.current) S.current.flush();
  if (S.queue) S.queue.stop();
  stopStream();
  leavePauseQuietly();
  closeTakeDialogs();
  stopClock();
  forgetImages();
  S.section = null;
  S.phase = null;
  S.current = null;
  sessionStorage.removeItem(POS_KEY);
  show(terminatedScreen);
}

function terminatedScreen() {
  return h('section', { class: 'take-screen take-narrow', id: 'terminated' },
    h('h1', {}, t('take.terminated.title')),
    h('div', { class: 'notice notice-error', role: 'alert' },
      h('p', {}, t('take.terminated.body')),
      h('p', {}, t('take.terminated.next'))),
    h('p', {}, h('button', { type: 'button', class: 'btn', id: 'terminated-signout', onclick: signOut }, t('nav.signout'))));
}

// ---------------------------------------------------------------- sign-in

function loginScreen() {
  const prev = {
    code: $('#code') ? $('#code').value : '',
    nip: $('#nip') ? $('#nip').value : '',
    birth: $('#birth') ? $('#birth').value : '',
    factor: (document.querySelector('input[name="factor"]:checked') || {}).value || 'nip',
  };
  const notice = S.notice && S.notice.key.startsWith('take.login')
    ? h('div', { class: `notice notice-${S.notice.kind}`, role: 'status' }, h('p', {}, t(S.notice.key)))
    : null;
  const codeField = h('div', { class: 'field' },
    h('label', { for: 'code' }, t('take.login.code')),
    h('input', {
      id: 'code', name: 'code', type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
      required: true, 'aria-describedby': 'code-hint', class: 'take-code', value: prev.code, maxlength: '20',
    }),
    h('p', { class: 'hint', id: 'code-hint' }, t('take.login.code.hint')));
  const chooser = h('fieldset', { class: 'take-choose' },
    h('legend', {}, t('take.login.factor')),
    h('div', { class: 'take-seg-row' },
      h('label', { class: 'take-seg' }, h('input', { type: 'radio', name: 'factor', value: 'nip', checked: prev.factor === 'nip' }), h('span', {}, t('take.login.byNip'))),
      h('label', { class: 'take-seg' }, h('input', { type: 'radio', name: 'factor', value: 'birth', checked: prev.factor === 'birth' }), h('span', {}, t('take.login.byBirth')))));
  const nipField = h('div', { class: 'field', id: 'nip-field', hidden: prev.factor !== 'nip' },
    h('label', { for: 'nip' }, t('take.login.nip')),
    h('input', { id: 'nip', name: 'nip', type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'nip-hint', value: prev.nip, maxlength: '24' }),
    h('p', { class: 'hint', id: 'nip-hint' }, t('take.login.nip.hint')));
  const birthField = h('div', { class: 'field', id: 'birth-field', hidden: prev.factor !== 'birth' },
    h('label', { for: 'birth' }, t('take.login.birth')),
    h('input', { id: 'birth', name: 'birth', type: 'date', autocomplete: 'bday', value: prev.birth, min: '1940-01-01', max: '2015-12-31' }));
  const errorRegion = h('div', { id: 'take-login-error', 'aria-live': 'assertive' }, S.loginError ? errorBox(S.loginError, 'take-login-error') : null);
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', id: 'take-login-submit' }, t('take.login.submit'));
  const form = h('form', { id: 'take-login', class: 'card take-card', novalidate: true }, codeField, chooser, nipField, birthField, errorRegion, submit);
  chooser.addEventListener('change', () => {
    const f = form.querySelector('input[name="factor"]:checked').value;
    nipField.hidden = f !== 'nip';
    birthField.hidden = f !== 'birth';
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    signIn(form);
  });
  return h('section', { class: 'take-screen take-narrow', id: 'login' },
    h('h1', {}, t('take.login.title')),
    h('p', { class: 'muted' }, t('take.login.intro')),
    notice,
    form,
    h('p', { class: 'small muted' }, t('take.login.staff'), ' ', h('a', { href: '/login' }, t('take.login.staffLink'))));
}

function normaliseCode(raw) {
  const c = raw.toUpperCase().replace(/[\s_]+/g, '').replace(/[–—]/g, '-');
  if (/^[A-Z0-9]{10}$/.test(c)) return c.slice(0, 5) + '-' + c.slice(5);
  return c;
}

function fieldError(input, key) {
  input.setAttribute('aria-invalid', 'true');
  const id = input.id + '-error';
  let p = document.getElementById(id);
  if (!p) {
    p = h('p', { class: 'field-error', id });
    input.after(p);
  }
  p.textContent = t(key);
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
}

function clearFieldErrors(form) {
  for (const p of form.querySelectorAll('.field-error')) p.remove();
  for (const i of form.querySelectorAll('[aria-invalid]')) {
    i.removeAttribute('aria-invalid');
    const d = (i.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.endsWith('-error')).join(' ');
    if (d) i.setAttribute('aria-describedby', d);
  }
}

async function signIn(form) {
  const errorRegion = $('#take-login-error');
  S.loginError = null;
  errorRegion.replaceChildren();
  clearFieldErrors(form);
  const codeInput = $('#code');
  const code = normaliseCode(codeInput.value);
  const factor = form.querySelector('input[name="factor"]:checked').value;
  const body = { code };
  let bad = null;
  if (!code) {
    fieldError(codeInput, 'take.login.code.missing');
    bad = bad || codeInput;
  }
  if (factor === 'nip') {
    const nipInput = $('#nip');
    const nip = nipInput.value.replace(/[\s.\-]/g, '');
    if (!/^\d{18}$/.test(nip)) {
      fieldError(nipInput, 'take.login.nip.invalid');
      bad = bad || nipInput;
    }
    body.nip = nip;
  } else {
    const birthInput = $('#birth');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(birthInput.value)) {
      fieldError(birthInput, 'take.login.birth.missing');
      bad = bad || birthInput;
    }
    body.birth_date = birthInput.value;
  }
  if (bad) {
    bad.focus();
    return;
  }
  const submit = $('#take-login-submit');
  submit.disabled = true;
  submit.textContent = t('take.login.busy');
  try {
    const outcome = await capi('/api/v1/candidate/login', { method: 'POST', body, auth: false });
    saveCandidate(outcome);
    S.notice = null;
    S.loginError = null;
    S.stopped = false;
    S.attempt = outcome.attempt || null;
    await route();
  } catch (err) {
    S.loginError = err;
    $('#take-login-error').replaceChildren(errorBox(err, 'take-login-error'));
    submit.disabled = false;
    submit.textContent = t('take.login.submit');
  }
}

// ---------------------------------------------------------------- routing

async function loadAttempt() {
  S.attempt = await capi('/api/v1/candidate/attempt');
  rememberAttempt(S.attempt);
  return S.attempt;
}

/** Shows whatever the attempt is at: consent, an open section, the list, or the end. */
async function route() {
  if (!candidateSession()) {
    show(loginScreen, { focus: false });
    const c = $('#code');
    if (c) c.focus();
    return;
  }
  try {
    if (!S.attempt) await loadAttempt();
  } catch (err) {
    if (isSessionOver(err)) return; // onSessionLost took over
    show(() => h('section', { class: 'take-screen' }, h('h1', {}, t('take.title')), errorBox(err),
      h('p', {}, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => route() }, t('take.retry')))));
    return;
  }
  rememberAttempt(S.attempt);
  const a = S.attempt;
  if (a.status === 'terminated') return terminated();
  ensureQueue();
  if (a.status === 'finished') return ended(endScreen);
  if (a.status === 'expired') return ended(expiredScreen);
  S.live = stateOfAttempt(a);
  ensureStream();
  showMessages(S.live.messages);
  if (S.live.paused) enterPause(S.live.remaining_ms);
  if (a.consent_required) return show(consentScreen);
  const open = (a.sections || []).find((s) => s.status === 'open');
  if (open) return openSection(open.position, { resume: true });
  return show(sectionsScreen);
}

/** Shows the end (or the expired notice): nothing more can happen, so the live line closes. */
function ended(screen) {
  stopStream();
  leavePauseQuietly();
  show(screen);
}

// ---------------------------------------------------------------- consent

function consentScreen() {
  const a = S.attempt;
  const org = (a.organisation && a.organisation.name) || '';
  const campaign = (a.campaign && a.campaign.name) || '';
  const p = a.participant || {};
  const err = h('div', { id: 'consent-error', 'aria-live': 'assertive' });
  const agree = h('button', { type: 'button', class: 'btn btn-primary btn-block', id: 'consent-accept' }, t('take.consent.accept'));
  agree.addEventListener('click', async () => {
    agree.disabled = true;
    err.replaceChildren();
    try {
      S.attempt = await capi('/api/v1/candidate/consent', { method: 'POST', body: { accept: true } });
      show(sectionsScreen);
    } catch (e) {
      agree.disabled = false;
      err.replaceChildren(errorBox(e));
    }
  });
  return h('section', { class: 'take-screen take-narrow', id: 'consent' },
    h('h1', {}, t('take.consent.title')),
    h('p', { class: 'take-identity' }, t('take.consent.you', { name: p.name || '', nip: p.nip || '' })),
    h('div', { class: 'card take-card' },
      h('h2', {}, t('take.consent.purpose.title')),
      h('p', {}, t('take.consent.purpose', { org, campaign })),
      h('h2', {}, t('take.consent.kept.title')),
      h('p', {}, t('take.consent.kept')),
      h('p', {}, t('take.consent.law')),
      h('h2', {}, t('take.consent.contact.title')),
      h('p', {}, t('take.consent.contact', { org })),
      err,
      agree,
      h('p', { class: 'small muted take-consent-no' }, t('take.consent.no'))));
}

// ---------------------------------------------------------------- the list of sections

function statusBadge(s) {
  if (s.status === 'open') return h('span', { class: 'badge badge-info' }, t('take.status.open'));
  if (s.status === 'closed') {
    return s.closed_reason === 'timeout'
      ? h('span', { class: 'badge badge-warn' }, t('take.status.timeout'))
      : h('span', { class: 'badge badge-ok' }, t('take.status.done'));
  }
  return h('span', { class: 'badge badge-muted' }, t('take.status.pending'));
}

function sectionsScreen() {
  const a = S.attempt;
  const sections = a.sections || [];
  const current = sections.find((s) => s.status !== 'closed');
  const notice = S.notice && !S.notice.key.startsWith('take.login')
    ? h('div', { class: `notice notice-${S.notice.kind}`, role: 'status', id: 'sections-notice' }, h('p', {}, t(S.notice.key, S.notice.vars)))
    : null;
  const waiting = lobbyWaiting();
  const list = h('ol', { class: 'take-sections', id: 'section-list' }, sections.map((s) => {
    const isCurrent = current && s.position === current.position;
    const action = isCurrent && !waiting
      ? h('button', {
        type: 'button', class: 'btn btn-primary', dataset: { action: 'open' },
        onclick: () => openSection(s.position, { resume: s.status === 'open' }),
      }, s.status === 'open' ? t('take.sections.resume') : t('take.sections.open'))
      : null;
    return h('li', { class: 'take-section' + (isCurrent ? ' is-current' : ''), dataset: { position: String(s.position), status: s.status, reason: s.closed_reason || '' } },
      h('div', { class: 'take-section-main' },
        h('span', { class: 'take-section-no', 'aria-hidden': 'true' }, String(s.position + 1)),
        h('div', {},
          h('h2', { class: 'take-section-title' }, tx(s.title)),
          h('p', { class: 'small muted' }, t('take.sections.meta', { items: s.item_count ?? '–', time: minutes(s.time_limit_seconds) })))),
      h('div', { class: 'take-section-end' }, statusBadge(s), action));
  }));
  const allDone = sections.length > 0 && !current;
  const finishErr = h('div', { id: 'finish-error', 'aria-live': 'assertive' });
  const finish = allDone ? h('div', { class: 'card take-card take-finish' },
    h('h2', {}, t('take.finish.title')),
    h('p', {}, t('take.finish.body')),
    finishErr,
    h('button', { type: 'button', class: 'btn btn-primary btn-block', id: 'finish-test', onclick: (e) => finishTest(e.currentTarget, finishErr) }, t('take.finish.button'))) : null;
  return h('section', { class: 'take-screen', id: 'sections' },
    h('h1', {}, t('take.sections.title')),
    h('p', { class: 'muted' }, [a.campaign && a.campaign.name, a.organisation && a.organisation.name].filter(Boolean).join(' · ')),
    notice,
    waiting && current ? lobbyPanel() : null,
    list,
    finish,
    !allDone && a.campaign && a.campaign.closes_at ? h('p', { class: 'small muted' }, t('take.sections.closes', { when: formatDate(a.campaign.closes_at) })) : null);
}

/** The lobby: waiting to be admitted, or admitted and waiting for the proctor to start. */
function lobbyPanel() {
  const lobby = lobbyState() || {};
  const step = lobby.admitted ? 'admitted' : 'waiting';
  return h('div', { class: 'card take-card take-lobby', id: 'lobby-wait', role: 'status', 'aria-live': 'polite', dataset: { step } },
    h('h2', {}, h('span', { class: 'take-lobby-dot', 'aria-hidden': 'true' }), t('take.lobby.title')),
    h('p', { class: 'take-lobby-step' }, t(lobby.admitted ? 'take.lobby.admitted' : 'take.lobby.notAdmitted')),
    h('p', { class: 'small muted' }, t('take.lobby.hint')));
}

async function finishTest(button, errBox) {
  button.disabled = true;
  errBox.replaceChildren();
  try {
    S.attempt = await capi('/api/v1/candidate/finish', { method: 'POST' });
    S.notice = null;
    sessionStorage.removeItem(POS_KEY);
    ended(endScreen);
  } catch (err) {
    button.disabled = false;
    errBox.replaceChildren(errorBox(err));
  }
}

// ---------------------------------------------------------------- opening a section

/** Fills answers and flags from the server's responses, then from what still waits in the queue. */
function restoreAnswers(section) {
  S.answers = new Map();
  S.flags = new Map();
  for (const [id, r] of Object.entries(section.responses || {})) {
    if (!r) continue;
    if (r.response) S.answers.set(id, r.response);
    if (r.flagged) S.flags.set(id, true);
    if (S.queue) S.queue.bumpSeq(r.seq);
  }
  if (S.queue) {
    for (const e of S.queue.entries) {
      if (e.section !== section.position) continue;
      S.answers.set(e.item, e.response);
      S.flags.set(e.item, !!e.flagged);
    }
  }
  const local = readLocalFlags();
  for (const it of section.items || []) if (it.id in local) S.flags.set(it.id, !!local[it.id]);
}

function firstUseful(section) {
  const items = section.items || [];
  if (section.navigation === 'forward_only') {
    let last = -1;
    items.forEach((it, i) => {
      if (isAnswered(S.answers.get(it.id))) last = i;
    });
    return Math.max(0, last);
  }
  const i = items.findIndex((it) => !isAnswered(S.answers.get(it.id)));
  return i < 0 ? 0 : i;
}

/** Takes an open (started) section into the page and resumes where the candidate was. */
function enterSection(section, { resume }) {
  if (!S.section || S.section.position !== section.position) {
    forgetImages();
    clock.warned = new Set();
  }
  S.section = section;
  S.timeUp = false;
  S.closing = false;
  S.skipArmed = false;
  clock.limitMs = (section.time_limit_seconds || 0) * 1000;
  restoreAnswers(section);
  const pos = readPos();
  const n = (section.items || []).length;
  if (pos && pos.section === section.position) {
    S.phase = pos.phase === 'intro' ? 'intro' : 'items';
    S.index = Math.min(Math.max(0, pos.index | 0), section.navigation === 'forward_only' ? n : Math.max(0, n - 1));
  } else if (resume) {
    S.phase = 'items';
    S.index = firstUseful(section);
  } else {
    S.phase = 'intro';
    S.index = 0;
  }
  savePos();
  syncClock(section.remaining_ms);
}

async function openSection(position, { resume = false } = {}) {
  S.notice = null;
  S.preview = null;
  show(() => h('section', { class: 'take-screen' }, h('h1', {}, tx((sectionOf(position) || {}).title)), h('p', { class: 'muted' }, t('loading'))));
  try {
    const summary = sectionOf(position);
    if (summary && summary.status === 'open') {
      const section = await capi(`/api/v1/candidate/sections/${position}`);
      if (section.status === 'closed') return sectionClosed('timeout', position);
      enterSection(section, { resume });
      return showSectionPhase();
    }
    // Not started: show the instructions first when the server gives them before the start.
    try {
      const preview = await capi(`/api/v1/candidate/sections/${position}`);
      if (preview && preview.status === 'open') {
        enterSection(preview, { resume: true });
        return showSectionPhase();
      }
      if (preview && preview.status !== 'closed') S.preview = preview;
    } catch (err) {
      if (isSessionOver(err)) return;
      /* a section that has not started may have nothing to show yet */
    }
    S.section = null;
    stopClock();
    show(() => introScreen(position));
  } catch (err) {
    if (isSessionOver(err)) return;
    if (err.code === 'section_closed') return sectionClosed('timeout', position);
    show(() => h('section', { class: 'take-screen' }, h('h1', {}, t('take.title')), errorBox(err),
      h('p', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-primary', onclick: () => openSection(position, { resume }) }, t('take.retry')),
        h('button', { type: 'button', class: 'btn', onclick: () => backToList() }, t('take.toList')))));
  }
}

function showSectionPhase() {
  if (S.phase === 'intro') show(() => introScreen(S.section.position));
  else show(itemsScreen);
}

async function startSection(position, button, errBox) {
  button.disabled = true;
  errBox.replaceChildren();
  try {
    const section = await capi(`/api/v1/candidate/sections/${position}/start`, { method: 'POST' });
    const sawInstructions = !!S.preview;
    S.preview = null;
    enterSection(section, { resume: false });
    const hasIntro = section.instructions || (section.practice || []).length > 0;
    S.phase = sawInstructions || !hasIntro ? 'items' : 'intro';
    S.index = 0;
    savePos();
    showSectionPhase();
  } catch (err) {
    button.disabled = false;
    if (isSessionOver(err)) return;
    if (err.code === 'section_not_current' || err.code === 'section_closed' || err.code === 'consent_required') {
      try {
        await loadAttempt();
      } catch {
        /* shown below */
      }
    }
    if (err.code === 'not_admitted' || err.code === 'session_not_started' || err.code === 'attempt_paused') {
      // The lobby or a pause the page did not know of yet: take the proctor's state now.
      await refreshState();
      if (err.code !== 'attempt_paused' && S.render !== sectionsScreen && lobbyWaiting()) {
        show(sectionsScreen);
        return;
      }
    }
    errBox.replaceChildren(errorBox(err));
  }
}

function navigationText(nav) {
  return nav === 'forward_only' ? t('take.nav.forwardOnly') : t('take.nav.free');
}

function introScreen(position) {
  const summary = sectionOf(position) || {};
  const source = S.section && S.section.position === position ? S.section : S.preview;
  const started = !!(S.section && S.section.position === position);
  const title = tx((source && source.title) || summary.title);
  const total = (S.attempt.sections || []).length;
  const items = source && source.items ? source.items.length : summary.item_count;
  const limit = (source && source.time_limit_seconds) || summary.time_limit_seconds;
  const nav = source && source.navigation;
  const errBox = h('div', { id: 'start-error', 'aria-live': 'assertive' });
  const facts = h('ul', { class: 'take-facts' },
    h('li', {}, h('strong', {}, t('take.intro.time')), ' ', minutes(limit)),
    h('li', {}, h('strong', {}, t('take.intro.items')), ' ', String(items ?? '–')),
    nav ? h('li', {}, navigationText(nav)) : null);
  const practice = source ? (source.practice || []) : [];
  const practiceBlock = practice.length ? h('section', { class: 'take-practice', 'aria-labelledby': 'practice-title' },
    h('h2', { id: 'practice-title' }, t('take.practice.title')),
    h('p', { class: 'small muted' }, t('take.practice.note')),
    practice.map((item, i) => {
      const r = renderCandidateItem(item, {
        name: `p${i}`,
        response: S.practice.get(item.id) || null,
        disabled: false,
        image,
        onAnswer: (resp) => S.practice.set(item.id, resp),
      });
      return h('div', { class: 'card take-item take-practice-item', dataset: { practice: item.id } },
        h('h3', { class: 'take-item-no' }, practice.length > 1 ? t('take.practice.n', { n: i + 1 }) : t('item.practice')),
        r.el);
    })) : null;
  const button = started
    ? h('button', { type: 'button', class: 'btn btn-primary btn-block', id: 'begin-items', onclick: () => {
      S.phase = 'items';
      S.index = 0;
      savePos();
      show(itemsScreen);
    } }, t('take.intro.begin'))
    : h('button', { type: 'button', class: 'btn btn-primary btn-block', id: 'start-section', onclick: (e) => startSection(position, e.currentTarget, errBox) }, t('take.intro.start'));
  return h('section', { class: 'take-screen', id: 'intro', dataset: { position: String(position) } },
    h('p', { class: 'take-kicker' }, t('take.section.of', { n: position + 1, total })),
    h('h1', {}, title),
    facts,
    source && source.instructions ? h('div', { class: 'instructions take-instructions' }, h('h2', { class: 'sr-only' }, t('take.intro.instructions')), h('p', {}, tx(source.instructions))) : null,
    !started && !source ? h('p', {}, t('take.intro.noPreview')) : null,
    practiceBlock,
    h('div', { class: 'card take-card take-start' },
      h('p', {}, started ? t('take.intro.running') : t('take.intro.clock', { time: minutes(limit) })),
      errBox,
      button),
    !started ? h('p', {}, h('button', { type: 'button', class: 'btn', onclick: () => backToList() }, t('take.toList'))) : null);
}

function backToList() {
  S.preview = null;
  show(sectionsScreen);
}

// ---------------------------------------------------------------- items

function items() {
  return (S.section && S.section.items) || [];
}

function answeredCount() {
  return items().filter((it) => isAnswered(S.answers.get(it.id))).length;
}

function flaggedCount() {
  return items().filter((it) => S.flags.get(it.id)).length;
}

function answer(item, response) {
  if (S.timeUp || S.stopped || !S.section) return;
  S.answers.set(item.id, response);
  S.skipArmed = false;
  const hint = $('#skip-hint');
  if (hint) hint.textContent = '';
  const box = $('#item-error');
  if (box) box.replaceChildren();
  S.queue.enqueue({ section: S.section.position, item: item.id, response, flagged: !!S.flags.get(item.id) });
  updateProgress();
}

function toggleFlag(item, button) {
  const v = !S.flags.get(item.id);
  S.flags.set(item.id, v);
  writeLocalFlag(item.id, v);
  button.setAttribute('aria-pressed', String(v));
  const r = S.answers.get(item.id);
  if (isAnswered(r) && !S.timeUp) S.queue.enqueue({ section: S.section.position, item: item.id, response: r, flagged: v });
  updateProgress();
}

function updateProgress() {
  const n = items().length;
  const done = answeredCount();
  const bar = $('#progress');
  if (bar) {
    bar.setAttribute('aria-valuenow', String(done));
    bar.setAttribute('aria-valuetext', t('take.progress.answered', { done, n }));
    $('#progress-fill').style.width = (n ? (100 * done) / n : 0) + '%';
    $('#progress-text').textContent = t('take.progress.answered', { done, n });
  }
  for (const b of document.querySelectorAll('#item-nav button[data-index]')) {
    const it = items()[Number(b.dataset.index)];
    if (!it) continue;
    const a = isAnswered(S.answers.get(it.id));
    const f = !!S.flags.get(it.id);
    b.classList.toggle('is-answered', a);
    b.classList.toggle('is-flagged', f);
    b.setAttribute('aria-label', navLabel(Number(b.dataset.index), a, f));
  }
}

function navLabel(i, answered, flagged) {
  const parts = [t('take.item.n', { n: i + 1 })];
  parts.push(answered ? t('take.nav.answered') : t('take.nav.unanswered'));
  if (flagged) parts.push(t('take.nav.flagged'));
  return parts.join(', ');
}

function goTo(i) {
  if (S.current) S.current.flush();
  const n = items().length;
  const forward = S.section.navigation === 'forward_only';
  if (forward && i < S.index) return; // never back
  S.index = Math.max(0, Math.min(i, forward ? n : n - 1));
  S.skipArmed = false;
  savePos();
  show(itemsScreen);
}

function next() {
  const it = items()[S.index];
  if (S.section.navigation === 'forward_only' && it && !isAnswered(S.answers.get(it.id)) && !S.skipArmed && !S.timeUp) {
    S.skipArmed = true;
    $('#skip-hint').textContent = t('take.nav.skipConfirm');
    return;
  }
  goTo(S.index + 1);
}

function itemsScreen() {
  const list = items();
  const n = list.length;
  const forward = S.section.navigation === 'forward_only';
  const total = (S.attempt.sections || []).length;
  const done = answeredCount();
  const progress = h('div', { class: 'take-progress' },
    h('div', { class: 'take-progress-row' },
      h('span', { class: 'take-kicker' }, t('take.section.of', { n: S.section.position + 1, total }), ' · ', tx(S.section.title)),
      h('span', { id: 'progress-text', class: 'small' }, t('take.progress.answered', { done, n }))),
    h('div', {
      class: 'take-bar', id: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(n), 'aria-valuenow': String(done),
      'aria-valuetext': t('take.progress.answered', { done, n }), 'aria-label': t('take.progress.label'),
    }, h('span', { class: 'take-bar-fill', id: 'progress-fill' })));
  $('#progress-fill', progress).style.width = (n ? (100 * done) / n : 0) + '%';

  if (S.index >= n) {
    // The end of a forward-only section.
    S.current = null;
    return h('section', { class: 'take-screen', id: 'items', dataset: { index: String(S.index) } },
      progress,
      h('div', { class: 'card take-card take-end-of-section' },
        h('h1', { id: 'end-of-section' }, t('take.section.end.title')),
        h('p', {}, t('take.section.end.body', { done, n })),
        h('div', { id: 'item-error', 'aria-live': 'assertive' }),
        h('button', { type: 'button', class: 'btn btn-primary btn-block', id: 'submit-section', onclick: () => confirmSubmit() }, t('take.submit.button'))));
  }

  const item = list[S.index];
  const flagged = !!S.flags.get(item.id);
  const rendered = renderCandidateItem(item, {
    name: `q${S.index}`,
    response: S.answers.get(item.id) || null,
    disabled: S.timeUp,
    image,
    onAnswer: (resp) => answer(item, resp),
  });
  S.current = rendered;
  // Flagging for review belongs to free navigation (there is no coming back otherwise).
  let flagBtn = null;
  if (!forward) {
    flagBtn = h('button', {
      type: 'button', class: 'btn btn-small take-flag', id: 'flag-item', 'aria-pressed': String(flagged),
    }, h('span', { 'aria-hidden': 'true' }, '⚑ '), t('take.nav.flag'));
    flagBtn.addEventListener('click', () => toggleFlag(item, flagBtn));
  }
  const form = h('form', { class: 'card take-item', id: 'item-form', novalidate: true, dataset: { item: item.id, format: item.format, index: String(S.index) } },
    h('div', { class: 'take-item-head' },
      h('h1', { class: 'take-item-no', id: 'item-title', tabindex: '-1', 'data-focus': '' }, t('take.item.of', { n: S.index + 1, total: n })),
      flagBtn),
    rendered.el,
    h('div', { id: 'item-error', 'aria-live': 'assertive' }));
  // Enter saves at once (a typed number would otherwise wait for the pause in typing).
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    rendered.flush();
    if (S.queue) S.queue.retryNow();
  });

  const buttons = h('div', { class: 'take-nav-row' });
  if (!forward) {
    buttons.append(h('button', { type: 'button', class: 'btn', id: 'prev-item', disabled: S.index === 0, onclick: () => goTo(S.index - 1) }, '← ', t('take.nav.prev')));
    if (S.index < n - 1) buttons.append(h('button', { type: 'button', class: 'btn btn-primary', id: 'next-item', onclick: () => goTo(S.index + 1) }, t('take.nav.next'), ' →'));
    else buttons.append(h('button', { type: 'button', class: 'btn btn-primary', id: 'submit-section', onclick: () => confirmSubmit() }, t('take.submit.button')));
  } else {
    buttons.append(h('button', { type: 'button', class: 'btn btn-primary', id: 'next-item', onclick: () => next() },
      S.index < n - 1 ? t('take.nav.next') : t('take.nav.toEnd'), ' →'));
  }
  const skipHint = h('p', { class: 'take-hint', id: 'skip-hint', 'aria-live': 'assertive' });

  let navigator = null;
  if (!forward) {
    navigator = h('nav', { class: 'take-navigator', 'aria-label': t('take.nav.label') },
      h('h2', { class: 'small take-navigator-title' }, t('take.nav.label')),
      h('ol', { id: 'item-nav' }, list.map((it, i) => {
        const a = isAnswered(S.answers.get(it.id));
        const f = !!S.flags.get(it.id);
        return h('li', {}, h('button', {
          type: 'button',
          class: 'take-navbtn' + (a ? ' is-answered' : '') + (f ? ' is-flagged' : '') + (i === S.index ? ' is-current' : ''),
          dataset: { index: String(i) },
          'aria-current': i === S.index ? 'step' : null,
          'aria-label': navLabel(i, a, f),
          onclick: () => goTo(i),
        }, String(i + 1)));
      })),
      h('p', { class: 'small muted take-legend' },
        h('span', { class: 'take-legend-key is-answered', 'aria-hidden': 'true' }), ' ', t('take.nav.answered'), ' ',
        h('span', { class: 'take-legend-key is-flagged', 'aria-hidden': 'true' }), ' ', t('take.nav.flagged')),
      h('p', {}, h('button', { type: 'button', class: 'btn', id: 'submit-section-any', onclick: () => confirmSubmit() }, t('take.submit.button'))));
  } else {
    navigator = h('p', { class: 'small muted take-forward-note' }, t('take.nav.forwardOnly'));
  }

  const timeUpBox = S.timeUp ? h('div', { class: 'notice notice-warn', role: 'status' }, h('p', {}, t('take.time.closing'))) : null;
  return h('section', { class: 'take-screen', id: 'items', dataset: { index: String(S.index), navigation: S.section.navigation } },
    progress, timeUpBox, form, buttons, skipHint, navigator);
}

// ---------------------------------------------------------------- submit, time-out, closing

function confirmSubmit() {
  if (S.current) S.current.flush();
  const pos = S.section.position;
  const n = items().length;
  const done = answeredCount();
  const flagged = flaggedCount();
  const wait = h('p', { id: 'confirm-wait', class: 'take-hint', 'aria-live': 'polite' });
  const errBox = h('div', { id: 'confirm-error', 'aria-live': 'assertive' });
  const cancel = h('button', { type: 'button', class: 'btn', id: 'confirm-cancel' }, t('take.cancel'));
  const ok = h('button', { type: 'button', class: 'btn btn-primary', id: 'confirm-ok' }, t('take.submit.confirm'));
  const dialog = h('dialog', { id: 'confirm-dialog', class: 'take-dialog', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-body' },
    h('h2', { id: 'confirm-title' }, t('take.submit.title')),
    h('p', { id: 'confirm-body' },
      t('take.submit.body', { done, n }), ' ',
      flagged ? t('take.submit.flagged', { n: flagged }) + ' ' : '',
      done < n ? t('take.submit.unanswered', { n: n - done }) + ' ' : '',
      t('take.submit.final')),
    wait, errBox,
    h('div', { class: 'btn-row take-dialog-buttons' }, cancel, ok));
  document.body.append(dialog);
  const close = () => {
    if (dialog.open) dialog.close();
    dialog.remove();
    const back = $('#submit-section') || $('#item-title');
    if (back) back.focus();
  };
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    close();
  });
  ok.addEventListener('click', async () => {
    ok.disabled = true;
    errBox.replaceChildren();
    if (S.queue.pendingFor(pos) > 0) {
      wait.textContent = t('take.submit.waiting');
      const drained = await S.queue.drained(12000);
      if (!drained) {
        wait.textContent = S.queue.state().status === 'offline' ? t('take.submit.offline') : t('take.submit.notSaved');
        ok.disabled = false;
        return;
      }
    }
    wait.textContent = t('take.submit.busy');
    try {
      const attempt = await capi(`/api/v1/candidate/sections/${pos}/submit`, { method: 'POST' });
      dialog.close();
      dialog.remove();
      S.attempt = attempt;
      leaveSection('submitted');
    } catch (err) {
      if (isSessionOver(err)) {
        dialog.remove();
        return;
      }
      if (err.code === 'section_closed') {
        dialog.remove();
        sectionClosed('timeout');
        return;
      }
      wait.textContent = '';
      ok.disabled = false;
      errBox.replaceChildren(errorBox(err));
    }
  });
  dialog.showModal();
  cancel.focus();
}

/** Leaves the section for the list, with a notice saying why. */
function leaveSection(reason) {
  const s = S.section;
  if (S.queue && s) S.queue.dropSection(s.position);
  S.section = null;
  S.phase = null;
  S.current = null;
  S.timeUp = false;
  S.closing = false;
  stopClock();
  forgetImages();
  sessionStorage.removeItem(POS_KEY);
  const title = s ? tx(s.title) : '';
  if (S.attempt && S.attempt.status === 'finished') {
    S.notice = null;
    ended(endScreen);
    return;
  }
  S.notice = reason === 'submitted'
    ? { kind: 'ok', key: 'take.notice.submitted', vars: { title } }
    : { kind: 'warn', key: 'take.notice.timeout', vars: { title } };
  show(sectionsScreen);
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

/** The server says the section closed (deadline, or answered 409 section_closed). */
async function sectionClosed(reason, position) {
  if (position !== undefined && (!S.section || S.section.position !== position)) {
    // Closed before the page entered it: refresh the list.
    try {
      await loadAttempt();
    } catch {
      /* the list shows what is known */
    }
    S.notice = { kind: 'warn', key: 'take.notice.timeout', vars: { title: tx((sectionOf(position) || {}).title) } };
    show(sectionsScreen);
    return;
  }
  if (!S.section) return;
  S.closing = true;
  S.timeUp = true;
  try {
    await loadAttempt();
  } catch {
    /* the list shows what is known */
  }
  const s = S.section && sectionOf(S.section.position);
  leaveSection(s && s.closed_reason === 'submitted' ? 'submitted' : reason);
}

// ---------------------------------------------------------------- the end

function endScreen() {
  const a = S.attempt;
  const org = (a.organisation && a.organisation.name) || '';
  const scores = Array.isArray(a.scores) ? a.scores : null;
  let table = null;
  if (scores && scores.length) {
    const illustrative = scores.some((s) => s.illustrative);
    table = h('section', { class: 'card take-card', 'aria-labelledby': 'scores-title' },
      h('h2', { id: 'scores-title' }, t('take.scores.title')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'take-scores', id: 'scores' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('take.scores.scale')),
          h('th', { scope: 'col', class: 'num' }, t('take.scores.raw')),
          h('th', { scope: 'col', class: 'num' }, t('take.scores.pr')),
          h('th', { scope: 'col', class: 'num' }, t('take.scores.t')),
          h('th', { scope: 'col', class: 'num' }, t('take.scores.stanine')),
          h('th', { scope: 'col', class: 'num' }, t('take.scores.sten')))),
        h('tbody', {}, scores.map((s) => h('tr', { dataset: { scale: s.scale, instrument: s.instrument } },
          h('th', { scope: 'row' }, tx(s.scale_name) || s.scale, s.illustrative ? h('span', { class: 'take-illustrative', 'aria-label': t('take.scores.illustrative') }, ' *') : null),
          h('td', { class: 'num', dataset: { label: t('take.scores.rawShort') } }, formatNumber(s.raw, 2)),
          h('td', { class: 'num', dataset: { label: t('take.scores.pr') } }, formatNumber(s.pr, 1)),
          h('td', { class: 'num', dataset: { label: t('take.scores.t') } }, formatNumber(s.t, 1)),
          h('td', { class: 'num', dataset: { label: t('take.scores.stanine') } }, formatNumber(s.stanine, 0)),
          h('td', { class: 'num', dataset: { label: t('take.scores.sten') } }, formatNumber(s.sten, 0))))))),
      h('p', { class: 'small muted' }, t('take.scores.explain')),
      illustrative ? h('p', { class: 'small notice notice-warn' }, '* ', t('take.scores.illustrativeNote')) : null);
  }
  const out = h('button', { type: 'button', class: 'btn', id: 'end-signout', onclick: signOut }, t('nav.signout'));
  return h('section', { class: 'take-screen', id: 'end' },
    h('h1', {}, t('take.end.title')),
    h('div', { class: 'notice notice-ok', role: 'status' }, h('p', {}, t('take.end.body', { name: (a.participant && a.participant.name) || '' }))),
    table,
    !table ? h('p', {}, t('take.end.noScores', { org })) : null,
    h('p', {}, out));
}

function expiredScreen() {
  const org = (S.attempt.organisation && S.attempt.organisation.name) || '';
  return h('section', { class: 'take-screen take-narrow', id: 'expired' },
    h('h1', {}, t('take.expired.title')),
    h('div', { class: 'notice notice-warn', role: 'status' }, h('p', {}, t('take.expired.body', { org }))),
    h('p', {}, h('button', { type: 'button', class: 'btn', onclick: signOut }, t('nav.signout'))));
}

function signOut() {
  if (S.queue && !S.queue.stopped && S.queue.pendingFor() > 0) {
    const el = $('#save-status');
    el.textContent = t('take.save.waitBeforeLeaving');
    return;
  }
  stopStream();
  leavePauseQuietly();
  clearMessages();
  S.live = null;
  S.dismissed = new Set();
  clearCandidate();
  sessionStorage.removeItem(POS_KEY);
  S.attempt = null;
  S.section = null;
  S.notice = { kind: 'ok', key: 'take.login.signedOut' };
  stopClock();
  show(loginScreen);
}

// ---------------------------------------------------------------- start

renderShell({ nav: false, signOutId: 'take-signout' });
initI18n();
$('#take-signout').addEventListener('click', signOut);
document.addEventListener('langchange', () => {
  rerender();
  renderPauseOverlay();
  renderMessages();
});
window.addEventListener('pagehide', () => {
  if (S.current) S.current.flush();
});
route();
