// One job standard at a time on competencies.html: the form that creates one (admin and HR: job
// level, optional position, the required level per competency of the current framework) or gives
// one new levels (its next version), and the read-only view of any version of one (everyone who
// reads the page). Refused saves change nothing and show every problem beside its field.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatDate } from './locale.js';
import { errorSummary, field, fieldMessage, focusSummary } from './competencies-fields.js';
import { standardLabel } from './competencies-standards.js';

/**
 * The job levels the API accepts (JobLevel of src/domain/job_standard.rs), structural posts from
 * the top, then the functional grades; the names are the same in both languages.
 */
export const JOB_LEVELS = {
  structural: ['JPT Utama', 'JPT Madya', 'JPT Pratama', 'Administrator', 'Pengawas', 'Pelaksana'],
  functional: ['Ahli Utama', 'Ahli Madya', 'Ahli Muda', 'Ahli Pertama', 'Penyelia', 'Mahir', 'Terampil', 'Pemula'],
};
const SUMMARY = 'standard-errors';

/**
 * What the panel shows, or null: {form: {…}} while a standard is being written, {view: {…}} while
 * one version of a standard is read. The form holds `isNew`, `id`, `jobLevel`, `position`,
 * `levels` (code → '' or '1'…'5'), `version` (when editing), `prefilled` (the job-level standard
 * the levels were copied from), `touched`, `errors` (field errors) or `failure` (another refusal),
 * and `opener`.
 */
let panel = null;
let list = null; // the StandardList the page shows (framework columns and current standards)
let saving = false;
let afterSave = async () => {};

/** The standards the page shows, and what to do once one was saved (`(standard, outcome)`). */
export function useStandards(current, saved) {
  list = current;
  afterSave = saved;
}

/** The code's field id (codes hold A–Z, 0–9 and '-', all fine in an id). */
const levelId = (code) => `sf-level-${code}`;

function required(c) {
  return c.kind !== 'technical';
}

/** Opens the form on a new standard. */
export function newStandard(opener) {
  panel = { form: { isNew: true, id: null, jobLevel: '', position: '', levels: {}, version: null, prefilled: null, touched: false, errors: [], failure: null, opener } };
  for (const c of list.competencies) panel.form.levels[c.code] = '';
  render();
  $('#sf-job-level').focus();
}

/** Opens the form on an existing standard (at its current version, as listed). */
export function editStandard(s, opener) {
  const levels = {};
  for (const c of list.competencies) levels[c.code] = s.levels[c.code] == null ? '' : String(s.levels[c.code]);
  panel = { form: { isNew: false, id: s.id, jobLevel: s.job_level, position: s.position || '', levels, version: s.current_version, prefilled: null, touched: true, errors: [], failure: null, opener, standard: s } };
  render();
  const first = list.competencies[0];
  if (first) $(`#${levelId(first.code)}`).focus();
}

/** Opens the read-only view of a standard's versions, at its current one. */
export async function showHistory(s, opener) {
  panel = { view: { standard: s, shown: null, loading: true, failure: null, opener } };
  render();
  await loadVersion(s.current_version);
  $('#standard-view-title').focus();
}

async function loadVersion(n) {
  const v = panel?.view;
  if (!v) return;
  try {
    v.shown = await api(`/api/v1/job-standards/${v.standard.id}/versions/${n}`);
    v.failure = null;
  } catch (err) {
    v.failure = err;
  }
  v.loading = false;
  if (panel?.view === v) render();
}

function close() {
  const back = panel?.form?.opener || panel?.view?.opener;
  panel = null;
  render();
  if (back && back.isConnected) back.focus();
}

/** Draws the panel again after the standards were reloaded (a new competency is a new field). */
export function refreshPanel() {
  render();
}

// ---- the form ----

/** The whole-job-level standard of a job level, when there is one. */
function levelStandard(jobLevel) {
  return list.standards.find((s) => s.job_level === jobLevel && !s.position) || null;
}

/** A new standard starts from its job level's standard, until the person changes a level. */
function prefill(f) {
  const from = f.isNew && !f.touched ? levelStandard(f.jobLevel) : null;
  if (!from) {
    f.prefilled = null;
    return;
  }
  f.prefilled = from;
  for (const c of list.competencies) {
    f.levels[c.code] = from.levels[c.code] == null ? '' : String(from.levels[c.code]);
    const select = $(`#${levelId(c.code)}`);
    if (select) select.value = f.levels[c.code];
  }
}

function errorsOf(f, path) {
  return f.errors.filter((e) => e.field === path).map((e) => fieldMessage(e.message));
}

function jobLevelSelect(f) {
  const select = h('select', {
    id: 'sf-job-level',
    onchange: (e) => {
      f.jobLevel = e.target.value;
      prefill(f);
      const note = $('#sf-prefilled');
      if (note) note.textContent = prefillNote(f);
    },
  },
  h('option', { value: '' }, t('competencies.std.chooseJobLevel')),
  Object.entries(JOB_LEVELS).map(([family, names]) => h('optgroup', { label: t('competencies.family.' + family) },
    names.map((n) => h('option', { value: n }, n)))));
  select.value = f.jobLevel;
  return select;
}

function prefillNote(f) {
  return f.prefilled ? t('competencies.std.prefilled', { level: f.prefilled.job_level, version: f.prefilled.current_version }) : '';
}

function levelSelect(f, c) {
  const select = h('select', {
    id: levelId(c.code),
    onchange: (e) => {
      f.levels[c.code] = e.target.value;
      f.touched = true;
    },
  },
  h('option', { value: '' }, required(c) ? t('competencies.std.chooseLevel') : t('competencies.notRequired')),
  [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n) }, t('competencies.level', { n }))));
  select.value = f.levels[c.code] ?? '';
  return select;
}

function formSummary(f) {
  if (f.failure) {
    const box = errorNotice(f.failure, 'cf-summary');
    box.id = SUMMARY;
    box.tabIndex = -1;
    return box;
  }
  if (!f.errors.length) return null;
  const name = (code) => {
    const c = list.competencies.find((x) => x.code === code);
    return c ? `${c.code} · ${tx(c.name)}` : code;
  };
  const lines = f.errors.map((e) => {
    const m = /^levels\.(.+)$/.exec(e.field);
    if (m) return { field: e.field, label: name(m[1]), message: fieldMessage(e.message), target: $(`#${levelId(m[1])}`) ? levelId(m[1]) : null };
    if (e.field === 'job_level') return { field: e.field, label: t('competencies.col.jobLevel'), message: fieldMessage(e.message), target: f.isNew ? 'sf-job-level' : null };
    if (e.field === 'position') return { field: e.field, label: t('competencies.col.position'), message: fieldMessage(e.message), target: f.isNew ? 'sf-position' : null };
    return { field: e.field, label: e.field === 'levels' ? t('competencies.std.levels') : e.field, message: fieldMessage(e.message), target: null };
  });
  return errorSummary(SUMMARY, t('competencies.std.invalid', { n: f.errors.length }), lines);
}

function renderForm(f) {
  const levelsErrors = errorsOf(f, 'levels');
  const fields = list.competencies.map((c) => field(`${c.code} · ${tx(c.name)}`, levelSelect(f, c), {
    errors: errorsOf(f, `levels.${c.code}`),
    cls: 'cf-std-level',
  }));
  return h('form', { id: 'standard-form', novalidate: true, 'aria-labelledby': 'standard-form-title', onsubmit: save },
    h('h3', { id: 'standard-form-title' }, f.isNew ? t('competencies.std.newTitle') : t('competencies.std.editTitle', { standard: standardLabel(f.standard) })),
    f.isNew
      ? h('p', { class: 'hint' }, t('competencies.std.newIntro'))
      : h('p', { class: 'hint', id: 'standard-form-version' }, t('competencies.std.editIntro', { n: f.version, next: f.version + 1 })),
    formSummary(f),
    f.isNew
      ? h('div', { class: 'cf-pair' },
        field(t('competencies.col.jobLevel'), jobLevelSelect(f), { errors: errorsOf(f, 'job_level') }),
        field(t('competencies.std.position'), h('input', {
          type: 'text', id: 'sf-position', autocomplete: 'off', maxlength: '200', value: f.position,
          oninput: (e) => { f.position = e.target.value; },
        }), { errors: errorsOf(f, 'position'), hint: t('competencies.std.positionHint') }))
      : null,
    h('fieldset', { class: 'cf-std-levels' },
      h('legend', {}, t('competencies.std.levels')),
      h('p', { class: 'hint', id: 'sf-levels-hint' }, t('competencies.std.levelsHint')),
      f.isNew ? h('p', { class: 'hint', id: 'sf-prefilled' }, prefillNote(f)) : null,
      levelsErrors.length ? h('p', { class: 'field-error', id: 'sf-levels-error' }, levelsErrors.join(' ')) : null,
      h('div', { class: 'cf-std-grid' }, fields)),
    h('div', { class: 'btn-row' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'standard-save' }, f.isNew ? t('competencies.std.create') : t('competencies.std.save')),
      h('button', { type: 'button', class: 'btn', id: 'standard-cancel', onclick: close }, t('competencies.cancel'))));
}

/** The problems the page finds before sending: a job level, and a level for every non-technical competency. */
function check(f) {
  const errors = [];
  if (f.isNew && !f.jobLevel) errors.push({ field: 'job_level', message: t('competencies.std.err.jobLevel') });
  for (const c of list.competencies) {
    if (required(c) && !f.levels[c.code]) errors.push({ field: `levels.${c.code}`, message: t('competencies.std.err.required') });
  }
  return errors;
}

async function save(e) {
  e.preventDefault();
  const f = panel?.form;
  if (!f || saving) return;
  f.failure = null;
  f.errors = check(f);
  if (f.errors.length) {
    render();
    focusSummary(SUMMARY);
    return;
  }
  const levels = {};
  for (const [code, v] of Object.entries(f.levels)) if (v) levels[code] = Number(v);
  const button = $('#standard-save');
  button.disabled = true;
  button.textContent = t('competencies.std.saving');
  saving = true;
  try {
    const position = f.position.trim();
    const saved = f.isNew
      ? await api('/api/v1/job-standards', { method: 'POST', body: position ? { job_level: f.jobLevel, position, levels } : { job_level: f.jobLevel, levels } })
      : await api(`/api/v1/job-standards/${f.id}`, { method: 'PUT', body: { levels } });
    saving = false;
    panel = null;
    render();
    await afterSave(saved, { created: f.isNew, changed: f.isNew || saved.current_version !== f.version });
  } catch (err) {
    saving = false;
    if (panel?.form !== f) return;
    if (err.code === 'invalid_job_standard' && err.errors?.length) {
      f.errors = err.errors;
    } else if (err.code === 'job_standard_exists') {
      // The job level and position pair is taken: said at the position (or the job level).
      f.errors = [{ field: f.position.trim() ? 'position' : 'job_level', message: t('competencies.std.err.exists') }];
    } else {
      f.failure = err;
    }
    render();
    focusSummary(SUMMARY);
  }
}

// ---- one version, read only ----

function renderView(v) {
  const s = v.standard;
  const current = s.current_version;
  const versions = [];
  for (let n = current; n >= 1; n -= 1) versions.push(n);
  const select = h('select', {
    id: 'sv-version',
    onchange: async (e) => {
      v.loading = true;
      await loadVersion(Number(e.target.value));
      $('#sv-version').focus();
    },
  }, versions.map((n) => h('option', { value: String(n) }, n === current ? t('competencies.std.versionCurrent', { n }) : t('competencies.std.versionOlder', { n }))));
  const shown = v.shown;
  select.value = String(shown ? shown.version : current);
  const codes = list.competencies.map((c) => c.code);
  if (shown) for (const code of Object.keys(shown.levels)) if (!codes.includes(code)) codes.push(code);
  const nameOf = (code) => {
    const c = list.competencies.find((x) => x.code === code);
    return c ? tx(c.name) : '';
  };
  return h('section', { id: 'standard-view', 'aria-labelledby': 'standard-view-title' },
    h('h3', { id: 'standard-view-title', tabindex: '-1' }, t('competencies.std.historyTitle', { standard: standardLabel(s) })),
    h('div', { class: 'field cf-version' }, h('label', { for: 'sv-version' }, t('competencies.std.version')), select),
    v.failure ? errorNotice(v.failure) : null,
    shown && shown.version !== current
      ? h('div', { class: 'notice notice-warn', id: 'standard-old', role: 'status' }, h('p', {}, t('competencies.std.viewingOld', { n: shown.version, current })))
      : null,
    shown ? h('p', { class: 'small muted', id: 'standard-view-meta' }, t('competencies.std.versionMeta', { date: formatDate(shown.updated_at), framework: shown.framework_version })) : null,
    shown ? h('div', { class: 'table-wrap' }, h('table', { id: 'standard-view-table', class: 'cf-standards' },
      h('caption', { class: 'small muted' }, t('competencies.std.viewCaption', { n: shown.version })),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('competencies.std.competency')),
        h('th', { scope: 'col', class: 'cf-level-cell' }, t('competencies.std.requiredLevel')))),
      h('tbody', {}, codes.map((code) => {
        const level = shown.levels[code];
        return h('tr', { dataset: { code } },
          h('th', { scope: 'row' }, h('span', { class: 'cf-code' }, code), nameOf(code) ? ` · ${nameOf(code)}` : ''),
          h('td', { class: 'cf-level-cell' }, level == null
            ? [h('span', { 'aria-hidden': 'true' }, '–'), h('span', { class: 'sr-only' }, t('competencies.notRequired'))]
            : String(level)));
      })))) : null,
    h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn', id: 'standard-view-close', onclick: close }, t('competencies.close'))));
}

/** Draws the panel: the form, one version of a standard, or nothing. */
export function render() {
  const box = $('#standard-panel');
  if (!panel) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.replaceChildren(panel.form ? renderForm(panel.form) : renderView(panel.view));
  box.hidden = false;
}
