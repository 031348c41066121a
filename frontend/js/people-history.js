// A person's competency results across the organisation's campaigns (GET
// /api/v1/competency-history), newest first: the day they were assessed, the last day the result
// is valid and whether it has passed (an expired result stays readable, marked in words and by its
// frame), JPM, categories, 9-box and IP ASN, and each competency's level against the level the job
// requires, as a table and a chart. Each entry links to its campaign's results page.
import { h } from './shell.js';
import { has, t, tx } from './i18n.js';
import { formatDay, formatNumber } from './locale.js';
import { legendItem, levelChart } from './people-charts.js';
import { scrollFrame } from './people-scroll.js';

/** A competency's name in the page language from the dictionary (`names`: code → {id, en}), else its code. */
function competencyName(code, names) {
  const name = names.get(code);
  return name ? tx(name) : code;
}

/** The competency codes of an entry in the dictionary's order, then any the dictionary no longer has. */
function codesOf(entry, names) {
  const codes = new Set([...Object.keys(entry.levels || {}), ...Object.keys(entry.required || {})]);
  const known = [...names.keys()].filter((c) => codes.has(c));
  const rest = [...codes].filter((c) => !names.has(c)).sort();
  return [...known, ...rest];
}

const level = (v) => (v == null ? '–' : String(v));

/** Level minus required level, signed ("+1", "0", "−2"); '–' when either is missing. */
function gapText(achieved, required) {
  if (achieved == null || required == null) return '–';
  const gap = achieved - required;
  return gap > 0 ? `+${gap}` : gap < 0 ? `−${-gap}` : '0';
}

function jpmText(e) {
  if (e.jpm != null) return `${formatNumber(e.jpm)}%`;
  const why = e.no_jpm && has('people.history.noJpm.' + e.no_jpm) ? t('people.history.noJpm.' + e.no_jpm) : e.no_jpm;
  return why ? t('people.history.noJpmBecause', { why }) : '–';
}

function categoriesText(categories) {
  const pairs = Object.entries(categories || {});
  if (!pairs.length) return '–';
  return pairs.map(([scheme, category]) => {
    const name = has('people.history.scheme.' + scheme) ? t('people.history.scheme.' + scheme) : scheme;
    return `${category} (${name})`;
  }).join('; ');
}

function positionText(e) {
  return [e.job_level, e.position].filter(Boolean).join(' · ') || '–';
}

/** The competency table and chart of one entry. */
function levelsPart(e, id, names) {
  const rows = codesOf(e, names).map((code) => ({
    code,
    name: competencyName(code, names),
    level: e.levels?.[code] ?? null,
    required: e.required?.[code] ?? null,
  }));
  if (!rows.length) return h('p', { class: 'muted' }, t('people.history.noLevels'));
  const below = rows.filter((r) => r.level != null && r.required != null && r.level < r.required).length;
  const withStandard = rows.filter((r) => r.required != null).length;
  const table = scrollFrame(h('table', { class: 'history-levels', id: `${id}-levels` },
    h('caption', { id: `${id}-levels-caption` }, t('people.history.levelsCaption')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('people.history.col.competency')),
      h('th', { scope: 'col', class: 'num' }, t('people.history.col.level')),
      h('th', { scope: 'col', class: 'num' }, t('people.history.col.required')),
      h('th', { scope: 'col', class: 'num' }, t('people.history.col.gap')))),
    h('tbody', {}, rows.map((r) => h('tr', { dataset: { code: r.code }, class: r.level != null && r.required != null && r.level < r.required ? 'is-below' : null },
      h('th', { scope: 'row' }, r.name, ' ', h('span', { class: 'code-chip' }, r.code)),
      h('td', { class: 'num' }, level(r.level)),
      h('td', { class: 'num' }, level(r.required)),
      h('td', { class: 'num' }, gapText(r.level, r.required)))))), `${id}-levels-caption`);
  const summary = withStandard
    ? t('people.history.chartLabel', { below, n: withStandard })
    : t('people.history.chartLabelNoStandard');
  const chart = h('figure', { class: 'history-chart' },
    levelChart(rows, summary),
    h('figcaption', { class: 'chart-legend small' },
      legendItem('swatch-meets', t('people.history.legend.meets')),
      legendItem('swatch-below', t('people.history.legend.below')),
      legendItem('swatch-required', t('people.history.legend.required'))));
  return h('div', { class: 'history-levels-wrap' }, table, chart);
}

function entryPart(e, i, names) {
  const id = `history-${i}`;
  const facts = [
    ['assessed', t('people.history.assessedOn'), formatDay(e.assessed_on)],
    ['valid', t('people.history.validUntil'), formatDay(e.valid_until)],
    ['position', t('people.history.position'), positionText(e)],
    ['unit', t('people.history.unit'), e.unit || '–'],
    ['jpm', 'JPM', jpmText(e)],
    ['categories', t('people.history.categories'), categoriesText(e.categories)],
    ['nine-box', t('people.history.nineBox'), e.nine_box == null ? '–' : t('people.history.box', { n: e.nine_box })],
    ['ip-asn', 'IP ASN', e.ip_asn == null ? '–' : formatNumber(e.ip_asn)],
  ];
  if (e.status && e.status !== 'finished') {
    const status = has('people.history.attempt.' + e.status) ? t('people.history.attempt.' + e.status) : e.status;
    facts.push(['status', t('people.history.attempt'), status]);
  }
  return h('article', {
    class: 'history-entry' + (e.expired ? ' is-expired' : ''), id, 'aria-labelledby': `${id}-title`,
    dataset: { campaign: e.campaign, expired: String(e.expired) },
  },
  h('div', { class: 'history-head' },
    h('h4', { id: `${id}-title` }, e.campaign_name),
    e.expired
      ? h('span', { class: 'badge badge-expired validity' }, t('people.history.expired'))
      : h('span', { class: 'badge badge-ok validity' }, t('people.history.valid'))),
  e.expired ? h('p', { class: 'history-expired-note small' }, t('people.history.expiredNote', { date: formatDay(e.valid_until) })) : null,
  h('dl', { class: 'facts history-facts' }, facts.map(([key, term, value]) => [
    h('dt', {}, term), h('dd', { dataset: { fact: key } }, value)])),
  levelsPart(e, id, names),
  h('p', { class: 'history-link' },
    h('a', { href: `/results?campaign=${encodeURIComponent(e.campaign)}` }, t('people.history.openResults'),
      h('span', { class: 'sr-only' }, `: ${e.campaign_name}`))));
}

/**
 * The competency history part of a person's lookup: `history` as the API answers it, `names` the
 * competency dictionary's names by code (empty when it could not be read: codes are shown).
 */
export function historyPart(history, names) {
  const title = h('h3', { id: 'lookup-history-title' }, t('people.history.title'));
  const entries = history.entries || [];
  if (!entries.length) {
    return [title, h('p', { class: 'muted', id: 'lookup-history-none' }, t('people.history.none'))];
  }
  const expired = entries.filter((e) => e.expired).length;
  return [
    title,
    h('p', { id: 'lookup-history-summary' }, t('people.history.summary', { n: entries.length, expired, years: history.validity_years })),
    h('div', { class: 'history-list', id: 'lookup-history' }, entries.map((e, i) => entryPart(e, i, names))),
  ];
}
