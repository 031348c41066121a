// One open campaign: its head (window, battery, options, norm rule; an edit button) and sessions, and the panels
// of enrolment, participants and codes, and results, loaded together and refreshed together.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatDate } from './locale.js';
import { batteryName, phaseBadge, state, status, table, windowText } from './campaigns-shared.js';
import { renderList } from './campaigns-list.js';
import { renderEnrol } from './campaigns-enrol.js';
import { guardCodes, renderParticipants } from './campaigns-codes.js';
import { renderResults } from './campaigns-results.js';
import { showEdit } from './campaigns-edit.js';

export async function openCampaign(id, { scroll = true } = {}) {
  status(null);
  try {
    const [detail, people, results] = await Promise.all([
      api('/api/v1/campaigns/' + encodeURIComponent(id)),
      api(`/api/v1/campaigns/${encodeURIComponent(id)}/participants`),
      api(`/api/v1/campaigns/${encodeURIComponent(id)}/results`),
    ]);
    if (!state.detail || state.detail.id !== detail.id) {
      if (state.editing) {
        // The form was changing another campaign: it closes rather than change this one.
        $('#create-panel').hidden = true;
        state.editing = null;
      }
      state.pending = null;
      state.enrolView = null;
      state.expanded.clear();
      state.issued = null;
    }
    state.detail = detail;
    state.participants = people.participants;
    state.results = results;
    history.replaceState(null, '', '#campaign=' + detail.id);
    renderDetail();
    renderList();
    if (scroll) $('#detail').scrollIntoView({ block: 'start' });
  } catch (err) {
    status(errorNotice(err));
  }
}

export function closeCampaign() {
  if (state.editing) {
    // The form was changing this campaign: it goes with it.
    $('#create-panel').hidden = true;
    state.editing = null;
  }
  state.detail = null;
  state.issued = null;
  state.pending = null;
  state.enrolView = null;
  $('#detail').hidden = true;
  $('#detail').replaceChildren();
  history.replaceState(null, '', location.pathname);
  renderList();
}

export async function refreshPeople() {
  const id = state.detail.id;
  const [detail, people, results] = await Promise.all([
    api('/api/v1/campaigns/' + id),
    api(`/api/v1/campaigns/${id}/participants`),
    api(`/api/v1/campaigns/${id}/results`),
  ]);
  state.detail = detail;
  state.participants = people.participants;
  state.results = results;
  renderHead();
  renderParticipants();
  renderResults();
  const i = state.campaigns.findIndex((c) => c.id === detail.id);
  if (i >= 0) state.campaigns[i] = detail;
  renderList();
}

export function sessionName(id) {
  const s = state.detail && state.detail.sessions.find((x) => x.id === id);
  return s ? s.name : '';
}

function proctorName(id) {
  if (!id) return '–';
  const p = state.proctors && state.proctors.find((x) => x.id === id);
  return p ? p.name : h('span', { class: 'mono small' }, id);
}

export function renderDetail() {
  const section = $('#detail');
  section.replaceChildren(
    h('div', { class: 'card', id: 'campaign-head' }),
    h('section', { class: 'card', id: 'sessions', 'aria-labelledby': 'sessions-title' }),
    h('section', { class: 'card', id: 'enrol', 'aria-labelledby': 'enrol-title' }),
    h('section', { class: 'card', id: 'participants', 'aria-labelledby': 'participants-title' }),
    h('section', { class: 'card', id: 'results', 'aria-labelledby': 'results-title' }));
  section.hidden = false;
  renderHead();
  renderSessions();
  renderEnrol();
  renderParticipants();
  renderResults();
}

/** The label of each zone the candidate's page may show times in. */
const ZONE_KEYS = { WIB: 'campaigns.f.zoneWib', WITA: 'campaigns.f.zoneWita', WIT: 'campaigns.f.zoneWit' };

function renderHead() {
  const d = state.detail;
  const rule = d.norm_rule;
  const ruleText = [
    ...rule.rules.map((r) => t('campaigns.rule.text', { attribute: t('campaigns.attr.' + r.attribute), values: r.values.join(', '), group: r.group })),
    t('campaigns.rule.default', { group: rule.default_group }),
  ];
  $('#campaign-head').replaceChildren(
    h('div', { class: 'detail-head' },
      h('div', {},
        h('h2', { id: 'detail-title' }, d.name),
        h('div', { class: 'meta' }, phaseBadge(d),
          h('span', { class: 'badge', id: 'participant-count' }, t('campaigns.participants.count', { n: d.participant_count })))),
      h('div', { class: 'btn-row' },
        h('a', { class: 'btn btn-primary', id: 'competency-results', href: '/results?campaign=' + encodeURIComponent(d.id) }, t('nav.results')),
        h('a', { class: 'btn', id: 'assessment-centre', href: '/assessment?campaign=' + encodeURIComponent(d.id) }, t('assessment.nav')),
        h('a', { class: 'btn', id: 'campaign-reports', href: '/reports?campaign=' + encodeURIComponent(d.id) }, t('reports.nav')),
        h('button', {
          type: 'button', class: 'btn', id: 'edit-campaign', 'aria-controls': 'create-panel',
          'aria-expanded': state.editing === d.id && !$('#create-panel').hidden ? 'true' : 'false',
          'aria-label': t('campaigns.edit.openLabel', { name: d.name }), onclick: showEdit,
        }, t('campaigns.edit.open')),
        h('button', { type: 'button', class: 'btn', id: 'close-btn', onclick: () => guardCodes(closeCampaign) }, t('bank.close')))),
    h('dl', { class: 'facts' },
      h('dt', {}, t('campaigns.col.window')), h('dd', { id: 'campaign-window' }, windowText(d)),
      h('dt', {}, t('campaigns.col.battery')), h('dd', {}, batteryName(d.battery)),
      h('dt', {}, t('campaigns.f.showScoreShort')), h('dd', {}, t(d.show_score_to_candidate ? 'campaigns.yes' : 'campaigns.bool.no')),
      h('dt', {}, t('campaigns.f.resumeUnlockShort')), h('dd', {}, t(d.resume_requires_unlock ? 'campaigns.yes' : 'campaigns.bool.no')),
      h('dt', {}, t('campaigns.f.lobbyShort')), h('dd', { id: 'campaign-lobby' }, t(d.lobby ? 'campaigns.yes' : 'campaigns.bool.no')),
      h('dt', {}, t('campaigns.f.autoPauseShort')), h('dd', { id: 'campaign-auto-pause' },
        typeof d.auto_pause_after === 'number' ? t('campaigns.f.autoPauseValue', { n: d.auto_pause_after }) : t('campaigns.f.autoPauseNone')),
      h('dt', {}, t('campaigns.f.timeZoneShort')), h('dd', { id: 'campaign-time-zone' }, t(ZONE_KEYS[d.time_zone] || ZONE_KEYS.WIB)),
      h('dt', {}, t('campaigns.f.dataContactShort')), h('dd', { id: 'campaign-data-contact' }, d.data_contact || t('campaigns.f.notStated')),
      h('dt', {}, t('campaigns.f.retentionShort')), h('dd', { id: 'campaign-retention' },
        typeof d.retention_months === 'number' ? t('campaigns.f.retentionValue', { n: d.retention_months }) : t('campaigns.f.notStated')),
      h('dt', {}, t('campaigns.f.norm')), h('dd', {}, ruleText.length > 1 ? h('ol', { class: 'cmp-rules' }, ruleText.map((r) => h('li', {}, r))) : ruleText[0])));
}

function renderSessions() {
  const d = state.detail;
  $('#sessions').replaceChildren(
    h('h3', { id: 'sessions-title' }, t('campaigns.f.sessions')),
    d.sessions.length === 0
      ? h('p', { class: 'muted' }, t('campaigns.sessions.none'))
      : table([[t('campaigns.f.sessionName')], [t('campaigns.f.room')], [t('campaigns.f.starts')], [t('campaigns.f.capacity'), 'num'], [t('campaigns.f.proctor')], [t('campaigns.sessions.live')]],
        d.sessions.map((s) => h('tr', { dataset: { session: s.name } },
          h('td', {}, s.name), h('td', {}, s.room || '–'), h('td', {}, formatDate(s.starts_at)),
          h('td', { class: 'num' }, String(s.capacity)), h('td', {}, proctorName(s.proctor)),
          h('td', {}, h('a', { class: 'btn btn-small watch-session', href: '/proctor?session=' + encodeURIComponent(s.id), 'aria-label': t('campaigns.sessions.watchLabel', { name: s.name }) },
            t('campaigns.sessions.watch'))))), { id: 'session-table' }));
}
