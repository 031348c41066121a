// What every part of the assessment-centre page shares: the campaign, who is looking, the
// competency framework and the campaign's exercises and assignments as last read, and how field
// errors of the API are shown at their fields.
import { $, h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatNumber } from './locale.js';

export const state = {
  me: null,
  campaignId: null,
  campaign: null, // the campaign (HR and admin may read it), or null
  framework: [], // the organisation's competencies [{code, name}]
  exercises: [], // [{code, name, competencies}]
  assignments: null, // [...] for HR and admin; null for readers
};

/** Whether the viewer manages the campaign (exercises, assignments); others read and integrate. */
export function manages() {
  return state.me && (state.me.role === 'admin' || state.me.role === 'hr');
}

/** A competency's name in the page language, from the framework; the code when unknown. */
export function competencyName(code) {
  const c = state.framework.find((x) => x.code === code);
  return c ? tx(c.name) : code;
}

/** An exercise's name; the code when unknown. */
export function exerciseName(code) {
  const e = state.exercises.find((x) => x.code === code);
  return e ? e.name : code;
}

/** The campaign's API path with `rest` after it. */
export function campaignPath(rest = '') {
  return `/api/v1/campaigns/${encodeURIComponent(state.campaignId)}${rest}`;
}

/** A success notice. */
export function ok(text, id) {
  return h('div', { class: 'notice notice-ok', role: 'status', id: id || null }, h('p', {}, text));
}

/**
 * Shows `text` under the field whose error element is `#${id}-error` and marks the control `#${id}`
 * (or, for a group, every control in it) invalid; an empty text clears it.
 */
export function fieldError(id, text) {
  const p = $(`#${id}-error`);
  const el = $(`#${id}`);
  if (p) {
    p.textContent = text || '';
    p.hidden = !text;
  }
  if (!el) return;
  const controls = el.matches('input, select, textarea') ? [el] : [...el.querySelectorAll('input, select, textarea')];
  for (const c of controls) {
    if (text) c.setAttribute('aria-invalid', 'true');
    else c.removeAttribute('aria-invalid');
  }
}

/** "73,5 %" in the page language; '–' for none. */
export function percentText(n) {
  return n == null ? '–' : t('assessment.percent', { n: formatNumber(n, 1) });
}
