// Changing a campaign after its creation: the creation form filled with the open campaign (the
// battery shown but fixed), sending only what changed (PATCH). What candidates were already given
// is refused by the server field by field (campaign_locked), shown beside each field like any
// other error.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { ok, state, status } from './campaigns-shared.js';
import { loadList } from './campaigns-list.js';
import { openCampaign } from './campaigns-detail.js';
import {
  addRuleRow, addSessionRow, batteryOptions, clearErrors, fieldMessage, readForm, setMode, showFieldErrors, toLocalInput,
} from './campaigns-create.js';

/** Opens the form on the open campaign. */
export function showEdit() {
  const d = state.detail;
  status(null);
  $('#create-form').reset();
  clearErrors();
  $('#create-panel').hidden = false;
  setMode(true);
  $('#c-name').value = d.name;
  batteryOptions();
  const battery = $('#c-battery');
  if (![...battery.options].some((o) => o.value === d.battery)) battery.append(h('option', { value: d.battery }, d.battery));
  battery.value = d.battery;
  $('#c-opens').value = toLocalInput(new Date(d.opens_at));
  $('#c-closes').value = toLocalInput(new Date(d.closes_at));
  $('#c-show-score').checked = d.show_score_to_candidate;
  $('#c-resume-unlock').checked = d.resume_requires_unlock;
  $('#c-lobby').checked = d.lobby;
  $('#c-auto-pause').value = typeof d.auto_pause_after === 'number' ? String(d.auto_pause_after) : '';
  $('#c-time-zone').value = d.time_zone || 'WIB';
  $('#c-data-contact').value = d.data_contact || '';
  $('#c-retention').value = typeof d.retention_months === 'number' ? String(d.retention_months) : '';
  $('#c-default-group').value = d.norm_rule.default_group;
  $('#rule-rows').replaceChildren();
  for (const r of d.norm_rule.rules) addRuleRow(r);
  $('#session-rows').replaceChildren();
  for (const s of d.sessions) {
    addSessionRow({
      id: s.id, name: s.name, room: s.room, starts: toLocalInput(new Date(s.starts_at)), capacity: s.capacity, proctor: s.proctor,
      enrolled: state.participants.filter((p) => p.session === s.id).length,
    });
  }
  $('#create-panel').scrollIntoView({ block: 'start' });
  $('#c-name').focus();
}

/** Whether a datetime-local value still shows the stored time (the input keeps minutes only). */
function untouched(value, iso) {
  return value === toLocalInput(new Date(iso));
}

/** The fields of the form that differ from the stored campaign `d`. */
function changes(doc, d) {
  const patch = {};
  if (doc.name !== d.name) patch.name = doc.name;
  if (!untouched($('#c-opens').value, d.opens_at)) patch.opens_at = doc.opens_at;
  if (!untouched($('#c-closes').value, d.closes_at)) patch.closes_at = doc.closes_at;
  for (const [key, value] of [['show_score_to_candidate', $('#c-show-score').checked], ['resume_requires_unlock', $('#c-resume-unlock').checked], ['lobby', $('#c-lobby').checked]]) {
    if (value !== d[key]) patch[key] = value;
  }
  const pause = doc.auto_pause_after ?? null;
  if (pause !== (d.auto_pause_after ?? null)) patch.auto_pause_after = pause;
  if (doc.time_zone !== d.time_zone) patch.time_zone = doc.time_zone;
  // Emptied: sent as null, which clears it.
  for (const key of ['data_contact', 'retention_months']) {
    const value = doc[key] ?? null;
    if (value !== (d[key] ?? null)) patch[key] = value;
  }
  if (JSON.stringify(doc.norm_rule) !== JSON.stringify(d.norm_rule)) patch.norm_rule = doc.norm_rule;
  const rows = [...$('#session-rows').children];
  const sessions = doc.sessions.map((s, i) => {
    const old = s.id && d.sessions.find((x) => x.id === s.id);
    if (old && untouched(rows[i].querySelector('[data-key="starts_at"]').value, old.starts_at)) s.starts_at = old.starts_at;
    return s;
  });
  const same = sessions.length === d.sessions.length && sessions.every((s, i) => {
    const o = d.sessions[i];
    return s.id === o.id && s.name === o.name && (s.room || null) === (o.room || null) && s.starts_at === o.starts_at
      && s.capacity === o.capacity && (s.proctor || null) === (o.proctor || null);
  });
  if (!same) patch.sessions = sessions;
  if ($('#c-expire').checked) patch.expire_unfinished = true;
  const reason = $('#c-reason').value.trim();
  if (reason) patch.reason = reason;
  return patch;
}

export async function submitEdit(e) {
  e.preventDefault();
  clearErrors();
  const d = state.detail;
  const { doc, errors } = readForm();
  if (errors.length) {
    $('#create-errors').replaceChildren(h('div', { class: 'notice notice-error', role: 'alert', id: 'create-error' },
      h('p', {}, t('campaigns.create.fix', { n: errors.length }))));
    showFieldErrors(errors);
    return;
  }
  const btn = $('#create-submit');
  btn.disabled = true;
  try {
    const changed = await api('/api/v1/campaigns/' + encodeURIComponent(d.id), { method: 'PATCH', body: changes(doc, d) });
    $('#create-panel').hidden = true;
    setMode(false);
    await loadList();
    await openCampaign(changed.id, { scroll: false });
    status(ok(t('campaigns.edit.saved', { name: changed.name }), 'edit-done'));
    $('#edit-campaign').focus();
  } catch (err) {
    if ((err.code === 'invalid_campaign' || err.code === 'campaign_locked') && err.errors) {
      const loose = showFieldErrors(err.errors);
      const key = err.code === 'campaign_locked' ? 'campaigns.edit.locked' : 'campaigns.edit.invalid';
      $('#create-errors').replaceChildren(h('div', { class: 'notice notice-error', role: 'alert', id: 'create-error' },
        h('p', {}, t(key, { n: err.errors.length })),
        loose.length ? h('ul', {}, loose.map((l) => h('li', {}, h('code', {}, l.field), ': ', fieldMessage(l.message)))) : null));
    } else {
      $('#create-errors').replaceChildren(errorNotice(err, 'create-error'));
    }
    $('#create-errors').scrollIntoView({ block: 'nearest' });
  } finally {
    btn.disabled = false;
  }
}
