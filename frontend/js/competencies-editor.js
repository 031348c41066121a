// The competency editor of competencies.html (admin and HR): a new technical competency of the
// organisation, new words for an existing one (the nine seeded ones too: the API lets them be
// reworded, never removed or given another kind), and removing a technical competency that no job
// standard requires. Every change sends the whole framework document (PUT /api/v1/competencies),
// which becomes its next version; a refused document changes nothing, and every problem the API
// names by field path (`competencies[3].levels[2].description`) is shown beside that field.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { errorSummary, field, fieldMessage, focusSummary } from './competencies-fields.js';

/** Most behavioural indicators one level may list (MAX_INDICATORS of src/domain/framework.rs). */
const MAX_INDICATORS = 8;
const LEVELS = [1, 2, 3, 4, 5];
const SUMMARY = 'competency-errors';

/**
 * The competency being written, or null: `isNew`, `code`, `kind`, texts as {id, en} strings,
 * `levels` (five, each with a description and indicators), `original` (the competency as it was
 * opened, to notice someone else's change meanwhile) and `opener` (where the focus returns).
 */
let draft = null;
/** Why the last save was refused: {index, err} (an API error), or {stale: code, version}. */
let refusal = null;
let saving = false;
let hooks = { saved: async () => {}, reload: async () => {} };

/** What the page does after a save (`saved({version, before, code, removed})`) or to reload. */
export function onFrameworkSaved(saved, reload) {
  hooks = { saved, reload };
}

const blankText = () => ({ id: '', en: '' });
const textOf = (x) => ({ id: x?.id ?? '', en: x?.en ?? '' });

/** A text for the API: line breaks become spaces (the API keeps one line), English only when written. */
function wire(text) {
  const flat = (s) => s.replace(/\s*[\r\n\t]+\s*/g, ' ');
  const out = { id: flat(text.id) };
  if (text.en.trim() !== '') out.en = flat(text.en);
  return out;
}

function toDoc(d) {
  return {
    code: d.code.trim().toUpperCase(),
    kind: d.kind,
    name: wire(d.name),
    definition: wire(d.definition),
    levels: d.levels.map((l) => ({ level: l.level, description: wire(l.description), indicators: l.indicators.map(wire) })),
  };
}

/** Whether the editor is open. */
export function editorOpen() {
  return draft !== null;
}

/** Opens the editor on a new technical competency. */
export function addCompetency(opener) {
  draft = {
    isNew: true,
    code: '',
    kind: 'technical',
    name: blankText(),
    definition: blankText(),
    levels: LEVELS.map((n) => ({ level: n, description: blankText(), indicators: [blankText()] })),
    original: null,
    opener,
  };
  refusal = null;
  render();
  $('#ce-code').focus();
}

/** Opens the editor on an existing competency (a CompetencyDoc of the current version). */
export function editCompetency(c, opener) {
  draft = {
    isNew: false,
    code: c.code,
    kind: c.kind,
    name: textOf(c.name),
    definition: textOf(c.definition),
    levels: c.levels.map((l) => ({ level: l.level, description: textOf(l.description), indicators: l.indicators.map(textOf) })),
    original: JSON.stringify(c),
    opener,
  };
  refusal = null;
  render();
  $('#ce-name-id').focus();
}

function close() {
  const back = draft?.opener;
  draft = null;
  refusal = null;
  render();
  if (back && back.isConnected) back.focus();
}

// ---- where an API field path is shown ----

/** The element id of a local path (`name`, `levels[2].indicators[0]`) in one language. */
function idOf(path, lang = 'id') {
  if (path === 'code') return 'ce-code';
  if (path === 'name' || path === 'definition') return `ce-${path}-${lang}`;
  let m = /^levels\[(\d+)\]\.description$/.exec(path);
  if (m) return `ce-l${Number(m[1]) + 1}-description-${lang}`;
  m = /^levels\[(\d+)\]\.indicators\[(\d+)\]$/.exec(path);
  if (m) return `ce-l${Number(m[1]) + 1}-i${Number(m[2]) + 1}-${lang}`;
  m = /^levels\[(\d+)\]\.indicators$/.exec(path);
  if (m) return `ce-l${Number(m[1]) + 1}-i1-id`;
  return null;
}

/** Words for a local path, for the summary. */
function labelOf(path) {
  if (path === 'code') return t('competencies.edit.code');
  if (path === 'kind') return t('competencies.edit.kind');
  if (path === 'name') return t('competencies.edit.name');
  if (path === 'definition') return t('competencies.edit.definition');
  if (path === 'levels') return t('competencies.edit.levels');
  let m = /^levels\[(\d+)\]\.description$/.exec(path);
  if (m) return `${t('competencies.level', { n: Number(m[1]) + 1 })} · ${t('competencies.edit.description')}`;
  m = /^levels\[(\d+)\]\.indicators\[(\d+)\]$/.exec(path);
  if (m) return `${t('competencies.level', { n: Number(m[1]) + 1 })} · ${t('competencies.edit.indicator', { n: Number(m[2]) + 1 })}`;
  m = /^levels\[(\d+)\]\.indicators$/.exec(path);
  if (m) return `${t('competencies.level', { n: Number(m[1]) + 1 })} · ${t('competencies.indicators')}`;
  return path;
}

/**
 * The refused save's problems, split into those of the edited competency, by local path and
 * language ({path → {id: [texts], en: [texts]}}), and the rest (another competency's, or the
 * framework's as a whole). A path may name the language (`….description.en`); otherwise the
 * message does ("the English text (en) …"), and Indonesian is the default.
 */
function problems() {
  const local = new Map();
  const loose = [];
  const errs = refusal?.err?.errors || [];
  const prefix = `competencies[${refusal?.index}]`;
  for (const e of errs) {
    const path = typeof e.field === 'string' && e.field.startsWith(prefix + '.') ? e.field.slice(prefix.length + 1) : null;
    if (path === null || path === 'kind') {
      loose.push(e);
      continue;
    }
    const m = /^(.*)\.(id|en)$/.exec(path);
    const base = m ? m[1] : path;
    const lang = m ? m[2] : /\(en\)/.test(e.message) ? 'en' : 'id';
    if (!local.has(base)) local.set(base, { id: [], en: [] });
    local.get(base)[lang].push(fieldMessage(e.message));
  }
  return { local, loose };
}

function errorsAt(found, path) {
  return found.local.get(path) || { id: [], en: [] };
}

// ---- drawing ----

/** The Indonesian and English fields of one text; `labels` are the two label texts. */
function textPair(found, path, text, labels, multiline = false) {
  const errs = errorsAt(found, path);
  const control = (lang) => {
    const attrs = {
      id: idOf(path, lang), lang, autocomplete: 'off', value: text[lang],
      oninput: (e) => { text[lang] = e.target.value; },
    };
    return multiline ? h('textarea', { ...attrs, rows: '2' }) : h('input', { type: 'text', ...attrs });
  };
  return h('div', { class: 'cf-pair' },
    field(labels[0], control('id'), { errors: errs.id }),
    field(labels[1], control('en'), { errors: errs.en }));
}

function indicatorRow(found, levelIndex, k, level) {
  const n = level.level;
  const path = `levels[${levelIndex}].indicators[${k}]`;
  const errs = errorsAt(found, path);
  const input = (lang) => h('input', {
    type: 'text', id: idOf(path, lang), lang, autocomplete: 'off', value: level.indicators[k][lang],
    oninput: (e) => { level.indicators[k][lang] = e.target.value; },
  });
  const remove = level.indicators.length > 1
    ? h('button', {
      type: 'button', class: 'btn btn-small btn-danger', id: `ce-l${n}-i${k + 1}-remove`,
      'aria-label': t('competencies.edit.removeIndicatorLabel', { k: k + 1, n }),
      onclick: () => {
        level.indicators.splice(k, 1);
        forgetIndicatorErrors(levelIndex);
        render();
        const next = $(`#ce-l${n}-i${Math.min(k + 1, level.indicators.length)}-id`);
        if (next) next.focus();
      },
    }, t('competencies.edit.remove'))
    : null;
  return h('div', { class: 'cf-indicator', dataset: { indicator: String(k + 1) } },
    field(t('competencies.edit.indicatorId', { k: k + 1 }), input('id'), { errors: errs.id }),
    field(t('competencies.edit.indicatorEn', { k: k + 1 }), input('en'), { errors: errs.en }),
    remove ? h('div', { class: 'cf-indicator-remove' }, remove) : null);
}

/** After indicators are added or removed, their paths moved: the refusal no longer points at them. */
function forgetIndicatorErrors(levelIndex) {
  if (!refusal?.err?.errors) return;
  const prefix = `competencies[${refusal.index}].levels[${levelIndex}].indicators`;
  refusal.err.errors = refusal.err.errors.filter((e) => !String(e.field).startsWith(prefix));
}

function levelFieldset(found, level, j) {
  const n = level.level;
  const listErrors = errorsAt(found, `levels[${j}].indicators`);
  const listMessages = [...listErrors.id, ...listErrors.en];
  const full = level.indicators.length >= MAX_INDICATORS;
  return h('fieldset', { class: 'cf-level-edit', dataset: { level: String(n) } },
    h('legend', {}, t('competencies.level', { n })),
    textPair(found, `levels[${j}].description`, level.description,
      [t('competencies.edit.descriptionId'), t('competencies.edit.descriptionEn')], true),
    h('p', { class: 'cf-indicators-title', id: `ce-l${n}-indicators` }, t('competencies.indicators')),
    listMessages.length ? h('p', { class: 'field-error', id: `ce-l${n}-indicators-error` }, listMessages.join(' ')) : null,
    h('div', { class: 'cf-indicators', role: 'group', 'aria-labelledby': `ce-l${n}-indicators` },
      level.indicators.map((_, k) => indicatorRow(found, j, k, level))),
    full
      ? h('p', { class: 'hint', id: `ce-l${n}-full` }, t('competencies.edit.indicatorsFull', { max: MAX_INDICATORS }))
      : h('button', {
        type: 'button', class: 'btn btn-small', id: `ce-l${n}-add`,
        'aria-label': t('competencies.edit.addIndicatorLabel', { n }),
        onclick: () => {
          level.indicators.push(blankText());
          forgetIndicatorErrors(j);
          render();
          $(`#ce-l${n}-i${level.indicators.length}-id`).focus();
        },
      }, t('competencies.edit.addIndicator')));
}

function summary(found) {
  if (!refusal) return null;
  if (refusal.stale) {
    return errorSummary(SUMMARY, t('competencies.edit.stale', { code: refusal.stale, version: refusal.version }), []);
  }
  const err = refusal.err;
  if (err.code !== 'invalid_competency_framework') {
    const box = errorNotice(err, 'cf-summary');
    box.id = SUMMARY;
    box.tabIndex = -1;
    return box;
  }
  const lines = [];
  for (const [path, byLang] of found.local) {
    for (const lang of ['id', 'en']) {
      for (const message of byLang[lang]) {
        lines.push({ field: path, label: labelOf(path), message, target: idOf(path, lang) });
      }
    }
  }
  for (const e of found.loose) {
    lines.push({ field: e.field, label: e.item || e.field, message: fieldMessage(e.message), target: null });
  }
  return errorSummary(SUMMARY, t('competencies.edit.invalid', { n: (err.errors || []).length }), lines);
}

/** Draws the editor from the draft (and the refused save's problems), or hides it. */
export function render() {
  const box = $('#competency-editor');
  if (!draft) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const d = draft;
  const found = problems();
  const codeErrors = errorsAt(found, 'code');
  const levelsErrors = errorsAt(found, 'levels');
  const kindLine = h('p', { class: 'cf-fixed' }, h('span', { class: 'cf-fixed-label' }, t('competencies.edit.kind')), ' ',
    h('span', { class: 'badge badge-info' }, t('competencies.kind.' + d.kind)));
  const form = h('form', { id: 'competency-form', novalidate: true, 'aria-labelledby': 'competency-form-title', onsubmit: save },
    h('h3', { id: 'competency-form-title' }, d.isNew ? t('competencies.edit.newTitle') : t('competencies.edit.editTitle', { code: d.code })),
    h('p', { class: 'hint' }, t('competencies.edit.intro')),
    summary(found),
    d.isNew
      ? h('div', { class: 'cf-pair' },
        field(t('competencies.edit.code'), h('input', {
          type: 'text', id: 'ce-code', autocomplete: 'off', spellcheck: 'false', maxlength: '16', value: d.code,
          oninput: (e) => { d.code = e.target.value; },
        }), { errors: [...codeErrors.id, ...codeErrors.en], hint: t('competencies.edit.codeHint') }),
        kindLine)
      : h('div', {},
        h('p', { class: 'cf-fixed' }, h('span', { class: 'cf-fixed-label' }, t('competencies.edit.code')), ' ',
          h('span', { class: 'cf-code' }, d.code), ' ', h('span', { class: 'hint' }, t('competencies.edit.codeFixed'))),
        kindLine),
    textPair(found, 'name', d.name, [t('competencies.edit.nameId'), t('competencies.edit.nameEn')]),
    textPair(found, 'definition', d.definition, [t('competencies.edit.definitionId'), t('competencies.edit.definitionEn')], true),
    levelsErrors.id.length ? h('p', { class: 'field-error', id: 'ce-levels-error' }, levelsErrors.id.join(' ')) : null,
    d.levels.map((l, j) => levelFieldset(found, l, j)),
    h('div', { class: 'btn-row' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'competency-save' }, t('competencies.edit.save')),
      h('button', { type: 'button', class: 'btn', id: 'competency-cancel', onclick: close }, t('competencies.cancel'))));
  box.replaceChildren(form);
  box.hidden = false;
}

// ---- saving ----

async function save(e) {
  e.preventDefault();
  if (!draft || saving) return;
  const d = draft;
  saving = true;
  const button = $('#competency-save');
  button.disabled = true;
  button.textContent = t('competencies.edit.saving');
  let index = null;
  try {
    // The API replaces the whole document, so it is built on the newest version: a change someone
    // made meanwhile to another competency is kept, and one to this competency is not overwritten
    // unseen.
    const latest = await api('/api/v1/competencies');
    const list = latest.competencies;
    const mine = toDoc(d);
    if (d.isNew) {
      index = list.length;
      list.push(mine);
    } else {
      index = list.findIndex((c) => c.code === d.code);
      if (index < 0 || JSON.stringify(list[index]) !== d.original) {
        // Saving again overwrites it knowingly.
        d.original = index < 0 ? null : JSON.stringify(list[index]);
        refusal = { stale: d.code, version: latest.version };
        if (index < 0) d.isNew = true;
        saving = false;
        render();
        focusSummary(SUMMARY);
        await hooks.reload();
        return;
      }
      list[index] = mine;
    }
    const saved = await api('/api/v1/competencies', { method: 'PUT', body: { competencies: list } });
    saving = false;
    draft = null;
    refusal = null;
    render();
    await hooks.saved({ version: saved.version, before: latest.version, code: mine.code });
  } catch (err) {
    saving = false;
    if (draft !== d) return;
    refusal = { index, err };
    render();
    focusSummary(SUMMARY);
  }
}

/**
 * Removes a technical competency: the framework without it becomes the next version. Returns
 * {version, before} or throws the API's refusal (e.g. a standard came to require it meanwhile).
 */
export async function removeCompetency(code) {
  const latest = await api('/api/v1/competencies');
  const rest = latest.competencies.filter((c) => c.code !== code);
  const saved = await api('/api/v1/competencies', { method: 'PUT', body: { competencies: rest } });
  return { version: saved.version, before: latest.version };
}
