// The campaigns a staff member may pick from in a <select>: HR and admin list the organisation's
// campaigns; a psychologist (who may not list campaigns) picks from those the competency overview
// reads.
import { api } from './api.js';
import { h } from './shell.js';

/** The campaigns `role` may choose from, as [{id, name}]; none when they cannot be read. */
export async function campaignChoices(role) {
  try {
    return role === 'psychologist'
      ? (await api('/api/v1/competency-overview')).campaigns.map((c) => ({ id: c.campaign, name: c.name }))
      : (await api('/api/v1/campaigns')).campaigns.map((c) => ({ id: c.id, name: c.name }));
  } catch {
    return [];
  }
}

/** Fills `select` with `first` (value '') and the campaigns `role` may choose from, keeping its choice. */
export async function fillCampaignSelect(select, role, first) {
  const campaigns = await campaignChoices(role);
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '' }, first), ...campaigns.map((c) => h('option', { value: c.id }, c.name)));
  select.value = chosen;
}
