// The campaign's exercises (interview, group discussion, in-tray…) and the competencies each
// evidences, from the organisation's framework. HR and admin edit the whole list and save it at
// once; a refused list has every problem shown at its field (`exercises[1].name` under the second
// exercise's name). Readers see the list.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t, tx } from './i18n.js';
import { campaignPath, fieldError, manages, ok, state } from './assessment-state.js';

const FIELD = /^exercises\[(\d+)\]\.(code|name|competencies)(?:\[\d+\])?$/;

/**
 * Draws the exercises into #exercises-body. `saved()` runs after the list was saved. Returns
 * {render}.
 */
export function exercisesPanel({ saved }) {
  let rows = null; // the list being edited: [{code, name, competencies: []}]
  let errors = {}; // `${i}.${part}` → i18n key
  let notice = null; // () => node

  const editRows = () => state.exercises.map((e) => ({ code: e.code, name: e.name, competencies: [...e.competencies] }));

  function showNotice(view) {
    notice = view;
    const box = $('#exercises-status');
    if (box) box.replaceChildren(...(view ? [view()] : []));
  }

  function applyErrors() {
    rows.forEach((_, i) => {
      for (const part of ['code', 'name', 'competencies']) {
        const key = errors[`${i}.${part}`];
        fieldError(`ex-${i}-${part}`, key ? t(key) : '');
      }
    });
  }

  function readOnly() {
    if (!state.exercises.length) return h('p', { class: 'muted', id: 'exercises-none' }, t('assessment.exercises.none'));
    return h('div', { class: 'table-wrap' }, h('table', { id: 'exercises-table', 'aria-labelledby': 'exercises-title' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('assessment.exercises.code')),
        h('th', { scope: 'col' }, t('assessment.exercises.name')),
        h('th', { scope: 'col' }, t('assessment.exercises.competencies')))),
      h('tbody', {}, state.exercises.map((e) => h('tr', { dataset: { exercise: e.code } },
        h('td', { class: 'mono' }, e.code),
        h('th', { scope: 'row' }, e.name),
        h('td', {}, e.competencies.map((c) => {
          const f = state.framework.find((x) => x.code === c);
          return f ? `${tx(f.name)} (${c})` : c;
        }).join(', ')))))));
  }

  function row(e, i) {
    const id = (part) => `ex-${i}-${part}`;
    const described = (part, hint = false) => [hint ? `${id(part)}-hint` : null, `${id(part)}-error`].filter(Boolean).join(' ');
    return h('fieldset', { class: 'ac-exercise', dataset: { index: i } },
      h('legend', {}, t('assessment.exercises.legend', { n: i + 1 })),
      h('div', { class: 'ac-exercise-fields' },
        h('div', { class: 'field' },
          h('label', { for: id('code') }, t('assessment.exercises.code')),
          h('input', {
            type: 'text', id: id('code'), value: e.code, autocomplete: 'off', spellcheck: 'false', maxlength: 40,
            'aria-describedby': described('code', true), oninput: (ev) => { e.code = ev.target.value.trim(); },
          }),
          h('p', { class: 'hint', id: `${id('code')}-hint` }, t('assessment.exercises.codeHint')),
          h('p', { class: 'field-error', id: `${id('code')}-error`, hidden: true })),
        h('div', { class: 'field' },
          h('label', { for: id('name') }, t('assessment.exercises.name')),
          h('input', {
            type: 'text', id: id('name'), value: e.name, autocomplete: 'off', maxlength: 200,
            'aria-describedby': described('name'), oninput: (ev) => { e.name = ev.target.value; },
          }),
          h('p', { class: 'field-error', id: `${id('name')}-error`, hidden: true }))),
      h('fieldset', { class: 'ac-competencies', id: id('competencies'), 'aria-describedby': `${id('competencies')}-error` },
        h('legend', {}, t('assessment.exercises.competencies')),
        h('div', { class: 'ac-checks' }, state.framework.map((c) => h('label', { class: 'switch ac-check', for: `${id('c')}-${c.code}` },
          h('input', {
            type: 'checkbox', id: `${id('c')}-${c.code}`, value: c.code, checked: e.competencies.includes(c.code),
            onchange: (ev) => {
              if (ev.target.checked) e.competencies = state.framework.map((f) => f.code).filter((x) => x === c.code || e.competencies.includes(x));
              else e.competencies = e.competencies.filter((x) => x !== c.code);
            },
          }),
          h('span', {}, `${tx(c.name)} (${c.code})`)))),
        h('p', { class: 'field-error', id: `${id('competencies')}-error`, hidden: true })),
      h('div', { class: 'btn-row' },
        h('button', {
          type: 'button', class: 'btn btn-small btn-danger ac-remove-exercise',
          'aria-label': t('assessment.exercises.removeLabel', { n: i + 1, name: e.name || e.code || '' }),
          onclick: () => {
            rows.splice(i, 1);
            errors = {};
            render();
            ($(`#ex-${Math.min(i, rows.length - 1)}-code`) || $('#exercises-add'))?.focus();
          },
        }, t('assessment.exercises.remove'))));
  }

  async function save() {
    const button = $('#exercises-save');
    button.disabled = true;
    errors = {};
    applyErrors();
    showNotice(null);
    const body = { exercises: rows.map((e) => ({ code: e.code.trim(), name: e.name.trim(), competencies: e.competencies })) };
    try {
      const answer = await api(campaignPath('/exercises'), { method: 'PUT', body });
      state.exercises = answer.exercises;
      rows = editRows();
      render();
      showNotice(() => ok(t('assessment.exercises.saved', { n: state.exercises.length }), 'exercises-saved'));
      saved();
    } catch (err) {
      let first = null;
      let general = false;
      for (const e of err.errors || []) {
        const m = FIELD.exec(e.field || '');
        if (!m) {
          general = true;
          continue;
        }
        errors[`${m[1]}.${m[2]}`] = `assessment.exercises.err.${m[2]}`;
        first = first || `ex-${m[1]}-${m[2]}`;
      }
      applyErrors();
      showNotice(() => (err.code === 'invalid_exercises' && !general
        ? h('div', { class: 'notice notice-error', role: 'alert', id: 'exercises-invalid', dataset: { code: err.code } },
          h('p', {}, t('assessment.exercises.invalid', { n: (err.errors || []).length })))
        : errorNotice(err, 'exercises-error')));
      const el = first && $('#' + first);
      if (el) (el.matches('fieldset') ? el.querySelector('input') : el).focus();
      button.disabled = false;
    }
  }

  function render() {
    const body = $('#exercises-body');
    if (!manages()) {
      body.replaceChildren(readOnly());
      return;
    }
    if (!rows) rows = editRows();
    body.replaceChildren(
      h('p', {}, t('assessment.exercises.intro')),
      rows.length ? h('div', { class: 'ac-exercise-list' }, rows.map(row)) : h('p', { class: 'muted', id: 'exercises-none' }, t('assessment.exercises.none')),
      h('div', { id: 'exercises-status' }),
      h('div', { class: 'btn-row' },
        h('button', {
          type: 'button', class: 'btn', id: 'exercises-add',
          onclick: () => {
            rows.push({ code: '', name: '', competencies: [] });
            render();
            $(`#ex-${rows.length - 1}-code`).focus();
          },
        }, t('assessment.exercises.add')),
        h('button', { type: 'button', class: 'btn btn-primary', id: 'exercises-save', onclick: save }, t('assessment.exercises.save'))));
    applyErrors();
    if (notice) showNotice(notice);
  }

  return { render };
}
