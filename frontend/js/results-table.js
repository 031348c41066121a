// The participant table of the results page: filters (name or NIP, category, box, below standard
// on a competency by at least N levels, unit, position, job level, talent pool, fast track, and the
// scope of ranks), sortable column heads and page controls, all answered by the server one page at
// a time (a campaign of ten thousand never travels whole). The query lives in the page address.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { has, t } from './i18n.js';
import { formatCount, formatNumber } from './locale.js';
import {
  DEFAULT_PER_PAGE, FILTERS, PER_PAGE, boxText, codeAbbr, competencies, competencyName, percent, schemeCategories, schemeName,
  state, writeAddress,
} from './results-state.js';

/** The columns: key, i18n key of the head, the API's sort key (none: not sortable), numeric. */
const COLUMNS = [
  { key: 'rank', sort: 'rank', num: true },
  { key: 'name', sort: 'name' },
  { key: 'jobLevel', sort: 'job_level' },
  { key: 'unit', sort: 'unit' },
  { key: 'jpm', sort: 'jpm', num: true },
  { key: 'category' },
  { key: 'box', sort: 'box', num: true },
  { key: 'ipAsn', sort: 'ip_asn', num: true },
  { key: 'gaps' },
];

let hooks = { openProfile: () => {}, afterFilter: () => {} };
let seq = 0;
let searchTimer = null;

/** Wires the filter form and the pager once; `openProfile(row, button)` opens a participant. */
export function initTable(given) {
  hooks = { ...hooks, ...given };
  const form = $('#filters');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(searchTimer);
    applyFilters(readForm(), { push: true });
  });
  form.addEventListener('change', (e) => {
    if (e.target.id === 'f-q') return; // typed: applied as one types (below) or on submit
    applyFilters(readForm(), { push: true });
  });
  $('#f-q').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => applyFilters(readForm(), { push: false }), 350);
  });
  $('#filters-reset').addEventListener('click', () => {
    clearFilters();
    $('#f-q').focus();
  });
  $('#per-page').addEventListener('change', (e) => {
    state.query.per_page = e.target.value === String(DEFAULT_PER_PAGE) ? undefined : e.target.value;
    delete state.query.page;
    load({ push: true, keepFocus: '#per-page' });
  });
}

/** Empties every filter (the sort and rows per page stay). */
function clearFilters() {
  for (const k of FILTERS) delete state.query[k];
  delete state.query.page;
  fillForm();
  load({ push: true });
  hooks.afterFilter();
}

/** The filters as the form holds them. */
function readForm() {
  const v = (id) => $(id).value.trim();
  const [scheme, category] = v('#f-category') ? v('#f-category').split('|') : [null, null];
  const below = v('#f-below');
  return {
    q: v('#f-q'), scheme, category, box: v('#f-box'), below, by_at_least: below && v('#f-by') !== '1' ? v('#f-by') : null,
    unit: v('#f-unit'), position: v('#f-position'), job_level: v('#f-job-level'), talent_pool: v('#f-pool'),
    fast_track: v('#f-fast'), rank_within: v('#f-rank') === 'campaign' ? null : v('#f-rank'),
  };
}

/**
 * Changes filters (`changes`: key → value, empty or null removes it), goes to the first page and
 * loads it; the address gets a new entry when `push`.
 */
export function applyFilters(changes, { push = true } = {}) {
  let changed = false;
  for (const [k, v] of Object.entries(changes)) {
    const value = v === null || v === undefined || v === '' ? undefined : String(v);
    if (state.query[k] !== value) changed = true;
    if (value === undefined) delete state.query[k];
    else state.query[k] = value;
  }
  if (!changed) return;
  delete state.query.page;
  fillForm();
  hooks.afterFilter();
  return load({ push });
}

/** Sets every control of the form to the query. */
export function fillForm() {
  const q = state.query;
  $('#f-q').value = q.q || '';
  $('#f-category').value = q.category ? `${q.scheme || firstSchemeOf(q.category)}|${q.category}` : '';
  $('#f-box').value = q.box || '';
  $('#f-below').value = q.below || '';
  $('#f-by').value = q.by_at_least || '1';
  $('#f-by').disabled = !q.below;
  $('#f-unit').value = q.unit || '';
  $('#f-position').value = q.position || '';
  $('#f-job-level').value = q.job_level || '';
  $('#f-pool').value = q.talent_pool || '';
  $('#f-fast').value = q.fast_track || '';
  $('#f-rank').value = q.rank_within || 'campaign';
  $('#per-page').value = q.per_page || String(DEFAULT_PER_PAGE);
}

function firstSchemeOf(category) {
  return schemeCategories().find((s) => s.categories.includes(category))?.code || '';
}

function option(value, text, selected = false) {
  return h('option', { value, selected }, text);
}

/** Every unit and every unit above one ("Dinas X" of "Dinas X / Bidang Y"), in order. */
function unitChoices() {
  const units = (state.overview.summary.units || []).map((u) => u.unit);
  const all = new Set();
  for (const u of units) {
    const parts = u.split('/').map((p) => p.trim()).filter(Boolean);
    for (let i = 1; i <= parts.length; i++) all.add(parts.slice(0, i).join(' / '));
  }
  if (state.query.unit) all.add(state.query.unit);
  return [...all].sort((a, b) => a.localeCompare(b)).map((u) => ({
    value: u, above: units.some((x) => x !== u && x.startsWith(u) && /^\s*\//.test(x.slice(u.length))),
  }));
}

/** Fills the selects' options (on load and when the language changes), keeping their values. */
export function fillOptions() {
  $('#f-category').replaceChildren(option('', t('results.f.any')),
    ...schemeCategories().map((s) => h('optgroup', { label: schemeName(s.code) },
      [...s.categories].reverse().map((c) => option(`${s.code}|${c}`, c)))));
  $('#f-box').replaceChildren(option('', t('results.f.any')),
    ...[9, 8, 7, 6, 5, 4, 3, 2, 1].map((n) => option(String(n), boxText(n))));
  $('#f-below').replaceChildren(option('', t('results.f.noCompetency')),
    ...competencies().map((c) => option(c.code, `${competencyName(c.code)} (${c.code})`)));
  $('#f-by').replaceChildren(...[1, 2, 3, 4].map((n) => option(String(n), t('results.f.levels', { n }))));
  $('#f-unit').replaceChildren(option('', t('results.f.any')),
    ...unitChoices().map((u) => option(u.value, u.above ? t('results.f.unitAbove', { unit: u.value }) : u.value)));
  const levels = new Set((state.overview.summary.fast_track?.levels || []).map((l) => l.job_level));
  if (state.query.job_level) levels.add(state.query.job_level);
  $('#f-job-level').replaceChildren(option('', t('results.f.any')), ...[...levels].map((l) => option(l, l)));
  $('#f-pool').replaceChildren(option('', t('results.f.any')), option('true', t('results.f.poolIn')), option('false', t('results.f.poolOut')));
  $('#f-fast').replaceChildren(option('', t('results.f.any')), option('true', t('results.f.fastIn')), option('false', t('results.f.fastOut')));
  $('#f-rank').replaceChildren(...['campaign', 'position', 'unit'].map((s) => option(s, t('results.rank.' + s))));
  // A link may ask for another number of rows than the page offers; it is shown as asked.
  const sizes = [...new Set([...PER_PAGE, Number(state.query.per_page) || DEFAULT_PER_PAGE])].sort((a, b) => a - b);
  $('#per-page').replaceChildren(...sizes.map((n) => option(String(n), String(n))));
  fillPositions();
  fillForm();
}

function fillPositions() {
  $('#position-list').replaceChildren(...[...state.positions].sort((a, b) => a.localeCompare(b)).map((p) => h('option', { value: p })));
}

/**
 * Loads the page the query asks for and draws it. A newer load wins over one still on its way.
 * `keepFocus`: a selector to give focus back to once drawn (the control that asked);
 * `prefetched`: the page's request when it was sent already (with the summary, on opening).
 */
export async function load({ push = false, keepFocus = null, prefetched = null } = {}) {
  writeAddress({ push });
  const mine = ++seq;
  $('#participants-table').setAttribute('aria-busy', 'true');
  $('#table-status').replaceChildren(h('span', { class: 'rs-loading' }, t('results.table.loading')));
  $('#table-error').replaceChildren();
  // What has focus when the rows are replaced gets it back afterwards (found again by its key).
  let focusKey = keepFocus;
  try {
    const page = await (prefetched || fetchPage());
    if (mine !== seq) return;
    focusKey = keepFocus || focusKeyOf(document.activeElement);
    state.page = page;
    for (const r of page.rows) if (r.position) state.positions.add(r.position);
    fillPositions();
    render();
  } catch (err) {
    if (mine !== seq) return;
    focusKey = keepFocus || focusKeyOf(document.activeElement);
    state.page = null;
    showError(err);
  } finally {
    if (mine === seq) $('#participants-table').removeAttribute('aria-busy');
  }
  restoreFocus(focusKey);
}

/** The page the query asks for, from the API (a promise). */
export function fetchPage() {
  return api(`/api/v1/campaigns/${state.campaignId}/competencies/participants`, { query: apiQuery() });
}

function apiQuery() {
  const q = {};
  for (const [k, v] of Object.entries(state.query)) if (v !== undefined && v !== '') q[k] = v;
  return q;
}

function showError(err) {
  $('#participants-table tbody')?.replaceChildren();
  $('#pager').replaceChildren();
  $('#table-status').replaceChildren();
  const list = err.code === 'invalid_query' && err.errors?.length
    ? h('ul', { class: 'small', id: 'query-errors' }, err.errors.map((e) => h('li', { dataset: { field: e.field } }, h('code', {}, e.field), ': ', e.message)))
    : null;
  const box = errorNotice(err, 'rs-table-error', { prefix: 'results.err.' });
  if (list) box.append(list);
  box.append(h('p', {}, h('button', { type: 'button', class: 'btn btn-small', id: 'error-reset', onclick: () => { clearFilters(); $('#f-q').focus(); } }, t('results.f.reset'))));
  $('#table-error').replaceChildren(box);
}

/** Draws the table head, rows, count and pager for the page in state. */
export function render() {
  const page = state.page;
  if (!page) return;
  renderHead(page);
  const body = $('#participants-table tbody');
  if (page.rows.length === 0) {
    body.replaceChildren(h('tr', { class: 'rs-empty-row' }, h('td', { colspan: String(COLUMNS.length) },
      page.total === 0 && Object.keys(state.query).some((k) => FILTERS.includes(k))
        ? [t('results.table.noMatch'), ' ', h('button', { type: 'button', class: 'btn btn-small', id: 'empty-reset', onclick: () => { clearFilters(); $('#f-q').focus(); } }, t('results.f.reset'))]
        : t(page.total === 0 ? 'results.table.none' : 'results.table.pastEnd'))));
  } else {
    body.replaceChildren(...page.rows.map(row));
  }
  const from = page.total === 0 ? 0 : (page.page - 1) * page.per_page + 1;
  const to = Math.min(page.total, (page.page - 1) * page.per_page + page.rows.length);
  $('#table-status').replaceChildren(h('span', { id: 'table-count', dataset: { total: String(page.total) } },
    page.total === 0 ? t('results.table.countNone') : t('results.table.count', { from: formatCount(from), to: formatCount(to), total: formatCount(page.total) })));
  renderPager(page);
}

function renderHead(page) {
  const sort = page.sort;
  const order = page.order;
  $('#participants-table thead').replaceChildren(h('tr', {}, COLUMNS.map((c) => {
    const label = t('results.col.' + c.key);
    const scope = c.key === 'rank' ? h('span', { class: 'rs-sub' }, t('results.col.rankIn', { scope: t('results.rank.' + page.rank_within) })) : null;
    const active = c.sort && c.sort === sort;
    const attrs = { scope: 'col', class: (c.num ? 'num ' : '') + 'rs-col-' + c.key, dataset: { col: c.key } };
    if (active) attrs['aria-sort'] = order === 'desc' ? 'descending' : 'ascending';
    if (!c.sort) return h('th', attrs, label);
    return h('th', attrs, h('button', {
      type: 'button', class: 'rs-sort', dataset: { sort: c.sort, dir: active ? order : 'none' },
      'aria-label': active
        ? t(order === 'desc' ? 'results.sort.activeDesc' : 'results.sort.activeAsc', { column: label })
        : t('results.sort.by', { column: label }),
      onclick: () => sortBy(c.sort),
    }, label), scope);
  })));
}

function sortBy(key) {
  if (state.page && state.page.sort === key) {
    // The sorted column again: the other order.
    state.query.sort = key;
    state.query.order = state.page.order === 'desc' ? 'asc' : 'desc';
  } else {
    // Another column: its own first order (the server's default for it).
    state.query.sort = key;
    delete state.query.order;
  }
  delete state.query.page;
  load({ push: true, keepFocus: `button.rs-sort[data-sort="${key}"]` });
}

function goTo(n, control) {
  if (n <= 1) delete state.query.page;
  else state.query.page = String(n);
  load({ push: true, keepFocus: control });
}

function renderPager(page) {
  const pages = Math.max(1, Math.ceil(page.total / page.per_page));
  const current = page.page;
  const button = (id, key, target, disabled) => h('button', {
    type: 'button', class: 'btn btn-small', id, disabled, 'aria-label': t(key + 'Label', { n: target }),
    onclick: () => goTo(target, '#' + id),
  }, t(key));
  const input = h('input', {
    id: 'page-input', type: 'number', min: '1', max: String(pages), step: '1', inputmode: 'numeric', value: String(current),
    onkeydown: (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const n = Math.min(pages, Math.max(1, Math.round(Number(e.target.value) || 1)));
      goTo(n, '#page-input');
    },
    onchange: (e) => {
      const n = Math.min(pages, Math.max(1, Math.round(Number(e.target.value) || 1)));
      if (n !== current) goTo(n, '#page-input');
    },
  });
  $('#pager').replaceChildren(
    button('page-first', 'results.page.first', 1, current <= 1),
    button('page-prev', 'results.page.prev', current - 1, current <= 1),
    h('span', { class: 'rs-page-at' }, h('label', { for: 'page-input' }, t('results.page.label')), input,
      h('span', { id: 'page-of' }, t('results.page.of', { pages: formatCount(pages) }))),
    button('page-next', 'results.page.next', current + 1, current >= pages),
    button('page-last', 'results.page.last', pages, current >= pages));
}

function focusKeyOf(el) {
  if (!el || el === document.body) return null;
  if (el.id) return '#' + el.id;
  if (el.matches?.('button.rs-sort')) return `button.rs-sort[data-sort="${el.dataset.sort}"]`;
  if (el.matches?.('button.rs-open')) return `button.rs-open[data-participant="${el.dataset.participant}"]`;
  return null;
}

function restoreFocus(key) {
  if (!key) return;
  const el = $(key);
  if (el && document.activeElement !== el && !el.disabled) el.focus();
  else if (el && el.disabled) ($('#page-input') || $('#table-count'))?.focus();
}

function statusText(s) {
  return has('results.status.' + s) ? t('results.status.' + s) : s;
}

const STATUS_CLASS = { not_started: 'badge-muted', in_progress: 'badge-info', finished: 'badge-ok', expired: 'badge-warn', terminated: 'badge-danger' };

function row(r) {
  const name = h('button', {
    type: 'button', class: 'rs-open', 'aria-haspopup': 'dialog', dataset: { participant: r.participant },
    onclick: (e) => hooks.openProfile(r.participant, e.currentTarget),
  }, r.name);
  const gaps = Object.entries(r.gaps).filter(([, g]) => g < 0)
    .sort(([a, ga], [b, gb]) => (a === state.query.below ? -1 : b === state.query.below ? 1 : ga - gb || a.localeCompare(b)));
  const schemes = Object.entries(r.categories);
  return h('tr', { class: 'rs-row', dataset: { participant: r.participant, nip: r.nip, box: r.nine_box ?? '' } },
    h('td', { class: 'num rs-rank' }, r.rank == null ? '–' : formatCount(r.rank)),
    h('td', { class: 'rs-name' }, name, h('span', { class: 'rs-nip mono' }, r.nip),
      r.status !== 'finished' || r.talent_pool || r.fast_track || r.overridden.length ? h('span', { class: 'rs-badges' },
        r.status !== 'finished' ? h('span', { class: 'badge ' + (STATUS_CLASS[r.status] || '') }, statusText(r.status)) : null,
        r.talent_pool ? h('span', { class: 'badge badge-ok' }, t('results.badge.pool')) : null,
        r.fast_track ? h('span', { class: 'badge badge-info' }, t('results.badge.fast')) : null,
        r.overridden.length ? h('span', { class: 'badge badge-warn' }, t('results.badge.overridden', { n: r.overridden.length })) : null) : null),
    h('td', { class: 'rs-job' }, r.job_level, r.position ? h('span', { class: 'rs-sub' }, r.position) : null),
    h('td', { class: 'rs-unit' }, r.unit || '–'),
    h('td', { class: 'num rs-jpm' }, r.jpm != null ? percent(r.jpm) : h('span', { class: 'rs-sub rs-why' }, t('results.noJpm.' + (r.no_jpm || 'incomplete')))),
    h('td', { class: 'rs-category' }, schemes.length === 0 ? '–' : schemes.map(([scheme, cat], i) =>
      h('span', { class: i === 0 ? 'rs-cat' : 'rs-sub rs-cat', dataset: { scheme }, title: schemeName(scheme) }, cat))),
    h('td', { class: 'num rs-box' }, r.nine_box != null
      ? h('span', { title: boxText(r.nine_box) }, String(r.nine_box))
      : h('span', { class: 'rs-sub rs-why' }, r.not_placed.length ? r.not_placed.map((c) => t('results.notPlaced.short.' + c)).join(', ') : '–')),
    h('td', { class: 'num rs-ip' }, r.ip_asn != null ? [formatNumber(r.ip_asn, 2), r.ip_asn_category ? h('span', { class: 'rs-sub' }, r.ip_asn_category) : null] : '–'),
    h('td', { class: 'rs-gaps' }, gaps.length === 0
      ? (Object.keys(r.gaps).length ? h('span', { class: 'rs-sub' }, t('results.table.noneBelow')) : '–')
      : h('ul', { class: 'rs-gap-list' }, gaps.map(([code, g]) => h('li', { dataset: { code }, class: code === state.query.below ? 'is-filter' : null },
        codeAbbr(code), ' ', h('span', { class: 'rs-gap' }, '−' + Math.abs(g)),
        r.overridden.includes(code) ? h('span', { class: 'rs-over-mark', title: t('results.table.overridden') }, '*') : null)))));
}
