// The item bank for admin and HR: list instruments, open one to see its scales, norm tables and every
// item as a candidate sees it (with a scoring-key switch), import (dry run first), export and retire.
import { api, blobUrl } from './api.js';
import { $, errorNotice, errorsTable, h, readChosenFile, startPage } from './shell.js';
import { lang, t, tx } from './i18n.js';
import { formatDate, formatNumber } from './locale.js';
import { renderItem } from './items.js';

const me = await startPage({ roles: ['admin', 'hr'] });

const state = {
  filter: 'active',
  list: [],
  detail: null,
  showKey: false,
  images: new Map(), // asset name → Promise<blob URL> for the open instrument
  pending: null, // {file, text, outcome} after a successful dry run
  importView: null, // () => node: re-renders the import panel on a language change
  highlight: null, // id of a freshly imported instrument
};

function status(node) {
  $('#bank-status').replaceChildren(node || '');
}

function ok(text) {
  return h('div', { class: 'notice notice-ok', role: 'status' }, h('p', {}, text));
}

// ---------------------------------------------------------------- list

async function loadList() {
  try {
    const data = await api('/api/v1/instruments', { query: { status: state.filter } });
    state.list = data.instruments;
    renderList();
  } catch (err) {
    status(errorNotice(err));
  }
}

function statusBadge(s) {
  return h('span', { class: 'badge ' + (s === 'active' ? 'badge-ok' : 'badge-muted'), dataset: { status: s } }, t('status.' + s));
}

function renderList() {
  const rows = state.list.map((i) => {
    const open = state.detail && state.detail.id === i.id;
    const word = open ? t('bank.opened') : t('bank.open');
    return h('tr', { dataset: { id: i.id, code: i.code, status: i.status }, class: open || state.highlight === i.id ? 'is-selected' : null },
      h('td', { class: 'c-code' }, h('span', { class: 'instrument-code' }, i.code)),
      h('td', { class: 'c-name' }, h('span', { class: 'instrument-name' }, tx(i.name))),
      h('td', { class: 'c-kind' }, t('kind.' + i.kind)),
      h('td', { class: 'num c-version' }, String(i.version)),
      h('td', { class: 'num c-items' }, String(i.item_count)),
      h('td', { class: 'num c-scales' }, String(i.scale_count)),
      h('td', { class: 'c-status' }, statusBadge(i.status)),
      // The name starts with the word the button shows ("Terbuka" once open), so a voice command
      // that says what is on screen finds it (WCAG 2.5.3).
      h('td', { class: 'c-open' }, h('button', {
        type: 'button', class: 'btn btn-small open-instrument', 'aria-pressed': open ? 'true' : 'false',
        'aria-label': `${word} ${i.code} v${i.version}`, onclick: () => openInstrument(i.id),
      }, word)));
  });
  $('#instrument-rows').replaceChildren(...rows);
  $('#list-empty').hidden = state.list.length > 0;
  $('#list-count').textContent = t('bank.count', { n: state.list.length });
}

// ---------------------------------------------------------------- detail

function forgetImages() {
  for (const p of state.images.values()) p.then((u) => URL.revokeObjectURL(u), () => {});
  state.images.clear();
}

function imageLoader(detail) {
  return (name) => {
    if (!state.images.has(name)) {
      const asset = detail.assets.find((a) => a.name === name);
      state.images.set(name, asset ? blobUrl(asset.url) : Promise.reject(new Error('no asset ' + name)));
    }
    return state.images.get(name);
  };
}

async function openInstrument(id, { scroll = true } = {}) {
  status(null);
  try {
    const detail = await api('/api/v1/instruments/' + encodeURIComponent(id));
    if (!state.detail || state.detail.id !== detail.id) forgetImages();
    state.detail = detail;
    history.replaceState(null, '', '#instrument=' + detail.id);
    renderDetail();
    renderList();
    if (scroll) $('#detail').scrollIntoView({ block: 'start' });
  } catch (err) {
    status(errorNotice(err));
  }
}

function closeInstrument() {
  forgetImages();
  state.detail = null;
  $('#detail').hidden = true;
  $('#detail').replaceChildren();
  history.replaceState(null, '', location.pathname);
  renderList();
}

function table(headers, rows, cls) {
  return h('div', { class: 'table-wrap' }, h('table', { class: cls || null },
    h('thead', {}, h('tr', {}, headers.map(([text, c]) => h('th', { scope: 'col', class: c || null }, text)))),
    h('tbody', {}, rows)));
}

function renderDetail() {
  const d = state.detail;
  const section = $('#detail');
  if (!d) {
    section.hidden = true;
    return;
  }
  const scales = new Map(d.scales.map((s) => [s.code, s]));
  const ctx = { scales, anchors: d.likert_anchors || null, image: imageLoader(d) };
  const scored = d.items.filter((i) => !i.practice).length;

  const actions = h('div', { class: 'btn-row' },
    h('button', { type: 'button', class: 'btn', id: 'export-btn', onclick: exportInstrument }, t('bank.export')),
    d.status === 'active' ? h('button', { type: 'button', class: 'btn btn-danger', id: 'retire-btn', onclick: retireInstrument }, t('bank.retire')) : null,
    h('button', { type: 'button', class: 'btn', id: 'close-btn', onclick: closeInstrument }, t('bank.close')));

  const facts = h('dl', { class: 'facts' },
    d.description ? [h('dt', {}, t('bank.scale.description')), h('dd', {}, tx(d.description))] : null,
    h('dt', {}, t('bank.items')), h('dd', {}, t('bank.items.count', { n: d.items.length, scored })),
    h('dt', {}, t('bank.source')), h('dd', {}, d.source),
    h('dt', {}, t('bank.imported')), h('dd', {}, formatDate(d.created_at)),
    d.retired_at ? [h('dt', {}, t('bank.retiredAt')), h('dd', {}, formatDate(d.retired_at))] : null);

  const head = h('div', { class: 'card' },
    h('div', { class: 'detail-head' },
      h('div', {},
        h('h2', { id: 'detail-title' }, tx(d.name)),
        h('div', { class: 'meta' },
          h('span', { class: 'badge' }, `${d.code} v${d.version}`),
          h('span', { class: 'badge badge-info' }, t('kind.' + d.kind)),
          statusBadge(d.status))),
      actions),
    facts);

  const keySwitch = h('input', { type: 'checkbox', id: 'show-key', checked: state.showKey, onchange: (e) => setShowKey(e.target.checked) });
  const options = h('div', { class: 'view-options' },
    h('label', { class: 'switch', for: 'show-key' }, keySwitch, t('bank.showkey')),
    h('span', { class: 'btn-row' }, h('span', { class: 'muted small' }, t('bank.itemlang') + ':'),
      h('button', { type: 'button', class: 'btn btn-small', 'data-lang-toggle': '', lang: lang() === 'id' ? 'en' : 'id' }, t('lang.toggle'))));

  const parts = [head, options];

  if (d.instructions) {
    parts.push(h('section', { class: 'card', 'aria-labelledby': 'instr-title' },
      h('h3', { id: 'instr-title' }, t('bank.instructions')),
      h('div', { class: 'instructions' }, h('p', { class: 'stem' }, tx(d.instructions)))));
  }

  parts.push(h('section', { class: 'card', id: 'scales', 'aria-labelledby': 'scales-title' },
    h('h3', { id: 'scales-title' }, t('bank.scales')),
    table([[t('bank.scale.code')], [t('bank.scale.name')], [t('bank.scale.aggregate')], [t('bank.scale.description')]],
      d.scales.map((s) => h('tr', { dataset: { scale: s.code } },
        h('td', { class: 'mono' }, s.code), h('td', {}, tx(s.name)),
        h('td', {}, t('bank.aggregate.' + (s.aggregate || 'sum'))), h('td', {}, s.description ? tx(s.description) : ''))))));

  const anyIllustrative = d.norms.some((n) => n.illustrative);
  parts.push(h('section', { class: 'card', id: 'norms', 'aria-labelledby': 'norms-title' },
    h('h3', { id: 'norms-title' }, t('bank.norms')),
    d.norms.length === 0 ? h('p', { class: 'muted' }, t('bank.norms.none')) : [
      anyIllustrative ? h('div', { class: 'notice notice-warn', id: 'illustrative-note' }, h('p', {}, t('bank.norms.note'))) : null,
      table([[t('bank.norm.scale')], [t('bank.norm.group')], [t('bank.norm.n'), 'num'], [t('bank.norm.mean'), 'num'], [t('bank.norm.sd'), 'num'], [t('bank.norm.method')], [t('bank.norm.kind')]],
        d.norms.map((n) => h('tr', { dataset: { scale: n.scale, group: n.group, illustrative: String(n.illustrative) } },
          h('td', { class: 'mono' }, n.scale),
          h('td', {}, tx(n.name), ' ', h('span', { class: 'instrument-code' }, `(${n.group})`)),
          h('td', { class: 'num' }, formatNumber(n.n, 2, '')), h('td', { class: 'num' }, formatNumber(n.mean, 2, '')), h('td', { class: 'num' }, formatNumber(n.sd, 2, '')),
          h('td', {}, n.method),
          h('td', {}, n.illustrative
            ? h('span', { class: 'badge badge-warn norm-illustrative' }, t('bank.norms.illustrative'))
            : h('span', { class: 'badge badge-ok' }, t('bank.norms.empirical'))))))]));

  const items = h('ol', { class: 'items', id: 'items' }, d.items.map((item, i) => renderItem(item, i, ctx)));
  parts.push(h('section', { 'aria-labelledby': 'items-title', class: 'items-section' + (state.showKey ? ' show-key' : ''), id: 'items-section' },
    h('h3', { id: 'items-title' }, `${t('bank.items')} (${d.items.length})`),
    items));

  section.replaceChildren(...parts);
  section.hidden = false;
}

function setShowKey(on) {
  state.showKey = on;
  const s = $('#items-section');
  if (s) s.classList.toggle('show-key', on);
}

async function exportInstrument() {
  const d = state.detail;
  try {
    const res = await api(`/api/v1/instruments/${d.id}/export`, { raw: true });
    const cd = res.headers.get('content-disposition') || '';
    const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
    const file = m ? decodeURIComponent(m[1]) : `${d.code}-v${d.version}.json`;
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: file, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status(ok(t('bank.exported', { file })));
  } catch (err) {
    status(errorNotice(err));
  }
}

function retireInstrument() {
  const d = state.detail;
  const dialog = $('#retire-dialog');
  $('#retire-body').textContent = t('bank.retire.body', { name: tx(d.name), code: d.code, version: d.version });
  dialog.returnValue = '';
  dialog.showModal();
  $('#retire-cancel').focus();
}

$('#retire-dialog').addEventListener('close', async () => {
  const dialog = $('#retire-dialog');
  if (dialog.returnValue !== 'retire' || !state.detail) return;
  const d = state.detail;
  try {
    await api(`/api/v1/instruments/${d.id}/retire`, { method: 'POST' });
    await openInstrument(d.id, { scroll: false });
    await loadList();
    status(ok(t('bank.retire.done', { code: d.code, version: d.version })));
  } catch (err) {
    status(errorNotice(err));
  }
});

// ---------------------------------------------------------------- import

function showImport(view) {
  state.importView = view;
  const panel = $('#import-panel');
  if (!view) {
    panel.hidden = true;
    panel.replaceChildren();
    return;
  }
  panel.replaceChildren(...[view()].flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
  panel.hidden = false;
}

/** A refused instrument's errors, by item and field. */
function importErrors(errors) {
  return errorsTable('import-errors', errors, { at: 'item', labels: ['import.col.item', 'import.col.field', 'import.col.message'], missing: t('import.none') });
}

async function checkFile(file) {
  state.pending = null;
  showImport(() => h('p', { class: 'muted' }, t('import.checking', { file: file.name })));
  const text = await readChosenFile(file, showImport);
  if (text === null) return;
  try {
    const outcome = await api('/api/v1/instruments/import', { method: 'POST', query: { dry_run: 'true' }, body: text });
    state.pending = { file, text, outcome };
    showImport(() => [
      h('div', { class: 'notice notice-ok', id: 'import-valid', role: 'status' },
        h('p', {}, t('import.valid', { code: outcome.code, version: outcome.version, items: outcome.item_count, norms: outcome.norm_table_count }))),
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-primary', id: 'import-confirm', onclick: confirmImport }, t('import.confirm')),
        h('button', { type: 'button', class: 'btn', id: 'import-cancel', onclick: cancelImport }, t('bank.cancel'))),
    ]);
    $('#import-confirm').focus();
  } catch (err) {
    showImport(() => [
      h('h2', {}, t('import.invalid', { file: file.name })),
      errorNotice(err, 'import-error'),
      err.errors && err.errors.length ? [h('p', {}, t('import.errors', { n: err.errors.length })), importErrors(err.errors)] : null,
      h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn', id: 'import-cancel', onclick: cancelImport }, t('bank.close'))),
    ]);
  }
}

function cancelImport() {
  state.pending = null;
  showImport(null);
  $('#import-file').value = '';
}

async function confirmImport() {
  const p = state.pending;
  if (!p) return;
  const btn = $('#import-confirm');
  btn.disabled = true;
  btn.textContent = t('import.importing');
  try {
    const outcome = await api('/api/v1/instruments/import', { method: 'POST', body: p.text });
    state.pending = null;
    $('#import-file').value = '';
    state.highlight = outcome.id;
    showImport(() => [
      h('div', { class: 'notice notice-ok', id: 'import-done', role: 'status' },
        h('p', {}, t('import.done', { code: outcome.code, version: outcome.version, items: outcome.item_count }))),
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-primary', onclick: () => { showImport(null); openInstrument(outcome.id); } }, `${t('bank.open')} ${outcome.code}`),
        h('button', { type: 'button', class: 'btn', id: 'import-cancel', onclick: cancelImport }, t('bank.close'))),
    ]);
    if (state.filter === 'retired') {
      state.filter = 'active';
      $('#status-filter').value = 'active';
    }
    await loadList();
  } catch (err) {
    state.pending = null;
    showImport(() => [
      errorNotice(err, 'import-error'),
      err.errors && err.errors.length ? importErrors(err.errors) : null,
      h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn', id: 'import-cancel', onclick: cancelImport }, t('bank.close'))),
    ]);
  }
}

// ---------------------------------------------------------------- start

if (me) {
  $('#status-filter').addEventListener('change', (e) => {
    state.filter = e.target.value;
    loadList();
  });
  $('#import-file').addEventListener('change', (e) => {
    const file = e.target.files && e.target.files[0];
    if (file) checkFile(file);
  });
  document.addEventListener('langchange', () => {
    renderList();
    if (state.detail) {
      const y = window.scrollY;
      renderDetail();
      window.scrollTo(0, y);
    }
    if (state.importView) showImport(state.importView);
  });
  await loadList();
  const m = /^#instrument=([0-9a-f-]{36})$/i.exec(location.hash);
  if (m) await openInstrument(m[1]);
}
