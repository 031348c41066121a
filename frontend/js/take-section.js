// One section: opening it (instructions and practice items first), one item at a time with
// answers, flags, navigation and progress, submitting it, and leaving it when it closes.
import { $, h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatNumber } from './locale.js';
import { capi, isSessionOver } from './take-api.js';
import { isAnswered, renderCandidateItem } from './take-items.js';
import { S, errorBox, forgetImages, image, minutes, readLocalFlags, readPos, renderSaveStatus, saveSnapshot, savePos, sectionOf, show, writeLocalFlag } from './take-state.js';
import { clock, stopClock, syncClock } from './take-clock.js';
import { lobbyWaiting, refreshState } from './take-proctor.js';
import { clearSection, endIfOver, loadAttempt, sectionsScreen } from './take-screens.js';
import { adaptiveScreen, currentIndex, isAdaptive } from './take-adaptive.js';

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
export function enterSection(section, { resume }) {
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
  // An adaptive section is always at its current item: the last one the server shows.
  if (isAdaptive(section)) S.index = currentIndex(section);
  savePos();
  syncClock(section.remaining_ms);
}

export async function openSection(position, { resume = false } = {}) {
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

export function showSectionPhase() {
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

function navigationText(nav, adaptive) {
  if (adaptive) return t('take.adaptive.nav');
  return nav === 'forward_only' ? t('take.nav.forwardOnly') : t('take.nav.free');
}

function introScreen(position) {
  const summary = sectionOf(position) || {};
  const source = S.section && S.section.position === position ? S.section : S.preview;
  const started = !!(S.section && S.section.position === position);
  const title = tx((source && source.title) || summary.title);
  const total = (S.attempt.sections || []).length;
  // Before the start the server sends no items (only the instructions): the count is the list's.
  // An adaptive section's number of items depends on the answers: it says the most it gives.
  const adaptive = !!summary.adaptive;
  const items = adaptive
    ? t('take.adaptive.count', { max: summary.item_count })
    : String((started ? (source.items || []).length : summary.item_count) ?? '–');
  const limit = (source && source.time_limit_seconds) || summary.time_limit_seconds;
  const nav = source && source.navigation;
  const errBox = h('div', { id: 'start-error', 'aria-live': 'assertive' });
  const facts = h('ul', { class: 'take-facts' },
    h('li', {}, h('strong', {}, t('take.intro.time')), ' ', minutes(limit)),
    h('li', {}, h('strong', {}, t('take.intro.items')), ' ', items),
    nav ? h('li', {}, navigationText(nav, adaptive)) : null);
  const practice = source ? (source.practice || []) : [];
  const practiceBlock = practice.length ? h('section', { class: 'take-practice', 'aria-labelledby': 'practice-title' },
    h('h2', { id: 'practice-title' }, t('take.practice.title')),
    h('p', { class: 'small muted' }, t('take.practice.note')),
    practice.map((item, i) => {
      const feedback = h('div', { class: 'take-practice-feedback', id: `p${i}-feedback`, 'aria-live': 'polite' });
      const r = renderCandidateItem(item, {
        name: `p${i}`,
        response: S.practice.get(item.id) || null,
        disabled: false,
        image,
        onAnswer: (resp) => {
          S.practice.set(item.id, resp);
          checkPractice(position, item, resp, feedback);
        },
      });
      return h('div', { class: 'card take-item take-practice-item', dataset: { practice: item.id } },
        h('h3', { class: 'take-item-no' }, practice.length > 1 ? t('take.practice.n', { n: i + 1 }) : t('item.practice')),
        r.el,
        feedback);
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

/** The keyed answer of a practice item in the candidate's words: an option's letter, or the number. */
function practiceAnswerText(item, answer) {
  if (answer && typeof answer === 'object' && 'choice' in answer) {
    const i = (item.options || []).findIndex((o) => o.id === answer.choice);
    return i >= 0 ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i] || String(i + 1) : '';
  }
  if (answer && typeof answer === 'object' && 'value' in answer) return formatNumber(Number(answer.value), 6);
  return '';
}

/**
 * Asks the server whether a practice answer is right (the key never comes to the page before the
 * answer) and says so under the item. Nothing is stored or scored.
 */
async function checkPractice(position, item, response, box) {
  const token = {};
  box.dataset.pending = '1';
  box.checkToken = token;
  let reply;
  try {
    reply = await capi(`/api/v1/candidate/sections/${position}/practice`, { method: 'POST', body: { item: item.id, response } });
  } catch (err) {
    if (box.checkToken !== token) return;
    delete box.dataset.pending;
    if (isSessionOver(err)) return;
    box.dataset.result = 'unchecked';
    box.replaceChildren(h('p', { class: 'notice notice-info' }, t(err.status === 0 ? 'take.practice.offline' : 'take.practice.unchecked')));
    return;
  }
  if (box.checkToken !== token) return;
  delete box.dataset.pending;
  if (reply.correct === null || reply.correct === undefined) {
    box.dataset.result = 'open';
    box.replaceChildren(h('p', { class: 'notice notice-info' }, t('take.practice.noRightAnswer')));
  } else if (reply.correct) {
    box.dataset.result = 'right';
    box.replaceChildren(h('p', { class: 'notice notice-ok' }, h('strong', {}, t('take.practice.right')), ' ', t('take.practice.rightMore')));
  } else {
    box.dataset.result = 'wrong';
    box.replaceChildren(h('p', { class: 'notice notice-warn' }, h('strong', {}, t('take.practice.wrong')), ' ',
      t('take.practice.answerIs', { answer: practiceAnswerText(item, reply.answer) })));
  }
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

/**
 * The server keeps another answer to an item than the one this page sent (one given elsewhere
 * with the same or a later number): show the one kept, unless a newer one of this page is still
 * on its way.
 */
export function adoptStored(section, itemId, stored) {
  if (!S.section || S.section.position !== section || !stored || !S.answers) return;
  if (S.queue && S.queue.entries.some((e) => e.section === section && e.item === itemId)) return;
  S.answers.set(itemId, stored.response);
  S.flags.set(itemId, !!stored.flagged);
  if (S.queue) S.queue.bumpSeq(stored.seq);
  const it = items()[S.index];
  if (it && it.id === itemId && !S.timeUp) show(itemsScreen);
  else updateProgress();
}

function answer(item, response) {
  if (S.timeUp || S.stopped || !S.section) return;
  S.answers.set(item.id, response);
  S.skipArmed = false;
  const hint = $('#skip-hint');
  if (hint) {
    hint.replaceChildren();
    hint.classList.remove('is-shown');
  }
  const box = $('#item-error');
  if (box) box.replaceChildren();
  S.queue.enqueue({ section: S.section.position, item: item.id, response, flagged: !!S.flags.get(item.id) });
  updateProgress();
}

/** The flag button's content: what pressing it does now (mark, or remove the mark). */
function flagButtonContent(button, flagged) {
  button.classList.toggle('is-on', flagged);
  button.dataset.flagged = String(flagged);
  button.replaceChildren(h('span', { class: 'take-flag-mark', 'aria-hidden': 'true' }, '⚑'), ' ', t(flagged ? 'take.nav.unflag' : 'take.nav.flag'));
}

function toggleFlag(item, button) {
  const v = !S.flags.get(item.id);
  S.flags.set(item.id, v);
  writeLocalFlag(item.id, v);
  flagButtonContent(button, v);
  const status = $('#flag-status');
  if (status) status.textContent = t(v ? 'take.nav.flagOn' : 'take.nav.flagOff', { n: S.index + 1 });
  const r = S.answers.get(item.id);
  if (isAnswered(r) && !S.timeUp) S.queue.enqueue({ section: S.section.position, item: item.id, response: r, flagged: v });
  updateProgress();
}

function updateProgress() {
  saveSnapshot();
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
    const hint = $('#skip-hint');
    hint.replaceChildren(h('span', { class: 'take-warn-mark', 'aria-hidden': 'true' }, '!'), ' ', t('take.nav.skipConfirm'));
    hint.classList.add('is-shown');
    return;
  }
  goTo(S.index + 1);
}

function itemsScreen() {
  if (isAdaptive(S.section)) return adaptiveScreen();
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
        h('p', {}, t(isLastSection(S.section.position) ? 'take.section.end.bodyLast' : 'take.section.end.body', { done, n })),
        h('div', { id: 'item-error', 'aria-live': 'assertive' }),
        h('button', { type: 'button', class: 'btn btn-primary btn-block', id: 'submit-section', onclick: () => confirmSubmit() }, submitLabel())));
  }

  const item = list[S.index];
  const flagged = !!S.flags.get(item.id);
  const rendered = renderCandidateItem(item, {
    name: `q${S.index}`,
    response: S.answers.get(item.id) || null,
    disabled: S.timeUp,
    image,
    onAnswer: (resp) => answer(item, resp),
    onInvalid: (bad) => {
      S.invalidItem = bad ? item.id : null;
      renderSaveStatus();
    },
  });
  if (S.invalidItem && S.invalidItem !== item.id) S.invalidItem = null;
  S.current = rendered;
  // Flagging for review belongs to free navigation (there is no coming back otherwise).
  let flagBtn = null;
  if (!forward) {
    // The words change with the state (not aria-pressed as well: a toggle whose name changes
    // would announce both); the change is also said in a status line.
    flagBtn = h('button', { type: 'button', class: 'btn btn-small take-flag', id: 'flag-item' });
    flagButtonContent(flagBtn, flagged);
    flagBtn.addEventListener('click', () => toggleFlag(item, flagBtn));
  }
  const form = h('form', { class: 'card take-item', id: 'item-form', novalidate: true, dataset: { item: item.id, format: item.format, index: String(S.index) } },
    h('div', { class: 'take-item-head' },
      h('h1', { class: 'take-item-no', id: 'item-title', tabindex: '-1', 'data-focus': '' }, t('take.item.of', { n: S.index + 1, total: n })),
      flagBtn),
    flagBtn ? h('p', { class: 'sr-only', id: 'flag-status', role: 'status' }) : null,
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
    else buttons.append(h('button', { type: 'button', class: 'btn btn-primary', id: 'submit-section', onclick: () => confirmSubmit() }, submitLabel()));
  } else {
    buttons.append(h('button', { type: 'button', class: 'btn btn-primary', id: 'next-item', onclick: () => next() },
      S.index < n - 1 ? t('take.nav.next') : t('take.nav.toEnd'), ' →'));
  }
  const skipHint = h('p', { class: 'take-skip-warning', id: 'skip-hint', 'aria-live': 'assertive' });

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
      h('p', {}, h('button', { type: 'button', class: 'btn', id: 'submit-section-any', onclick: () => confirmSubmit() }, submitLabel())));
  } else {
    navigator = h('p', { class: 'small muted take-forward-note' }, t('take.nav.forwardOnly'));
  }

  return h('section', { class: 'take-screen', id: 'items', dataset: { index: String(S.index), navigation: S.section.navigation } },
    progress, form, buttons, skipHint, navigator);
}

// ---------------------------------------------------------------- submit, time-out, closing

/** Numbers (1-based) of the items for which `pick(item)` holds. */
function itemNumbers(pick) {
  return items().map((it, i) => (pick(it) ? i : -1)).filter((i) => i >= 0);
}

/** Whether `position` is the last section not yet closed: submitting it ends the test. */
function isLastSection(position) {
  return (S.attempt.sections || []).every((s) => s.position === position || s.status === 'closed');
}

/** The submit button's words: the last section's submit ends the test. */
function submitLabel() {
  return t(isLastSection(S.section.position) ? 'take.submit.buttonLast' : 'take.submit.button');
}

function confirmSubmit() {
  if (S.current) S.current.flush();
  const pos = S.section.position;
  const n = items().length;
  const forward = S.section.navigation === 'forward_only';
  const unanswered = itemNumbers((it) => !isAnswered(S.answers.get(it.id)));
  const flagged = forward ? [] : itemNumbers((it) => S.flags.get(it.id));
  const done = n - unanswered.length;
  const last = isLastSection(pos);
  const wait = h('p', { id: 'confirm-wait', class: 'take-hint', 'aria-live': 'polite' });
  const errBox = h('div', { id: 'confirm-error', 'aria-live': 'assertive' });
  // While items are left unanswered or flagged, going back is the main button and has the focus.
  const goBackFirst = unanswered.length > 0 || flagged.length > 0;
  const cancel = h('button', { type: 'button', class: 'btn' + (goBackFirst ? ' btn-primary' : ''), id: 'confirm-cancel' }, t(goBackFirst ? 'take.submit.back' : 'take.cancel'));
  const ok = h('button', { type: 'button', class: 'btn' + (goBackFirst ? '' : ' btn-primary'), id: 'confirm-ok' }, t(last ? 'take.submit.confirmLast' : 'take.submit.confirm'));
  let dialog;
  const close = (then) => {
    if (dialog.open) dialog.close();
    dialog.remove();
    if (then) {
      then();
      return;
    }
    const back = $('#submit-section') || $('#item-title');
    if (back) back.focus();
  };
  /** The numbers of some items: links to them in free navigation, plain numbers otherwise. */
  const numberList = (id, label, list) => list.length === 0 ? null : h('div', { class: 'take-dialog-list', id },
    h('p', {}, label),
    h('ul', { class: 'take-item-links' }, list.map((i) => h('li', {}, forward
      ? h('span', { class: 'take-item-link' }, String(i + 1))
      : h('button', {
        type: 'button', class: 'take-item-link', dataset: { index: String(i) },
        'aria-label': t('take.submit.goTo', { n: i + 1 }),
        onclick: () => close(() => goTo(i)),
      }, String(i + 1))))));
  dialog = h('dialog', { id: 'confirm-dialog', class: 'take-dialog', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-body' },
    h('h2', { id: 'confirm-title' }, t(last ? 'take.submit.titleLast' : 'take.submit.title')),
    h('p', { id: 'confirm-body' },
      t('take.submit.body', { done, n }), ' ',
      t(last ? 'take.submit.finalLast' : 'take.submit.final')),
    numberList('confirm-unanswered', t(forward ? 'take.submit.unansweredForward' : 'take.submit.unansweredList', { n: unanswered.length }), unanswered),
    numberList('confirm-flagged', t('take.submit.flaggedList', { n: flagged.length }), flagged),
    wait, errBox,
    h('div', { class: 'btn-row take-dialog-buttons' }, cancel, ok));
  document.body.append(dialog);
  cancel.addEventListener('click', () => close());
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
    wait.textContent = t(last ? 'take.submit.busyLast' : 'take.submit.busy');
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
  // Submitting cannot be undone: the focus starts on the way back.
  cancel.focus();
}

/** Leaves the section for the list (or the end of the test), with a notice saying why: it was
 * submitted, its time ran out, or (an adaptive section) its rule ended it. */
export function leaveSection(reason) {
  const s = S.section;
  if (S.queue && s) S.queue.dropSection(s.position);
  clearSection();
  const title = s ? tx(s.title) : '';
  if (endIfOver()) return;
  S.notice = reason === 'submitted' || reason === 'completed'
    ? { kind: 'ok', key: `take.notice.${reason}`, vars: { title } }
    : { kind: 'warn', key: 'take.notice.timeout', vars: { title } };
  show(sectionsScreen);
}

/** The server says the section closed (deadline, or answered 409 section_closed). */
export async function sectionClosed(reason, position) {
  if (position !== undefined && (!S.section || S.section.position !== position)) {
    // Closed before the page entered it: refresh the list.
    try {
      await loadAttempt();
    } catch {
      /* the list shows what is known */
    }
    // The whole attempt may have ended meanwhile (the campaign closed): say that instead.
    if (endIfOver()) return;
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
  const said = s && (s.closed_reason === 'submitted' || s.closed_reason === 'completed');
  leaveSection(said ? s.closed_reason : reason);
}
