// The job standards of competencies.html: a table of job level × competency levels, the CSV
// download, and the CSV import (a dry run first, every error of a refused file by row and column).
import { api } from './api.js';
import { $, errorNotice, errorsTable, h, readChosenFile } from './shell.js';
import { t, tx } from './i18n.js';
import { dispositionName, saveFile } from './campaigns-csv.js';

let pending = null; // {file, text, outcome} after a successful dry run
let panelView = null; // () => nodes, re-drawn on a language change

/** A standard's name for people: its job level and position (or "every position"). */
export function standardLabel(s) {
  return `${s.job_level} · ${s.position || t('competencies.anyPosition')}`;
}

/**
 * Draws the standards table: one row per standard, one column per competency of the framework,
 * and a last column with each standard's history and, for admin and HR (`actions.canEdit`), the
 * button that edits it (`actions.onHistory(s, button)`, `actions.onEdit(s, button)`).
 */
export function renderStandards(list, actions = null) {
  $('#standards-count').textContent = t('competencies.standards.count', { n: list.standards.length, version: list.framework_version });
  const head = h('tr', {},
    h('th', { scope: 'col' }, t('competencies.col.jobLevel')),
    h('th', { scope: 'col' }, t('competencies.col.position')),
    list.competencies.map((c) => h('th', { scope: 'col', class: 'cf-level-cell' }, h('abbr', { title: tx(c.name) }, c.code))),
    h('th', { scope: 'col', class: 'num' }, t('competencies.col.version')),
    actions ? h('th', { scope: 'col' }, t('competencies.col.actions')) : null);
  const rows = list.standards.map((s) => h('tr', { dataset: { id: s.id, jobLevel: s.job_level, position: s.position || '' } },
    h('th', { scope: 'row' }, s.job_level, h('span', { class: 'small muted' }, ` · ${t('competencies.family.' + s.job_family)}`)),
    h('td', { class: s.position ? null : 'muted' }, s.position || t('competencies.anyPosition')),
    list.competencies.map((c) => {
      const level = s.levels[c.code];
      return h('td', { class: 'cf-level-cell', dataset: { code: c.code } }, level == null
        ? [h('span', { 'aria-hidden': 'true' }, '–'), h('span', { class: 'sr-only' }, t('competencies.notRequired'))]
        : String(level));
    }),
    h('td', { class: 'num' }, String(s.version)),
    actions ? h('td', { class: 'cf-row-actions' }, h('div', { class: 'btn-row' },
      h('button', {
        type: 'button', class: 'btn btn-small', dataset: { action: 'history' },
        'aria-label': t('competencies.std.historyLabel', { standard: standardLabel(s) }),
        onclick: (e) => actions.onHistory(s, e.currentTarget),
      }, t('competencies.std.history')),
      actions.canEdit ? h('button', {
        type: 'button', class: 'btn btn-small', dataset: { action: 'edit' },
        'aria-label': t('competencies.std.editLabel', { standard: standardLabel(s) }),
        onclick: (e) => actions.onEdit(s, e.currentTarget),
      }, t('competencies.std.edit')) : null)) : null));
  $('#standards-table').replaceChildren(
    h('caption', { class: 'small muted' }, t('competencies.standards.caption')),
    h('thead', {}, head),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: String(list.competencies.length + (actions ? 4 : 3)) }, t('competencies.standards.empty')))));
}

function showPanel(view) {
  panelView = view;
  $('#import-panel').replaceChildren(...(view ? [].concat(view()) : []).filter(Boolean));
}

/** Re-draws what the import panel shows, in the page language. */
export function redrawPanel() {
  showPanel(panelView);
}

/** Saves the standards as the server writes them (`?format=csv`). */
export async function downloadCsv(show) {
  try {
    const res = await api('/api/v1/job-standards', { query: { format: 'csv' }, raw: true, headers: { Accept: 'text/csv' } });
    saveFile(dispositionName(res, 'job-standards.csv'), await res.blob());
  } catch (err) {
    show(() => errorNotice(err, 'download-error'));
  }
}

function cancel() {
  pending = null;
  showPanel(null);
  const input = $('#standards-file');
  input.value = '';
  input.focus();
}

function failure(err, file) {
  const invalid = err.code === 'invalid_job_standard';
  return () => [
    h('div', { class: 'notice notice-error', role: 'alert', id: 'import-error' },
      h('p', {}, invalid ? t('competencies.csv.invalid', { file: file.name, n: (err.errors || []).length }) : t('competencies.csv.failed', { file: file.name })),
      invalid ? null : errorNotice(err)),
    err.errors && err.errors.length ? errorsTable('import-errors', err.errors, { at: 'row', labels: ['competencies.csv.col.row', 'competencies.csv.col.field', 'competencies.csv.col.message'], missing: '–', atClass: 'num' }) : null,
    h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn', id: 'import-close', onclick: cancel }, t('competencies.close'))),
  ];
}

function send(text, dryRun) {
  return api('/api/v1/job-standards/import', { method: 'POST', query: dryRun ? { dry_run: 'true' } : null, body: text, headers: { 'Content-Type': 'text/csv' } });
}

/** Checks a chosen file with a dry run and offers the import when it would change something. */
export async function checkFile(file) {
  pending = null;
  showPanel(() => h('p', { class: 'muted' }, t('competencies.csv.checking', { file: file.name })));
  const text = await readChosenFile(file, showPanel, 'import-error');
  if (text === null) return;
  try {
    const outcome = await send(text, true);
    if (outcome.created + outcome.updated === 0) {
      showPanel(() => [
        h('div', { class: 'notice notice-info', id: 'import-nothing', role: 'status' }, h('p', {}, t('competencies.csv.nothing', { file: file.name }))),
        h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn', id: 'import-close', onclick: cancel }, t('competencies.close'))),
      ]);
      $('#import-close').focus();
      return;
    }
    pending = { file, text };
    showPanel(() => [
      h('div', { class: 'notice notice-info', id: 'import-valid', role: 'status' },
        h('p', {}, t('competencies.csv.valid', { file: file.name, created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged }))),
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-primary', id: 'import-confirm', onclick: confirmImport }, t('competencies.csv.confirm')),
        h('button', { type: 'button', class: 'btn', id: 'import-cancel', onclick: cancel }, t('competencies.cancel'))),
    ]);
    $('#import-confirm').focus();
  } catch (err) {
    showPanel(failure(err, file));
    $('#standards-file').value = '';
  }
}

let afterImport = async () => {};

/** What to do once an import stored something (reload the table). */
export function onImported(fn) {
  afterImport = fn;
}

async function confirmImport() {
  const p = pending;
  if (!p) return;
  const btn = $('#import-confirm');
  btn.disabled = true;
  btn.textContent = t('competencies.csv.importing');
  try {
    const outcome = await send(p.text, false);
    pending = null;
    $('#standards-file').value = '';
    showPanel(() => h('div', { class: 'notice notice-ok', id: 'import-done', role: 'status' },
      h('p', {}, t('competencies.csv.done', { created: outcome.created, updated: outcome.updated, total: outcome.standards }))));
    await afterImport();
  } catch (err) {
    pending = null;
    showPanel(failure(err, p.file));
  }
}
