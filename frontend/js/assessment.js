// The assessment centre of a campaign (/assessment?campaign=<id>). HR and admin list the exercises
// and the competencies each evidences, assign assessors by rule (a dry run first), follow every
// assignment (unlocking a submitted sheet with a reason, removing a draft), read how far the
// assessors agree, and integrate a participant's ratings into final levels. Psychologists read the
// exercises and the agreement and integrate. Split by responsibility: assessment-exercises,
// assessment-rule, assessment-assignments, assessment-agreement, assessment-integration, with
// what they share in assessment-state.
import { api } from './api.js';
import { $, errorNotice, h, startPage } from './shell.js';
import { t } from './i18n.js';
import { formatCount, formatDate } from './locale.js';
import { manages, state } from './assessment-state.js';
import { exercisesPanel } from './assessment-exercises.js';
import { rulePanel } from './assessment-rule.js';
import { assignmentsPanel } from './assessment-assignments.js';
import { agreementPanel } from './assessment-agreement.js';
import { integrationPanel } from './assessment-integration.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const me = await startPage({ roles: ['admin', 'hr', 'psychologist'] });

let statusView = null;
function status(view) {
  statusView = view;
  $('#assessment-status').replaceChildren(...(view ? [view()] : []));
}

/** The head: the campaign's name when it can be read, with the ways back to it and its results. */
function renderHead() {
  const title = $('#campaign-title');
  if (state.campaign) {
    delete title.dataset.i18n;
    title.textContent = state.campaign.name;
    $('#kicker').hidden = false;
  }
  if (state.campaignId) {
    $('#head-links').hidden = false;
    $('#results-link').href = '/results?campaign=' + encodeURIComponent(state.campaignId);
    // The campaign's psychological reports sit beside its results.
    if (!$('#reports-link')) $('#head-links').append(h('a', { class: 'btn', id: 'reports-link', dataset: { i18n: 'reports.nav' } }, t('reports.nav')));
    $('#reports-link').href = '/reports?campaign=' + encodeURIComponent(state.campaignId);
    if (manages()) {
      $('#back').hidden = false;
      $('#back-link').href = '/campaigns#campaign=' + encodeURIComponent(state.campaignId);
    }
  }
}

/** Without a campaign: HR picks one; a psychologist (who cannot list campaigns) is told where to go. */
async function renderPicker() {
  $('#picker').hidden = false;
  if (!manages()) {
    $('#picker-body').replaceChildren(h('p', { id: 'picker-reader' }, t('assessment.picker.reader')));
    return;
  }
  $('#picker-body').replaceChildren(h('p', { class: 'muted' }, t('loading')));
  try {
    const list = (await api('/api/v1/campaigns')).campaigns;
    $('#picker-body').replaceChildren(list.length === 0
      ? h('p', { class: 'muted', id: 'picker-empty' }, t('assessment.picker.none'))
      : h('ul', { class: 'ac-picker', id: 'picker-list' }, list.map((c) => h('li', {},
        h('a', { href: '/assessment?campaign=' + encodeURIComponent(c.id) }, c.name), ' ',
        h('span', { class: 'small muted' }, t('assessment.picker.facts', { opens: formatDate(c.opens_at), closes: formatDate(c.closes_at), n: formatCount(c.participant_count) }))))));
  } catch (err) {
    $('#picker-body').replaceChildren(errorNotice(err));
  }
}

async function start() {
  const asked = new URLSearchParams(location.search).get('campaign');
  state.campaignId = asked && UUID.test(asked) ? asked : null;
  if (!state.campaignId) {
    if (asked) status(() => h('div', { class: 'notice notice-error', role: 'alert', id: 'bad-campaign' }, h('p', {}, t('assessment.err.badCampaign'))));
    await renderPicker();
    return;
  }
  status(() => h('p', { class: 'muted', id: 'assessment-loading' }, t('loading')));
  const [framework, exercises, campaign] = await Promise.all([
    api('/api/v1/competencies').then((d) => d.competencies || []).catch(() => []),
    api(`/api/v1/campaigns/${encodeURIComponent(state.campaignId)}/exercises`).then((v) => ({ v }), (err) => ({ err })),
    manages() ? api(`/api/v1/campaigns/${encodeURIComponent(state.campaignId)}`).catch(() => null) : Promise.resolve(null),
  ]);
  if (exercises.err) {
    const err = exercises.err;
    status(() => (err.code === 'not_found'
      ? h('div', { class: 'notice notice-error', role: 'alert', id: 'campaign-missing' }, h('p', {}, t('assessment.err.missing')),
        manages() ? h('p', {}, h('a', { href: '/assessment' }, t('assessment.picker.title'))) : null)
      : errorNotice(err)));
    return;
  }
  state.framework = framework;
  state.exercises = exercises.v.exercises;
  state.campaign = campaign;
  status(null);
  renderHead();
  $('#assessment-body').hidden = false;

  const integration = integrationPanel();
  const agreement = agreementPanel({ integrate: (id, button) => integration.open(id, button) });
  const panels = [integration.renderList, agreement.render];
  let assignments = null;
  let rule = null;
  const exercisesView = exercisesPanel({
    saved: () => {
      rule?.render();
      assignments?.render();
      agreement.load();
    },
  });
  panels.push(exercisesView.render);
  if (manages()) {
    assignments = assignmentsPanel({
      changed: () => {
        integration.renderList();
        agreement.load();
      },
    });
    rule = rulePanel({
      assigned: async () => {
        await assignments.load();
        integration.renderList();
        agreement.load();
      },
    });
    panels.push(rule.render, assignments.render);
  } else {
    $('#rule').remove();
    $('#assignments').remove();
  }
  for (const draw of panels) draw();
  document.addEventListener('langchange', () => {
    renderHead();
    for (const draw of panels) draw();
    integration.render();
  });
  await Promise.all([
    assignments ? assignments.load().then(() => integration.renderList()) : null,
    agreement.load(),
  ]);
}

if (me) {
  state.me = me;
  document.addEventListener('langchange', () => {
    if (statusView) status(statusView);
    if (!state.campaignId && !$('#picker').hidden) renderPicker();
  });
  await start();
}
