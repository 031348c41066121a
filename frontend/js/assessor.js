// The assessor's workspace (/assessor): their own assignments grouped by campaign, and the sheet of
// one (/assessor?assignment=<id>), made for a tablet: large touch targets, one column on a narrow
// screen. Split by responsibility: assessor-list (the assignments), assessor-sheet (levels,
// evidence, submission, the other assessors' ratings) and assessor-autosave (drafts saved while the
// assessor writes).
import { api } from './api.js';
import { $, h, startPage } from './shell.js';
import { t } from './i18n.js';
import { listPanel } from './assessor-list.js';
import { sheetPanel } from './assessor-sheet.js';
import { state } from './assessment-state.js';
import { integrationPanel } from './assessment-integration.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const me = await startPage({ roles: ['assessor'] });

if (me) {
  let status = null; // () => node in #assessor-status

  const showStatus = (view) => {
    status = view;
    $('#assessor-status').replaceChildren(...(view ? [view()] : []));
  };

  /** The assignment the address names: an id, null for the list, or false when it is no id. */
  const addressed = () => {
    const id = new URLSearchParams(location.search).get('assignment');
    if (id === null) return null;
    return UUID.test(id) ? id : false;
  };

  const list = listPanel({ open: (id) => go(id, true) });
  // A lead assessor, once their own sheets are in, records the participant's final levels in the
  // same dialog the panel uses on the assessment-centre page (the server checks the rest).
  let panel = null;
  async function integrate(assignment, button) {
    if (!panel) {
      state.me = me;
      panel = integrationPanel();
    }
    if (state.campaignId !== assignment.campaign) {
      state.campaignId = assignment.campaign;
      const [framework, exercises] = await Promise.all([
        api('/api/v1/competencies').then((d) => d.competencies || []).catch(() => []),
        api(`/api/v1/campaigns/${encodeURIComponent(assignment.campaign)}/exercises`).then((d) => d.exercises).catch(() => []),
      ]);
      state.framework = framework;
      state.exercises = exercises;
    }
    await panel.open(assignment.participant.id, button);
  }

  const sheet = sheetPanel({ back: () => go(null, true), changed: () => list.load(), integrate });

  async function go(id, push) {
    if (push) history.pushState(null, '', id ? '/assessor?assignment=' + encodeURIComponent(id) : '/assessor');
    showStatus(null);
    if (id) {
      $('#list').hidden = true;
      await sheet.open(id);
      return;
    }
    await sheet.close();
    $('#list').hidden = false;
    await list.load();
    if (push) {
      const title = $('#list-title');
      title.tabIndex = -1;
      title.focus();
    }
  }

  window.addEventListener('popstate', () => go(addressed() || null, false));
  document.addEventListener('langchange', () => {
    list.render();
    sheet.render();
    panel?.render();
    if (status) showStatus(status);
  });

  const first = addressed();
  if (first === false) {
    await go(null, false);
    showStatus(() => h('div', { class: 'notice notice-error', role: 'alert', id: 'bad-assignment' }, h('p', {}, t('assessor.err.badAddress'))));
  } else {
    await go(first, false);
  }
}
