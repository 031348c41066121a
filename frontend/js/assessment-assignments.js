// Every assessor assignment of the campaign (HR and admin): participant, exercise, assessor, the
// sheet's status and when it was submitted. A submitted sheet can be unlocked with a reason (kept
// in the audit log) so its assessor can correct it; a draft can be removed after a confirmation.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatDate } from './locale.js';
import { campaignPath, exerciseName, fieldError, ok, state } from './assessment-state.js';

const MAX_REASON = 1000;

/**
 * A sheet's status: submitted, a draft saved at least once, or nothing rated yet. HR does not see a
 * draft's ratings, so a draft is told by its last save.
 */
export function sheetStatus(a) {
  if (a.status === 'submitted') return 'submitted';
  return a.saved_at ? 'draft' : 'new';
}

const BADGE = { submitted: 'badge-ok', draft: 'badge-warn', new: 'badge-muted' };

function byName(a, b) {
  return a.participant.name.localeCompare(b.participant.name) || a.participant.nip.localeCompare(b.participant.nip)
    || exerciseName(a.exercise).localeCompare(exerciseName(b.exercise)) || a.assessor.name.localeCompare(b.assessor.name);
}

/**
 * Draws the table into #assignments-body and wires the unlock and remove dialogs. `changed()` runs
 * after a sheet was unlocked or an assignment removed. Returns {load, render}.
 */
export function assignmentsPanel({ changed }) {
  let failure = null;
  let notice = null; // () => node
  let target = null; // {assignment, opener} of an open dialog
  let busy = false;

  function showNotice(view) {
    notice = view;
    const box = $('#assignments-status');
    if (box) box.replaceChildren(...(view ? [view()] : []));
  }

  /** Who and what an assignment is, in words, for a dialog and a button's label. */
  const describe = (a) => t('assessment.assignments.describe', { assessor: a.assessor.name, participant: a.participant.name, exercise: exerciseName(a.exercise) });

  function action(a) {
    if (a.status === 'submitted') {
      return h('button', {
        type: 'button', class: 'btn btn-small ac-unlock', dataset: { assignment: a.id },
        'aria-label': t('assessment.assignments.unlockLabel', { what: describe(a) }), onclick: (e) => openUnlock(a, e.currentTarget),
      }, t('assessment.assignments.unlock'));
    }
    return h('button', {
      type: 'button', class: 'btn btn-small btn-danger ac-remove', dataset: { assignment: a.id },
      'aria-label': t('assessment.assignments.removeLabel', { what: describe(a) }), onclick: (e) => openRemove(a, e.currentTarget),
    }, t('assessment.assignments.remove'));
  }

  function render() {
    const body = $('#assignments-body');
    if (failure) {
      body.replaceChildren(errorNotice(failure, 'assignments-error'));
      return;
    }
    const list = state.assignments;
    if (!list) {
      body.replaceChildren(h('p', { class: 'muted' }, t('loading')));
      return;
    }
    const submitted = list.filter((a) => a.status === 'submitted').length;
    body.replaceChildren(
      h('p', { id: 'assignments-count' }, t('assessment.assignments.count', { n: list.length, submitted })),
      h('div', { id: 'assignments-status' }),
      list.length === 0
        ? h('p', { class: 'muted', id: 'assignments-none' }, t('assessment.assignments.none'))
        : h('div', { class: 'table-wrap' }, h('table', { id: 'assignments-table', 'aria-labelledby': 'assignments-title' },
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, t('assessment.assignments.col.participant')),
            h('th', { scope: 'col' }, t('assessment.assignments.col.exercise')),
            h('th', { scope: 'col' }, t('assessment.assignments.col.assessor')),
            h('th', { scope: 'col' }, t('assessment.assignments.col.status')),
            h('th', { scope: 'col' }, t('assessment.assignments.col.submitted')),
            h('th', { scope: 'col' }, t('assessment.assignments.col.actions')))),
          h('tbody', {}, [...list].sort(byName).map((a) => {
            const s = sheetStatus(a);
            return h('tr', { dataset: { assignment: a.id, participant: a.participant.id, exercise: a.exercise, assessor: a.assessor.id, status: s } },
              h('td', {}, h('span', { class: 'ac-person' }, a.participant.name), ' ', h('span', { class: 'small muted mono' }, a.participant.nip)),
              h('td', {}, exerciseName(a.exercise)),
              h('td', {}, a.assessor.name, a.lead ? [' ', h('span', { class: 'badge badge-info' }, t('assessor.lead'))] : null),
              h('td', {}, h('span', { class: 'badge ' + BADGE[s] }, t('assessor.status.' + s))),
              h('td', {}, a.submitted_at ? formatDate(a.submitted_at) : '–'),
              h('td', {}, action(a)));
          })))));
    if (notice) showNotice(notice);
  }

  async function load() {
    try {
      state.assignments = (await api(campaignPath('/assessor-assignments'))).assignments;
      failure = null;
    } catch (err) {
      state.assignments = null;
      failure = err;
    }
    render();
  }

  /** Gives focus back after a cancelled dialog: to the button that opened it. */
  function giveBack() {
    const back = target && target.opener;
    target = null;
    if (back && back.isConnected) back.focus();
  }

  /** After a change the table is drawn again: focus goes to the row's new button, or the heading. */
  function focusAfter(id) {
    const button = document.querySelector(`#assignments-table button[data-assignment="${id}"]`);
    if (button) {
      button.focus();
      return;
    }
    const title = $('#assignments-title');
    title.tabIndex = -1;
    title.focus();
  }

  function openUnlock(a, opener) {
    target = { assignment: a, opener };
    $('#unlock-form').reset();
    fieldError('unlock-reason', '');
    $('#unlock-error').replaceChildren();
    $('#unlock-target').textContent = t('assessment.unlock.target', { what: describe(a), time: formatDate(a.submitted_at) });
    $('#unlock-submit').disabled = false;
    $('#unlock-dialog').showModal();
    $('#unlock-reason').focus();
  }

  function openRemove(a, opener) {
    target = { assignment: a, opener };
    $('#remove-text').textContent = t('assessment.remove.text', { what: describe(a) });
    $('#remove-error').replaceChildren();
    $('#remove-confirm').disabled = false;
    $('#remove-dialog').showModal();
    $('#remove-cancel').focus();
  }

  $('#unlock-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!target || busy) return;
    const reason = $('#unlock-reason').value.trim();
    if (!reason) {
      fieldError('unlock-reason', t('assessment.unlock.reasonMissing'));
      $('#unlock-reason').focus();
      return;
    }
    if (reason.length > MAX_REASON) {
      fieldError('unlock-reason', t('assessment.unlock.reasonLong', { max: MAX_REASON }));
      $('#unlock-reason').focus();
      return;
    }
    const a = target.assignment;
    busy = true;
    $('#unlock-submit').disabled = true;
    try {
      await api(campaignPath(`/assessor-assignments/${encodeURIComponent(a.id)}/unlock`), { method: 'POST', body: { reason } });
      target = null;
      $('#unlock-dialog').close();
      showNotice(() => ok(t('assessment.unlock.done', { what: describe(a) }), 'unlock-done'));
      await load();
      changed();
      focusAfter(a.id);
    } catch (err) {
      const atReason = (err.errors || []).find((x) => x.field === 'reason');
      if (atReason) fieldError('unlock-reason', atReason.message);
      $('#unlock-error').replaceChildren(errorNotice(err, 'unlock-refused'));
      $('#unlock-submit').disabled = false;
    } finally {
      busy = false;
    }
  });
  $('#unlock-cancel').addEventListener('click', () => $('#unlock-dialog').close());
  $('#unlock-dialog').addEventListener('close', () => {
    if (target) giveBack();
  });

  $('#remove-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!target || busy) return;
    const a = target.assignment;
    busy = true;
    $('#remove-confirm').disabled = true;
    try {
      await api(campaignPath(`/assessor-assignments/${encodeURIComponent(a.id)}`), { method: 'DELETE' });
      target = null;
      $('#remove-dialog').close();
      showNotice(() => ok(t('assessment.remove.done', { what: describe(a) }), 'remove-done'));
      await load();
      changed();
      focusAfter(a.id);
    } catch (err) {
      $('#remove-error').replaceChildren(errorNotice(err, 'remove-refused'));
      $('#remove-confirm').disabled = false;
    } finally {
      busy = false;
    }
  });
  $('#remove-cancel').addEventListener('click', () => $('#remove-dialog').close());
  $('#remove-dialog').addEventListener('close', () => {
    if (target) giveBack();
  });

  return { load, render };
}
