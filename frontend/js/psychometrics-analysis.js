// The item analysis of the psychometrics page: which attempts (one campaign or all), DIF between
// two groups, then per scale the reliability and SEM, a chart of difficulty against corrected
// item–total r with the flag thresholds, every item's statistics and flags, the distractors and
// the DIF classes; and the same as an Excel workbook.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatCount, formatFixed, formatNumber } from './locale.js';
import { chartId, dataTable, scatterChart } from './charts.js';
import { download } from './reports-state.js';
import { fillCampaignSelect } from './campaign-choices.js';

// Statistics read in columns: always the same decimals (0,50, not 0,5).
const num = (v, d = 3) => (v === null || v === undefined ? '–' : formatFixed(v, d));

/** Wires the analysis section of instrument `instrument` for role `role`. */
export function analysisPanel({ instrument, role }) {
  let report = null;
  let error = null;

  function query() {
    const scope = $('#analysis-scope').value;
    const dif = $('#analysis-dif').value;
    const q = { campaigns: scope || undefined, dif: dif || undefined, min_group_size: $('#analysis-min-group').value || undefined };
    if (dif === 'education') {
      q.reference = $('#analysis-reference').value.trim() || undefined;
      q.focal = $('#analysis-focal').value.trim() || undefined;
    }
    return q;
  }

  function flagWords(flags) {
    return flags.map((f) => t('psy.flag.' + f)).join(', ');
  }

  function scaleView(s) {
    const box = h('section', { class: 'psy-scale', dataset: { scale: s.scale }, 'aria-labelledby': `scale-${s.scale}-title` },
      h('h3', { id: `scale-${s.scale}-title` }, t('psy.analysis.scale', { scale: s.scale })));
    if (!s.analysis) {
      box.append(h('div', { class: 'notice notice-warn', role: 'status', dataset: { code: s.problem?.code } },
        h('p', {}, t('psy.problem.' + (s.problem?.code || 'too_few_respondents')), ' ', h('span', { class: 'small' }, s.problem?.message || ''))));
      return box;
    }
    const test = s.analysis.test;
    box.append(h('dl', { class: 'facts psy-test' },
      h('dt', {}, t('psy.analysis.n')), h('dd', { dataset: { stat: 'n' } }, formatCount(test.n)),
      h('dt', {}, t('psy.analysis.mean')), h('dd', {}, num(test.mean, 2)),
      h('dt', {}, t('psy.analysis.sd')), h('dd', {}, num(test.sd, 2)),
      h('dt', {}, t('psy.coef.' + test.coefficient)), h('dd', { dataset: { stat: 'reliability' } }, num(test.reliability)),
      h('dt', {}, 'SEM'), h('dd', { dataset: { stat: 'sem' } }, num(test.sem, 2))));
    const dich = s.analysis.items.filter((i) => i.difficulty !== null && i.difficulty !== undefined && i.corrected_item_total_r !== null);
    if (dich.length) {
      const id = chartId('psy-pr');
      box.append(h('div', { class: 'chart-wrap' }, scatterChart({
        id,
        title: t('psy.chart.pr.title', { scale: s.scale }),
        desc: t('psy.chart.pr.desc', { n: dich.length, flagged: dich.filter((i) => i.flags.length).length }),
        points: dich.map((i) => ({ x: i.difficulty, y: i.corrected_item_total_r, label: i.code, className: i.flags.length ? 'is-flagged' : '' })),
        x: { min: 0, max: 1, step: 0.2, label: t('psy.chart.pr.x') },
        y: { min: -0.4, max: 1, step: 0.2, label: t('psy.chart.pr.y') },
        guides: [
          { axis: 'x', at: report.settings.flags.too_hard_below, label: t('psy.chart.pr.hard') },
          { axis: 'x', at: report.settings.flags.too_easy_above, label: t('psy.chart.pr.easy') },
          { axis: 'y', at: report.settings.flags.min_corrected_r, label: t('psy.chart.pr.r') },
        ],
        format: (v) => formatNumber(v, 1),
      })));
    }
    const rows = s.analysis.items.map((i) => h('tr', { dataset: { item: i.code, flags: i.flags.join(' ') } },
      h('th', { scope: 'row' }, i.code),
      h('td', { class: 'num' }, num(i.difficulty ?? i.mean, i.difficulty !== null && i.difficulty !== undefined ? 3 : 2)),
      h('td', { class: 'num' }, num(i.item_total_r)),
      h('td', { class: 'num' }, num(i.corrected_item_total_r)),
      h('td', { class: 'num' }, num(i.alpha_if_deleted)),
      h('td', { class: 'num' }, num(i.discrimination_index)),
      h('td', { class: 'num' }, num(i.omission_rate, 2)),
      h('td', {}, i.flags.length ? flagWords(i.flags) : h('span', { class: 'muted' }, '–'))));
    box.append(h('div', { class: 'table-wrap' }, h('table', { class: 'psy-items', id: `items-${s.scale}` },
      h('caption', { class: 'sr-only' }, t('psy.analysis.itemsCaption', { scale: s.scale })),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('psy.col.item')),
        h('th', { scope: 'col', class: 'num' }, t('psy.analysis.p')),
        h('th', { scope: 'col', class: 'num' }, t('psy.analysis.r')),
        h('th', { scope: 'col', class: 'num' }, t('psy.analysis.rc')),
        h('th', { scope: 'col', class: 'num' }, t('psy.analysis.alphaDel')),
        h('th', { scope: 'col', class: 'num' }, 'D'),
        h('th', { scope: 'col', class: 'num' }, t('psy.analysis.omitted')),
        h('th', { scope: 'col' }, t('psy.analysis.flags')))),
      h('tbody', {}, rows))));
    const options = s.analysis.items.flatMap((i) => (i.options || []).map((o) => [i.code, o]));
    if (options.length) {
      box.append(dataTable({
        id: `options-${s.scale}`,
        summary: t('psy.analysis.options'),
        caption: t('psy.analysis.options'),
        head: [t('psy.col.item'), t('psy.analysis.option'), t('psy.analysis.rate'), t('psy.analysis.upper'), t('psy.analysis.lower'), 'r pb', t('psy.analysis.flags')],
        numeric: [2, 3, 4, 5],
        rows: options.map(([code, o]) => [code, o.is_key ? `${o.option} (${t('psy.analysis.key')})` : o.option,
          num(o.rate, 2), num(o.upper_rate, 2), num(o.lower_rate, 2), num(o.point_biserial), o.flags.map((f) => t('psy.flag.' + f)).join(', ') || '–']),
      }));
    }
    if (s.dif) {
      box.append(h('h4', {}, t('psy.analysis.difTitle', { reference: s.dif.spec.reference, focal: s.dif.spec.focal, nr: s.dif.reference_n, nf: s.dif.focal_n })),
        h('div', { class: 'table-wrap' }, h('table', { class: 'psy-dif', id: `dif-${s.scale}` },
          h('caption', { class: 'sr-only' }, t('psy.analysis.difCaption')),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('psy.col.item')), h('th', { scope: 'col', class: 'num' }, 'Δ MH'),
            h('th', { scope: 'col', class: 'num' }, 'SE'), h('th', { scope: 'col', class: 'num' }, 'p'), h('th', { scope: 'col' }, t('psy.analysis.class')))),
          h('tbody', {}, s.dif.items.map((d) => h('tr', { dataset: { item: d.code, class: d.class || '' } },
            h('th', { scope: 'row' }, d.code), h('td', { class: 'num' }, num(d.delta, 2)), h('td', { class: 'num' }, num(d.se_delta, 2)),
            h('td', { class: 'num' }, num(d.p_value)), h('td', {}, d.class ? t('psy.dif.class' + d.class) : t('psy.dif.none'))))))));
    } else if (s.dif_problem) {
      box.append(h('p', { class: 'notice notice-warn', dataset: { code: s.dif_problem.code } }, t('psy.problem.' + s.dif_problem.code), ' ', s.dif_problem.message));
    }
    return box;
  }

  function render() {
    const body = $('#analysis-body');
    if (error) {
      body.replaceChildren(errorNotice(error, 'analysis-error'));
      return;
    }
    if (!report) {
      body.replaceChildren();
      return;
    }
    body.replaceChildren(
      h('p', { id: 'analysis-summary' }, t('psy.analysis.summary', { n: formatCount(report.attempts), code: report.code, v: report.version })),
      report.not_analysed.length ? h('p', { class: 'small muted' }, t('psy.analysis.notAnalysed', { list: report.not_analysed.join(', ') })) : null,
      ...report.scales.map(scaleView));
  }

  async function run() {
    $('#analysis-status').replaceChildren(h('p', { class: 'muted' }, t('loading')));
    error = null;
    try {
      report = await api(`/api/v1/instruments/${encodeURIComponent(instrument)}/item-analysis`, { query: query() });
    } catch (err) {
      report = null;
      error = err;
    }
    $('#analysis-status').replaceChildren();
    render();
  }

  function fillScopes() {
    return fillCampaignSelect($('#analysis-scope'), role, t('psy.analysis.all'));
  }

  $('#analysis').hidden = false;
  $('#analysis-dif').addEventListener('change', (e) => {
    $('#analysis-groups').hidden = e.target.value !== 'education';
  });
  $('#analysis-form').addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  $('#analysis-xlsx').addEventListener('click', async () => {
    try {
      const got = await download(`/api/v1/instruments/${encodeURIComponent(instrument)}/item-analysis`, {
        query: { ...query(), format: 'xlsx' }, fallback: 'item-analysis.xlsx',
        accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      });
      $('#analysis-status').replaceChildren(h('div', { class: 'notice notice-ok', role: 'status', id: 'analysis-downloaded' }, h('p', {}, t('psy.analysis.downloaded', { file: got.file }))));
    } catch (err) {
      $('#analysis-status').replaceChildren(errorNotice(err, 'analysis-error'));
    }
  });
  fillScopes();
  return { render, refresh: fillScopes };
}
