// The psychological reports of a campaign (/reports?campaign=<id>), for admin, HR and
// psychologists: every participant's report (draft in either language, released versions with
// their SHA-256, the ZIP of the latest), the campaign summary for leadership, releasing under a
// psychologist's licence number, and whether participants may download their own. Without a
// campaign, a list to pick one from. Split by responsibility: reports-table, reports-versions,
// reports-release, reports-summary and reports-access, with what they share in reports-state.
import { api } from './api.js';
import { $, errorNotice, h, startPage } from './shell.js';
import { t } from './i18n.js';
import { formatCount, formatDate } from './locale.js';
import { manages, state } from './reports-state.js';
import { reportsTable } from './reports-table.js';
import { versionsDialog } from './reports-versions.js';
import { releasePanel } from './reports-release.js';
import { summaryPanel } from './reports-summary.js';
import { accessPanel } from './reports-access.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const me = await startPage({ roles: ['admin', 'hr', 'psychologist'] });

let statusView = null;
function status(view) {
  statusView = view;
  $('#reports-status').replaceChildren(...(view ? [view()] : []));
}

/** The head: the campaign's name when it is known, and the ways to its results and assessment centre. */
function renderHead() {
  const title = $('#campaign-title');
  if (state.campaign) {
    delete title.dataset.i18n;
    title.textContent = state.campaign.name;
    $('#kicker').hidden = false;
    document.title = `${state.campaign.name} · ${t('reports.title')} · meritest`;
  }
  if (state.campaignId && state.list) {
    const id = encodeURIComponent(state.campaignId);
    $('#head-links').hidden = false;
    $('#results-link').href = '/results?campaign=' + id;
    $('#assessment-link').href = '/assessment?campaign=' + id;
    if (manages()) {
      $('#back').hidden = false;
      $('#back-link').href = '/campaigns#campaign=' + id;
    }
  }
}

/**
 * The campaigns to pick from: HR and admin list them; a psychologist (who may not list campaigns)
 * picks from those the organisation overview reads, with how many have results.
 */
async function renderPicker() {
  $('#picker').hidden = false;
  $('#picker-body').replaceChildren(h('p', { class: 'muted' }, t('loading')));
  const link = (id, name, facts) => h('li', {}, h('a', { href: '/reports?campaign=' + encodeURIComponent(id) }, name), ' ', h('span', { class: 'small muted' }, facts));
  try {
    let items;
    if (manages()) {
      const list = (await api('/api/v1/campaigns')).campaigns;
      items = list.map((c) => link(c.id, c.name, t('reports.picker.facts', { opens: formatDate(c.opens_at), closes: formatDate(c.closes_at), n: formatCount(c.participant_count) })));
    } else {
      const list = (await api('/api/v1/competency-overview')).campaigns;
      items = [...list].sort((a, b) => b.year - a.year || a.name.localeCompare(b.name))
        .map((c) => link(c.campaign, c.name, t('reports.picker.assessed', { year: c.year, n: formatCount(c.assessed) })));
    }
    $('#picker-body').replaceChildren(items.length === 0
      ? h('p', { class: 'muted', id: 'picker-empty' }, t('reports.picker.none'))
      : h('ul', { class: 'rp-picker', id: 'picker-list' }, items));
  } catch (err) {
    $('#picker-body').replaceChildren(errorNotice(err));
  }
}

/** The campaign's name: HR and admin read the campaign; a psychologist finds it in the overview. */
async function campaignName() {
  try {
    if (manages()) return await api(`/api/v1/campaigns/${encodeURIComponent(state.campaignId)}`);
    const c = (await api('/api/v1/competency-overview')).campaigns.find((x) => x.campaign === state.campaignId);
    return c ? { name: c.name } : null;
  } catch {
    return null;
  }
}

async function loadList() {
  const list = await api(`/api/v1/campaigns/${encodeURIComponent(state.campaignId)}/reports`);
  state.list = list;
  const ids = new Set(list.reports.map((r) => r.participant));
  for (const id of [...state.selected]) if (!ids.has(id)) state.selected.delete(id);
}

async function start() {
  const asked = new URLSearchParams(location.search).get('campaign');
  state.campaignId = asked && UUID.test(asked) ? asked : null;
  if (!state.campaignId) {
    if (asked) status(() => h('div', { class: 'notice notice-error', role: 'alert', id: 'bad-campaign' }, h('p', {}, t('reports.err.badCampaign'))));
    await renderPicker();
    return;
  }
  status(() => h('p', { class: 'muted', id: 'reports-loading' }, t('loading')));
  const named = campaignName().then((c) => {
    state.campaign = c;
    renderHead();
  });
  try {
    await loadList();
  } catch (err) {
    status(() => (err.code === 'not_found'
      ? h('div', { class: 'notice notice-error', role: 'alert', id: 'campaign-missing' }, h('p', {}, t('reports.err.missing')),
        h('p', {}, h('a', { href: '/reports' }, t('reports.picker.title'))))
      : errorNotice(err)));
    return;
  }
  status(null);
  $('#reports-body').hidden = false;

  const versions = versionsDialog();
  const summary = summaryPanel();
  const access = accessPanel();
  let table = null;
  const release = releasePanel({
    released: async () => {
      try {
        await loadList();
      } catch (err) {
        status(() => errorNotice(err));
      }
      table.renderRows();
      summary.render();
      release.selectionChanged();
    },
  });
  table = reportsTable({ openVersions: versions.open, selectionChanged: release.selectionChanged });
  const panels = [release.render, table.render, summary.render, access.render];
  renderHead();
  for (const draw of panels) draw();
  document.addEventListener('langchange', () => {
    renderHead();
    for (const draw of panels) draw();
    versions.render();
  });
  await named;
}

if (me) {
  state.me = me;
  document.addEventListener('langchange', () => {
    if (statusView) status(statusView);
    if (!state.campaignId && !$('#picker').hidden) renderPicker();
  });
  await start();
}
