// The summary of a campaign's competency results: the tiles (participants, scored, JPM mean and
// categories, talent pool, IP ASN), the development needs of the campaign and of each unit, and the
// fast track per job level. Buttons beside the numbers filter the participant table to the people
// they count (`show(filters)`).
import { $, h } from './shell.js';
import { t } from './i18n.js';
import { formatCount, formatNumber } from './locale.js';
import { competencyName, percent, schemeCategories, schemeName, signed, state } from './results-state.js';

function tile(key, label, value, note = null) {
  return h('li', { class: 'rs-tile', dataset: { tile: key } },
    h('span', { class: 'rs-tile-label' }, label),
    h('span', { class: 'rs-tile-value' }, value),
    note ? h('span', { class: 'rs-tile-note' }, note) : null);
}

/** Draws the tiles. */
export function renderTiles() {
  const s = state.overview.summary;
  const placed = Object.values(s.nine_box).reduce((a, b) => a + b, 0);
  const tiles = [
    tile('participants', t('results.tile.participants'), formatCount(s.participants)),
    tile('scored', t('results.tile.scored'), formatCount(s.scored),
      t('results.tile.scoredNote', { n: formatCount(s.participants - s.scored) })),
    tile('jpm', t('results.tile.jpmMean'), percent(s.jpm_mean),
      s.without_standard > 0
        ? t('results.tile.jpmNoteWithout', { n: formatCount(s.with_jpm), without: formatCount(s.without_standard) })
        : t('results.tile.jpmNote', { n: formatCount(s.with_jpm) })),
  ];
  for (const scheme of schemeCategories()) {
    const counts = s.categories[scheme.code] || {};
    // Highest band first, as people read a category scale.
    const names = [...scheme.categories].reverse();
    tiles.push(h('li', { class: 'rs-tile rs-tile-list', dataset: { tile: 'scheme-' + scheme.code } },
      h('span', { class: 'rs-tile-label' }, schemeName(scheme.code)),
      h('ul', { class: 'rs-tile-categories' }, names.map((c) => h('li', { dataset: { category: c } },
        h('span', { class: 'rs-cat-name' }, c), ' ', h('span', { class: 'rs-cat-count' }, formatCount(counts[c] || 0)))))));
  }
  tiles.push(
    tile('talent-pool', t('results.tile.talentPool'), formatCount(s.talent_pool), t('results.tile.talentPoolNote', { n: formatCount(placed) })),
    tile('ip-asn', t('results.tile.ipAsn'), s.ip_asn_mean == null ? '–' : formatNumber(s.ip_asn_mean, 2),
      s.with_ip_asn > 0 ? t('results.tile.ipAsnNote', { n: formatCount(s.with_ip_asn) }) : t('results.tile.ipAsnNone')));
  $('#tiles').replaceChildren(...tiles);
}

/** The table of one group's development needs, most often below standard first. */
function needsTable(development, id, show, unit = null) {
  const rows = [...(development?.competencies || [])]
    .sort((a, b) => b.share_percent - a.share_percent || (a.mean_gap_below ?? 0) - (b.mean_gap_below ?? 0) || a.competency.localeCompare(b.competency));
  if (!rows.some((r) => r.assessed > 0)) return h('p', { class: 'muted', id: id + '-empty' }, t('results.dev.none'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'rs-needs', id },
    h('caption', { class: 'sr-only' }, unit ? t('results.dev.unitCaption', { unit }) : t('results.dev.caption')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('results.dev.competency')),
      h('th', { scope: 'col', class: 'num' }, t('results.dev.assessed')),
      h('th', { scope: 'col', class: 'num' }, t('results.dev.below')),
      h('th', { scope: 'col', class: 'rs-share-col' }, t('results.dev.share')),
      h('th', { scope: 'col', class: 'num' }, t('results.dev.meanGap')),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('results.dev.action'))))),
    h('tbody', {}, rows.map((r) => h('tr', { dataset: { code: r.competency } },
      h('th', { scope: 'row' }, competencyName(r.competency), ' ', h('span', { class: 'muted small mono' }, r.competency)),
      h('td', { class: 'num' }, formatCount(r.assessed)),
      h('td', { class: 'num rs-below-count' }, formatCount(r.below)),
      h('td', { class: 'rs-share-col' },
        h('span', { class: 'rs-share' }, h('span', { class: 'rs-share-bar', 'aria-hidden': 'true' },
          h('span', { class: 'rs-share-fill', style: `width: ${Math.max(0, Math.min(100, r.share_percent))}%` })),
        h('span', { class: 'rs-share-text' }, t('results.percent', { n: formatNumber(r.share_percent, 1) })))),
      h('td', { class: 'num' }, r.mean_gap_below == null ? '–' : signed(r.mean_gap_below)),
      h('td', {}, r.below > 0 ? h('button', {
        type: 'button', class: 'btn btn-small rs-show-below',
        'aria-label': t('results.dev.showLabel', { competency: competencyName(r.competency), unit: unit || t('results.dev.wholeCampaign') }),
        onclick: () => show({ below: r.competency, by_at_least: null, unit: unit || null }),
      }, t('results.dev.show')) : null))))));
}

let unitShown = null;

/** Draws the development needs of the campaign and of the chosen unit. */
export function renderDevelopment(show) {
  const s = state.overview.summary;
  const units = s.units || [];
  if (unitShown !== null && !units.some((u) => u.unit === unitShown)) unitShown = null;
  if (unitShown === null && units.length) unitShown = units[0].unit;
  const unit = units.find((u) => u.unit === unitShown);
  const select = h('select', { id: 'dev-unit', onchange: (e) => { unitShown = e.target.value; renderDevelopment(show); $('#dev-unit').focus(); } },
    units.map((u) => h('option', { value: u.unit, selected: u.unit === unitShown }, t('results.dev.unitOption', { unit: u.unit, n: formatCount(u.participants) }))));
  $('#development-body').replaceChildren(
    h('h3', { id: 'dev-campaign-title' }, t('results.dev.campaign')),
    needsTable(s.development, 'needs-campaign', show),
    h('h3', { id: 'dev-unit-title' }, t('results.dev.perUnit')),
    ...(units.length === 0
      ? [h('p', { class: 'muted', id: 'dev-no-units' }, t('results.dev.noUnits'))]
      : [
        h('div', { class: 'field rs-narrow' }, h('label', { for: 'dev-unit' }, t('results.dev.unit')), select),
        h('p', { class: 'small', id: 'dev-unit-facts' }, t('results.dev.unitFacts', {
          n: formatCount(unit.participants), scored: formatCount(unit.scored), jpm: percent(unit.jpm_mean), pool: formatCount(unit.talent_pool),
        })),
        needsTable(unit.development, 'needs-unit', show, unit.unit),
      ]));
}

/** Draws the fast track per job level. */
export function renderFastTrack(show) {
  const levels = state.overview.summary.fast_track?.levels || [];
  $('#fast-track-body').replaceChildren(
    h('p', {}, t('results.fast.intro')),
    levels.length === 0
      ? h('p', { class: 'muted', id: 'fast-none' }, t('results.fast.none'))
      : h('div', { class: 'table-wrap' }, h('table', { id: 'fast-table' },
        h('caption', { class: 'sr-only' }, t('results.fast.title')),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('results.col.jobLevel')),
          h('th', { scope: 'col', class: 'num' }, t('results.fast.eligible')),
          h('th', { scope: 'col', class: 'num' }, t('results.fast.quota')),
          h('th', { scope: 'col', class: 'num' }, t('results.fast.threshold')),
          h('th', { scope: 'col', class: 'num' }, t('results.fast.flagged')),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('results.dev.action'))))),
        h('tbody', {}, levels.map((l) => h('tr', { dataset: { jobLevel: l.job_level } },
          h('th', { scope: 'row' }, l.job_level),
          h('td', { class: 'num' }, formatCount(l.eligible)),
          h('td', { class: 'num' }, formatCount(l.quota)),
          h('td', { class: 'num' }, percent(l.threshold)),
          h('td', { class: 'num rs-flagged' }, formatCount(l.flagged.length)),
          h('td', {}, l.flagged.length ? h('button', {
            type: 'button', class: 'btn btn-small rs-show-fast', 'aria-label': t('results.fast.showLabel', { level: l.job_level }),
            onclick: () => show({ job_level: l.job_level, fast_track: 'true' }),
          }, t('results.dev.show')) : null)))))));
}

