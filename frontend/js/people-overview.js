// The organisation across campaigns and years (GET /api/v1/competency-overview): a year range,
// the whole organisation's JPM and IP ASN means by year (a table and a line chart), the units as a
// hierarchy with each year's count and means as columns (groups open and close with a disclosure
// button; every row names the unit it lies under for screen readers), and the campaigns read.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatCount, formatNumber } from './locale.js';
import { SERIES_COLOURS, legendItem, sparkline, trendChart } from './people-charts.js';
import { scrollFrame } from './people-scroll.js';

const YEAR_MIN = 1990;
const YEAR_MAX = 2100;

/** The range in words: both ends, one end or every year. */
function rangeText({ from, to }) {
  if (from != null && to != null) return from === to ? String(from) : t('people.overview.range.both', { from, to });
  if (from != null) return t('people.overview.range.from', { from });
  if (to != null) return t('people.overview.range.to', { to });
  return t('people.overview.range.all');
}

const mean = (v) => formatNumber(v);

/** "87,04 (3)": a mean and, in brackets, how many it is the mean of; '–' when there is none. */
function meanCell(value, n, attrs = {}) {
  return h('td', { class: 'num', ...attrs }, value == null ? '–' : mean(value), h('span', { class: 'count' }, ` (${formatCount(n)})`));
}

/**
 * Draws the overview section into #overview-result and wires its form. Returns {render, load}:
 * render draws the last answer again (on a language change), load asks for the range in the form.
 */
export function overviewPanel() {
  let data = null; // the last answer
  let range = { from: null, to: null }; // the range it answers
  let failure = null; // the last error
  const collapsed = new Set(); // unit paths whose groups are closed
  const seen = new Set(); // groups already given their default state

  const status = (text) => {
    $('#overview-status').textContent = text;
  };

  function fieldError(input, key) {
    const error = $(`#${input.id}-error`);
    if (key) {
      input.setAttribute('aria-invalid', 'true');
      error.dataset.key = key;
      error.textContent = t(key);
      error.hidden = false;
    } else {
      input.removeAttribute('aria-invalid');
      delete error.dataset.key;
      error.textContent = '';
      error.hidden = true;
    }
  }

  /** The year in `input`: null when empty, undefined (and the field marked) when it is no year. */
  function yearOf(input) {
    if (input.validity.badInput) {
      fieldError(input, 'people.overview.err.year');
      return undefined;
    }
    if (input.value.trim() === '') return null;
    const y = Number(input.value);
    if (!Number.isInteger(y) || y < YEAR_MIN || y > YEAR_MAX) {
      fieldError(input, 'people.overview.err.year');
      return undefined;
    }
    return y;
  }

  function totalPart() {
    const years = data.total.map((f) => f.year);
    const table = scrollFrame(h('table', { id: 'overview-total', 'aria-labelledby': 'overview-total-title', 'aria-describedby': 'overview-note' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('people.overview.col.year')),
        h('th', { scope: 'col', class: 'num' }, t('people.overview.col.assessed')),
        h('th', { scope: 'col', class: 'num' }, t('people.overview.col.jpmMean')),
        h('th', { scope: 'col', class: 'num' }, t('people.overview.col.ipAsnMean')))),
      h('tbody', {}, data.total.map((f) => h('tr', { dataset: { year: f.year } },
        h('th', { scope: 'row' }, String(f.year)),
        h('td', { class: 'num', dataset: { col: 'n' } }, formatCount(f.assessed)),
        meanCell(f.jpm_mean, f.with_jpm, { dataset: { col: 'jpm' } }),
        meanCell(f.ip_asn_mean, f.with_ip_asn, { dataset: { col: 'ip' } }))))), 'overview-total-title');
    const label = t('people.overview.chartLabel', {
      range: rangeText(range),
      values: data.total.map((f) => t('people.overview.chartYear', {
        year: f.year, jpm: f.jpm_mean == null ? '–' : mean(f.jpm_mean), ip: f.ip_asn_mean == null ? '–' : mean(f.ip_asn_mean),
      })).join('; '),
    });
    const chart = h('figure', { class: 'overview-chart', id: 'overview-chart' },
      trendChart(years, [
        { label: 'JPM', values: data.total.map((f) => f.jpm_mean) },
        { label: 'IP ASN', values: data.total.map((f) => f.ip_asn_mean) },
      ], label),
      h('figcaption', { class: 'chart-legend small' },
        legendItem('swatch-line', t('people.overview.legend.jpm'), `border-color: ${SERIES_COLOURS[0]}`),
        legendItem('swatch-line swatch-dashed', t('people.overview.legend.ipAsn'), `border-color: ${SERIES_COLOURS[1]}`)));
    return [
      h('p', { class: 'small muted', id: 'overview-note' }, t('people.overview.note')),
      h('h3', { id: 'overview-total-title' }, t('people.overview.totalTitle')),
      h('div', { class: 'overview-total' }, table, chart),
    ];
  }

  /** Whether a unit's row is out of sight: some unit above it is closed. */
  function hiddenRow(node, byPath) {
    for (let p = node.parent; p; p = byPath.get(p)?.parent) if (collapsed.has(p)) return true;
    return false;
  }

  /** Opens or closes groups without drawing the table again (focus stays where it is). */
  function applyCollapse() {
    const table = $('#overview-units');
    if (!table || !data) return;
    const byPath = new Map(data.units.map((u) => [u.unit, u]));
    for (const row of table.tBodies[0].rows) {
      const node = byPath.get(row.dataset.unit);
      row.hidden = hiddenRow(node, byPath);
      const toggle = row.querySelector('.tree-toggle');
      if (toggle) toggle.setAttribute('aria-expanded', String(!collapsed.has(node.unit)));
    }
  }

  function unitsPart() {
    const title = h('h3', { id: 'overview-units-title' }, t('people.overview.unitsTitle'));
    if (!data.units.length) return [title, h('p', { class: 'muted', id: 'overview-no-units' }, t('people.overview.noUnits'))];
    const years = data.years;
    const trend = years.length > 1; // a trend needs two years
    const rowId = new Map(data.units.map((u, i) => [u.unit, `overview-unit-${i}`]));
    const children = new Map();
    for (const u of data.units) {
      if (u.parent) children.set(u.parent, [...(children.get(u.parent) || []), u.unit]);
    }
    for (const u of data.units) {
      // A new group starts open at the top level and closed below it, so a large organisation
      // first shows its agencies and their divisions.
      if (children.has(u.unit) && !seen.has(u.unit)) {
        seen.add(u.unit);
        if (u.depth >= 1) collapsed.add(u.unit);
      }
    }
    const head1 = h('tr', {},
      h('th', { scope: 'col', rowspan: 2, id: 'overview-h-unit', class: 'unit-name' }, t('people.overview.col.unit')),
      years.map((y) => h('th', { scope: 'colgroup', colspan: 3, id: `overview-h-${y}`, class: 'year-head' }, String(y))),
      trend ? h('th', { scope: 'col', rowspan: 2, id: 'overview-h-trend' }, t('people.overview.col.trend')) : null);
    const head2 = h('tr', {}, years.map((y) => [
      h('th', { scope: 'col', id: `overview-h-${y}-n`, class: 'num year-first' }, t('people.overview.col.assessedShort')),
      h('th', { scope: 'col', id: `overview-h-${y}-jpm`, class: 'num' }, 'JPM'),
      h('th', { scope: 'col', id: `overview-h-${y}-ip`, class: 'num' }, 'IP ASN'),
    ]));
    const rows = data.units.map((u) => {
      const id = rowId.get(u.unit);
      const parent = u.parent ? h('span', { class: 'sr-only' }, `, ${t('people.overview.under', { parent: u.parent })}`) : null;
      const kids = children.get(u.unit);
      const name = kids
        ? h('button', {
          type: 'button', class: 'tree-toggle', id: `${id}-toggle`, 'aria-expanded': String(!collapsed.has(u.unit)),
          'aria-controls': kids.map((k) => rowId.get(k)).join(' '), dataset: { unit: u.unit },
          onclick: () => {
            if (collapsed.has(u.unit)) collapsed.delete(u.unit);
            else collapsed.add(u.unit);
            applyCollapse();
          },
        }, h('span', { class: 'tree-icon', 'aria-hidden': 'true' }), h('span', { class: 'tree-label' }, u.name), parent)
        : h('span', { class: 'tree-leaf' }, h('span', { class: 'tree-icon', 'aria-hidden': 'true' }), h('span', { class: 'tree-label' }, u.name), parent);
      const byYear = new Map(u.years.map((f) => [f.year, f]));
      const headers = (y, col) => `${id}-name overview-h-${y} overview-h-${y}-${col}`;
      const cells = years.map((y) => {
        const f = byYear.get(y);
        if (!f) {
          return ['n', 'jpm', 'ip'].map((col, k) => h('td', { class: 'num missing' + (k === 0 ? ' year-first' : ''), headers: headers(y, col), dataset: { year: y, col } }, '–'));
        }
        return [
          h('td', { class: 'num year-first', headers: headers(y, 'n'), dataset: { year: y, col: 'n' } }, formatCount(f.assessed)),
          meanCell(f.jpm_mean, f.with_jpm, { headers: headers(y, 'jpm'), dataset: { year: y, col: 'jpm' } }),
          meanCell(f.ip_asn_mean, f.with_ip_asn, { headers: headers(y, 'ip'), dataset: { year: y, col: 'ip' } }),
        ];
      });
      const spark = trend ? sparkline(years.map((y) => byYear.get(y)?.jpm_mean ?? null), t('people.overview.trendLabel', {
        unit: u.name,
        values: years.map((y) => `${y}: ${byYear.get(y)?.jpm_mean == null ? '–' : mean(byYear.get(y).jpm_mean)}`).join('; '),
      })) : null;
      return h('tr', { id, dataset: { unit: u.unit, depth: u.depth }, class: kids ? 'is-group' : null },
        h('th', { scope: 'row', id: `${id}-name`, class: 'unit-name', style: `--depth: ${u.depth}` }, name),
        cells,
        trend ? h('td', { class: 'trend', headers: `${id}-name overview-h-trend` }, spark || '–') : null);
    });
    const groups = [...children.keys()];
    return [
      title,
      groups.length ? h('div', { class: 'btn-row tree-actions' },
        h('button', { type: 'button', class: 'btn btn-small', id: 'overview-expand-all', onclick: () => {
          collapsed.clear();
          applyCollapse();
        } }, t('people.overview.expandAll')),
        h('button', { type: 'button', class: 'btn btn-small', id: 'overview-collapse-all', onclick: () => {
          for (const g of groups) collapsed.add(g);
          applyCollapse();
        } }, t('people.overview.collapseAll'))) : null,
      scrollFrame(h('table', { id: 'overview-units', class: 'unit-tree', 'aria-labelledby': 'overview-units-title', 'aria-describedby': 'overview-note' },
        h('colgroup', {}, h('col', {})),
        years.map(() => h('colgroup', { span: 3 })),
        trend ? h('colgroup', {}, h('col', {})) : null,
        h('thead', {}, head1, head2),
        h('tbody', {}, rows)), 'overview-units-title', 'unit-tree-wrap'),
    ];
  }

  function campaignsPart() {
    return [
      h('h3', { id: 'overview-campaigns-title' }, t('people.overview.campaignsTitle')),
      scrollFrame(h('table', { id: 'overview-campaigns', 'aria-labelledby': 'overview-campaigns-title' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('people.overview.col.campaign')),
          h('th', { scope: 'col', class: 'num' }, t('people.overview.col.year')),
          h('th', { scope: 'col', class: 'num' }, t('people.overview.col.assessed')))),
        h('tbody', {}, data.campaigns.map((c) => h('tr', { dataset: { campaign: c.campaign } },
          h('td', {}, h('a', { href: `/results?campaign=${encodeURIComponent(c.campaign)}` }, c.name)),
          h('td', { class: 'num' }, String(c.year)),
          h('td', { class: 'num' }, formatCount(c.assessed)))))), 'overview-campaigns-title'),
    ];
  }

  function view() {
    if (failure) return [errorNotice(failure, 'overview-error')];
    if (!data) return [];
    const where = rangeText(range);
    if (!data.campaigns.length) {
      const key = range.from == null && range.to == null ? 'people.overview.noCampaigns' : 'people.overview.noCampaignsInRange';
      return [h('p', { class: 'notice notice-info', id: 'overview-empty' }, t(key, { range: where }))];
    }
    if (!data.years.length) {
      return [h('p', { class: 'notice notice-info', id: 'overview-no-results' }, t('people.overview.noResults', { range: where })), campaignsPart()];
    }
    return [totalPart(), unitsPart(), campaignsPart()];
  }

  function render() {
    $('#overview-result').replaceChildren(...[view()].flat(Infinity).filter(Boolean));
    applyCollapse();
    if (data && !failure) {
      status(t('people.overview.loaded', { range: rangeText(range), campaigns: data.campaigns.length, units: data.units.length }));
    } else if (failure) {
      status(t('people.overview.failed'));
    }
  }

  async function load() {
    const fromInput = $('#overview-from');
    const toInput = $('#overview-to');
    fieldError(fromInput, null);
    fieldError(toInput, null);
    const from = yearOf(fromInput);
    const to = yearOf(toInput);
    if (from === undefined || to === undefined) {
      (from === undefined ? fromInput : toInput).focus();
      return;
    }
    if (from != null && to != null && to < from) {
      fieldError(toInput, 'people.overview.err.order');
      toInput.focus();
      return;
    }
    const result = $('#overview-result');
    result.setAttribute('aria-busy', 'true');
    status(t('people.overview.loading'));
    try {
      const answer = await api('/api/v1/competency-overview', { query: { from_year: from, to_year: to } });
      data = answer;
      range = { from, to };
      failure = null;
    } catch (err) {
      failure = err;
      data = null;
    } finally {
      result.removeAttribute('aria-busy');
    }
    render();
  }

  $('#overview-form').addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  $('#overview-all').addEventListener('click', () => {
    $('#overview-from').value = '';
    $('#overview-to').value = '';
    load();
  });
  for (const input of [$('#overview-from'), $('#overview-to')]) {
    input.min = String(YEAR_MIN);
    input.max = String(YEAR_MAX);
  }

  return {
    render: () => {
      for (const input of [$('#overview-from'), $('#overview-to')]) {
        if (input.getAttribute('aria-invalid') === 'true') {
          const error = $(`#${input.id}-error`);
          if (error.dataset.key) error.textContent = t(error.dataset.key);
        }
      }
      render();
    },
    load,
  };
}
