// Assessors assigned by rule: so many per participant and exercise, the load balanced, nobody from
// the participant's own unit unless HR allows it. A dry run first shows how many assignments would
// be made and each assessor's load afterwards; HR then confirms (or changes the rule, which drops
// the preview). A rule that cannot be met names each participant short of assessors.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatCount } from './locale.js';
import { campaignPath, exerciseName, fieldError, ok, state } from './assessment-state.js';

const MAX_PER = 10;

/** Draws the form into #rule-body; `assigned()` runs after assignments were made. Returns {render}. */
export function rulePanel({ assigned }) {
  let form = { per: '2', exercises: null, exclude: true }; // exercises: null = all
  let view = null; // () => node(s) under the form: a preview, an outcome or an error
  let preview = null; // {rule, outcome} of the last dry run

  function show(next) {
    view = next;
    const box = $('#rule-result');
    if (box) box.replaceChildren(...(view ? [view()].flat().filter(Boolean) : []));
  }

  function changed() {
    if (preview) {
      preview = null;
      show(null);
    }
  }

  /** The rule in the form, or null (and the field marked) when the number is not 1–10. */
  function rule() {
    const n = Number(form.per);
    if (!/^\d+$/.test(form.per.trim()) || n < 1 || n > MAX_PER) {
      fieldError('rule-per', t('assessment.rule.perInvalid', { max: MAX_PER }));
      $('#rule-per').focus();
      return null;
    }
    fieldError('rule-per', '');
    const picked = form.exercises;
    if (picked && picked.length === 0) {
      fieldError('rule-exercises', t('assessment.rule.exercisesNone'));
      $('#rule-exercises input')?.focus();
      return null;
    }
    fieldError('rule-exercises', '');
    const body = { per_participant: n, exclude_same_unit: form.exclude };
    if (picked && picked.length < state.exercises.length) body.exercises = picked;
    return body;
  }

  function refusal(err) {
    const list = err.errors || [];
    if (err.code !== 'invalid_assignment') return errorNotice(err, 'rule-error');
    return [
      h('div', { class: 'notice notice-error', role: 'alert', id: 'rule-error', dataset: { code: err.code } },
        h('p', {}, t('assessment.rule.invalid', { n: list.length }))),
      list.length ? h('ul', { class: 'ac-rule-errors', id: 'rule-errors' }, list.map((e) => {
        const m = /^exercises\.(.+)$/.exec(e.field || '');
        return h('li', { dataset: { field: e.field } }, h('strong', {}, m ? exerciseName(m[1]) : e.field), ': ', e.message);
      })) : null,
    ];
  }

  function loadTable(outcome) {
    return h('div', { class: 'table-wrap' }, h('table', { id: 'rule-load', 'aria-labelledby': 'rule-load-title' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('assessment.rule.col.assessor')),
        h('th', { scope: 'col', class: 'num' }, t('assessment.rule.col.load')))),
      h('tbody', {}, outcome.load.map((l) => h('tr', { dataset: { assessor: l.assessor.id } },
        h('th', { scope: 'row' }, l.assessor.name),
        h('td', { class: 'num' }, formatCount(l.assignments)))))));
  }

  async function dryRun() {
    const body = rule();
    if (!body) return;
    const button = $('#rule-preview');
    button.disabled = true;
    try {
      const outcome = await api(campaignPath('/assessor-assignments/by-rule'), { method: 'POST', body: { ...body, dry_run: true } });
      preview = { body, outcome };
      show(() => [
        h('div', { class: 'notice notice-info', role: 'status', id: 'rule-preview-text' },
          h('p', {}, t(outcome.created ? 'assessment.rule.preview' : 'assessment.rule.previewNone', { n: outcome.created }))),
        h('h3', { id: 'rule-load-title' }, t('assessment.rule.loadTitle')),
        loadTable(outcome),
        outcome.created ? h('div', { class: 'btn-row mt' },
          h('button', { type: 'button', class: 'btn btn-primary', id: 'rule-confirm', onclick: confirm }, t('assessment.rule.confirm', { n: outcome.created })),
          h('button', { type: 'button', class: 'btn', id: 'rule-cancel', onclick: () => { changed(); $('#rule-preview').focus(); } }, t('bank.cancel'))) : null,
      ]);
      ($('#rule-confirm') || $('#rule-preview-text'))?.focus?.();
    } catch (err) {
      preview = null;
      show(() => refusal(err));
    } finally {
      button.disabled = false;
    }
  }

  async function confirm() {
    if (!preview) return;
    const { body } = preview;
    const button = $('#rule-confirm');
    button.disabled = true;
    try {
      const outcome = await api(campaignPath('/assessor-assignments/by-rule'), { method: 'POST', body: { ...body, dry_run: false } });
      preview = null;
      show(() => ok(t('assessment.rule.done', { n: outcome.created }), 'rule-done'));
      $('#rule-preview').focus();
      assigned();
    } catch (err) {
      preview = null;
      show(() => refusal(err));
    }
  }

  function render() {
    const picked = form.exercises || state.exercises.map((e) => e.code);
    $('#rule-body').replaceChildren(
      h('p', {}, t('assessment.rule.intro')),
      state.exercises.length === 0
        ? h('p', { class: 'notice notice-info', id: 'rule-no-exercises' }, t('assessment.rule.noExercises'))
        : h('form', { id: 'rule-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); dryRun(); } },
          h('div', { class: 'field ac-narrow' },
            h('label', { for: 'rule-per' }, t('assessment.rule.per')),
            h('input', {
              type: 'number', id: 'rule-per', min: 1, max: MAX_PER, step: 1, inputmode: 'numeric', value: form.per,
              'aria-describedby': 'rule-per-hint rule-per-error', oninput: (e) => { form.per = e.target.value; changed(); },
            }),
            h('p', { class: 'hint', id: 'rule-per-hint' }, t('assessment.rule.perHint', { max: MAX_PER })),
            h('p', { class: 'field-error', id: 'rule-per-error', hidden: true })),
          h('fieldset', { class: 'ac-competencies', id: 'rule-exercises', 'aria-describedby': 'rule-exercises-error' },
            h('legend', {}, t('assessment.rule.exercises')),
            h('div', { class: 'ac-checks' }, state.exercises.map((e) => h('label', { class: 'switch ac-check', for: `rule-ex-${e.code}` },
              h('input', {
                type: 'checkbox', id: `rule-ex-${e.code}`, value: e.code, checked: picked.includes(e.code),
                onchange: () => {
                  form.exercises = [...document.querySelectorAll('#rule-exercises input:checked')].map((i) => i.value);
                  changed();
                },
              }),
              h('span', {}, e.name)))),
            h('p', { class: 'field-error', id: 'rule-exercises-error', hidden: true })),
          h('div', { class: 'field' },
            h('label', { class: 'switch', for: 'rule-exclude' },
              h('input', { type: 'checkbox', id: 'rule-exclude', checked: form.exclude, onchange: (e) => { form.exclude = e.target.checked; changed(); } }),
              h('span', {}, t('assessment.rule.exclude')))),
          h('button', { type: 'submit', class: 'btn', id: 'rule-preview' }, t('assessment.rule.previewButton'))),
      h('div', { id: 'rule-result', class: 'mt', 'aria-live': 'polite' }));
    if (view) show(view);
  }

  return { render };
}
