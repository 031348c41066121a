// Enrolment from a CSV file: a dry run first (every error by row and column), then the real import.
import { api } from './api.js';
import { $, errorNotice, errorsTable, h, readChosenFile } from './shell.js';
import { t } from './i18n.js';
import { state } from './campaigns-shared.js';
import { saveFile, templateCsv } from './campaigns-csv.js';
import { refreshPeople } from './campaigns-detail.js';

export function renderEnrol() {
  const d = state.detail;
  const input = h('input', { type: 'file', id: 'enrol-file', accept: '.csv,text/csv', onchange: (e) => {
    const file = e.target.files && e.target.files[0];
    if (file) checkEnrolment(file);
  } });
  const columns = ['nip', 'name', 'email', 'birth_date', 'education', 'job_level', 'position', 'unit', 'group', 'session'];
  $('#enrol').replaceChildren(
    h('h3', { id: 'enrol-title' }, t('campaigns.enrol.title')),
    h('p', {}, t('campaigns.enrol.intro')),
    h('div', { class: 'btn-row' },
      h('span', { class: 'file-pick' }, input, h('label', { for: 'enrol-file', class: 'btn btn-primary' }, t('campaigns.enrol.choose'))),
      h('button', { type: 'button', class: 'btn', id: 'enrol-template', onclick: () => saveFile('peserta-templat.csv', templateCsv(d.sessions[0] && d.sessions[0].name)) }, t('campaigns.enrol.template'))),
    h('details', { class: 'cmp-columns mt' },
      h('summary', {}, t('campaigns.enrol.columns')),
      h('dl', { class: 'facts' }, columns.map((c) => [h('dt', { class: 'mono' }, c), h('dd', {}, t('campaigns.enrol.col.' + c))])),
      h('p', { class: 'small muted' }, t('campaigns.enrol.format'))),
    h('div', { id: 'enrol-panel', 'aria-live': 'polite' }));
  showEnrol(state.enrolView);
}

function showEnrol(view) {
  state.enrolView = view;
  const panel = $('#enrol-panel');
  if (!panel) return;
  panel.replaceChildren(...(view ? [].concat(view()) : []).filter(Boolean));
}

function cancelEnrol() {
  state.pending = null;
  showEnrol(null);
  const input = $('#enrol-file');
  if (input) {
    input.value = '';
    input.focus();
  }
}

function enrolFailure(err, file) {
  return () => [
    h('div', { class: 'notice notice-error', role: 'alert', id: 'enrol-error' },
      h('p', {}, err.code === 'invalid_enrolment'
        ? t('campaigns.enrol.invalid', { file: file.name, n: (err.errors || []).length })
        : `${t('campaigns.enrol.failed', { file: file.name })} `),
      err.code === 'invalid_enrolment' ? null : errorNotice(err)),
    err.errors && err.errors.length ? errorsTable('enrol-errors', err.errors, { at: 'row', labels: ['campaigns.enrol.col.row', 'campaigns.enrol.col.field', 'campaigns.enrol.col.message'], missing: '–', atClass: 'num' }) : null,
    h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn', id: 'enrol-cancel', onclick: cancelEnrol }, t('bank.close'))),
  ];
}

async function checkEnrolment(file) {
  state.pending = null;
  showEnrol(() => h('p', { class: 'muted' }, t('campaigns.enrol.checking', { file: file.name })));
  const text = await readChosenFile(file, showEnrol, 'enrol-error');
  if (text === null) return;
  try {
    const outcome = await api(`/api/v1/campaigns/${state.detail.id}/participants/import`, {
      method: 'POST', query: { dry_run: 'true' }, body: text, headers: { 'Content-Type': 'text/csv' },
    });
    state.pending = { file, text, outcome };
    showEnrol(() => [
      h('div', { class: 'notice notice-info', id: 'enrol-valid', role: 'status' },
        h('p', {}, t('campaigns.enrol.valid', { n: outcome.enrolled, total: outcome.participant_count, file: file.name }))),
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-primary', id: 'enrol-confirm', onclick: confirmEnrolment }, t('campaigns.enrol.confirm', { n: outcome.enrolled })),
        h('button', { type: 'button', class: 'btn', id: 'enrol-cancel', onclick: cancelEnrol }, t('bank.cancel'))),
    ]);
    $('#enrol-confirm').focus();
  } catch (err) {
    showEnrol(enrolFailure(err, file));
    const input = $('#enrol-file');
    if (input) input.value = '';
  }
}

async function confirmEnrolment() {
  const p = state.pending;
  if (!p) return;
  const btn = $('#enrol-confirm');
  btn.disabled = true;
  btn.textContent = t('campaigns.enrol.enrolling');
  try {
    const outcome = await api(`/api/v1/campaigns/${state.detail.id}/participants/import`, {
      method: 'POST', body: p.text, headers: { 'Content-Type': 'text/csv' },
    });
    state.pending = null;
    $('#enrol-file').value = '';
    showEnrol(() => [
      h('div', { class: 'notice notice-ok', id: 'enrol-done', role: 'status' },
        h('p', {}, t('campaigns.enrol.done', { n: outcome.enrolled, total: outcome.participant_count }))),
    ]);
    await refreshPeople();
  } catch (err) {
    state.pending = null;
    showEnrol(enrolFailure(err, p.file));
  }
}
