// The proctor's live state on the candidate page: the live line (take-stream.js) or a poll brings
// a CandidateState, and the page follows it: a pause stops the clock behind a full-screen notice,
// extra time grows the countdown, messages stay until dismissed, the lobby waits for admission and
// start, and an ended test (or a lost session, or another device) shows its end.
import { $, h } from './shell.js';
import { t } from './i18n.js';
import { clockText, formatTime } from './locale.js';
import { candidateSession, capi, clearCandidate, isSessionOver } from './take-api.js';
import { openCandidateStream } from './take-stream.js';
import { POS_KEY, S, clearSnapshot, errorBox, forgetImages, main, renderSaveStatus, rerender, savePos, show, testbar } from './take-state.js';
import { clock, extendTo, freezeClock, remainingMs, stopClock, syncClock } from './take-clock.js';
import { endIfOver, loadAttempt, loginScreen, sectionsScreen, signOut } from './take-screens.js';
import { enterSection, openSection, showSectionPhase } from './take-section.js';

// ---------------------------------------------------------------- session lost

export function sessionLost(err) {
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
  clearSnapshot();
  S.section = null;
  S.notice = { kind: 'warn', key: 'take.login.expired' };
  show(loginScreen);
}

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
  clearSnapshot();
  S.section = null;
  show(() => h('section', { class: 'take-screen', id: 'replaced' },
    h('h1', {}, t('take.replaced.title')),
    h('div', { class: 'notice notice-error', role: 'alert' },
      h('p', {}, t('take.replaced.body')),
      h('p', {}, t('take.replaced.next')))));
}

// ---------------------------------------------------------------- the proctor's live state

/** The CandidateState carried by an Attempt view (the same facts, read from the attempt). */
export function stateOfAttempt(a) {
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
export function ensureStream() {
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

export function stopStream() {
  if (S.stream) S.stream.stop();
  S.stream = null;
}

/** Reads the attempt now and takes its state, whatever the live line says (after a refusal). */
export async function refreshState() {
  try {
    const a = await capi('/api/v1/candidate/attempt');
    if (S.stopped) return;
    S.attempt = a;
    applyState(stateOfAttempt(a));
  } catch {
    /* the live line or the next poll brings it */
  }
}

export function lobbyState() {
  if (S.live && S.live.lobby !== undefined) return S.live.lobby || null;
  return (S.attempt && S.attempt.lobby) || null;
}

/** A lobby campaign, and this candidate may not start yet (not admitted, or the session not started). */
export function lobbyWaiting() {
  const l = lobbyState();
  return !!l && (!l.admitted || !l.session_started);
}

/**
 * Takes a CandidateState: messages, the end by a proctor, pause and resume, extra time, and the
 * lobby. A state read from a poll is ignored while the live line works (it may be older).
 */
export function applyState(st, { fromPoll = false } = {}) {
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
  if ((st.status === 'expired' || st.status === 'finished') && S.attempt && S.attempt.status !== st.status) {
    // The attempt ended on the server (the campaign closed, or the sweep found it over): read it
    // whole (the end screen shows its scores) and show its end.
    endWhenOver();
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

async function endWhenOver() {
  try {
    await loadAttempt();
  } catch {
    return; /* the next state or refused answer brings it */
  }
  endIfOver();
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
export function enterPause(remaining) {
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
export function leavePauseQuietly() {
  S.paused = false;
  clock.frozen = null;
  main.inert = false;
  testbar.inert = false;
  const el = $('#pause-overlay');
  if (el) el.remove();
  $('#timer').classList.remove('timer-paused');
}

export function renderPauseOverlay() {
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
export function showMessages(list) {
  S.messages = list.filter((m) => m && m.id && !S.dismissed.has(m.id));
  const box = messagesBox();
  const wanted = new Set(S.messages.map((m) => String(m.id)));
  for (const el of [...box.children]) if (!wanted.has(el.dataset.message)) el.remove();
  for (const m of S.messages) {
    if (!box.querySelector(`[data-message="${CSS.escape(String(m.id))}"]`)) box.append(messageNode(m));
  }
}

export function renderMessages() {
  const box = $('#take-messages');
  if (box) box.replaceChildren(...(S.messages || []).map(messageNode));
}

export function clearMessages() {
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
export function terminated() {
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
  clearSnapshot();
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
