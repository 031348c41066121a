// Renders an item as a candidate sees it (stem, figure, options, Likert anchors, forced-choice pairs,
// most/least blocks, numeric entry), with the scoring key drawn in elements marked .key-only that
// the page shows or hides with the .show-key class on a container.
import { h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatNumber } from './locale.js';
import { freeTwin, mostLeastHead } from './take-items.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Weights and keyed answers keep up to six decimals. */
const num = (n) => formatNumber(n, 6);

/**
 * A figure loaded through ctx.image(name) (which resolves to a blob: URL fetched with the token).
 * The <img> gets its src when the bytes arrive; a failure is shown in words.
 */
function figure(ctx, name, alt, cls) {
  const img = h('img', { alt, class: cls || null, dataset: { asset: name }, decoding: 'async' });
  const wrap = h('span', { class: 'img-wrap' }, img);
  img.hidden = true;
  const loading = h('span', { class: 'img-loading' }, t('item.image.loading'));
  wrap.append(loading);
  ctx.image(name).then(
    (url) => {
      img.addEventListener('load', () => loading.remove(), { once: true });
      img.addEventListener('error', () => loading.replaceWith(h('span', { class: 'img-error', role: 'alert' }, t('item.image.error', { name }))), { once: true });
      img.src = url;
      img.hidden = false;
    },
    () => loading.replaceWith(h('span', { class: 'img-error', role: 'alert' }, t('item.image.error', { name }))),
  );
  return wrap;
}

function scaleLabel(ctx, code) {
  const s = ctx.scales.get(code);
  return s ? `${code} · ${tx(s.name)}` : code;
}

function keyOnly(tag, attrs, ...children) {
  const cls = 'key-only' + (attrs && attrs.class ? ' ' + attrs.class : '');
  return h(tag, { ...(attrs || {}), class: cls }, ...children);
}

function stemBlock(item, ctx, id, fallback) {
  const parts = [];
  const text = item.stem ? tx(item.stem) : fallback;
  if (text) parts.push(h('p', { class: 'stem', id }, text));
  if (item.image) {
    parts.push(h('div', { class: 'figure' }, figure(ctx, item.image, t('item.image.alt', { code: item.code }))));
  }
  return parts;
}

function choiceOptions(item, ctx, name, stemId) {
  const hasImages = item.options.some((o) => o.image);
  const list = h('div', { class: 'options' + (hasImages ? ' with-images' : ''), role: 'radiogroup', 'aria-labelledby': stemId });
  item.options.forEach((o, i) => {
    const letter = LETTERS[i] || String(i + 1);
    const isKey = item.format === 'single_choice' && item.key === o.id;
    const content = h('span', { class: 'option-content' });
    if (o.text) content.append(h('span', { class: 'option-text' }, tx(o.text)));
    if (o.image) content.append(figure(ctx, o.image, t('item.option.image.alt', { letter })));
    const label = h('label', { class: 'option' + (isKey ? ' is-key' : ''), dataset: { option: o.id } },
      h('input', { type: 'radio', name, value: o.id }),
      h('span', { class: 'option-letter' }, letter + '.'),
      content);
    if (isKey) label.append(keyOnly('span', { class: 'key-mark' }, t('key.mark')));
    if (item.format === 'weighted_options' && typeof o.weight === 'number') {
      label.append(keyOnly('span', { class: 'badge badge-key weight', dataset: { weight: String(o.weight) } }, t('key.weight', { w: num(o.weight) })));
    }
    list.append(label);
  });
  return list;
}

function likert(item, ctx, name, stemId) {
  const anchors = ctx.anchors || [];
  const k = anchors.length;
  const group = h('div', { class: 'likert', role: 'radiogroup', 'aria-labelledby': stemId });
  anchors.forEach((a, i) => {
    const point = i + 1;
    const score = item.reverse ? k + 1 - point : point;
    group.append(h('label', { class: 'option', dataset: { point: String(point) } },
      h('input', { type: 'radio', name, value: String(point) }),
      h('span', { class: 'option-text' }, tx(a)),
      keyOnly('span', { class: 'points' }, t('key.weight', { w: num(score) }))));
  });
  return group;
}

function forcedChoice(item, ctx, name, stemId) {
  const pair = h('div', { class: 'pair', role: 'radiogroup', 'aria-labelledby': stemId });
  for (const s of item.statements || []) {
    pair.append(h('label', { class: 'option', dataset: { statement: s.id } },
      h('input', { type: 'radio', name, value: s.id }),
      h('span', { class: 'option-content' },
        h('span', { class: 'option-text' }, tx(s.text)),
        keyOnly('span', { class: 'statement-scale' }, t('key.scale', { scale: scaleLabel(ctx, s.scale) })))));
  }
  return pair;
}

function mostLeast(item, ctx, name) {
  const rows = (item.statements || []).map((s) => {
    const textId = `${name}-${s.id}`;
    return h('tr', { dataset: { statement: s.id } },
      h('td', {}, h('span', { id: textId }, tx(s.text)),
        keyOnly('div', { class: 'statement-scale' }, t('key.scale', { scale: scaleLabel(ctx, s.scale) }))),
      h('td', { class: 'choice' }, h('input', { type: 'radio', name: name + '-most', value: s.id, 'aria-label': `${t('item.ml.most')}: ${tx(s.text)}` })),
      h('td', { class: 'choice' }, h('input', { type: 'radio', name: name + '-least', value: s.id, 'aria-label': `${t('item.ml.least')}: ${tx(s.text)}` })));
  });
  const table = h('table', { class: 'most-least' }, mostLeastHead(), h('tbody', {}, rows));
  table.addEventListener('change', (e) => freeTwin(table, name, e.target));
  return h('div', { class: 'table-wrap' }, table);
}

function numericEntry(item, name) {
  const id = name + '-input';
  return h('div', { class: 'numeric-entry' },
    h('label', { for: id }, t('item.numeric.label')),
    h('input', { id, type: 'text', inputmode: 'decimal', autocomplete: 'off', name }));
}

function keyPanel(item, ctx) {
  const lines = [];
  if (item.scale) lines.push(t('key.scale', { scale: scaleLabel(ctx, item.scale) }));
  switch (item.format) {
    case 'single_choice': {
      const i = item.options.findIndex((o) => o.id === item.key);
      lines.push(t('key.single', { letter: i >= 0 ? LETTERS[i] : item.key }));
      break;
    }
    case 'weighted_options':
      lines.push(t('key.weighted'));
      break;
    case 'likert': {
      const k = (ctx.anchors || []).length;
      lines.push(item.reverse ? t('key.likert.reverse', { k, k1: k + 1 }) : t('key.likert.forward', { k }));
      break;
    }
    case 'forced_choice':
      lines.push(t('key.fc'));
      break;
    case 'most_least':
      lines.push(t('key.ml'));
      break;
    case 'numeric_entry':
      lines.push(t('key.numeric', { answer: num(item.answer), tol: num(item.tolerance ?? 0) }));
      break;
    default:
      break;
  }
  if (item.practice) lines.push(t('key.practice'));
  return keyOnly('div', { class: 'key-panel', dataset: { format: item.format, reverse: item.reverse ? 'true' : null } },
    h('strong', {}, t('key.title')),
    h('ul', {}, lines.map((l) => h('li', {}, l))));
}

/**
 * One item as a list entry. ctx: {scales: Map(code → scale), anchors: Text[] | null,
 * image(name) → Promise<blob URL>}.
 */
export function renderItem(item, index, ctx) {
  const name = `item-${index}`;
  const stemId = `${name}-stem`;
  const head = h('div', { class: 'item-head' },
    h('span', { class: 'item-no' }, t('item.no', { n: index + 1 })),
    h('span', { class: 'item-code' }, item.code),
    h('span', { class: 'badge badge-info' }, t('format.' + item.format)),
    item.practice ? h('span', { class: 'badge badge-warn' }, t('item.practice')) : null,
    item.format === 'likert' && item.reverse ? keyOnly('span', { class: 'badge badge-key' }, 'R') : null);
  const body = h('div', { class: 'item-body' });
  switch (item.format) {
    case 'single_choice':
    case 'weighted_options':
      body.append(...stemBlock(item, ctx, stemId), choiceOptions(item, ctx, name, stemId));
      break;
    case 'likert':
      body.append(...stemBlock(item, ctx, stemId), likert(item, ctx, name, stemId));
      break;
    case 'forced_choice':
      body.append(...stemBlock(item, ctx, stemId, t('item.fc.lead')), forcedChoice(item, ctx, name, stemId));
      break;
    case 'most_least':
      body.append(...stemBlock(item, ctx, stemId, t('item.ml.lead')), mostLeast(item, ctx, name));
      break;
    case 'numeric_entry':
      body.append(...stemBlock(item, ctx, stemId), numericEntry(item, name));
      break;
    default:
      body.append(h('pre', {}, JSON.stringify(item, null, 2)));
  }
  body.append(keyPanel(item, ctx));
  return h('li', { class: 'item', id: `item-${item.code}`, dataset: { code: item.code, format: item.format } }, head, body);
}
