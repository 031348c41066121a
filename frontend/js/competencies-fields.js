// What the two editing forms of competencies.html share: a labelled control with its hint and
// error line, the API's validation messages in the page language, and the summary of a refused
// save (every problem, each a link to its field).
import { h } from './shell.js';
import { t } from './i18n.js';

/**
 * The API's validation messages (src/domain/framework.rs, text.rs, job_standard.rs) that the page
 * says in its own words; a message not listed here is shown as the server wrote it.
 */
const MESSAGES = [
  [/the Indonesian text \(id\) must not be empty/, () => t('competencies.err.idEmpty')],
  [/the English text \(en\) must not be empty/, () => t('competencies.err.enEmpty')],
  [/the text \((id|en)\) is longer than (\d+) characters/, (m) => t('competencies.err.tooLong', { max: m[2] })],
  [/must not contain control characters/, () => t('competencies.err.control')],
  [/is not a valid competency code/, () => t('competencies.err.code')],
  [/duplicate code '([^']*)'/, (m) => t('competencies.err.duplicate', { code: m[1] })],
  [/each level needs at least one behavioural indicator/, () => t('competencies.err.noIndicator')],
  [/^(\d+) indicators; at most (\d+) are allowed/, (m) => t('competencies.err.tooManyIndicators', { max: m[2] })],
  [/the levels must be exactly/, () => t('competencies.err.levels')],
  [/^(\S+) is a seeded \S+ competency: its kind cannot change/, (m) => t('competencies.err.kindFixed', { code: m[1] })],
  [/the seeded \S+ competency (\S+) cannot be removed/, (m) => t('competencies.err.seeded', { code: m[1] })],
  [/^(\S+) is required by (\d+) job standard/, (m) => t('competencies.err.inUse', { code: m[1], n: m[2] })],
  [/is not a proficiency level/, () => t('competencies.err.level')],
  [/unknown job level/, () => t('competencies.err.jobLevel')],
  [/unknown competency '([^']*)'/, (m) => t('competencies.err.unknownCompetency', { code: m[1] })],
  [/a standard requires at least one competency/, () => t('competencies.err.noLevels')],
  [/must be at most (\d+) characters/, (m) => t('competencies.err.maxLength', { max: m[1] })],
  [/is given twice/, () => t('competencies.err.twice')],
];

/** A validation message of the API in the page language when the page knows it, else as sent. */
export function fieldMessage(message) {
  for (const [re, say] of MESSAGES) {
    const m = re.exec(message || '');
    if (m) return say(m);
  }
  return message;
}

/**
 * A labelled control: `label` (text), `control` (an element with its id), an optional `hint` and
 * the `errors` of the field (texts in the page language). The control is described by its hint
 * and its error line, and marked invalid while it has an error.
 */
export function field(label, control, { errors = [], hint = null, cls = null } = {}) {
  const id = control.id;
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  const errorEl = errors.length ? h('p', { class: 'field-error', id: `${id}-error` }, errors.join(' ')) : null;
  const described = [hintEl?.id, errorEl?.id].filter(Boolean).join(' ');
  if (described) control.setAttribute('aria-describedby', described);
  if (errorEl) control.setAttribute('aria-invalid', 'true');
  return h('div', { class: 'field' + (cls ? ` ${cls}` : '') }, h('label', { for: id }, label), control, hintEl, errorEl);
}

/**
 * The summary of a refused save: a sentence, then one line per problem (`{label, message,
 * target}`), each a link that moves the focus to its field when it has one on the form. It is an
 * alert and takes the focus (focusSummary), so the refusal is heard as well as seen.
 */
export function errorSummary(id, sentence, problems, extra = null) {
  const line = (p) => {
    const text = p.label ? `${p.label}: ${p.message}` : p.message;
    if (!p.target) return h('li', { dataset: { field: p.field || '' } }, text);
    return h('li', { dataset: { field: p.field || '' } }, h('a', {
      href: `#${p.target}`,
      onclick: (e) => {
        const el = document.getElementById(p.target);
        if (!el) return;
        e.preventDefault();
        el.focus();
      },
    }, text));
  };
  return h('div', { class: 'notice notice-error cf-summary', role: 'alert', id, tabindex: '-1' },
    h('p', {}, sentence),
    problems.length ? h('ul', {}, problems.map(line)) : null,
    extra);
}

/** Moves the focus to a summary drawn by errorSummary (after the form was drawn again). */
export function focusSummary(id) {
  const el = document.getElementById(id);
  if (el) el.focus();
}
