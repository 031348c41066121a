// One import of yearly records by NIP (SKP ratings or discipline records): the file's columns, a dry
// run first (what would be new, replaced or unchanged; or every problem by row and column), then the
// import itself.
import { api } from './api.js';
import { $, errorNotice, errorsTable, h, readChosenFile } from './shell.js';
import { t } from './i18n.js';

/** The two imports: where each file goes, the code that refuses it, and its columns. */
export const IMPORTS = {
  ratings: {
    path: '/api/v1/performance-ratings/import',
    refusal: 'invalid_performance_ratings',
    columns: ['nip', 'year', 'rating', 'work_results', 'work_behaviour'],
  },
  discipline: {
    path: '/api/v1/discipline-records/import',
    refusal: 'invalid_discipline_records',
    columns: ['nip', 'year', 'level', 'note'],
  },
};

/**
 * Draws the import of `kind` ('ratings' or 'discipline') into #<kind>-import; `imported` is called
 * after a file is imported. Returns the function that draws it again (on a language change).
 */
export function importPanel(kind, imported) {
  const spec = IMPORTS[kind];
  const id = (s) => `${kind}-${s}`;
  let view = null; // () => nodes, drawn again on a language change
  let pending = null; // {file, text} of a file that passed its dry run

  function show(next) {
    view = next;
    const panel = $('#' + id('panel'));
    if (panel) panel.replaceChildren(...(view ? [].concat(view()) : []).filter(Boolean));
  }

  function reset(focus = true) {
    pending = null;
    show(null);
    const input = $('#' + id('file'));
    if (input) {
      input.value = '';
      if (focus) input.focus();
    }
  }

  function failure(err, file) {
    const refused = err.code === spec.refusal;
    return () => [
      h('div', { class: 'notice notice-error', role: 'alert', id: id('error') },
        h('p', {}, refused
          ? t('people.import.invalid', { file: file.name, n: (err.errors || []).length })
          : t('people.import.failed', { file: file.name })),
        refused ? null : errorNotice(err)),
      err.errors && err.errors.length
        ? errorsTable(id('errors'), err.errors, { at: 'row', labels: ['people.col.row', 'people.col.field', 'people.col.message'], missing: '–', atClass: 'num' })
        : null,
      h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn', id: id('close'), onclick: () => reset() }, t('bank.close'))),
    ];
  }

  async function check(file) {
    pending = null;
    show(() => h('p', { class: 'muted' }, t('people.import.checking', { file: file.name })));
    const text = await readChosenFile(file, show, id('error'));
    if (text === null) return;
    try {
      const outcome = await api(spec.path, { method: 'POST', query: { dry_run: 'true' }, body: text, headers: { 'Content-Type': 'text/csv' } });
      pending = { file, text };
      show(() => [
        h('div', { class: 'notice notice-info', role: 'status', id: id('valid') },
          h('p', {}, t('people.import.valid', { file: file.name, rows: outcome.rows, created: outcome.created, replaced: outcome.replaced, unchanged: outcome.unchanged }))),
        h('div', { class: 'btn-row' },
          h('button', { type: 'button', class: 'btn btn-primary', id: id('confirm'), onclick: confirm }, t('people.import.confirm', { rows: outcome.rows })),
          h('button', { type: 'button', class: 'btn', id: id('cancel'), onclick: () => reset() }, t('bank.cancel'))),
      ]);
      $('#' + id('confirm')).focus();
    } catch (err) {
      show(failure(err, file));
      $('#' + id('file')).value = '';
    }
  }

  async function confirm() {
    const p = pending;
    if (!p) return;
    const btn = $('#' + id('confirm'));
    btn.disabled = true;
    btn.textContent = t('people.import.importing');
    try {
      const outcome = await api(spec.path, { method: 'POST', body: p.text, headers: { 'Content-Type': 'text/csv' } });
      reset(false);
      show(() => h('div', { class: 'notice notice-ok', role: 'status', id: id('done') },
        h('p', {}, t('people.import.done', { file: p.file.name, created: outcome.created, replaced: outcome.replaced, unchanged: outcome.unchanged }))));
      if (imported) await imported();
    } catch (err) {
      pending = null;
      show(failure(err, p.file));
    }
  }

  function render() {
    const input = h('input', { type: 'file', id: id('file'), accept: '.csv,text/csv', onchange: (e) => {
      const file = e.target.files && e.target.files[0];
      if (file) check(file);
    } });
    $(`#${kind}-import`).replaceChildren(
      h('p', {}, t(`people.${kind}.intro`)),
      h('div', { class: 'btn-row' },
        h('span', { class: 'file-pick' }, input, h('label', { for: id('file'), class: 'btn btn-primary' }, t('people.import.choose')))),
      h('details', { class: 'cmp-columns mt' },
        h('summary', {}, t('people.import.columns')),
        h('dl', { class: 'facts' }, spec.columns.map((c) => [h('dt', { class: 'mono' }, c), h('dd', {}, t(`people.${kind}.col.${c}`))])),
        h('p', { class: 'small muted' }, t('people.import.format'))),
      h('div', { id: id('panel'), 'aria-live': 'polite' }));
    show(view);
  }

  render();
  return render;
}
