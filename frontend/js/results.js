// The competency results of a campaign, for HR and admin and for the staff who read results
// (assessors, psychologists): the summary tiles, charts drawn by our own SVG code (JPM
// distribution, average profile against the standard, the 9-box that filters the table, a
// histogram per scale), the participant table paged and sorted by the server, one participant's
// profile in a dialog (with overrides for admin and HR), development needs per campaign and unit,
// the fast track, and the exports. The page is split by responsibility: results-state (shared
// state and the address), -summary, -charts (and charts.js), -table and -profile; this file loads
// the campaign and wires them.
import { api } from './api.js';
import { $, errorNotice, h, startPage } from './shell.js';
import { t } from './i18n.js';
import { formatCount, formatDate } from './locale.js';
import { DEFAULT_NINE_BOX, managesCampaigns, readAddress, state, writeAddress } from './results-state.js';
import { renderDevelopment, renderFastTrack, renderTiles } from './results-summary.js';
import { refreshNineBox, renderCharts } from './results-charts.js';
import { applyFilters, fetchPage, fillForm, fillOptions, initTable, load, render as renderTable } from './results-table.js';
import { closeProfile, initProfile, openProfile, profileOpen, renderProfile } from './results-profile.js';
import { dispositionName, saveFile } from './campaigns-csv.js';

const me = await startPage({ roles: ['admin', 'hr', 'assessor', 'psychologist'] });

let statusView = null;
function status(view) {
  statusView = view;
  $('#results-status').replaceChildren(...[].concat(view ? view() : []).filter(Boolean));
}

/** Filters the table to what a summary button or a box counted, and brings the table into view. */
function show(filters) {
  const focus = document.activeElement;
  applyFilters(filters, { push: true });
  $('#participants').scrollIntoView({ block: 'start' });
  // The button stays where it was; the table's count announces the change (role="status").
  if (focus && focus.isConnected) focus.focus({ preventScroll: true });
}

function pickBox(n) {
  applyFilters({ box: n }, { push: true });
}

/** Redraws what depends on the box filter (the grid's pressed box). */
function afterFilter() {
  refreshNineBox(pickBox);
}

function renderHead() {
  const c = state.campaign;
  const title = $('#campaign-title');
  if (c) {
    title.removeAttribute('data-i18n');
    title.textContent = c.name;
    document.title = `${c.name} · ${t('results.title')} · meritest`;
    const meta = [t('results.head.window', { opens: formatDate(c.opens_at), closes: formatDate(c.closes_at) }),
      t('results.head.participants', { n: formatCount(c.participant_count) })];
    if (state.overview) meta.push(t('results.head.year', { year: state.overview.rules.performance_year }));
    $('#campaign-meta').textContent = meta.join(' · ');
    $('#campaign-meta').hidden = false;
    // A campaign may describe itself (a demo's synthetic data says so there).
    const description = typeof c.description === 'string' ? c.description.trim() : '';
    $('#campaign-description').textContent = description;
    $('#campaign-description').hidden = !description;
  } else if (state.overview) {
    // Without the campaign (readers may not read it) the heading says what the page is, once.
    $('#kicker').hidden = true;
    $('#campaign-meta').textContent = t('results.head.year', { year: state.overview.rules.performance_year });
    $('#campaign-meta').hidden = false;
  }
  if (managesCampaigns() && state.campaignId) {
    $('#back').hidden = false;
    $('#back-link').href = '/campaigns#campaign=' + encodeURIComponent(state.campaignId);
  }
  $('#exports').hidden = !state.overview;
  $('#export-xlsx').hidden = !managesCampaigns();
}

/** The notes under the tiles: what is missing for the results to be complete. */
function summaryNotes() {
  const s = state.overview.summary;
  const notes = [];
  if (s.participants === 0) {
    notes.push(h('div', { class: 'notice notice-info', id: 'note-no-participants' }, h('p', {}, t('results.note.noParticipants'))));
  } else if (s.scored === 0) {
    notes.push(h('div', { class: 'notice notice-info', id: 'note-no-scores' }, h('p', {}, t('results.note.noScores'))));
  } else if (s.without_standard === s.scored) {
    notes.push(h('div', { class: 'notice notice-warn', id: 'note-no-standard' }, h('p', {}, t('results.note.noStandard')),
      managesCampaigns() ? h('p', {}, h('a', { href: '/competencies' }, t('results.note.standardsLink'))) : null));
  } else if (s.without_standard > 0) {
    notes.push(h('div', { class: 'notice notice-warn', id: 'note-some-without-standard' },
      h('p', {}, t('results.note.someWithoutStandard', { n: formatCount(s.without_standard) })),
      managesCampaigns() ? h('p', {}, h('a', { href: '/competencies' }, t('results.note.standardsLink'))) : null));
  }
  $('#summary-notes').replaceChildren(...notes);
}

function renderAll() {
  renderHead();
  if (!state.overview) return;
  renderTiles();
  summaryNotes();
  const scored = state.overview.summary.scored > 0;
  $('#charts').hidden = !scored;
  $('#development').hidden = !scored;
  $('#fast-track').hidden = !scored;
  if (scored) {
    renderCharts(pickBox);
    renderDevelopment(show);
    renderFastTrack(show);
  }
}

/** The campaigns HR may open, or for readers (who cannot list campaigns) how to reach one. */
async function renderPicker() {
  $('#picker').hidden = false;
  if (!managesCampaigns()) {
    $('#picker-body').replaceChildren(h('p', { id: 'picker-reader' }, t('results.picker.reader')));
    return;
  }
  $('#picker-body').replaceChildren(h('p', { class: 'muted rs-loading' }, t('loading')));
  try {
    const list = (await api('/api/v1/campaigns')).campaigns;
    $('#picker-body').replaceChildren(list.length === 0
      ? h('p', { class: 'muted', id: 'picker-empty' }, t('results.picker.none'))
      : h('ul', { class: 'rs-picker', id: 'picker-list' }, list.map((c) => h('li', {},
        h('a', { href: '/results?campaign=' + encodeURIComponent(c.id) }, c.name), ' ',
        h('span', { class: 'small muted' }, t('results.picker.facts', { opens: formatDate(c.opens_at), closes: formatDate(c.closes_at), n: formatCount(c.participant_count) }))))));
  } catch (err) {
    $('#picker-body').replaceChildren(errorNotice(err));
  }
}

/** The rule documents the page draws by (box numbers, category order); the seeded ones if unreadable. */
async function loadRules() {
  const [nine, schemes] = await Promise.all([
    api('/api/v1/competency-rules/nine_box').catch(() => null),
    api('/api/v1/competency-rules/category_schemes').catch(() => null),
  ]);
  state.nineBox = nine?.document?.boxes ? { boxes: nine.document.boxes, talent_pool: nine.document.talent_pool || [] } : DEFAULT_NINE_BOX;
  state.schemes = schemes?.document?.schemes || null;
}

/** Loads the summary again (after an override changed levels, JPM and categories) and redraws. */
async function refreshSummary() {
  try {
    state.overview = await api(`/api/v1/campaigns/${state.campaignId}/competencies/summary`);
    renderAll();
  } catch (err) {
    status(() => errorNotice(err));
  }
}

async function download(path, query, accept, fallback) {
  try {
    const res = await api(path, { query, raw: true, headers: { Accept: accept } });
    const file = dispositionName(res, fallback);
    saveFile(file, await res.blob());
    status(() => h('div', { class: 'notice notice-ok', role: 'status', id: 'export-done' }, h('p', {}, t('bank.exported', { file }))));
  } catch (err) {
    status(() => errorNotice(err, 'export-error'));
  }
}

async function start() {
  const address = readAddress();
  state.campaignId = address.campaign && /^[0-9a-f-]{36}$/i.test(address.campaign) ? address.campaign : null;
  state.query = address.query;
  if (!state.campaignId) {
    if (address.campaign) status(() => h('div', { class: 'notice notice-error', role: 'alert', id: 'bad-campaign' }, h('p', {}, t('results.err.badCampaign'))));
    renderPicker();
    return;
  }
  status(() => h('p', { class: 'muted rs-loading', id: 'results-loading' }, t('results.loading')));
  // The first page of participants is asked for together with the summary: each answer costs the
  // server a computation of the whole campaign, so the two run side by side.
  const firstPage = fetchPage();
  firstPage.catch(() => {}); // its error, if any, is shown by the table
  const [overview, campaign] = await Promise.all([
    api(`/api/v1/campaigns/${state.campaignId}/competencies/summary`).then((v) => ({ v }), (err) => ({ err })),
    // Readers may not read campaigns (403): the page goes on without the name.
    managesCampaigns() ? api(`/api/v1/campaigns/${state.campaignId}`).catch(() => null) : Promise.resolve(null),
    loadRules(),
  ]);
  if (overview.err) {
    const err = overview.err;
    status(() => (err.code === 'not_found'
      ? h('div', { class: 'notice notice-error', role: 'alert', id: 'campaign-missing' }, h('p', {}, t('results.err.missing')),
        managesCampaigns() ? h('p', {}, h('a', { href: '/results' }, t('results.picker.title'))) : null)
      : errorNotice(err)));
    renderHead();
    return;
  }
  state.overview = overview.v;
  state.campaign = campaign;
  status(null);
  $('#results-body').hidden = false;
  fillOptions();
  renderAll();
  initTable({ openProfile: (id, button) => openProfile(id, button), afterFilter });
  initProfile({
    changed: async () => {
      await Promise.all([refreshSummary(), load()]);
    },
  });
  $('#export-xlsx').addEventListener('click', () => download(`/api/v1/campaigns/${state.campaignId}/results`, { format: 'xlsx' },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `hasil-${state.campaignId}.xlsx`));
  $('#export-siasn').addEventListener('click', () => download(`/api/v1/campaigns/${state.campaignId}/competencies/siasn`, null,
    'text/csv', `siasn-${state.campaignId}.csv`));
  $('#print').addEventListener('click', () => window.print());
  await load({ prefetched: firstPage });
  if (address.participant) openProfile(address.participant, null, { push: false });
}

if (me) {
  state.me = me;
  document.addEventListener('langchange', () => {
    renderAll();
    if (state.overview) {
      fillOptions();
      renderTable();
    }
    renderProfile();
    if (statusView) status(statusView);
    if (!state.campaignId && !$('#picker').hidden) renderPicker();
  });
  // Back and forward move through the views the address kept.
  window.addEventListener('popstate', () => {
    if (!state.overview) return;
    const address = readAddress();
    if (address.campaign !== state.campaignId) {
      location.reload();
      return;
    }
    state.query = address.query;
    fillForm();
    afterFilter();
    load();
    if (address.participant && !profileOpen()) openProfile(address.participant, null, { push: false });
    else if (!address.participant && profileOpen()) closeProfile();
  });
  await start();
  writeAddress();
}
