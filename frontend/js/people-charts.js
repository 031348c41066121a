// The people page's small charts, drawn as SVG by our own code (the pages load no chart library):
// a person's competency levels against the levels their job requires, the organisation's JPM and
// IP ASN means by year, and one unit's trend inside a table cell. Each chart is an image named by
// its <title> (what it shows, in words); its numbers are always in a table next to it, and the
// series differ by shape and line style as well as colour.
import { h } from './shell.js';

const NS = 'http://www.w3.org/2000/svg';

/** Colours with at least 3:1 against white (WCAG 1.4.11). */
const INK = '#18202b';
const MUTED = '#4f5a68';
const GRID = '#d3d9e2';
const MEETS = '#0b57a4';
const BELOW = '#a14f00';
export const SERIES_COLOURS = ['#0b57a4', '#176b34'];

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null && v !== false) el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** One key of a chart's legend (HTML, under the chart): its mark and its words, kept on one line. */
export function legendItem(swatchClass, words, style = null) {
  return h('span', { class: 'legend-item' }, h('span', { class: 'swatch ' + swatchClass, style, 'aria-hidden': 'true' }), words);
}

let serial = 0;

/** An SVG image `width`×`height` (its viewBox; CSS sizes it) whose accessible name is `label`. */
function image(width, height, label, cls, children) {
  serial += 1;
  const id = `people-chart-${serial}`;
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': id, class: cls, focusable: 'false' },
    svg('title', { id }, label), children);
}

const round1 = (x) => Math.round(x * 10) / 10;

/**
 * Vertical bars of competency levels (1–5) with the required level of each as a dark line across
 * its bar: `rows` are [{code, level (null when none), required (null when the standard names
 * none)}]. A bar below its line is drawn in the second colour and with a dashed outline.
 */
export function levelChart(rows, label, { max = 5 } = {}) {
  const left = 20;
  const slot = 34;
  const top = 8;
  const unit = 18;
  const plot = unit * max;
  const width = left + rows.length * slot + 4;
  const height = top + plot + 20;
  const y = (v) => top + plot - v * unit;
  const parts = [];
  for (let v = 0; v <= max; v += 1) {
    parts.push(svg('line', { x1: left, x2: width - 2, y1: y(v), y2: y(v), stroke: GRID, 'stroke-width': 1 }));
    parts.push(svg('text', { x: left - 6, y: y(v) + 3.5, 'text-anchor': 'end', 'font-size': 10, fill: MUTED }, String(v)));
  }
  rows.forEach((r, i) => {
    const x = left + i * slot + 7;
    const w = slot - 14;
    const below = r.level != null && r.required != null && r.level < r.required;
    if (r.level != null && r.level > 0) {
      parts.push(svg('rect', {
        x, y: y(r.level), width: w, height: r.level * unit,
        fill: below ? BELOW : MEETS, stroke: below ? INK : null, 'stroke-dasharray': below ? '3 2' : null,
        'data-code': r.code, 'data-level': r.level,
      }));
    }
    if (r.required != null) {
      parts.push(svg('line', {
        x1: x - 4, x2: x + w + 4, y1: y(r.required), y2: y(r.required), stroke: INK, 'stroke-width': 3,
        'data-required': r.required,
      }));
    }
    parts.push(svg('text', { x: x + w / 2, y: top + plot + 14, 'text-anchor': 'middle', 'font-size': 9.5, fill: INK }, r.code));
  });
  return image(width, height, label, 'level-chart', parts);
}

/** The top of a y scale from 0 that holds `highest`: at least 100, in steps of 20. */
function scaleTop(highest) {
  return Math.max(100, Math.ceil(highest / 20) * 20);
}

/**
 * Lines of yearly means: `years` on the x axis, `series` [{label, values (one per year, null
 * when none)}] drawn in SERIES_COLOURS order, the first solid with round markers, the second
 * dashed with square ones. A missing year breaks the line.
 */
export function trendChart(years, series, label) {
  const left = 36;
  const right = 16;
  const top = 12;
  const bottom = 26;
  const width = 380;
  const height = 190;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const all = series.flatMap((s) => s.values).filter((v) => v != null);
  const ymax = scaleTop(all.length ? Math.max(...all) : 100);
  const x = (i) => left + (years.length === 1 ? plotW / 2 : (i * plotW) / (years.length - 1));
  const y = (v) => top + plotH - (v / ymax) * plotH;
  const parts = [];
  for (let v = 0; v <= ymax; v += 20) {
    parts.push(svg('line', { x1: left, x2: width - right, y1: round1(y(v)), y2: round1(y(v)), stroke: GRID, 'stroke-width': 1 }));
    parts.push(svg('text', { x: left - 6, y: round1(y(v)) + 3.5, 'text-anchor': 'end', 'font-size': 10, fill: MUTED }, String(v)));
  }
  years.forEach((year, i) => {
    parts.push(svg('text', { x: round1(x(i)), y: height - 8, 'text-anchor': 'middle', 'font-size': 10.5, fill: INK }, String(year)));
  });
  series.forEach((s, k) => {
    const colour = SERIES_COLOURS[k % SERIES_COLOURS.length];
    let run = [];
    const flush = () => {
      if (run.length > 1) {
        parts.push(svg('polyline', {
          points: run.map(([a, b]) => `${round1(a)},${round1(b)}`).join(' '), fill: 'none', stroke: colour,
          'stroke-width': 2.5, 'stroke-dasharray': k === 1 ? '6 4' : null, 'stroke-linejoin': 'round',
        }));
      }
      run = [];
    };
    s.values.forEach((v, i) => {
      if (v == null) {
        flush();
        return;
      }
      run.push([x(i), y(v)]);
    });
    flush();
    s.values.forEach((v, i) => {
      if (v == null) return;
      const [cx, cy] = [round1(x(i)), round1(y(v))];
      parts.push(k === 1
        ? svg('rect', { x: cx - 4, y: cy - 4, width: 8, height: 8, fill: '#fff', stroke: colour, 'stroke-width': 2, 'data-series': k, 'data-value': v })
        : svg('circle', { cx, cy, r: 4.5, fill: colour, 'data-series': k, 'data-value': v }));
    });
  });
  return image(width, height, label, 'trend-chart', parts);
}

/**
 * A unit's means across `values` (one per year, null when none) as a line small enough for a
 * table cell, scaled between its own lowest and highest; null when no year has a value.
 */
export function sparkline(values, label) {
  const known = values.filter((v) => v != null);
  if (!known.length) return null;
  const width = 88;
  const height = 26;
  const pad = 4;
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const x = (i) => pad + (values.length === 1 ? (width - 2 * pad) / 2 : (i * (width - 2 * pad)) / (values.length - 1));
  const y = (v) => (hi === lo ? height / 2 : pad + ((hi - v) / (hi - lo)) * (height - 2 * pad));
  const parts = [];
  let run = [];
  const flush = () => {
    if (run.length > 1) parts.push(svg('polyline', { points: run.join(' '), fill: 'none', stroke: MEETS, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
    run = [];
  };
  values.forEach((v, i) => {
    if (v == null) {
      flush();
      return;
    }
    run.push(`${round1(x(i))},${round1(y(v))}`);
  });
  flush();
  values.forEach((v, i) => {
    if (v != null) parts.push(svg('circle', { cx: round1(x(i)), cy: round1(y(v)), r: 2.5, fill: MEETS }));
  });
  return image(width, height, label, 'sparkline', parts);
}
