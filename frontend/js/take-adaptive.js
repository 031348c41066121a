// An adaptive section on the candidate's page: one item at a time, chosen by the server from the
// answers so far. The candidate picks an answer and sends it; the page waits for the server's
// acknowledgement and shows the next item it names. There is no going back, no flag and no
// offline queue: the next item does not exist until the server has stored this answer. A lost
// reply is sent again with the same sequence number, which the server acknowledges again.
import { $, h } from './shell.js';
import { t, tx } from './i18n.js';
import { capi, isSessionOver } from './take-api.js';
import { isAnswered, renderCandidateItem } from './take-items.js';
import { S, errorBox, image, savePos, show } from './take-state.js';
import { loadAttempt } from './take-screens.js';
import { leaveSection, sectionClosed } from './take-section.js';

/** Whether the open section is adaptive. */
export function isAdaptive(section) {
  return !!(section && section.adaptive);
}

/** The position of the current item in an adaptive section's items: the last one shown. */
export function currentIndex(section) {
  return Math.max(0, (section.items || []).length - 1);
}

/** The item to answer now, or null once the test is over. */
function currentItem() {
  const a = S.section.adaptive;
  return (S.section.items || []).find((it) => it.id === a.current_item) || null;
}

/** What is on its way to the server (kept across a failed send, so a retry sends the same). */
let sending = null;

function progressLine() {
  const a = S.section.adaptive;
  const total = (S.attempt.sections || []).length;
  return h('div', { class: 'take-progress' },
    h('div', { class: 'take-progress-row' },
      h('span', { class: 'take-kicker' }, t('take.section.of', { n: S.section.position + 1, total }), ' · ', tx(S.section.title)),
      h('span', { id: 'progress-text', class: 'small' }, t('take.adaptive.progress', { done: a.answered, max: a.max_items }))));
}

/** The screen of an adaptive section: the current item and its send button. */
export function adaptiveScreen() {
  const a = S.section.adaptive;
  const item = currentItem();
  if (!item) {
    S.current = null;
    return h('section', { class: 'take-screen', id: 'items', dataset: { adaptive: 'true' } },
      progressLine(),
      h('div', { class: 'card take-card' }, h('h1', { id: 'item-title', tabindex: '-1', 'data-focus': '' }, t('take.adaptive.done'))));
  }
  const n = a.answered + 1;
  let chosen = sending && sending.body.item === item.id ? sending.body.response : S.answers.get(item.id) || null;
  const status = h('p', { class: 'take-hint', id: 'adaptive-status', role: 'status' });
  const errBox = h('div', { id: 'item-error', 'aria-live': 'assertive' });
  const send = h('button', { type: 'button', class: 'btn btn-primary', id: 'send-answer', disabled: !isAnswered(chosen) }, t('take.adaptive.send'), ' →');
  const rendered = renderCandidateItem(item, {
    name: `q${n}`,
    response: chosen,
    disabled: S.timeUp || !!sending,
    image,
    onAnswer: (resp) => {
      chosen = resp;
      S.answers.set(item.id, resp);
      send.disabled = !isAnswered(resp) || !!sending;
      errBox.replaceChildren();
    },
  });
  S.current = rendered;
  const form = h('form', { class: 'card take-item', id: 'item-form', novalidate: true, dataset: { item: item.id, format: item.format, index: String(n - 1) } },
    h('div', { class: 'take-item-head' },
      h('h1', { class: 'take-item-no', id: 'item-title', tabindex: '-1', 'data-focus': '' }, t('take.adaptive.item', { n }))),
    rendered.el,
    errBox);
  const go = () => {
    rendered.flush();
    if (!isAnswered(chosen) || S.timeUp) return;
    if (!sending || sending.body.item !== item.id) {
      const seq = S.queue ? S.queue.nextSeq() : Date.now();
      sending = { body: { section: S.section.position, item: item.id, response: chosen, seq } };
    }
    sendAnswer(send, status, errBox);
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go();
  });
  send.addEventListener('click', go);
  return h('section', { class: 'take-screen', id: 'items', dataset: { index: String(n - 1), navigation: 'adaptive' } },
    progressLine(),
    form,
    h('div', { class: 'take-nav-row' }, send),
    status,
    h('p', { class: 'small muted take-forward-note' }, t('take.adaptive.note', { min: a.min_items, max: a.max_items })));
}

/** Sends the answer in `sending` and, once the server has stored it, shows where the test goes. */
async function sendAnswer(button, status, errBox) {
  button.disabled = true;
  errBox.replaceChildren();
  status.textContent = t('take.adaptive.sending');
  let reply;
  try {
    reply = await capi('/api/v1/candidate/answers', { method: 'PUT', body: sending.body });
  } catch (err) {
    status.textContent = '';
    if (isSessionOver(err)) return;
    if (err.code === 'section_closed') {
      sending = null;
      sectionClosed('timeout');
      return;
    }
    if (err.code === 'item_not_current') {
      // Another tab or device moved on: take the section as the server has it.
      sending = null;
      await reloadSection();
      return;
    }
    // Not stored (offline, busy): the same answer goes again when the candidate presses send.
    button.disabled = false;
    errBox.replaceChildren(errorBox(err), h('p', { class: 'small' }, t('take.adaptive.retry')));
    return;
  }
  if (S.queue && typeof reply.seq === 'number') S.queue.bumpSeq(reply.seq);
  sending = null;
  status.textContent = t('take.adaptive.saved');
  if (reply.adaptive && reply.adaptive.done) {
    await finishSection();
    return;
  }
  await reloadSection();
}

/** Reads the section again (its answered items and the current one) and shows the current item. */
async function reloadSection() {
  try {
    const section = await capi(`/api/v1/candidate/sections/${S.section.position}`);
    if (section.status === 'closed') {
      await finishSection();
      return;
    }
    S.section = section;
    S.index = currentIndex(section);
    savePos();
    show(adaptiveScreen);
  } catch (err) {
    if (isSessionOver(err)) return;
    const box = $('#item-error');
    if (box) box.replaceChildren(errorBox(err));
    const send = $('#send-answer');
    if (send) send.disabled = false;
  }
}

/** The rule stopped the test: the section is closed; on to the list, or the end of the test. */
async function finishSection() {
  try {
    await loadAttempt();
  } catch {
    /* the list shows what is known */
  }
  leaveSection('completed');
}
