// What every part of the campaigns page shares: its state, the status line, tables, and how a
// campaign's phase, battery and window are shown.
import { $, h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatDate } from './locale.js';

export const state = {
  campaigns: [],
  batteries: [],
  proctors: null, // enabled proctors of the organisation ({id, name, email}), or null when the list is not available
  editing: null, // the id of the campaign the form is changing, or null when it creates one
  detail: null, // CampaignView of the open campaign
  participants: [],
  results: null,
  expanded: new Set(), // participant ids whose scales are shown
  pending: null, // {file, text, outcome} after a successful dry run
  enrolView: null, // () => node(s) of the enrolment panel, re-rendered on a language change
  issued: null, // {campaign, codes, issuedAt, saved} freshly issued codes, shown once
  reissue: null, // the participant whose code is being reissued
};

let uid = 0;
export const nextId = (p) => `${p}-${++uid}`;

export function status(node) {
  $('#campaigns-status').replaceChildren(node || '');
}

export function ok(text, id) {
  return h('div', { class: 'notice notice-ok', role: 'status', id: id || null }, h('p', {}, text));
}

export function table(headers, rows, attrs = {}) {
  return h('div', { class: 'table-wrap' }, h('table', attrs,
    h('thead', {}, h('tr', {}, headers.map(([text, c]) => h('th', { scope: 'col', class: c || null }, text)))),
    h('tbody', {}, rows)));
}

function phase(c) {
  const now = Date.now();
  if (now < Date.parse(c.opens_at)) return 'upcoming';
  if (now >= Date.parse(c.closes_at)) return 'closed';
  return 'open';
}

export function phaseBadge(c) {
  const p = phase(c);
  const cls = { upcoming: 'badge-info', open: 'badge-ok', closed: 'badge-muted' }[p];
  return h('span', { class: 'badge ' + cls, dataset: { phase: p } }, t('campaigns.phase.' + p));
}

export function batteryName(id) {
  const b = state.batteries.find((x) => x.id === id);
  return b ? `${tx(b.name)} (${b.code})` : id;
}

export function windowText(c) {
  return `${formatDate(c.opens_at)} – ${formatDate(c.closes_at)}`;
}
