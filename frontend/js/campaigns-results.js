// Results of a campaign: progress by status, each participant's scales on demand, CSV and Excel export.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatFixed, formatNumber } from './locale.js';
import { ok, state, table } from './campaigns-shared.js';
import { dispositionName, saveFile, slug } from './campaigns-csv.js';

const STATUSES = ['not_started', 'in_progress', 'finished', 'expired'];

function statusBadge(s) {
  const cls = { not_started: 'badge-muted', in_progress: 'badge-info', finished: 'badge-ok', expired: 'badge-warn' }[s] || '';
  return h('span', { class: 'badge result-status ' + cls, dataset: { status: s } }, t('campaigns.status.' + s));
}

export function renderResults() {
  const r = state.results;
  const box = $('#results');
  if (!box || !r) return;
  const tiles = h('ul', { class: 'cmp-progress', id: 'progress' }, STATUSES.map((s) => h('li', { dataset: { status: s } },
    h('span', { class: 'cmp-count' }, String(r.progress[s])), h('span', { class: 'cmp-label' }, t('campaigns.status.' + s)))));
  const rows = [];
  for (const p of r.participants) {
    const id = p.participant.id;
    const open = state.expanded.has(id);
    const illustrative = p.scores.some((s) => s.illustrative);
    const detailId = 'scores-' + id;
    rows.push(h('tr', { class: 'result-row', dataset: { id, nip: p.participant.nip, status: p.status } },
      h('td', { class: 'c-toggle' }, h('button', {
        type: 'button', class: 'btn btn-small cmp-toggle', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': detailId,
        'aria-label': `${t('campaigns.results.scales')}: ${p.participant.name}`,
        onclick: () => { if (open) state.expanded.delete(id); else state.expanded.add(id); renderResults(); $(`tr.result-row[data-id="${id}"] .cmp-toggle`).focus(); },
      }, open ? '▾' : '▸')),
      h('td', { class: 'c-pname' }, h('strong', {}, p.participant.name)),
      h('td', { class: 'c-nip mono' }, p.participant.nip),
      h('td', { class: 'c-status' }, statusBadge(p.status)),
      h('td', { class: 'num c-responses', dataset: { label: t('campaigns.results.responses') } }, String(p.responses)),
      h('td', { class: 'c-norm', dataset: { label: t('campaigns.results.normGroup') } }, p.norm_group ? h('span', { class: 'mono' }, p.norm_group) : '–',
        illustrative ? [' ', h('span', { class: 'badge badge-warn norm-illustrative' }, t('bank.norms.illustrative'))] : null)));
    if (open) {
      rows.push(h('tr', { class: 'cmp-scores-row', id: detailId },
        h('td', { colspan: '6' }, p.scores.length === 0
          ? h('p', { class: 'muted small' }, t('campaigns.results.noScores'))
          : h('div', { class: 'table-wrap' }, h('table', { class: 'cmp-scores' },
            h('thead', {}, h('tr', {}, [t('campaigns.results.instrument'), t('campaigns.results.scale'), t('campaigns.results.raw'), 'PR', 'T', t('campaigns.results.stanine'), t('campaigns.results.norm')]
              .map((x, i) => h('th', { scope: 'col', class: i >= 2 && i <= 5 ? 'num' : null }, x)))),
            h('tbody', {}, p.scores.map((s) => h('tr', { dataset: { scale: s.scale } },
              h('td', { class: 'mono s-instrument' }, s.instrument), h('td', { class: 'mono s-scale' }, s.scale),
              h('td', { class: 'num', dataset: { label: t('campaigns.results.raw') } }, s.metric === 'theta'
                ? t('campaigns.results.theta', { theta: formatFixed(s.raw, 2), se: formatFixed(s.se, 2) })
                : formatNumber(s.raw)),
              h('td', { class: 'num', dataset: { label: 'PR' } }, formatNumber(s.pr, 1)),
              h('td', { class: 'num', dataset: { label: 'T' } }, formatNumber(s.t, 1)),
              h('td', { class: 'num', dataset: { label: t('campaigns.results.stanine') } }, s.stanine == null ? '–' : String(s.stanine)),
              h('td', { class: 's-norm', dataset: { label: t('campaigns.results.norm') } }, s.norm_group || '–', s.illustrative ? [' ', h('span', { class: 'badge badge-warn' }, t('bank.norms.illustrative'))] : null)))))))));
    }
  }
  const anyIllustrative = r.participants.some((p) => p.scores.some((s) => s.illustrative));
  box.replaceChildren(...[
    h('div', { class: 'toolbar' },
      h('h3', { id: 'results-title' }, t('campaigns.results.title')),
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn', id: 'results-refresh', onclick: refreshResults }, t('campaigns.results.refresh')),
        h('button', { type: 'button', class: 'btn', id: 'results-export', onclick: () => exportResults('csv'), disabled: r.participants.length === 0 }, t('campaigns.results.export')),
        h('button', { type: 'button', class: 'btn', id: 'results-xlsx', onclick: () => exportResults('xlsx'), disabled: r.participants.length === 0 }, t('campaigns.results.exportXlsx')))),
    tiles,
    anyIllustrative ? h('div', { class: 'notice notice-warn', id: 'results-illustrative' }, h('p', {}, t('campaigns.results.illustrativeNote'))) : null,
    r.participants.length === 0
      ? h('p', { class: 'muted' }, t('campaigns.participants.none'))
      : table([['', 'c-toggle'], [t('campaigns.col.name')], [t('campaigns.p.nip')], [t('campaigns.results.status')], [t('campaigns.results.responses'), 'num'], [t('campaigns.results.normGroup')]],
        rows, { id: 'result-table' }),
    h('div', { id: 'results-status', 'aria-live': 'polite' })].filter(Boolean));
}

async function refreshResults() {
  try {
    state.results = await api(`/api/v1/campaigns/${state.detail.id}/results`);
    renderResults();
    $('#results-refresh').focus();
  } catch (err) {
    $('#results-status').replaceChildren(errorNotice(err));
  }
}

/** Downloads the results as a CSV file or an Excel workbook (`format`: 'csv' or 'xlsx'). */
async function exportResults(format) {
  const d = state.detail;
  const accept = format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
  try {
    const res = await api(`/api/v1/campaigns/${d.id}/results`, { query: { format }, raw: true, headers: { Accept: accept } });
    const file = dispositionName(res, `hasil-${slug(d.name)}.${format}`);
    saveFile(file, await res.blob());
    $('#results-status').replaceChildren(ok(t('bank.exported', { file })));
  } catch (err) {
    $('#results-status').replaceChildren(errorNotice(err));
  }
}
