// Charts drawn as SVG by our own code, no library: vertical bars (a distribution, a histogram),
// horizontal paired bars of levels against a standard, and the numbers beside every chart as a
// table. Each chart is an <svg role="img"> named by its <title> and summarised by its <desc>, so a
// screen reader hears what it shows; the pages that use these add the words and the colours'
// legend. Sizes are in the SVG's own units: the drawing scales with its box and keeps its text
// readable by not growing narrower than its min-width (the wrapper scrolls sideways instead).
import { h } from './shell.js';

const NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element: attributes as given (`class` too), children nodes or strings. */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'dataset') for (const [dk, dv] of Object.entries(v)) el.dataset[dk] = dv;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let counter = 0;
/** A page-unique id for a chart's title and description. */
export function chartId(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** The <svg role="img"> shell with its title and description (the text a screen reader reads). */
function frame({ id, title, desc, width, height, className }) {
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  return svg('svg', {
    id, class: 'chart ' + (className || ''), viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-labelledby': titleId, 'aria-describedby': descId, preserveAspectRatio: 'xMidYMid meet',
  }, svg('title', { id: titleId }, title), svg('desc', { id: descId }, desc));
}

/** Round steps for an axis from 0 to at least `max` (about five gridlines). */
function niceTicks(max) {
  if (!(max > 0)) return [0, 1];
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const ticks = [];
  for (let v = 0; v <= max + step * 0.001; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

/**
 * Vertical bars: `bars` [{label, value, title?, className?}] over a count axis. `title` and
 * `desc` name and summarise the chart; `format(n)` writes numbers; `marker` {at: bar index as a
 * real number, label} draws a dashed line (a mean) across the bars.
 */
export function columnChart({ id, title, desc, bars, format = String, axisLabel = '', marker = null, width = 640, height = 300 }) {
  const m = { top: marker ? 40 : 24, right: 12, bottom: 56, left: 48 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1];
  const y = (v) => m.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.max(4, slot * 0.72);
  const root = frame({ id, title, desc, width, height, className: 'chart-columns' });
  const grid = svg('g', { class: 'chart-grid', 'aria-hidden': 'true' });
  for (const v of ticks) {
    grid.append(
      svg('line', { x1: m.left, x2: width - m.right, y1: y(v), y2: y(v) }),
      svg('text', { x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-tick' }, format(v)));
  }
  if (axisLabel) {
    grid.append(svg('text', { x: 12, y: m.top + plotH / 2, class: 'chart-axis-label', transform: `rotate(-90 12 ${m.top + plotH / 2})`, 'text-anchor': 'middle' }, axisLabel));
  }
  root.append(grid);
  const group = svg('g', { class: 'chart-bars' });
  bars.forEach((b, i) => {
    const x = m.left + slot * i + (slot - barW) / 2;
    const hgt = Math.max(0, y(0) - y(b.value));
    const cell = svg('g', { class: 'chart-bar ' + (b.className || ''), dataset: { index: String(i), value: String(b.value) } },
      svg('title', {}, b.title || `${b.label}: ${format(b.value)}`),
      svg('rect', { x, y: y(b.value), width: barW, height: hgt, rx: 2 }),
      b.value > 0 ? svg('text', { x: x + barW / 2, y: y(b.value) - 5, 'text-anchor': 'middle', class: 'chart-value' }, format(b.value)) : null,
      svg('text', { x: x + barW / 2, y: height - m.bottom + 16, 'text-anchor': 'middle', class: 'chart-label' }, b.label));
    group.append(cell);
  });
  root.append(group);
  root.append(svg('line', { class: 'chart-axis', x1: m.left, x2: width - m.right, y1: y(0), y2: y(0), 'aria-hidden': 'true' }));
  if (marker && Number.isFinite(marker.at)) {
    const x = m.left + slot * marker.at;
    // The label sits above the bars, on the side of the line with more room.
    const right = x < width / 2;
    root.append(svg('g', { class: 'chart-marker', 'aria-hidden': 'true' },
      svg('line', { x1: x, x2: x, y1: 10, y2: y(0) }),
      svg('text', { x: right ? x + 6 : x - 6, y: 18, 'text-anchor': right ? 'start' : 'end' }, marker.label)));
  }
  return root;
}

/**
 * Horizontal paired bars on the level scale 1–`max`: per row [{label, achieved, required,
 * note?}] a bar of the achieved level and, below it, an outlined bar of the required level (no
 * required bar when the row has none). A row whose achieved level is under the required one is
 * drawn in the "below" colour (and says so in its tooltip, not only in colour).
 */
export function levelBars({ id, title, desc, rows, max = 5, format = String, words }) {
  const labelW = 262;
  const width = 720;
  const rowH = 44;
  const m = { top: 28, right: 56, bottom: 8 };
  const height = m.top + rows.length * rowH + m.bottom;
  const plotW = width - labelW - m.right;
  const x = (v) => labelW + (v / max) * plotW;
  const root = frame({ id, title, desc, width, height, className: 'chart-levels' });
  const grid = svg('g', { class: 'chart-grid', 'aria-hidden': 'true' });
  for (let v = 0; v <= max; v++) {
    grid.append(svg('line', { x1: x(v), x2: x(v), y1: m.top - 6, y2: height - m.bottom }),
      svg('text', { x: x(v), y: m.top - 12, 'text-anchor': 'middle', class: 'chart-tick' }, String(v)));
  }
  root.append(grid);
  rows.forEach((r, i) => {
    const top = m.top + i * rowH;
    const below = r.required != null && r.achieved != null && r.achieved < r.required;
    const tip = [
      r.label,
      `${words.achieved}: ${r.achieved == null ? words.none : format(r.achieved)}`,
      r.required == null ? null : `${words.required}: ${format(r.required)}`,
      below ? words.below : null,
      r.note || null,
    ].filter(Boolean).join(' · ');
    const g = svg('g', { class: 'chart-level-row' + (below ? ' is-below' : ''), dataset: { row: r.key || r.label } },
      svg('title', {}, tip),
      svg('text', { x: labelW - 10, y: top + 19, 'text-anchor': 'end', class: 'chart-label' }, clip(r.label, 32)));
    if (r.achieved != null) {
      g.append(svg('rect', { class: 'chart-achieved', x: labelW, y: top + 6, width: Math.max(1, x(r.achieved) - labelW), height: 16, rx: 2 }),
        svg('text', { x: x(r.achieved) + 5, y: top + 19, class: 'chart-value' }, format(r.achieved)));
    }
    if (r.required != null) {
      g.append(svg('rect', { class: 'chart-required', x: labelW, y: top + 25, width: Math.max(1, x(r.required) - labelW), height: 10, rx: 2 }),
        svg('text', { x: x(r.required) + 5, y: top + 35, class: 'chart-value chart-value-small' }, format(r.required)));
    }
    root.append(g);
  });
  return root;
}

function clip(text, n) {
  const s = String(text);
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** The legend of a chart: [{className, label}], each swatch with its words. */
export function legend(items) {
  return h('ul', { class: 'chart-legend' }, items.map((i) => h('li', {},
    h('span', { class: 'chart-swatch ' + i.className, 'aria-hidden': 'true' }), i.label)));
}

/**
 * The numbers of a chart as a table under a <details> (closed on screen, open in print):
 * `summary` the disclosure's words, `caption` the table's, `head` the column names (`numeric`
 * marks right-aligned columns by index), `rows` arrays of cells.
 */
export function dataTable({ summary, caption, head, rows, numeric = [], id = null }) {
  return h('details', { class: 'chart-data', id },
    h('summary', {}, summary),
    h('div', { class: 'table-wrap' }, h('table', { class: 'chart-table' },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', {}, h('tr', {}, head.map((c, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, c)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0
        ? h('th', { scope: 'row' }, c)
        : h('td', { class: numeric.includes(i) ? 'num' : null }, c)))))))));
}

/** Ticks from `min` to `max` in `step`s. */
function rangeTicks(min, max, step) {
  const out = [];
  for (let v = min; v <= max + step * 1e-6; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/**
 * The frame, grid and axes of a chart over two numeric axes: returns the SVG root and the
 * coordinate functions px and py (values outside an axis are drawn at its end).
 */
function numericAxes({ id, title, desc, x, y, format, width, height, className }) {
  const m = { top: 20, right: 16, bottom: 48, left: 56 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const clamp = (v, a) => Math.min(a.max, Math.max(a.min, v));
  const px = (v) => m.left + ((clamp(v, x) - x.min) / (x.max - x.min)) * plotW;
  const py = (v) => m.top + plotH - ((clamp(v, y) - y.min) / (y.max - y.min)) * plotH;
  const root = frame({ id, title, desc, width, height, className });
  const grid = svg('g', { class: 'chart-grid', 'aria-hidden': 'true' });
  for (const v of rangeTicks(y.min, y.max, y.step)) {
    grid.append(svg('line', { x1: m.left, x2: width - m.right, y1: py(v), y2: py(v) }),
      svg('text', { x: m.left - 6, y: py(v) + 4, 'text-anchor': 'end', class: 'chart-tick' }, format(v)));
  }
  for (const v of rangeTicks(x.min, x.max, x.step)) {
    grid.append(svg('text', { x: px(v), y: height - m.bottom + 16, 'text-anchor': 'middle', class: 'chart-tick' }, format(v)));
  }
  grid.append(
    svg('text', { x: m.left + plotW / 2, y: height - 8, 'text-anchor': 'middle', class: 'chart-axis-label' }, x.label),
    svg('text', { x: 14, y: m.top + plotH / 2, class: 'chart-axis-label', transform: `rotate(-90 14 ${m.top + plotH / 2})`, 'text-anchor': 'middle' }, y.label));
  root.append(grid);
  root.append(svg('line', { class: 'chart-axis', x1: m.left, x2: width - m.right, y1: m.top + plotH, y2: m.top + plotH, 'aria-hidden': 'true' }));
  return { root, px, py, m, plotH };
}

/**
 * Points on two numeric axes: `points` [{x, y, label, className?}], axes {min, max, step,
 * label} for x and y, `guides` [{axis: 'x'|'y', at, label}] dashed reference lines (thresholds).
 * Each point has a tooltip with its label and values.
 */
export function scatterChart({ id, title, desc, points, x, y, guides = [], format = String, width = 640, height = 360 }) {
  const { root, px, py, m, plotH } = numericAxes({ id, title, desc, x, y, format, width, height, className: 'chart-scatter' });
  for (const g of guides) {
    const line = g.axis === 'x'
      ? { x1: px(g.at), x2: px(g.at), y1: m.top, y2: m.top + plotH }
      : { x1: m.left, x2: width - m.right, y1: py(g.at), y2: py(g.at) };
    root.append(svg('g', { class: 'chart-marker', 'aria-hidden': 'true' }, svg('line', line),
      svg('text', g.axis === 'x' ? { x: px(g.at) + 4, y: m.top + 12 } : { x: width - m.right - 4, y: py(g.at) - 4, 'text-anchor': 'end' }, g.label)));
  }
  const group = svg('g', { class: 'chart-points' });
  for (const p of points) {
    const cx = px(p.x);
    const cy = py(p.y);
    group.append(svg('g', { class: 'chart-point ' + (p.className || ''), dataset: { label: p.label } },
      svg('title', {}, `${p.label}: ${format(p.x)}, ${format(p.y)}`),
      svg('circle', { cx, cy, r: 5 }),
      svg('text', { x: cx + 7, y: cy - 6, class: 'chart-label' }, p.label)));
  }
  root.append(group);
  return root;
}

/**
 * Lines over one numeric axis: `series` [{label, values: [y per x], className?}] at the points
 * `xs`, axes {min, max, step, label} for x and y.
 */
export function lineChart({ id, title, desc, xs, series, x, y, format = String, width = 640, height = 320 }) {
  const { root, px, py } = numericAxes({ id, title, desc, x, y, format, width, height, className: 'chart-lines' });
  const group = svg('g', { class: 'chart-series' });
  series.forEach((s, i) => {
    const d = xs.map((xv, k) => `${k === 0 ? 'M' : 'L'}${px(xv).toFixed(1)},${py(s.values[k]).toFixed(1)}`).join(' ');
    group.append(svg('g', { class: 'chart-line ' + (s.className || `chart-line-${i % 6}`), dataset: { label: s.label } },
      svg('title', {}, s.label), svg('path', { d, fill: 'none' })));
  });
  root.append(group);
  return root;
}
