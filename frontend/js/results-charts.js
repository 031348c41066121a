// The results page's charts (drawn by charts.js): the JPM distribution, the average competency
// profile against the standard, the 9-box with its counts (each box a button that filters the
// participant table to its people), and a histogram of the scale the reader picks. Each chart has
// a text summary for screen readers and its numbers in a table beside it.
import { $, h } from './shell.js';
import { t } from './i18n.js';
import { formatCount, formatNumber } from './locale.js';
import { chartId, columnChart, dataTable, legend, levelBars, svg } from './charts.js';
import { DEFAULT_NINE_BOX, competencyName, inTalentPool, level, percent, state } from './results-state.js';

/** "0–10", "≥ 90", "< 25": a bar's bounds for people. */
function binLabel(b, digits = 0) {
  const f = (v) => formatNumber(v, digits);
  if (b.from == null && b.to == null) return t('results.chart.all');
  if (b.from == null) return t('results.chart.under', { to: f(b.to) });
  if (b.to == null) return t('results.chart.from', { from: f(b.from) });
  return `${f(b.from)}–${f(b.to)}`;
}

/** Where a value falls along bars (a bar index as a real number), for the mean's line. */
function position(bins, value) {
  if (value == null) return null;
  for (const [i, b] of bins.entries()) {
    const lo = b.from ?? -Infinity;
    const hi = b.to ?? Infinity;
    if (value >= lo && (value < hi || (i === bins.length - 1 && value <= hi))) {
      return Number.isFinite(lo) && Number.isFinite(hi) && hi > lo ? i + (value - lo) / (hi - lo) : i + 0.5;
    }
  }
  return null;
}

function most(bars) {
  return bars.reduce((best, b) => (b.value > best.value ? b : best), bars[0]);
}

function figure(id, titleText, chart, ...rest) {
  return h('figure', { class: 'rs-figure', id },
    h('figcaption', { class: 'rs-figure-title' }, titleText), h('div', { class: 'chart-wrap' }, chart), ...rest);
}

/** The distribution of complete JPMs in bars of ten points. */
function jpmChart() {
  const bins = state.overview.charts.jpm_distribution;
  const n = bins.reduce((a, b) => a + b.count, 0);
  const mean = state.overview.summary.jpm_mean;
  const bars = bins.map((b) => ({ label: binLabel(b), value: b.count, title: t('results.chart.jpmBar', { range: binLabel(b), n: formatCount(b.count) }) }));
  const title = t('results.chart.jpmTitle');
  if (n === 0) return figure('chart-jpm', title, h('p', { class: 'muted rs-chart-empty' }, t('results.chart.jpmEmpty')));
  const top = most(bars);
  const desc = t('results.chart.jpmDesc', { n: formatCount(n), mean: percent(mean), range: top.label, count: formatCount(top.value) });
  const at = position(bins, mean);
  return figure('chart-jpm', title,
    columnChart({ id: chartId('jpm'), title, desc, bars, format: (v) => formatNumber(v, 0), axisLabel: t('results.chart.people'),
      marker: at == null ? null : { at, label: t('results.chart.meanMarker', { mean: percent(mean) }) } }),
    h('p', { class: 'small muted' }, desc),
    dataTable({
      summary: t('results.chart.numbers'), caption: title, head: [t('results.chart.jpmRange'), t('results.chart.people')], numeric: [1],
      rows: bins.map((b) => [binLabel(b), formatCount(b.count)]),
    }));
}

/** The mean achieved level of each competency against the mean required level. */
function profileChart() {
  const points = state.overview.charts.profile.filter((p) => p.assessed > 0);
  const title = t('results.chart.profileTitle');
  if (points.length === 0) return figure('chart-profile', title, h('p', { class: 'muted rs-chart-empty' }, t('results.chart.profileEmpty')));
  const below = points.filter((p) => p.mean_achieved < p.mean_required).map((p) => competencyName(p.competency));
  const desc = below.length
    ? t('results.chart.profileDescBelow', { n: formatCount(points.length), list: below.join(', ') })
    : t('results.chart.profileDescMeets', { n: formatCount(points.length) });
  return figure('chart-profile', title,
    levelBars({
      id: chartId('profile'), title, desc, format: (v) => formatNumber(v, 2),
      words: { achieved: t('results.chart.meanAchieved'), required: t('results.chart.meanRequired'), below: t('results.chart.belowMean'), none: '–' },
      rows: points.map((p) => ({ key: p.competency, label: competencyName(p.competency), achieved: p.mean_achieved, required: p.mean_required,
        note: t('results.chart.profileNote', { n: formatCount(p.assessed), below: formatCount(p.below) }) })),
    }),
    legend([
      { className: 'chart-swatch-achieved', label: t('results.chart.meanAchieved') },
      { className: 'chart-swatch-below', label: t('results.chart.belowMean') },
      { className: 'chart-swatch-required', label: t('results.chart.meanRequired') },
    ]),
    h('p', { class: 'small muted' }, desc),
    dataTable({
      summary: t('results.chart.numbers'), caption: title, numeric: [1, 2, 3, 4],
      head: [t('results.dev.competency'), t('results.dev.assessed'), t('results.chart.meanAchieved'), t('results.chart.meanRequired'), t('results.dev.below')],
      rows: points.map((p) => [competencyName(p.competency), formatCount(p.assessed), level(p.mean_achieved), level(p.mean_required), formatCount(p.below)]),
    }));
}

const ROWS = ['high', 'medium', 'low'];
const COLS = ['below', 'meets', 'above'];

/**
 * The 9-box as an SVG grid: performance across, potential up, each box with its number and
 * count. With `onPick`, every box is a button (one tab stop; arrow keys move between boxes;
 * Enter or Space, or a click, picks it, and picking the picked one again clears it); `selected` is
 * the picked box. Without, it is a picture with `highlight` drawn strong (a participant's box).
 */
export function nineBoxGrid({ counts = {}, selected = null, onPick = null, highlight = null, title, desc, compact = false, start = null }) {
  const rule = state.nineBox || DEFAULT_NINE_BOX;
  const cellW = compact ? 64 : 132;
  const cellH = compact ? 44 : 96;
  const left = compact ? 88 : 108;
  const top = 8;
  const width = left + cellW * 3 + 8;
  const height = top + cellH * 3 + (compact ? 44 : 64);
  const id = chartId('ninebox');
  const root = svg('svg', {
    id, class: 'chart chart-ninebox' + (compact ? ' is-compact' : '') + (onPick ? ' is-interactive' : ''),
    viewBox: `0 0 ${width} ${height}`, role: onPick ? 'group' : 'img', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-desc`,
  }, svg('title', { id: `${id}-title` }, title), svg('desc', { id: `${id}-desc` }, desc));
  const axes = svg('g', { class: 'chart-ninebox-axes', 'aria-hidden': 'true' });
  ROWS.forEach((row, r) => axes.append(svg('text', { x: left - 8, y: top + cellH * r + cellH / 2 + 4, 'text-anchor': 'end', class: 'chart-label' },
    t(compact ? 'results.potential.short.' + row : 'results.potential.' + row))));
  COLS.forEach((col, c) => axes.append(svg('text', { x: left + cellW * c + cellW / 2, y: top + cellH * 3 + 18, 'text-anchor': 'middle', class: 'chart-label' },
    t(compact ? 'results.performance.short.' + col : 'results.performance.' + col))));
  axes.append(
    svg('text', { x: left + cellW * 1.5, y: height - 6, 'text-anchor': 'middle', class: 'chart-axis-label' }, t('results.nine.performanceAxis')),
    svg('text', { x: 12, y: top + cellH * 1.5, 'text-anchor': 'middle', class: 'chart-axis-label', transform: `rotate(-90 12 ${top + cellH * 1.5})` }, t('results.nine.potentialAxis')));
  root.append(axes);
  const cells = [];
  ROWS.forEach((row, r) => COLS.forEach((col, c) => {
    const n = rule.boxes[row][c];
    const count = counts[n] || 0;
    const pool = inTalentPool(n);
    const x = left + cellW * c;
    const y = top + cellH * r;
    const picked = onPick ? selected === n : highlight === n;
    // The label starts with the words the box shows ("Kotak 9", its count), as WCAG 2.5.3 asks.
    const label = t(pool ? 'results.nine.cellLabelPool' : 'results.nine.cellLabel', {
      n, count: formatCount(count), potential: t('results.potential.' + row), performance: t('results.performance.' + col),
    });
    const g = svg('g', {
      class: 'chart-ninebox-cell tier-' + (pool ? 'pool' : n <= 3 ? 'low' : 'mid') + (picked ? ' is-picked' : ''),
      dataset: { box: String(n), count: String(count), row, col },
      ...(onPick ? { role: 'button', tabindex: '-1', 'aria-pressed': picked ? 'true' : 'false', 'aria-label': label } : {}),
    },
    onPick ? null : svg('title', {}, label),
    svg('rect', { class: 'cell-bg', x: x + 2, y: y + 2, width: cellW - 4, height: cellH - 4, rx: 6 }),
    svg('rect', { class: 'cell-focus', x: x + 5, y: y + 5, width: cellW - 10, height: cellH - 10, rx: 4 }),
    // The words drawn in a box are its label's, said once by the label (not again by the drawing);
    // a space between them keeps "Kotak 4" and "0" two words for whoever reads the text.
    svg('g', { 'aria-hidden': 'true' },
      svg('text', { x: x + 10, y: y + (compact ? 16 : 22), class: 'cell-number' }, compact ? String(n) : t('results.nine.boxShort', { n })),
      compact ? null : ' ',
      compact ? null : svg('text', { x: x + cellW / 2, y: y + cellH / 2 + 14, 'text-anchor': 'middle', class: 'cell-count' }, formatCount(count))));
    cells.push(g);
    root.append(g);
  }));
  if (onPick) wireGrid(cells, start ?? selected, onPick);
  return root;
}

/** One tab stop for the nine boxes: arrows move between them, Enter or Space picks one. */
function wireGrid(cells, first, onPick) {
  const at = (r, c) => cells[r * 3 + c];
  const start = cells.find((g) => Number(g.dataset.box) === first) || cells[0];
  start.setAttribute('tabindex', '0');
  const move = (from, dr, dc) => {
    const i = cells.indexOf(from);
    const r = Math.min(2, Math.max(0, Math.floor(i / 3) + dr));
    const c = Math.min(2, Math.max(0, (i % 3) + dc));
    const to = at(r, c);
    for (const g of cells) g.setAttribute('tabindex', g === to ? '0' : '-1');
    to.focus();
  };
  for (const g of cells) {
    const pick = () => onPick(Number(g.dataset.box));
    g.addEventListener('click', pick);
    g.addEventListener('keydown', (e) => {
      const steps = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        pick();
      } else if (steps[e.key]) {
        e.preventDefault();
        move(g, ...steps[e.key]);
      } else if (e.key === 'Home' || e.key === 'End') {
        e.preventDefault();
        move(g, e.key === 'Home' ? -2 : 2, e.key === 'Home' ? -2 : 2);
      }
    });
  }
}

/** The box picked last: it keeps the grid's tab stop when the picking is undone. */
let lastPicked = null;

/** The campaign's 9-box: counts per box; picking a box filters the table (`onPick(n | null)`). */
function nineBoxChart(onPick) {
  const s = state.overview.summary;
  const counts = s.nine_box;
  const placed = Object.values(counts).reduce((a, b) => a + b, 0);
  const selected = state.query.box ? Number(state.query.box) : null;
  const title = t('results.nine.title');
  const desc = t('results.nine.desc', { placed: formatCount(placed), pool: formatCount(s.talent_pool) });
  const rule = state.nineBox || DEFAULT_NINE_BOX;
  return figure('chart-ninebox', title,
    nineBoxGrid({ counts, selected, title, desc, start: lastPicked, onPick: (n) => { lastPicked = n; onPick(selected === n ? null : n); } }),
    h('p', { class: 'small', id: 'nine-hint' }, t('results.nine.hint')),
    legend([
      { className: 'chart-swatch-pool', label: t('results.nine.legendPool', { boxes: rule.talent_pool.join(', ') }) },
      { className: 'chart-swatch-mid', label: t('results.nine.legendMid') },
      { className: 'chart-swatch-low', label: t('results.nine.legendLow') },
    ]),
    h('p', { class: 'small muted', id: 'nine-unplaced' }, t('results.nine.unplaced', { n: formatCount(Math.max(0, s.scored - placed)) })),
    dataTable({
      summary: t('results.chart.numbers'), caption: title, numeric: [1, 2, 3],
      head: [t('results.nine.potentialAxis'), ...COLS.map((c) => t('results.performance.' + c))],
      rows: ROWS.map((row) => [t('results.potential.' + row), ...rule.boxes[row].map((n) => t('results.nine.tableCell', { n, count: formatCount(counts[n] || 0) }))]),
    }));
}

let scaleShown = null;

/** A histogram of one scale's scores, the scale chosen in a select. */
function scaleChart() {
  const scales = state.overview.charts.scales.filter((x) => x.n > 0);
  const title = t('results.chart.scaleTitle');
  if (scales.length === 0) return figure('chart-scale', title, h('p', { class: 'muted rs-chart-empty' }, t('results.chart.scaleEmpty')));
  const key = (x) => `${x.instrument}/${x.scale}`;
  if (!scales.some((x) => key(x) === scaleShown)) scaleShown = key(scales[0]);
  const chosen = scales.find((x) => key(x) === scaleShown);
  const kind = t(chosen.score === 't' ? 'results.chart.scoreT' : 'results.chart.scoreRaw');
  const digits = chosen.score === 't' ? 0 : 1;
  const bars = chosen.bins.map((b) => ({ label: binLabel(b, digits), value: b.count }));
  const top = most(bars);
  const name = `${chosen.instrument} · ${chosen.scale}`;
  const chartTitle = t('results.chart.scaleChartTitle', { scale: name, kind });
  const desc = t('results.chart.scaleDesc', { scale: name, kind, n: formatCount(chosen.n), mean: formatNumber(chosen.mean, 2), range: top.label, count: formatCount(top.value) });
  const at = position(chosen.bins, chosen.mean);
  const select = h('select', {
    id: 'scale-select',
    onchange: (e) => {
      scaleShown = e.target.value;
      $('#chart-scale').replaceWith(scaleChart());
      $('#scale-select').focus();
    },
  }, scales.map((x) => h('option', { value: key(x), selected: key(x) === scaleShown },
    `${x.instrument} · ${x.scale} (${t(x.score === 't' ? 'results.chart.scoreT' : 'results.chart.scoreRaw')}, n = ${formatCount(x.n)})`)));
  return h('figure', { class: 'rs-figure', id: 'chart-scale' },
    h('figcaption', { class: 'rs-figure-title' }, title),
    h('div', { class: 'field rs-narrow' }, h('label', { for: 'scale-select' }, t('results.chart.scalePick')), select),
    h('div', { class: 'chart-wrap' }, columnChart({
      id: chartId('scale'), title: chartTitle, desc, bars, format: (v) => formatNumber(v, 0), axisLabel: t('results.chart.people'),
      marker: at == null ? null : { at, label: t('results.chart.meanMarkerPlain', { mean: formatNumber(chosen.mean, 1) }) },
    })),
    h('p', { class: 'small muted' }, desc),
    dataTable({
      summary: t('results.chart.numbers'), caption: chartTitle, numeric: [1],
      head: [kind, t('results.chart.people')], rows: chosen.bins.map((b) => [binLabel(b, digits), formatCount(b.count)]),
    }));
}

/** Draws every chart of the campaign; `onPickBox(n | null)` filters the table to a box. */
export function renderCharts(onPickBox) {
  $('#charts-body').replaceChildren(
    h('div', { class: 'rs-chart-grid' }, jpmChart(), nineBoxChart(onPickBox), profileChart(), scaleChart()));
}

/** Re-draws the 9-box alone (after the table's box filter changed), keeping focus on the grid. */
export function refreshNineBox(onPickBox) {
  const old = $('#chart-ninebox');
  if (!old) return;
  const hadFocus = old.contains(document.activeElement);
  old.replaceWith(nineBoxChart(onPickBox));
  if (hadFocus) {
    const cell = $('#chart-ninebox [role="button"][tabindex="0"]');
    if (cell) cell.focus();
  }
}
