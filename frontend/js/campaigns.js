// Campaigns for admin and HR: list, create and edit campaigns (window, battery, norm rule, sessions),
// enrol participants from a CSV file (dry run first), issue and reissue access codes (shown once:
// CSV download or printable cards), and follow progress and scores (CSV export).
// The page is split by responsibility: campaigns-list, -create, -edit, -detail, -enrol, -codes, -results
// (and -csv for files), sharing campaigns-shared; this file loads the references and wires it.
import { api } from './api.js';
import { $, errorNotice, startPage } from './shell.js';
import { t } from './i18n.js';
import { state, status } from './campaigns-shared.js';
import { loadList, renderList } from './campaigns-list.js';
import { addRuleRow, addSessionRow, batteryOptions, renumber, showCreate, submitCreate } from './campaigns-create.js';
import { openCampaign, renderDetail } from './campaigns-detail.js';
import { reissue } from './campaigns-codes.js';
import { submitEdit } from './campaigns-edit.js';

const me = await startPage({ roles: ['admin', 'hr'] });

async function loadReferences() {
  try {
    const b = await api('/api/v1/batteries');
    state.batteries = b.batteries;
  } catch (err) {
    status(errorNotice(err));
  }
  try {
    state.proctors = (await api('/api/v1/proctors')).proctors;
  } catch {
    state.proctors = null; // unavailable: a free id field instead
  }
}

if (me) {
  // While the form edits a campaign, "new campaign" switches it to creating one.
  $('#new-campaign').addEventListener('click', () => showCreate(state.editing !== null || $('#create-panel').hidden));
  $('#create-cancel').addEventListener('click', () => showCreate(false));
  $('#create-form').addEventListener('submit', (e) => (state.editing ? submitEdit(e) : submitCreate(e)));
  $('#add-rule').addEventListener('click', () => addRuleRow().querySelector('select').focus());
  $('#add-session').addEventListener('click', () => addSessionRow().querySelector('input').focus());
  $('#code-dialog').addEventListener('close', () => {
    // shown once: nothing of the code stays in the page
    $('#code-value').textContent = '';
    $('#code-who').textContent = '';
  });
  $('#reissue-dialog').addEventListener('close', () => {
    if ($('#reissue-dialog').returnValue === 'reissue') reissue();
  });
  window.addEventListener('beforeunload', (e) => {
    if (state.issued && !state.issued.saved) {
      e.preventDefault();
      e.returnValue = '';
    }
  });
  document.addEventListener('langchange', () => {
    renderList();
    batteryOptions();
    renumber($('#rule-rows'), 'campaigns.f.rule');
    renumber($('#session-rows'), 'campaigns.f.session');
    for (const p of document.querySelectorAll('#session-rows [data-in-use]')) p.textContent = t('campaigns.f.sessionInUse', { n: p.dataset.inUse });
    if (state.detail) {
      const y = window.scrollY;
      renderDetail();
      window.scrollTo(0, y);
    }
  });
  await loadReferences();
  batteryOptions();
  await loadList();
  const m = /^#campaign=([0-9a-f-]{36})$/i.exec(location.hash);
  if (m) await openCampaign(m[1]);
}
