// Local norms on the psychometrics page: every version of the instrument's norm tables, a table
// built from a campaign's finished attempts and a norm group (sex, education, age band), previewed
// beside the one in use (both drawn as percentile rank against raw score, with their numbers),
// and published as the next version.
import { api } from './api.js';
import { $, errorNotice, errorsTable, h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatCount, formatDate, formatNumber } from './locale.js';
import { chartId, dataTable, lineChart } from './charts.js';
import { fillCampaignSelect } from './campaign-choices.js';

/** Wires the norms section of instrument `instrument` for role `role`. */
export function normsPanel({ instrument, role }) {
  let versions = null;
  let preview = null;
  let previewed = null; // the request the preview answered
  const path = `/api/v1/instruments/${encodeURIComponent(instrument)}/norms`;

  function request() {
    const filter = {};
    if ($('#norm-sex').value) filter.sex = $('#norm-sex').value;
    const education = $('#norm-education').value.split(',').map((x) => x.trim()).filter(Boolean);
    if (education.length) filter.education = education;
    const min = Number($('#norm-age-min').value);
    const max = Number($('#norm-age-max').value);
    if (min || max) filter.age = { ...(min ? { min } : {}), ...(max ? { max } : {}) };
    const h2 = Number($('#norm-smoothing').value);
    // θ estimates are continuous: their table has rows on a grid rather than at each score.
    const theta = $('#norm-metric').value === 'theta';
    return {
      scale: $('#norm-scale').value.trim(),
      metric: theta ? 'theta' : 'raw',
      group: $('#norm-group').value.trim(),
      name: { id: $('#norm-name').value.trim() },
      campaigns: $('#norm-campaign').value ? [$('#norm-campaign').value] : [],
      filter,
      settings: {
        min_n: Number($('#norm-min-n').value) || 100,
        ...(h2 ? { smoothing: { method: 'moving_average', half_width: h2 } } : {}),
        ...(theta ? { points: { kind: 'range', min: -4, max: 4, step: 0.1 } } : {}),
      },
    };
  }

  function renderVersions() {
    const box = $('#norm-versions');
    if (!versions) {
      box.replaceChildren(h('p', { class: 'muted' }, t('loading')));
      return;
    }
    $('#norm-scales').replaceChildren(...[...new Set(versions.map((v) => v.scale))].map((s) => h('option', { value: s })));
    box.replaceChildren(versions.length === 0 ? h('p', { class: 'muted' }, t('psy.norms.none')) : h('div', { class: 'table-wrap' }, h('table', { id: 'norm-versions-table' },
      h('caption', { class: 'sr-only' }, t('psy.norms.versions')),
      h('thead', {}, h('tr', {}, ['psy.norms.scale', 'psy.norms.group', 'psy.col.version', 'psy.col.status', 'N', 'psy.norms.mean', 'SD', 'psy.col.created']
        .map((k) => h('th', { scope: 'col', class: ['N', 'psy.norms.mean', 'SD'].includes(k) ? 'num' : null }, k.startsWith('psy.') ? t(k) : k)))),
      h('tbody', {}, versions.map((v) => h('tr', { dataset: { scale: v.scale, group: v.group, version: v.version, inUse: v.in_use ? 'yes' : 'no' } },
        h('th', { scope: 'row' }, v.table.metric === 'theta' ? `${v.scale} (θ)` : v.scale), h('td', {}, `${v.group} · ${tx(v.table.name)}`), h('td', {}, `v${v.version}`),
        h('td', {}, v.in_use ? h('span', { class: 'badge badge-info' }, t('psy.versions.inUse')) : h('span', { class: 'badge badge-muted' }, t('psy.norms.superseded')),
          v.table.illustrative ? [' ', h('span', { class: 'badge badge-warn' }, t('psy.norms.illustrative'))] : null),
        h('td', { class: 'num' }, formatCount(v.table.n)), h('td', { class: 'num' }, formatNumber(v.table.mean, 2)),
        h('td', { class: 'num' }, formatNumber(v.table.sd, 2)), h('td', {}, formatDate(v.created_at))))))));
  }

  function renderPreview() {
    const body = $('#norm-body');
    if (!preview) {
      body.replaceChildren();
      return;
    }
    const p = preview;
    const rows = p.table.table;
    const xs = rows.map((r) => r.raw);
    const series = [{ label: t('psy.norms.new'), values: rows.map((r) => r.pr), className: 'is-total' }];
    if (p.current) {
      const old = p.current.table.table;
      const prAt = (x) => {
        let pr = 0;
        for (const r of old) if (r.raw <= x) pr = r.pr;
        return pr;
      };
      series.push({ label: t('psy.norms.old', { v: p.current.version }), values: xs.map(prAt), className: 'chart-line-1' });
    }
    const span = Math.max(1, xs[xs.length - 1] - xs[0]);
    const step = span > 40 ? 10 : span > 16 ? 5 : span > 8 ? 2 : 1;
    body.replaceChildren(
      h('p', { id: 'norm-summary' }, t('psy.norms.summary', { matched: formatCount(p.matched), scored: formatCount(p.scored), mean: formatNumber(p.table.mean, 2), sd: formatNumber(p.table.sd, 2) })),
      ...p.warnings.map((w) => h('p', { class: 'notice notice-warn', dataset: { code: w.code } }, t('psy.norms.warning.' + w.code), ' ', h('span', { class: 'small' }, w.message))),
      p.comparison ? h('p', { id: 'norm-max-diff' }, t('psy.norms.maxDiff', { d: formatNumber(p.comparison.max_abs_difference, 1), raw: formatNumber(p.comparison.at_raw, 1) })) : null,
      xs.length > 1 ? h('div', { class: 'chart-wrap' }, lineChart({
        id: chartId('norm-chart'), title: t('psy.norms.chart', { scale: p.table.scale, group: p.table.group }),
        desc: t('psy.norms.chartDesc', { n: rows.length }),
        xs, series, x: { min: xs[0], max: xs[0] + Math.ceil(span / step) * step, step, label: t('psy.norms.raw') },
        y: { min: 0, max: 100, step: 20, label: t('psy.norms.pr') }, format: (v) => formatNumber(v, 0),
      })) : null,
      dataTable({
        id: 'norm-rows', summary: t('psy.norms.rows'), caption: t('psy.norms.rows'),
        head: [t('psy.norms.raw'), t('psy.norms.pr')], numeric: [1],
        rows: rows.map((r) => [formatNumber(r.raw, 2), formatNumber(r.pr, 1)]),
      }));
  }

  async function load() {
    try {
      versions = await api(path);
    } catch (err) {
      $('#norm-status').replaceChildren(errorNotice(err));
      return;
    }
    renderVersions();
  }

  function showError(err) {
    $('#norm-status').replaceChildren(errorNotice(err, 'norm-error'),
      ...(err.errors && err.errors.length ? [errorsTable('norm-errors', err.errors, { at: 'item', labels: ['psy.col.item', 'psy.col.field', 'psy.col.problem'], missing: '–' })] : []));
  }

  async function runPreview() {
    $('#norm-status').replaceChildren(h('p', { class: 'muted' }, t('loading')));
    $('#norm-publish').disabled = true;
    const req = request();
    try {
      preview = await api(`${path}/preview`, { method: 'POST', body: req });
      previewed = req;
      $('#norm-status').replaceChildren();
      $('#norm-publish').disabled = false;
    } catch (err) {
      preview = null;
      showError(err);
    }
    renderPreview();
  }

  async function publish() {
    if (!previewed) return;
    try {
      const out = await api(path, { method: 'POST', body: previewed });
      const campaign = previewed.campaigns[0];
      const label = $('#norm-campaign').selectedOptions[0]?.textContent || '';
      const rescore = h('button', { type: 'button', class: 'btn btn-small', id: 'norm-rescore' }, t('psy.norms.rescoreButton', { name: label }));
      rescore.addEventListener('click', async () => {
        rescore.disabled = true;
        try {
          const r = await api(`/api/v1/campaigns/${encodeURIComponent(campaign)}/rescore`, {
            method: 'POST', body: { reason: t('psy.norms.rescoreReason', { scale: out.published.scale, group: out.published.group, v: out.published.version }) },
          });
          rescore.replaceWith(h('p', { id: 'norm-rescored', role: 'status' }, t('psy.norms.rescored', { n: formatCount(r.attempts), changed: formatCount(r.changed) })));
        } catch (err) {
          rescore.disabled = false;
          showError(err);
        }
      });
      $('#norm-status').replaceChildren(h('div', { class: 'notice notice-ok', role: 'status', id: 'norm-published' },
        h('p', {}, t('psy.norms.published', { scale: out.published.scale, group: out.published.group, v: out.published.version })),
        h('p', { class: 'small' }, t(role === 'psychologist' ? 'psy.norms.rescoreByHr' : 'psy.norms.rescore')),
        role === 'psychologist' ? null : rescore));
      $('#norm-publish').disabled = true;
      preview = null;
      previewed = null;
      renderPreview();
      await load();
    } catch (err) {
      showError(err);
    }
  }

  function fillCampaigns() {
    return fillCampaignSelect($('#norm-campaign'), role, t('psy.norms.pickCampaign'));
  }

  $('#norms').hidden = false;
  $('#norm-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runPreview();
  });
  $('#norm-publish').addEventListener('click', publish);
  load();
  fillCampaigns();
  return {
    render() {
      renderVersions();
      renderPreview();
    },
    refresh: fillCampaigns,
  };
}
