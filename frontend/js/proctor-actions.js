// What a proctor does to candidates: one dialog for every action (each needs a reason; extra time
// needs an amount, a message its text, ending a test an explicit confirmation), the request to
// /proctoring/sessions/{sid}/actions (or /start), and the outcome in words: how many were done,
// who was skipped and why.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { errorText } from './locale.js';

/** Actions on chosen candidates, in the order of the buttons. */
export const ACTIONS = ['admit', 'pause', 'resume', 'extend', 'message', 'irregularity', 'terminate', 'unlock'];
/** Actions a proctor may send to the whole room at once. */
export const ROOM_ACTIONS = ['pause', 'resume', 'message'];
const MAX_TEXT = 500;
const MAX_SECONDS = 7200;
/** Skipped candidates listed by name after an action; the rest are counted. */
const SKIPPED_LISTED = 20;

/** A skipped participant's reason in words: the page's sentence for known codes, else the server's. */
export function skipText(skip) {
  return errorText(skip, 'proctor.skip.');
}

/**
 * Wires the action dialog of the page.
 * sessionId(): the session watched; describe(participants | null): who the action is for, in
 * words; onDone(request, outcome): after the server answered.
 */
export function actionDialog({ sessionId, describe, onDone }) {
  const dialog = $('#action-dialog');
  const form = $('#action-form');
  const amount = $('#action-amount');
  const unit = $('#action-unit');
  const text = $('#action-text');
  const reason = $('#action-reason');
  const confirm = $('#action-confirm');
  const submit = $('#action-submit');
  let current = null; // {action, participants, opener}
  let busy = false;

  function fieldError(id, key, vars) {
    const p = $('#' + id + '-error');
    const input = $('#' + id);
    p.textContent = key ? t(key, vars) : '';
    p.hidden = !key;
    if (key) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function clearErrors() {
    for (const id of ['action-amount', 'action-text', 'action-reason', 'action-confirm']) fieldError(id, null);
    $('#action-error').replaceChildren();
  }

  function fill() {
    if (!current) return;
    const { action, participants } = current;
    $('#action-title').textContent = t('proctor.dialog.' + action + '.title');
    $('#action-target').textContent = describe(participants);
    $('#action-extend-field').hidden = action !== 'extend';
    $('#action-text-field').hidden = action !== 'message';
    $('#action-confirm-field').hidden = action !== 'terminate';
    submit.textContent = t('proctor.dialog.' + action + '.submit');
    submit.className = 'btn ' + (action === 'terminate' ? 'btn-danger' : 'btn-primary');
  }

  /** Opens the dialog for `action` on `participants` (ids), or on the whole room when null. */
  function open(action, participants, opener = document.activeElement) {
    current = { action, participants: participants ? [...participants] : null, opener };
    form.reset();
    amount.value = action === 'extend' ? '5' : '';
    unit.value = '60';
    clearErrors();
    fill();
    submit.disabled = false;
    dialog.showModal();
    (action === 'extend' ? amount : action === 'message' ? text : reason).focus();
  }

  function close() {
    if (dialog.open) dialog.close();
    const back = current && current.opener;
    current = null;
    if (back && back.isConnected && typeof back.focus === 'function') back.focus();
  }

  function read() {
    clearErrors();
    const { action, participants } = current;
    const body = { reason: reason.value.trim() };
    let first = null;
    const bad = (id, key, vars) => {
      fieldError(id, key, vars);
      if (!first) first = $('#' + id);
    };
    if (action === 'extend') {
      const n = Number(amount.value);
      const seconds = Math.round(n * Number(unit.value));
      if (!amount.value.trim() || !Number.isFinite(n) || n <= 0 || seconds < 1 || seconds > MAX_SECONDS || !Number.isInteger(seconds)) {
        bad('action-amount', 'proctor.dialog.amountInvalid');
      }
      body.seconds = seconds;
    }
    if (action === 'message') {
      body.text = text.value.trim();
      if (!body.text) bad('action-text', 'proctor.dialog.textMissing');
      else if (body.text.length > MAX_TEXT) bad('action-text', 'proctor.dialog.tooLong', { max: MAX_TEXT });
    }
    if (!body.reason) bad('action-reason', 'proctor.dialog.reasonMissing');
    else if (body.reason.length > MAX_TEXT) bad('action-reason', 'proctor.dialog.tooLong', { max: MAX_TEXT });
    if (action === 'terminate' && !confirm.checked) bad('action-confirm', 'proctor.dialog.confirmMissing');
    if (first) {
      first.focus();
      return null;
    }
    if (action !== 'start') {
      body.action = action;
      if (participants) body.participants = participants;
    }
    return body;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!current || busy) return;
    const body = read();
    if (!body) return;
    const request = { ...current };
    const sid = sessionId();
    busy = true;
    submit.disabled = true;
    try {
      const path = request.action === 'start'
        ? `/api/v1/proctoring/sessions/${encodeURIComponent(sid)}/start`
        : `/api/v1/proctoring/sessions/${encodeURIComponent(sid)}/actions`;
      const outcome = await api(path, { method: 'POST', body });
      close();
      onDone(request, outcome);
    } catch (err) {
      $('#action-error').replaceChildren(errorNotice(err, 'action-error'));
      submit.disabled = false;
    } finally {
      busy = false;
    }
  });
  $('#action-cancel').addEventListener('click', close);
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    close();
  });

  return {
    open,
    /** Re-translates an open dialog (language switch). */
    retranslate() {
      if (current) fill();
    },
  };
}

/** The outcome of an action as a notice: done n, and the skipped with their reasons. */
export function outcomeNotice(request, outcome, nameOf) {
  if (request.action === 'start') {
    return h('div', { class: 'notice notice-ok', role: 'status', id: 'action-outcome', dataset: { action: 'start' } },
      h('p', {}, t('proctor.result.start', { n: outcome && typeof outcome.started === 'number' ? outcome.started : 0 })));
  }
  const skipped = (outcome && Array.isArray(outcome.skipped)) ? outcome.skipped : [];
  const done = outcome && typeof outcome.done === 'number' ? outcome.done : 0;
  const kind = skipped.length === 0 ? 'ok' : done > 0 ? 'warn' : 'error';
  return h('div', { class: `notice notice-${kind}`, role: 'status', id: 'action-outcome', dataset: { action: request.action, done: String(done), skipped: String(skipped.length) } },
    h('p', {}, h('strong', {}, t('proctor.action.' + request.action)), ': ',
      t('proctor.result.done', { n: done }),
      skipped.length ? ' ' + t('proctor.result.skipped', { n: skipped.length }) : ''),
    skipped.length ? h('ul', { class: 'pv-skipped' }, skipped.slice(0, SKIPPED_LISTED).map((s) => {
      const text = skipText(s);
      // The server's own words say which rule refused (the code alone is often the general one).
      const server = s.message && s.message !== text ? h('span', { class: 'small pv-skip-server' }, ` (${s.message})`) : null;
      return h('li', { dataset: { participant: s.participant, code: s.code || '' } },
        h('strong', {}, nameOf(s.participant)), ': ', text, server, s.code ? [' ', h('span', { class: 'code' }, `[${s.code}]`)] : null);
    }), skipped.length > SKIPPED_LISTED ? h('li', { class: 'pv-skipped-more' }, t('proctor.result.more', { n: skipped.length - SKIPPED_LISTED })) : null) : null);
}
