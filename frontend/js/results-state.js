// What every part of the results page shares: the state loaded from the API, the participant
// listing's query kept in the page address (so a link reopens the same view), the names of
// competencies, categories and the 9-box axes, and small formatters.
import { h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatNumber } from './locale.js';

export const state = {
  me: null,
  campaignId: null,
  /** GET /campaigns/{id} (admin and HR); null for readers, who may not read campaigns. */
  campaign: null,
  /** GET /campaigns/{id}/competencies/summary: {rules, summary, charts}. */
  overview: null,
  /** The current 9-box rule document (its box numbers and talent pool), or the seeded layout. */
  nineBox: null,
  /** The current category schemes (their codes, names and bands in order), or null. */
  schemes: null,
  /** The listing's query: filters, sort and page, as in the address. */
  query: {},
  /** The page of participants shown, or null while none is. */
  page: null,
  /** Positions seen on any page so far: suggestions for the position filter. */
  positions: new Set(),
};

/** The listing's filters, as the API names them (and as the address keeps them). */
export const FILTERS = ['q', 'scheme', 'category', 'box', 'below', 'by_at_least', 'unit', 'position', 'job_level', 'talent_pool', 'fast_track', 'rank_within'];
/** The rest of the listing's query. */
export const PAGING = ['page', 'per_page', 'sort', 'order'];
/** Rows per page the page offers. */
export const PER_PAGE = [25, 50, 100, 200];
export const DEFAULT_PER_PAGE = 50;

/** The 9-box of DOMAIN.md (and of the seeded rule): box numbers by potential row and performance column. */
export const DEFAULT_NINE_BOX = { boxes: { high: [4, 7, 9], medium: [2, 5, 8], low: [1, 3, 6] }, talent_pool: [7, 8, 9] };

/** Reads the campaign and the listing's query from the address. */
export function readAddress() {
  const p = new URLSearchParams(location.search);
  const query = {};
  for (const k of [...FILTERS, ...PAGING]) {
    const v = p.get(k);
    if (v !== null && v !== '') query[k] = v;
  }
  return { campaign: p.get('campaign'), participant: p.get('participant'), query };
}

/**
 * Writes the campaign, the query and the open profile (if any) into the address: a new history
 * entry when `push` (a filter or page the user chose), the same entry otherwise.
 */
export function writeAddress({ push = false, participant = currentParticipant() } = {}) {
  const p = new URLSearchParams();
  if (state.campaignId) p.set('campaign', state.campaignId);
  for (const k of [...FILTERS, ...PAGING]) {
    const v = state.query[k];
    if (v !== undefined && v !== null && v !== '') p.set(k, v);
  }
  if (participant) p.set('participant', participant);
  const url = `${location.pathname}?${p.toString()}`;
  if (url === location.pathname + location.search) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

function currentParticipant() {
  return new URLSearchParams(location.search).get('participant');
}

/** Whether the signed-in person may set and remove level overrides (admin and HR). */
export function mayOverride() {
  return state.me && (state.me.role === 'admin' || state.me.role === 'hr');
}

/** Whether the signed-in person may read campaigns and download the workbook (admin and HR). */
export function managesCampaigns() {
  return mayOverride();
}

/** A competency's name in the page language, from the summary's list (its code when unknown). */
export function competencyName(code) {
  const c = state.overview?.summary.competencies.find((x) => x.code === code);
  return c ? tx(c.name) : code;
}

/** The competencies in the framework's order. */
export function competencies() {
  return state.overview?.summary.competencies || [];
}

/** A category scheme's name: the page's words for the seeded ones, the rule's own name otherwise. */
export function schemeName(code) {
  const key = 'results.scheme.' + code;
  const own = t(key);
  if (own !== key) return own;
  return state.schemes?.find((s) => s.code === code)?.name || code;
}

/**
 * The schemes and their categories in the rule's band order (low to high), with those the
 * summary counts that the rule does not name appended.
 */
export function schemeCategories() {
  const counted = state.overview?.summary.categories || {};
  const out = [];
  const seen = new Set();
  for (const s of state.schemes || []) {
    seen.add(s.code);
    const names = s.bands.map((b) => b.category);
    for (const c of Object.keys(counted[s.code] || {})) if (!names.includes(c)) names.push(c);
    out.push({ code: s.code, categories: names });
  }
  for (const [code, cats] of Object.entries(counted)) if (!seen.has(code)) out.push({ code, categories: Object.keys(cats) });
  return out;
}

/** The row (potential) and column (performance) of a box number under the 9-box rule. */
function boxPlace(n) {
  const boxes = (state.nineBox || DEFAULT_NINE_BOX).boxes;
  for (const row of ['high', 'medium', 'low']) {
    const col = boxes[row].indexOf(Number(n));
    if (col >= 0) return { potential: row, performance: ['below', 'meets', 'above'][col] };
  }
  return null;
}

/** Whether a box is in the talent pool under the 9-box rule. */
export function inTalentPool(n) {
  return (state.nineBox || DEFAULT_NINE_BOX).talent_pool.includes(Number(n));
}

/** "Box 9 (high potential, above expectation)". */
export function boxText(n) {
  const place = boxPlace(n);
  if (!place) return t('results.box.n', { n });
  return t('results.box.long', { n, potential: t('results.potential.' + place.potential), performance: t('results.performance.' + place.performance) });
}

/** A JPM % for people. */
export function percent(v) {
  return v == null ? '–' : t('results.percent', { n: formatNumber(v, 2) });
}

/** A level or a number of levels (a mean: two decimals). */
export function level(v, digits = 2) {
  return v == null ? '–' : formatNumber(v, digits);
}

/** A gap (achieved − required) with its sign: "+1", "0", "−2". */
export function signed(v) {
  if (v == null) return '–';
  if (v > 0) return '+' + formatNumber(v, 2);
  if (v < 0) return '−' + formatNumber(-v, 2);
  return '0';
}

/** A competency's code with its full name for people who point at it, and the name for screen readers. */
export function codeAbbr(code) {
  return h('abbr', { title: competencyName(code) }, code);
}
