// How far the assessors agree, from the submitted sheets (GET /campaigns/{id}/agreement): tiles
// for the whole campaign (exact and adjacent agreement over pairs of assessors, ICC(2,1) and
// ICC(2,k), Krippendorff's ordinal α, each with the count it rests on), a table per exercise and
// competency, the ratings more than one level apart (each with a way to the participant's
// integration), and each assessor's drift from their colleagues. A figure that cannot be computed
// is shown as '–'.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatCount, formatNumber } from './locale.js';
import { campaignPath, competencyName, exerciseName, percentText } from './assessment-state.js';

/** ICC, α and means as the API rounds them: at most three decimals. */
const num = (n) => formatNumber(n, 3);

/** A signed difference: "+0,5", "−0,25", "0". */
function signed(n) {
  if (n == null) return '–';
  if (Math.abs(n) < 0.0005) return formatNumber(0);
  return (n > 0 ? '+' : '−') + formatNumber(Math.abs(n), 3);
}

/**
 * Draws the section into #agreement-body. `integrate(participantId, button)` opens a participant's
 * integration (absent when the viewer may not). Returns {load, render}.
 */
export function agreementPanel({ integrate = null }) {
  let data = null;
  let failure = null;

  function tiles(s) {
    const iccN = s.icc_n == null ? t('assessment.agreement.notComputable') : t('assessment.agreement.iccN', { n: formatCount(s.icc_n), k: formatCount(s.icc_k) });
    const tile = (key, value, n, id) => h('li', { class: 'ac-tile', id },
      h('span', { class: 'ac-tile-label' }, t(`assessment.agreement.${key}`)),
      h('span', { class: 'ac-tile-value' }, value),
      h('span', { class: 'ac-tile-n small' }, n));
    return h('ul', { class: 'ac-tiles', id: 'agreement-tiles' },
      tile('exact', percentText(s.exact_pct), t('assessment.agreement.pairs', { n: formatCount(s.pairs) }), 'tile-exact'),
      tile('adjacent', percentText(s.adjacent_pct), t('assessment.agreement.pairs', { n: formatCount(s.pairs) }), 'tile-adjacent'),
      tile('iccSingle', num(s.icc_single), iccN, 'tile-icc-single'),
      tile('iccAverage', num(s.icc_average), iccN, 'tile-icc-average'),
      tile('alpha', num(s.alpha), s.alpha_n == null ? t('assessment.agreement.notComputable') : t('assessment.agreement.alphaN', { n: formatCount(s.alpha_n) }), 'tile-alpha'));
  }

  const STAT_HEADS = ['ratings', 'pairs', 'exactShort', 'adjacentShort', 'iccSingleShort', 'iccAverageShort', 'alphaShort'];

  function statCells(s) {
    return [
      h('td', { class: 'num' }, formatCount(s.ratings)),
      h('td', { class: 'num' }, formatCount(s.pairs)),
      h('td', { class: 'num' }, percentText(s.exact_pct)),
      h('td', { class: 'num' }, percentText(s.adjacent_pct)),
      h('td', { class: 'num' }, num(s.icc_single)),
      h('td', { class: 'num' }, num(s.icc_average)),
      h('td', { class: 'num' }, num(s.alpha)),
    ];
  }

  function exercisesTable() {
    if (!data.exercises.length) return null;
    return [
      h('h3', { id: 'agreement-table-title' }, t('assessment.agreement.tableTitle')),
      h('div', { class: 'table-wrap' }, h('table', { id: 'agreement-table', 'aria-labelledby': 'agreement-table-title' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('assessment.agreement.col.exercise')),
          h('th', { scope: 'col' }, t('assessment.agreement.col.competency')),
          STAT_HEADS.map((k) => h('th', { scope: 'col', class: 'num' }, t(`assessment.agreement.col.${k}`))))),
        data.exercises.map((e) => h('tbody', { dataset: { exercise: e.exercise } },
          h('tr', { class: 'ac-subtotal', dataset: { exercise: e.exercise, competency: '' } },
            h('th', { scope: 'row' }, e.name || exerciseName(e.exercise)),
            h('td', {}, t('assessment.agreement.allCompetencies')),
            statCells(e.overall)),
          e.competencies.map((c) => h('tr', { dataset: { exercise: e.exercise, competency: c.competency } },
            h('th', { scope: 'row' }, e.name || exerciseName(e.exercise)),
            h('td', {}, c.name ? tx(c.name) : competencyName(c.competency)),
            statCells(c))))))),
    ];
  }

  function discrepancies() {
    const list = data.discrepancies;
    const title = h('h3', { id: 'discrepancies-title' }, t('assessment.agreement.discrepancies', { n: list.length }));
    if (!list.length) return [title, h('p', { class: 'muted', id: 'discrepancies-none' }, t('assessment.agreement.noDiscrepancies'))];
    return [
      title,
      h('p', { class: 'small muted' }, t('assessment.agreement.discrepanciesIntro')),
      h('div', { class: 'table-wrap' }, h('table', { id: 'discrepancies', 'aria-labelledby': 'discrepancies-title' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('assessment.agreement.col.participant')),
          h('th', { scope: 'col' }, t('assessment.agreement.col.exercise')),
          h('th', { scope: 'col' }, t('assessment.agreement.col.competency')),
          h('th', { scope: 'col', class: 'num' }, t('assessment.agreement.col.spread')),
          h('th', { scope: 'col' }, t('assessment.agreement.col.ratings')),
          integrate ? h('th', { scope: 'col' }, t('assessment.agreement.col.actions')) : null)),
        h('tbody', {}, list.map((d) => h('tr', { dataset: { participant: d.participant.id, exercise: d.exercise, competency: d.competency } },
          h('th', { scope: 'row' }, d.participant.name, ' ', h('span', { class: 'small muted mono' }, d.participant.nip)),
          h('td', {}, exerciseName(d.exercise)),
          h('td', {}, competencyName(d.competency)),
          h('td', { class: 'num' }, String(d.spread)),
          h('td', {}, d.ratings.map((r) => t('assessment.agreement.rating', { name: r.assessor.name, level: r.level })).join('; ')),
          integrate ? h('td', {}, h('button', {
            type: 'button', class: 'btn btn-small ac-integrate', dataset: { participant: d.participant.id },
            'aria-label': t('assessment.panel.openLabel', { name: d.participant.name }),
            onclick: (e) => integrate(d.participant.id, e.currentTarget),
          }, t('assessment.panel.open'))) : null))))),
    ];
  }

  function drift() {
    const title = h('h3', { id: 'drift-title' }, t('assessment.agreement.driftTitle'));
    if (!data.drift.length) return [title, h('p', { class: 'muted', id: 'drift-none' }, t('assessment.agreement.noDrift'))];
    return [
      title,
      h('p', { class: 'small muted' }, t('assessment.agreement.driftIntro')),
      h('div', { class: 'table-wrap' }, h('table', { id: 'drift', 'aria-labelledby': 'drift-title' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('assessment.agreement.col.assessor')),
          h('th', { scope: 'col', class: 'num' }, t('assessment.agreement.col.units')),
          h('th', { scope: 'col', class: 'num' }, t('assessment.agreement.col.ownMean')),
          h('th', { scope: 'col', class: 'num' }, t('assessment.agreement.col.panelMean')),
          h('th', { scope: 'col', class: 'num' }, t('assessment.agreement.col.difference')))),
        h('tbody', {}, data.drift.map((d) => h('tr', { dataset: { assessor: d.assessor.id } },
          h('th', { scope: 'row' }, d.assessor.name),
          h('td', { class: 'num' }, formatCount(d.n)),
          h('td', { class: 'num' }, num(d.own_mean)),
          h('td', { class: 'num' }, num(d.panel_mean)),
          h('td', { class: 'num' }, signed(d.difference), ' ',
            h('span', { class: 'small muted' }, d.difference >= 0.0005 ? t('assessment.agreement.lenient') : d.difference <= -0.0005 ? t('assessment.agreement.severe') : ''))))))),
    ];
  }

  function render() {
    const body = $('#agreement-body');
    if (failure) {
      body.replaceChildren(errorNotice(failure, 'agreement-error'));
      return;
    }
    if (!data) {
      body.replaceChildren(h('p', { class: 'muted' }, t('loading')));
      return;
    }
    body.replaceChildren(...[
      h('p', { id: 'agreement-sheets' }, t('assessment.agreement.sheets', { submitted: formatCount(data.submitted_sheets), pending: formatCount(data.pending_sheets) })),
      data.submitted_sheets === 0
        ? h('p', { class: 'notice notice-info', id: 'agreement-empty' }, t('assessment.agreement.empty'))
        : [
          tiles(data.overall),
          h('p', { class: 'small muted', id: 'agreement-note' }, t('assessment.agreement.note')),
          exercisesTable(),
          discrepancies(),
          drift(),
        ],
    ].flat(Infinity).filter(Boolean));
  }

  async function load() {
    try {
      data = await api(campaignPath('/agreement'));
      failure = null;
    } catch (err) {
      data = null;
      failure = err;
    }
    render();
  }

  return { load, render };
}
