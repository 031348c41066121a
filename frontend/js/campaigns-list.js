// The list of the organisation's campaigns, each with its phase, window, battery and counts.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { batteryName, phaseBadge, state, status, windowText } from './campaigns-shared.js';
import { guardCodes } from './campaigns-codes.js';
import { openCampaign } from './campaigns-detail.js';

export async function loadList() {
  try {
    const data = await api('/api/v1/campaigns');
    state.campaigns = data.campaigns;
    renderList();
  } catch (err) {
    status(errorNotice(err));
  }
}

export function renderList() {
  const rows = state.campaigns.map((c) => {
    const open = state.detail && state.detail.id === c.id;
    const word = open ? t('bank.opened') : t('bank.open');
    return h('tr', { dataset: { id: c.id }, class: open ? 'is-selected' : null },
      h('td', { class: 'c-name' }, h('span', { class: 'cmp-name' }, c.name), ' ', phaseBadge(c)),
      h('td', { class: 'c-window' }, windowText(c)),
      h('td', { class: 'c-battery' }, batteryName(c.battery)),
      h('td', { class: 'num c-participants' }, String(c.participant_count)),
      h('td', { class: 'num c-sessions' }, String(c.sessions.length)),
      // The name starts with the word the button shows ("Terbuka" once open), as on /bank (WCAG 2.5.3).
      h('td', { class: 'c-open' }, h('button', {
        type: 'button', class: 'btn btn-small open-campaign', 'aria-pressed': open ? 'true' : 'false',
        'aria-label': `${word} ${c.name}`, onclick: () => guardCodes(() => openCampaign(c.id)),
      }, word)));
  });
  $('#campaign-rows').replaceChildren(...rows);
  $('#list-empty').hidden = state.campaigns.length > 0;
  $('#list-count').textContent = t('campaigns.count', { n: state.campaigns.length });
}
