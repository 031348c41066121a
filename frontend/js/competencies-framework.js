// The competency dictionary of competencies.html: one expandable entry per competency (code, name,
// kind, definition, and levels 1–5 with their description and behavioural indicators, and for
// admin and HR what they may do with it), and the choice of version (earlier versions stay
// readable).
import { $, h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatDate } from './locale.js';

/** Codes of the competencies the reader has opened, kept across a language change or a version switch. */
const opened = new Set();

/** The version picker: every version, newest first, the current one marked. */
export function renderVersions(versions, shown) {
  const current = versions.length ? versions[versions.length - 1].version : null;
  const select = $('#framework-version');
  select.replaceChildren(...[...versions].reverse().map((v) => h('option', { value: String(v.version), selected: v.version === shown },
    t(v.version === current ? 'competencies.framework.current' : 'competencies.framework.older', { n: v.version, date: formatDate(v.created_at) }))));
  select.value = String(shown);
  $('#framework-note').replaceChildren(shown !== current && current !== null
    ? h('div', { class: 'notice notice-warn', id: 'framework-old', role: 'status' }, h('p', {}, t('competencies.framework.viewingOld', { n: shown, current })))
    : '');
}

function level(l) {
  return h('li', { class: 'cf-level', dataset: { level: String(l.level) } },
    h('h3', {}, t('competencies.level', { n: l.level })),
    h('p', {}, tx(l.description)),
    h('p', { class: 'small muted' }, t('competencies.indicators')),
    h('ul', {}, l.indicators.map((i) => h('li', {}, tx(i)))));
}

function competency(c, actions) {
  const entry = h('details', { class: 'cf-competency', dataset: { code: c.code, kind: c.kind }, open: opened.has(c.code) },
    h('summary', {},
      h('span', { class: 'cf-code' }, c.code),
      h('span', { class: 'cf-name' }, tx(c.name)),
      h('span', { class: 'badge badge-info' }, t('competencies.kind.' + c.kind))),
    h('div', { class: 'cf-body' },
      actions ? actions(c) : null,
      h('p', {}, tx(c.definition)),
      h('ol', { class: 'cf-levels' }, c.levels.map(level))));
  entry.addEventListener('toggle', () => {
    if (entry.open) opened.add(c.code);
    else opened.delete(c.code);
  });
  return entry;
}

/**
 * Draws the competencies of one framework version; `actions(c)`, when given, draws what a person
 * may do with a competency (edit, remove) at the top of its entry.
 */
export function renderFramework(fw, actions = null) {
  $('#framework-count').textContent = t('competencies.framework.count', { n: fw.competencies.length });
  $('#framework-list').replaceChildren(...fw.competencies.map((c) => competency(c, actions)));
}

/** Opens one competency's entry (after it was saved) and returns it. */
export function openEntry(code) {
  opened.add(code);
  const entry = document.querySelector(`#framework-list details[data-code="${CSS.escape(code)}"]`);
  if (entry) entry.open = true;
  return entry;
}

/** Opens (or closes) every competency. */
export function openAll(open) {
  for (const d of document.querySelectorAll('#framework-list details.cf-competency')) d.open = open;
}
