// The psychometrics page (/psychometrics?instrument=<id>), for admin, HR and psychologists: every
// instrument with the item-parameter version in use and the drafts waiting; for one instrument,
// its parameter versions, the parameters of one version, a version compared item by item with
// the one in use (Δa, Δb), uploading a draft, and publishing or discarding a draft.
import { api } from './api.js';
import { $, errorNotice, errorsTable, h, readChosenFile, startPage } from './shell.js';
import { t, tx } from './i18n.js';
import { formatDate, formatFixed, formatNumber } from './locale.js';
import { analysisPanel } from './psychometrics-analysis.js';
import { fillCampaignSelect } from './campaign-choices.js';
import { normsPanel } from './psychometrics-norms.js';
import { chartId, lineChart } from './charts.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const me = await startPage({ roles: ['admin', 'hr', 'psychologist'] });

const state = {
  overview: null,
  instrument: null, // id
  list: null, // {current, versions}
  shown: null, // {kind: 'version'|'compare', data}
};

const base = () => `/api/v1/instruments/${encodeURIComponent(state.instrument)}/item-parameters`;

function status(node) {
  $('#psy-status').replaceChildren(...(node ? [node] : []));
}

function ok(text, id) {
  return h('div', { class: 'notice notice-ok', role: 'status', id }, h('p', {}, text));
}

function table(id, caption, headers, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { id },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, headers.map(([text, cls]) => h('th', { scope: 'col', class: cls }, text)))),
    h('tbody', {}, rows)));
}

const num = (v, digits = 3) => (v === null || v === undefined ? '–' : formatNumber(v, digits));

function renderOverview() {
  const body = $('#instruments-body');
  if (!state.overview) {
    body.replaceChildren(h('p', { class: 'muted' }, t('loading')));
    return;
  }
  const rows = state.overview.instruments.map((i) => h('tr', { dataset: { id: i.id, code: i.code }, class: i.id === state.instrument ? 'selected' : null },
    h('th', { scope: 'row' }, i.code),
    h('td', {}, tx(i.name)),
    h('td', { class: 'num' }, String(i.version)),
    h('td', {}, i.current ? t('psy.versions.number', { v: i.current }) : h('span', { class: 'muted' }, t('psy.instruments.none'))),
    h('td', { class: 'num' }, String(i.drafts)),
    h('td', {}, h('a', {
      href: '/psychometrics?instrument=' + encodeURIComponent(i.id),
      'aria-label': t('psy.instruments.openLabel', { code: i.code }),
      'aria-current': i.id === state.instrument ? 'page' : null,
    }, t('psy.instruments.open')))));
  body.replaceChildren(rows.length === 0
    ? h('p', { class: 'muted' }, t('psy.instruments.empty'))
    : table('psy-instruments', t('psy.instruments.title'), [
      [t('psy.col.code')], [t('psy.col.name')], [t('psy.col.version'), 'num'], [t('psy.col.current')],
      [t('psy.col.drafts'), 'num'], [t('psy.col.open')]], rows));
}

function statusBadge(s) {
  return h('span', { class: 'badge ' + (s === 'published' ? 'badge-ok' : 'badge-warn') }, t('psy.status.' + s));
}

function renderVersions() {
  const body = $('#versions-body');
  if (!state.list) {
    body.replaceChildren(h('p', { class: 'muted' }, t('loading')));
    return;
  }
  const { current, versions } = state.list;
  const action = (v, key, cls, onclick) => h('button', {
    type: 'button', class: 'btn btn-small ' + cls, dataset: { version: v.version },
    'aria-label': t(`psy.versions.${key}Label`, { v: v.version }), onclick,
  }, t('psy.versions.' + key));
  const rows = versions.map((v) => h('tr', { dataset: { version: v.version, status: v.status } },
    h('th', { scope: 'row' }, t('psy.versions.number', { v: v.version }), v.version === current ? [' ', h('span', { class: 'badge badge-info' }, t('psy.versions.inUse'))] : null),
    h('td', {}, statusBadge(v.status), v.simulated ? [' ', h('span', { class: 'badge' }, t('psy.versions.simulated'))] : null),
    h('td', {}, v.method),
    h('td', { class: 'num' }, String(v.item_count)),
    h('td', { class: 'num' }, formatNumber(v.D, 3)),
    h('td', {}, formatDate(v.created_at)),
    h('td', {}, v.published_at ? formatDate(v.published_at) : '–'),
    h('td', {}, h('div', { class: 'btn-row' },
      action(v, 'view', 'psy-view', () => showVersion(v.version)),
      action(v, 'compare', 'psy-compare', () => showCompare(v.version)),
      v.status === 'draft' ? action(v, 'publish', 'btn-primary psy-publish', () => publish(v.version)) : null,
      v.status === 'draft' ? action(v, 'discard', 'btn-danger psy-discard', () => discard(v.version)) : null))));
  body.replaceChildren(versions.length === 0
    ? h('p', { class: 'muted', id: 'versions-none' }, t('psy.versions.none'))
    : table('psy-versions', t('psy.versions.caption'), [
      [t('psy.col.version')], [t('psy.col.status')], [t('psy.col.method')], [t('psy.col.items'), 'num'],
      ['D', 'num'], [t('psy.col.created')], [t('psy.col.published')], [t('psy.col.actions')]], rows));
}

function paramCells(p) {
  if (!p) return [h('td', { class: 'muted' }, '–'), h('td', {}), h('td', {}), h('td', {})];
  return [
    h('td', {}, p.model),
    h('td', { class: 'num' }, num(p.a)),
    h('td', { class: 'num' }, p.model === 'GRM' ? (p.thresholds || []).map((x) => formatNumber(x, 2)).join(' · ') : num(p.b)),
    h('td', { class: 'num' }, p.model === '3PL' ? num(p.c ?? 0) : '–'),
  ];
}

function renderShown(focus = false) {
  const body = $('#version-body');
  const shown = state.shown;
  if (!shown) {
    body.replaceChildren();
    return;
  }
  if (shown.kind === 'version') {
    const v = shown.data;
    const curves = shown.curves;
    body.replaceChildren(
      h('h3', { id: 'shown-title', tabindex: '-1' }, t('psy.version.title', { v: v.version })),
      v.simulated ? h('p', { class: 'notice notice-warn', id: 'simulated-note' }, t('psy.version.simulated')) : null,
      table('psy-params', t('psy.version.title', { v: v.version }), [
        [t('psy.col.item')], [t('psy.col.model')], ['a', 'num'], [t('psy.col.location'), 'num'], ['c', 'num']],
      v.items.map((p) => h('tr', { dataset: { item: p.item } }, h('th', { scope: 'row' }, p.item), ...paramCells(p)))),
      curves ? curveCharts(curves, v.version) : null);
  } else {
    const c = shown.data;
    const big = (d) => d !== null && d !== undefined && Math.abs(d) >= 0.5;
    body.replaceChildren(
      h('h3', { id: 'shown-title', tabindex: '-1' }, c.against
        ? t('psy.compare.title', { v: c.version, w: c.against })
        : t('psy.compare.alone', { v: c.version })),
      c.max_abs_delta_b !== null && c.max_abs_delta_b !== undefined
        ? h('p', { id: 'compare-max' }, t('psy.compare.max', { d: formatNumber(c.max_abs_delta_b, 3) }))
        : null,
      table('psy-compare-table', t('psy.compare.caption'), [
        [t('psy.col.item')],
        [t('psy.compare.before', { v: c.against ?? '–' })], ['a', 'num'], [t('psy.col.location'), 'num'], ['c', 'num'],
        [t('psy.compare.after', { v: c.version })], ['a', 'num'], [t('psy.col.location'), 'num'], ['c', 'num'],
        ['Δa', 'num'], ['Δb', 'num']],
      c.items.map((x) => h('tr', { dataset: { item: x.item } },
        h('th', { scope: 'row' }, x.item),
        ...paramCells(x.before), ...paramCells(x.after),
        h('td', { class: 'num' }, num(x.delta_a)),
        h('td', { class: 'num' + (big(x.delta_b) ? ' psy-big' : '') }, num(x.delta_b), big(x.delta_b) ? h('span', { class: 'sr-only' }, ' ' + t('psy.compare.bigChange')) : null)))),
      h('p', { class: 'small muted' }, t('psy.compare.hint')));
  }
  if (focus) $('#shown-title').focus();
}

function curveCharts(c, version) {
  const axis = { min: c.theta[0], max: c.theta[c.theta.length - 1], step: 1, label: 'θ' };
  const fmt = (v) => formatNumber(v, 1);
  const maxInfo = Math.max(1, ...c.test_information);
  const maxSe = Math.min(3, Math.max(0.5, ...c.standard_error.filter((x) => x !== null)));
  const infoStep = maxInfo > 10 ? 5 : maxInfo > 4 ? 2 : 1;
  const peak = c.test_information.indexOf(Math.max(...c.test_information));
  return h('div', { class: 'psy-curves' },
    h('div', { class: 'chart-wrap' }, lineChart({
      id: chartId('psy-icc'), title: t('psy.curves.icc', { v: version }),
      desc: t('psy.curves.iccDesc', { n: c.items.length }),
      xs: c.theta, series: c.items.map((it) => ({ label: it.item, values: it.characteristic })),
      x: axis, y: { min: 0, max: 1, step: 0.2, label: t('psy.curves.p') }, format: fmt,
    })),
    h('div', { class: 'chart-wrap' }, lineChart({
      id: chartId('psy-tif'), title: t('psy.curves.tif', { v: version }),
      desc: t('psy.curves.tifDesc', { theta: formatNumber(c.theta[peak], 1), info: formatNumber(c.test_information[peak], 2), se: formatFixed(c.standard_error[peak] ?? 0, 2) }),
      xs: c.theta, series: [{ label: t('psy.curves.information'), values: c.test_information, className: 'is-total' }],
      x: axis, y: { min: 0, max: Math.ceil(maxInfo / infoStep) * infoStep, step: infoStep, label: t('psy.curves.information') }, format: fmt,
    })),
    h('div', { class: 'chart-wrap' }, lineChart({
      id: chartId('psy-se'), title: t('psy.curves.seTitle', { v: version }),
      desc: t('psy.curves.seDesc', { se: formatFixed(c.standard_error[peak] ?? 0, 2) }),
      xs: c.theta, series: [{ label: t('psy.curves.se'), values: c.standard_error.map((x) => (x === null ? maxSe : x)), className: 'chart-line-1' }],
      x: axis, y: { min: 0, max: Math.ceil(maxSe * 2) / 2, step: 0.5, label: t('psy.curves.se') }, format: fmt,
    })));
}

async function showVersion(version, focus = true) {
  try {
    const [data, curves] = await Promise.all([api(`${base()}/${version}`), api(`${base()}/${version}/curves`)]);
    state.shown = { kind: 'version', data, curves };
    renderShown(focus);
  } catch (err) {
    status(errorNotice(err));
  }
}

async function showCompare(version) {
  try {
    state.shown = { kind: 'compare', data: await api(`${base()}/${version}/compare`) };
    renderShown(true);
  } catch (err) {
    status(errorNotice(err));
  }
}

async function reload() {
  const [overview, list] = await Promise.all([api('/api/v1/item-parameters'), api(base())]);
  state.overview = overview;
  state.list = list;
  renderOverview();
  renderVersions();
}

async function publish(version) {
  try {
    await api(`${base()}/${version}/publish`, { method: 'POST' });
    await reload();
    status(ok(t('psy.versions.published', { v: version }), 'publish-ok'));
    await showVersion(version);
  } catch (err) {
    status(errorNotice(err));
  }
}

async function discard(version) {
  if (!window.confirm(t('psy.versions.discardConfirm', { v: version }))) return;
  try {
    await api(`${base()}/${version}`, { method: 'DELETE' });
    state.shown = null;
    await reload();
    renderShown();
    status(ok(t('psy.versions.discarded', { v: version }), 'discard-ok'));
    $('#params-title').focus();
  } catch (err) {
    status(errorNotice(err));
  }
}

async function uploadDraft(file) {
  const out = $('#draft-outcome');
  const text = await readChosenFile(file, (view) => out.replaceChildren(view()));
  if (text === null) return;
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    out.replaceChildren(errorNotice({ code: 'invalid_json', message: '' }, 'draft-error'));
    return;
  }
  try {
    const made = await api(base(), { method: 'POST', body });
    out.replaceChildren(ok(t('psy.params.made', { v: made.version, n: made.item_count }), 'draft-ok'));
    await reload();
    await showCompare(made.version);
  } catch (err) {
    out.replaceChildren(errorNotice(err, 'draft-error'),
      ...(err.errors && err.errors.length
        ? [errorsTable('draft-errors', err.errors, { at: 'item', labels: ['psy.col.item', 'psy.col.field', 'psy.col.problem'], missing: '–' })]
        : []));
  }
}

function fillCalibrateScopes() {
  return fillCampaignSelect($('#calibrate-scope'), me.role, t('psy.analysis.all'));
}

async function calibrate() {
  const out = $('#draft-outcome');
  out.replaceChildren(h('p', { class: 'muted' }, t('psy.calibrate.running')));
  const scope = $('#calibrate-scope').value;
  const body = {
    model: $('#calibrate-model').value,
    scale: $('#calibrate-scale').value.trim() || undefined,
    campaigns: scope ? [scope] : [],
    min_respondents: Number($('#calibrate-min').value) || undefined,
  };
  try {
    const made = await api(`${base()}/calibrate`, { method: 'POST', body });
    const r = made.draft.calibration.result;
    out.replaceChildren(h('div', { class: 'notice notice-ok', role: 'status', id: 'calibrate-ok' },
      h('p', {}, t('psy.calibrate.done', { v: made.draft.version, scale: made.scale, n: r.respondents, cycles: r.convergence.iterations })),
      r.convergence.converged ? null : h('p', { class: 'small' }, t('psy.calibrate.notConverged'))));
    await reload();
    await showCompare(made.draft.version);
  } catch (err) {
    out.replaceChildren(errorNotice(err, 'calibrate-error'));
  }
}

/** Derives Sympson–Hetter K by simulating the adaptive section on the version in use; a draft. */
async function deriveExposure() {
  const out = $('#draft-outcome');
  out.replaceChildren(h('p', { class: 'muted' }, t('psy.exposure.running')));
  const se = $('#exposure-se').value.trim();
  const body = {
    rate: Number($('#exposure-rate').value) || 0.25,
    simulees: Number($('#exposure-simulees').value) || 1000,
    adaptive: { max_items: Number($('#exposure-max').value) || 20, se_target: se ? Number(se) : null },
  };
  try {
    const made = await api(`${base()}/exposure`, { method: 'POST', body });
    const rounds = made.max_exposure_by_round;
    out.replaceChildren(h('div', { class: 'notice notice-ok', role: 'status', id: 'exposure-ok' },
      h('p', {}, t('psy.exposure.done', {
        v: made.draft.version, from: made.from_version, n: made.items_limited,
        max: formatNumber(rounds[rounds.length - 1], 3), rate: formatNumber(body.rate, 2),
      }))));
    await reload();
    await showCompare(made.draft.version);
  } catch (err) {
    out.replaceChildren(errorNotice(err, 'exposure-error'));
  }
}

async function init() {
  if (!me) return;
  const q = new URLSearchParams(location.search).get('instrument');
  if (q && UUID.test(q)) state.instrument = q;
  renderOverview();
  try {
    state.overview = await api('/api/v1/item-parameters');
    renderOverview();
  } catch (err) {
    status(errorNotice(err));
    return;
  }
  if (!state.instrument) return;
  const inst = state.overview.instruments.find((i) => i.id === state.instrument);
  if (!inst) {
    status(h('div', { class: 'notice notice-warn', role: 'alert', id: 'instrument-unknown' }, h('p', {}, t('psy.instruments.unknown'))));
    return;
  }
  $('#params').hidden = false;
  const analysis = analysisPanel({ instrument: state.instrument, role: me.role });
  const norms = normsPanel({ instrument: state.instrument, role: me.role });
  const title = $('#params-title');
  const setTitle = () => {
    delete title.dataset.i18n;
    title.textContent = t('psy.params.of', { code: inst.code, name: tx(inst.name) });
  };
  setTitle();
  renderVersions();
  try {
    state.list = await api(base());
    renderVersions();
    if (state.list.current) await showVersion(state.list.current, false);
  } catch (err) {
    status(errorNotice(err));
  }
  fillCalibrateScopes();
  $('#calibrate-form').addEventListener('submit', (e) => {
    e.preventDefault();
    calibrate();
  });
  $('#exposure-form').addEventListener('submit', (e) => {
    e.preventDefault();
    deriveExposure();
  });
  $('#draft-file').addEventListener('change', (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (file) uploadDraft(file);
  });
  document.addEventListener('langchange', () => {
    setTitle();
    renderOverview();
    renderVersions();
    if (state.shown) renderShown();
    analysis.render();
    analysis.refresh();
    norms.render();
    norms.refresh();
  });
}

init();
