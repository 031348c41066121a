// One item as a candidate answers it: the stem, its figure, and native form controls for every
// format (radio groups move with the arrow keys; the most/least block is two radio groups), with
// the candidate's answer restored. No key exists here: the candidate API sends none.
import { h } from './shell.js';
import { t, tx } from './i18n.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** A typed number: digits, one decimal comma or point, an optional leading minus. */
const NUMBER_RE = /^[-−]?(\d+([.,]\d+)?|[.,]\d+)$/;

/** The head of a most/least table: the statement, then the "most" and "least" columns. */
export function mostLeastHead() {
  return h('thead', {}, h('tr', {},
    h('th', { scope: 'col' }, t('item.ml.statement')),
    h('th', { scope: 'col', class: 'choice' }, t('item.ml.most')),
    h('th', { scope: 'col', class: 'choice' }, t('item.ml.least'))));
}

/** One statement cannot be both "most" and "least": choosing it in one column frees it in the other. */
export function freeTwin(table, name, input) {
  const other = input.name.endsWith('-most') ? name + '-least' : name + '-most';
  const twin = table.querySelector(`input[name="${other}"][value="${input.value}"]`);
  if (twin && twin.checked) twin.checked = false;
}

/** Whether `text` is a number the server will accept ("15,4", "15.4", "-3"). */
export function isNumberText(text) {
  return NUMBER_RE.test(String(text).trim().replace(/\s+/g, ''));
}

/**
 * An image fetched through ctx.image(path) (a blob: URL fetched with the token). Shown at its
 * natural size, never wider than its container; the failure is said in words.
 */
function figure(ctx, path, alt) {
  const img = h('img', { alt, decoding: 'async' });
  img.hidden = true;
  const wrap = h('span', { class: 'img-wrap' }, img);
  const loading = h('span', { class: 'img-loading' }, t('item.image.loading'));
  wrap.append(loading);
  const fail = () => loading.replaceWith(h('span', { class: 'img-error', role: 'alert' }, t('take.image.error')));
  ctx.image(path).then((url) => {
    img.addEventListener('load', () => loading.remove(), { once: true });
    img.addEventListener('error', fail, { once: true });
    img.src = url;
    img.hidden = false;
  }, fail);
  return wrap;
}

function stem(item, ctx, stemId, fallback) {
  const parts = [];
  const text = item.stem ? tx(item.stem) : fallback;
  if (text) parts.push(h('p', { class: 'stem take-stem', id: stemId }, text));
  if (item.image) parts.push(h('div', { class: 'figure take-figure' }, figure(ctx, item.image, t('take.image.stem'))));
  return parts;
}

function radio(name, value, checked, disabled, extra = {}) {
  return h('input', { type: 'radio', name, value, checked: !!checked, disabled: !!disabled, ...extra });
}

/**
 * Renders `item`. ctx: {name (unique per rendering), response (the stored answer or null),
 * disabled, image(path) → Promise<url>, onAnswer(response), onInvalid(bool) (optional: a typed
 * answer is not a number, so nothing was saved; false once it is one again)}.
 * Returns {el, flush()}: flush() saves a number still being typed.
 */
export function renderCandidateItem(item, ctx) {
  const name = ctx.name;
  const stemId = name + '-stem';
  const r = ctx.response || {};
  const body = h('div', { class: 'take-item-body', dataset: { format: item.format } });
  let flush = () => {};

  switch (item.format) {
    case 'single_choice':
    case 'weighted_options': {
      body.append(...stem(item, ctx, stemId));
      const options = item.options || [];
      const withImages = options.some((o) => o.image);
      const group = h('div', {
        class: 'options take-options' + (withImages ? ' with-images' : ''),
        role: 'radiogroup',
        'aria-labelledby': item.stem ? stemId : null,
        'aria-label': item.stem ? null : t('item.options'),
      });
      options.forEach((o, i) => {
        const letter = LETTERS[i] || String(i + 1);
        const content = h('span', { class: 'option-content' });
        if (o.text) content.append(h('span', { class: 'option-text' }, tx(o.text)));
        if (o.image) content.append(figure(ctx, o.image, t('item.option.image.alt', { letter })));
        group.append(h('label', { class: 'option', dataset: { option: o.id } },
          radio(name, o.id, r.choice === o.id, ctx.disabled),
          h('span', { class: 'option-letter', 'aria-hidden': o.text ? 'true' : null }, letter + '.'),
          content));
      });
      group.addEventListener('change', (e) => ctx.onAnswer({ choice: e.target.value }));
      body.append(group);
      break;
    }
    case 'likert': {
      body.append(...stem(item, ctx, stemId));
      const group = h('div', { class: 'take-likert', role: 'radiogroup', 'aria-labelledby': item.stem ? stemId : null });
      for (const p of item.likert_points || []) {
        group.append(h('label', { class: 'option', dataset: { point: String(p.value) } },
          radio(name, String(p.value), Number(r.point) === p.value, ctx.disabled),
          h('span', { class: 'option-text' }, tx(p.label))));
      }
      group.addEventListener('change', (e) => ctx.onAnswer({ point: Number(e.target.value) }));
      body.append(group);
      break;
    }
    case 'forced_choice': {
      body.append(...stem(item, ctx, stemId, t('item.fc.lead')));
      const group = h('div', { class: 'pair take-pair', role: 'radiogroup', 'aria-labelledby': stemId });
      for (const s of item.statements || []) {
        group.append(h('label', { class: 'option', dataset: { statement: s.id } },
          radio(name, s.id, r.choice === s.id, ctx.disabled),
          h('span', { class: 'option-content' }, h('span', { class: 'option-text' }, tx(s.text)))));
      }
      group.addEventListener('change', (e) => ctx.onAnswer({ choice: e.target.value }));
      body.append(group);
      break;
    }
    case 'most_least': {
      body.append(...stem(item, ctx, stemId, t('item.ml.lead')));
      const statements = item.statements || [];
      const hint = h('p', { class: 'take-hint', 'aria-live': 'polite' });
      const rows = statements.map((s) => {
        const textId = `${name}-${s.id}`;
        const cell = (col, label) => h('td', { class: 'choice' },
          h('label', { class: 'take-cell' },
            radio(`${name}-${col}`, s.id, r[col] === s.id, ctx.disabled, { 'aria-label': `${label}: ${tx(s.text)}` })));
        return h('tr', { dataset: { statement: s.id } },
          h('td', { class: 'take-statement' }, h('span', { id: textId }, tx(s.text))),
          cell('most', t('item.ml.most')),
          cell('least', t('item.ml.least')));
      });
      const table = h('table', { class: 'most-least take-most-least' },
        h('caption', { class: 'sr-only' }, t('item.ml.lead')),
        mostLeastHead(),
        h('tbody', {}, rows));
      table.addEventListener('change', (e) => {
        freeTwin(table, name, e.target);
        const most = table.querySelector(`input[name="${name}-most"]:checked`);
        const least = table.querySelector(`input[name="${name}-least"]:checked`);
        if (most && least) {
          hint.textContent = '';
          ctx.onAnswer({ most: most.value, least: least.value });
        } else {
          hint.textContent = most ? t('take.ml.needLeast') : t('take.ml.needMost');
        }
      });
      body.append(h('div', { class: 'table-wrap' }, table), hint);
      break;
    }
    case 'numeric_entry': {
      body.append(...stem(item, ctx, stemId));
      const id = name + '-input';
      const hintId = name + '-hint';
      const value = r.value === undefined || r.value === null ? '' : String(r.value);
      const input = h('input', {
        id, type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
        class: 'take-number', value, disabled: !!ctx.disabled, 'aria-describedby': hintId,
      });
      const hint = h('p', { class: 'take-hint', id: hintId }, t('take.numeric.hint'));
      let timer = null;
      let lastSent = value;
      const save = () => {
        if (timer) clearTimeout(timer);
        timer = null;
        const v = input.value.trim().replace(/\s+/g, '').replace('−', '-');
        if (v === '' || v === lastSent) return;
        if (!isNumberText(v)) {
          input.setAttribute('aria-invalid', 'true');
          hint.textContent = t('take.numeric.invalid');
          hint.classList.add('field-error');
          if (ctx.onInvalid) ctx.onInvalid(true);
          return;
        }
        input.removeAttribute('aria-invalid');
        hint.textContent = t('take.numeric.hint');
        hint.classList.remove('field-error');
        if (ctx.onInvalid) ctx.onInvalid(false);
        lastSent = v;
        ctx.onAnswer({ value: v });
      };
      input.addEventListener('input', () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(save, 700);
        // Typing again: the earlier "not a number" no longer stands (it is checked after the pause).
        if (input.getAttribute('aria-invalid') === 'true' && (input.value.trim() === '' || isNumberText(input.value))) {
          input.removeAttribute('aria-invalid');
          hint.textContent = t('take.numeric.hint');
          hint.classList.remove('field-error');
          if (ctx.onInvalid) ctx.onInvalid(false);
        }
      });
      input.addEventListener('change', save);
      flush = save;
      body.append(h('div', { class: 'numeric-entry take-numeric' },
        h('label', { for: id }, t('item.numeric.label')), input), hint);
      break;
    }
    default:
      body.append(h('p', { class: 'notice notice-warn' }, t('take.format.unknown', { format: String(item.format) })));
  }
  // The chosen option is also marked with a class, for browsers without CSS :has().
  const mark = () => {
    for (const input of body.querySelectorAll('input[type="radio"]')) {
      const label = input.closest('label');
      if (label) label.classList.toggle('is-checked', input.checked);
    }
  };
  body.addEventListener('change', mark);
  mark();
  return { el: body, flush: () => flush() };
}

/** Whether a stored response counts as an answer to an item. */
export function isAnswered(response) {
  if (!response || typeof response !== 'object') return false;
  if ('most' in response || 'least' in response) return !!(response.most && response.least);
  return ['choice', 'point', 'value'].some((k) => response[k] !== undefined && response[k] !== null && response[k] !== '');
}
