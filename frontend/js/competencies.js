// Competencies: the organisation's competency dictionary (each competency with its levels 1–5,
// expandable; earlier versions readable) and its job competency standards (a table of job level ×
// required levels, CSV download, each standard's versions). Admin and HR also change them: a
// competency added, reworded or removed (each save the dictionary's next version), a standard
// created or given new levels (its next version), standards imported from CSV after a dry run.
// Assessors and psychologists read the same page without any of those controls.
// The page is split by responsibility: competencies-framework draws the dictionary,
// competencies-editor edits it, competencies-standards draws the table and the import,
// competencies-standard-form creates, edits and shows one standard; this file loads the data and
// wires them.
import { api } from './api.js';
import { $, errorNotice, h, startPage } from './shell.js';
import { t } from './i18n.js';
import { openAll, openEntry, renderFramework, renderVersions } from './competencies-framework.js';
import { addCompetency, editCompetency, onFrameworkSaved, removeCompetency, render as renderEditor } from './competencies-editor.js';
import { checkFile, downloadCsv, onImported, redrawPanel, renderStandards, standardLabel } from './competencies-standards.js';
import { editStandard, newStandard, refreshPanel, showHistory, useStandards } from './competencies-standard-form.js';
import { fieldMessage } from './competencies-fields.js';

const EDITORS = ['admin', 'hr'];
const me = await startPage({ roles: [...EDITORS, 'assessor', 'psychologist'] });
const canEdit = !!me && EDITORS.includes(me.role);

const state = {
  versions: [],
  framework: null, // the version shown
  current: null, // the current version (what an edit changes)
  standards: null,
  removing: null, // the code whose removal awaits confirmation
};
let lastStatus = null;
let frameworkStatus = null;

function status(view) {
  lastStatus = view;
  $('#competencies-status').replaceChildren(view ? view() : '');
}

/** What the dictionary says after a save or a failed removal (re-drawn on a language change). */
function showFrameworkStatus(view) {
  frameworkStatus = view;
  $('#framework-status').replaceChildren(...(view ? [].concat(view()) : []).filter(Boolean));
}

/** How many current standards require each competency code. */
function inUse() {
  const counts = new Map();
  for (const s of state.standards?.standards || []) {
    for (const code of Object.keys(s.levels)) counts.set(code, (counts.get(code) || 0) + 1);
  }
  return counts;
}

function removeConfirmation(c) {
  const next = state.current.version + 1;
  return h('div', { class: 'notice notice-warn cf-confirm', role: 'group', 'aria-labelledby': `remove-${c.code}-question` },
    h('p', { id: `remove-${c.code}-question` }, t('competencies.edit.removeQuestion', { code: c.code, next })),
    h('div', { class: 'btn-row' },
      h('button', { type: 'button', class: 'btn btn-danger', id: `remove-${c.code}-confirm`, onclick: () => confirmRemove(c.code) }, t('competencies.edit.removeConfirm', { code: c.code })),
      h('button', {
        type: 'button', class: 'btn', id: `remove-${c.code}-cancel`,
        onclick: () => {
          state.removing = null;
          drawFramework();
          openEntry(c.code);
          $(`#remove-${CSS.escape(c.code)}`)?.focus();
        },
      }, t('competencies.cancel'))));
}

/** What admin and HR may do with a competency of the current version: edit it; remove a technical one no standard requires. */
function entryActions(c) {
  const uses = inUse().get(c.code) || 0;
  const removable = c.kind === 'technical' && uses === 0;
  return h('div', { class: 'cf-actions' },
    h('div', { class: 'btn-row' },
      h('button', {
        type: 'button', class: 'btn btn-small', id: `edit-${c.code}`, 'aria-label': t('competencies.edit.editLabel', { code: c.code }),
        onclick: (e) => editCompetency(state.current.competencies.find((x) => x.code === c.code), e.currentTarget),
      }, t('competencies.edit.edit')),
      removable && state.removing !== c.code ? h('button', {
        type: 'button', class: 'btn btn-small btn-danger', id: `remove-${c.code}`, 'aria-label': t('competencies.edit.removeLabel', { code: c.code }),
        onclick: () => {
          state.removing = c.code;
          drawFramework();
          // The entry stays open through the redraw even when its toggle event has not run yet.
          openEntry(c.code);
          $(`#remove-${CSS.escape(c.code)}-confirm`).focus();
        },
      }, t('competencies.edit.remove')) : null,
      c.kind === 'technical' && uses > 0 ? h('span', { class: 'small muted', id: `in-use-${c.code}` }, t('competencies.edit.inUse', { n: uses })) : null,
      c.kind !== 'technical' ? h('span', { class: 'small muted' }, t('competencies.edit.keptNote')) : null),
    removable && state.removing === c.code ? removeConfirmation(c) : null);
}

/** Draws the dictionary at the version shown; edit controls only on the current version, for admin and HR. */
function drawFramework() {
  if (!state.framework) return;
  const editable = canEdit && state.current && state.framework.version === state.current.version;
  renderVersions(state.versions, state.framework.version);
  renderFramework(state.framework, editable ? entryActions : null);
}

async function loadFramework(version = null) {
  try {
    const [current, history] = await Promise.all([api('/api/v1/competencies'), api('/api/v1/competencies/versions')]);
    state.current = current;
    state.versions = history.versions;
    state.framework = version && version !== current.version ? await api(`/api/v1/competencies/versions/${version}`) : current;
    drawFramework();
  } catch (err) {
    status(() => errorNotice(err));
  }
}

async function loadStandards() {
  try {
    state.standards = await api('/api/v1/job-standards');
    drawStandards();
    refreshPanel();
    drawFramework();
  } catch (err) {
    status(() => errorNotice(err));
  }
}

function drawStandards() {
  useStandards(state.standards, standardSaved);
  renderStandards(state.standards, {
    canEdit,
    onEdit: (s, button) => editStandard(s, button),
    onHistory: (s, button) => showHistory(s, button),
  });
}

async function standardSaved(saved, { created, changed }) {
  const key = created ? 'competencies.std.created' : changed ? 'competencies.std.saved' : 'competencies.std.unchanged';
  // Said once the table shows it.
  await loadStandards();
  status(() => h('div', { class: 'notice notice-ok', role: 'status', id: 'standard-saved' },
    h('p', {}, t(key, { standard: standardLabel(saved), n: saved.current_version }))));
  const row = document.querySelector(`#standards-table tr[data-id="${CSS.escape(saved.id)}"] button[data-action="edit"]`);
  if (row) row.focus();
}

async function frameworkSaved({ version, before, code }) {
  // Said once the list and the version picker show it.
  await Promise.all([loadFramework(), loadStandards()]);
  showFrameworkStatus(() => h('div', { class: 'notice notice-ok', role: 'status', id: 'framework-saved' },
    h('p', {}, version === before ? t('competencies.edit.unchanged', { n: version }) : t('competencies.edit.saved', { code, n: version }))));
  const entry = openEntry(code);
  if (entry) entry.querySelector('summary').focus();
}

async function confirmRemove(code) {
  const button = $(`#remove-${CSS.escape(code)}-confirm`);
  button.disabled = true;
  try {
    const { version, before } = await removeCompetency(code);
    state.removing = null;
    await Promise.all([loadFramework(), loadStandards()]);
    showFrameworkStatus(() => h('div', { class: 'notice notice-ok', role: 'status', id: 'framework-saved' },
      h('p', {}, version === before ? t('competencies.edit.unchanged', { n: version }) : t('competencies.edit.removed', { code, n: version }))));
    $('#framework-status .notice').setAttribute('tabindex', '-1');
    $('#framework-status .notice').focus();
  } catch (err) {
    state.removing = null;
    await Promise.all([loadFramework(), loadStandards()]);
    showFrameworkStatus(() => [
      errorNotice(err, 'framework-error'),
      err.errors?.length ? h('ul', { class: 'cf-problems' }, err.errors.map((e) => h('li', {}, fieldMessage(e.message)))) : null,
    ]);
    $('#framework-status .notice').setAttribute('tabindex', '-1');
    $('#framework-status .notice').focus();
  }
}

if (me) {
  for (const el of document.querySelectorAll('[data-editors-only]')) el.hidden = !canEdit;
  $('#framework-version').addEventListener('change', (e) => {
    state.removing = null;
    loadFramework(Number(e.target.value));
  });
  $('#expand-all').addEventListener('click', () => openAll(true));
  $('#collapse-all').addEventListener('click', () => openAll(false));
  $('#standards-download').addEventListener('click', () => downloadCsv(status));
  if (canEdit) {
    $('#add-competency').addEventListener('click', (e) => addCompetency(e.currentTarget));
    $('#add-standard').addEventListener('click', (e) => newStandard(e.currentTarget));
    $('#standards-file').addEventListener('change', (e) => {
      const file = e.target.files && e.target.files[0];
      if (file) checkFile(file);
    });
    onImported(loadStandards);
    onFrameworkSaved(frameworkSaved, () => Promise.all([loadFramework(), loadStandards()]));
  }
  document.addEventListener('langchange', () => {
    drawFramework();
    if (state.standards) drawStandards();
    renderEditor();
    refreshPanel();
    redrawPanel();
    if (lastStatus) status(lastStatus);
    if (frameworkStatus) showFrameworkStatus(frameworkStatus);
  });
  await Promise.all([loadFramework(), loadStandards()]);
}
