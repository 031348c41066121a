// The form that creates a campaign: name, battery, window, options, norm rule rows and session
// rows, checked in the page first, then by the API, with each error shown beside its field.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t, tx } from './i18n.js';
import { nextId, ok, state, status } from './campaigns-shared.js';
import { loadList } from './campaigns-list.js';
import { openCampaign } from './campaigns-detail.js';

/** A Date as the value of a datetime-local input (local time, minutes). */
export function toLocalInput(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A datetime-local value as ISO UTC, or null when empty or invalid. */
function fromLocalInput(v) {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const ERROR_KEYS = [
  [/must be after opens_at/, 'campaigns.err.closesAfter'],
  [/must fall within the campaign's window/, 'campaigns.err.startsWithin'],
  [/must be from 1 to (\d+)/, 'campaigns.err.capacity'],
  [/must be 1 to (\d+) characters/, 'campaigns.err.length'],
  [/must be at most (\d+) characters/, 'campaigns.err.maxLength'],
  [/is used twice/, 'campaigns.err.sessionTwice'],
  [/must be a norm-group code/, 'campaigns.err.groupCode'],
  [/needs at least one non-empty value/, 'campaigns.err.values'],
  [/no battery with this id/, 'campaigns.err.battery'],
  [/no enabled proctor account/, 'campaigns.err.proctor'],
  [/at most (\d+) sessions/, 'campaigns.err.tooManySessions'],
  [/the capacity must be at least (\d+)/, 'campaigns.err.capacityEnrolled'],
  [/cannot be removed/, 'campaigns.err.sessionInUse'],
  [/battery of a campaign never changes/, 'campaigns.err.batteryFixed'],
  [/by the current rule/, 'campaigns.err.normRuleFixed'],
  [/lobby can no longer/, 'campaigns.err.lobbyFixed'],
  [/^(\d+) candidate\(s\) have not finished/, 'campaigns.err.closeUnfinished'],
  [/cannot open later than now/, 'campaigns.err.opensLater'],
  [/whole number of months from 1 to (\d+)/, 'campaigns.err.retention'],
];

/** A validation message in the page language when it is one we know, else the server's words. */
export function fieldMessage(message) {
  for (const [re, key] of ERROR_KEYS) {
    const m = re.exec(message);
    if (m) return t(key, { max: m[1] });
  }
  return message;
}

export function batteryOptions() {
  const select = $('#c-battery');
  const keep = select.value;
  const options = state.batteries.map((b) => h('option', { value: b.id }, `${tx(b.name)} (${b.code})`));
  if (keep && !state.batteries.some((b) => b.id === keep)) options.push(h('option', { value: keep }, keep));
  if (!options.length) options.push(h('option', { value: '' }, t('campaigns.f.noBattery')));
  select.replaceChildren(...options);
  if (keep) select.value = keep;
}

/** A labelled field of a rule or session row; label and hint are i18n keys (re-translated on a language change). */
function field(labelKey, input, key, hintKey) {
  const err = h('p', { class: 'field-error', dataset: { errorKey: key }, id: input.id + '-error', hidden: true });
  input.setAttribute('aria-describedby', [hintKey ? input.id + '-hint' : null, err.id].filter(Boolean).join(' '));
  input.dataset.key = key;
  return h('div', { class: 'field' },
    h('label', { for: input.id, dataset: { i18n: labelKey } }, t(labelKey)),
    input,
    hintKey ? h('p', { class: 'hint', id: input.id + '-hint', dataset: { i18n: hintKey } }, t(hintKey)) : null,
    err);
}

export function renumber(container, titleKey) {
  [...container.children].forEach((row, i) => {
    const title = row.querySelector('.cmp-row-title');
    if (title) title.textContent = t(titleKey, { n: i + 1 });
  });
}

/** The head of a rule or session row: its numbered title and a button that removes the row. */
function rowHead(container, titleKey, removeLabelKey, addButton) {
  return h('div', { class: 'cmp-row-head' },
    h('span', { class: 'cmp-row-title' }),
    h('button', {
      type: 'button', class: 'btn btn-small btn-danger remove-row', 'data-i18n-attr': 'aria-label:' + removeLabelKey, 'aria-label': t(removeLabelKey), dataset: { i18n: 'campaigns.f.remove' },
      onclick: (e) => {
        e.currentTarget.closest('.cmp-row').remove();
        renumber(container, titleKey);
        $(addButton).focus();
      },
    }, t('campaigns.f.remove')));
}

export function addRuleRow(rule = {}) {
  const container = $('#rule-rows');
  const attr = h('select', { id: nextId('rule-attr') },
    ['education', 'job_level', 'group'].map((a) => h('option', { value: a, dataset: { i18n: 'campaigns.attr.' + a } }, t('campaigns.attr.' + a))));
  if (rule.attribute) attr.value = rule.attribute;
  const values = h('input', { type: 'text', id: nextId('rule-values'), autocomplete: 'off', value: (rule.values || []).join(', ') });
  values.placeholder = 'S1, D4';
  const group = h('input', { type: 'text', id: nextId('rule-group'), autocomplete: 'off', spellcheck: 'false', value: rule.group || '' });
  group.placeholder = 's1';
  const row = h('div', { class: 'cmp-row cmp-rule' },
    rowHead(container, 'campaigns.f.rule', 'campaigns.f.removeRule', '#add-rule'),
    h('div', { class: 'cmp-row-fields' },
      field('campaigns.f.attribute', attr, 'attribute'),
      field('campaigns.f.values', values, 'values', 'campaigns.f.valuesHint'),
      field('campaigns.f.group', group, 'group')));
  container.append(row);
  renumber(container, 'campaigns.f.rule');
  return row;
}

/**
 * A session row: empty for a new session, or a stored one when editing (`id`, its fields, `starts`
 * as a datetime-local value, and `enrolled`: a session with participants cannot be removed).
 */
export function addSessionRow(s = {}) {
  const container = $('#session-rows');
  const name = h('input', { type: 'text', id: nextId('s-name'), autocomplete: 'off', maxlength: '80', value: s.name || t('campaigns.f.sessionDefault', { n: container.children.length + 1 }) });
  const room = h('input', { type: 'text', id: nextId('s-room'), autocomplete: 'off', maxlength: '120', value: s.room || '' });
  const starts = h('input', { type: 'datetime-local', id: nextId('s-starts'), value: s.starts || $('#c-opens').value || '' });
  const capacity = h('input', { type: 'number', id: nextId('s-capacity'), min: '1', max: '20000', step: '1', inputmode: 'numeric', value: String(s.capacity ?? 40) });
  let proctor;
  if (state.proctors) {
    // The proctor is picked by name; one assigned earlier whose account is no longer an enabled
    // proctor stays selectable, named by its id, so an edit does not drop it unasked.
    const gone = s.proctor && !state.proctors.some((p) => p.id === s.proctor);
    proctor = h('select', { id: nextId('s-proctor') },
      h('option', { value: '', dataset: { i18n: 'campaigns.f.noProctor' } }, t('campaigns.f.noProctor')),
      state.proctors.map((p) => h('option', { value: p.id }, `${p.name} (${p.email})`)),
      gone ? h('option', { value: s.proctor }, t('campaigns.f.proctorInactive', { id: s.proctor })) : null);
    proctor.value = s.proctor || '';
  } else {
    proctor = h('input', { type: 'text', id: nextId('s-proctor'), autocomplete: 'off', spellcheck: 'false', class: 'mono', value: s.proctor || '' });
    proctor.placeholder = '00000000-0000-0000-0000-000000000000';
  }
  const proctorField = field(state.proctors ? 'campaigns.f.proctor' : 'campaigns.f.proctorId', proctor, 'proctor',
    state.proctors ? null : 'campaigns.f.proctorIdHint');
  const row = h('div', { class: 'cmp-row cmp-session', dataset: { sessionId: s.id } },
    rowHead(container, 'campaigns.f.session', 'campaigns.f.removeSession', '#add-session'),
    h('div', { class: 'cmp-row-fields' },
      field('campaigns.f.sessionName', name, 'name'),
      field('campaigns.f.room', room, 'room'),
      field('campaigns.f.starts', starts, 'starts_at'),
      field('campaigns.f.capacity', capacity, 'capacity'),
      state.proctors ? proctorField : h('details', { class: 'cmp-proctor-id' },
        h('summary', { dataset: { i18n: 'campaigns.f.proctorIdSummary' } }, t('campaigns.f.proctorIdSummary')), proctorField)));
  if (s.enrolled > 0) {
    const hint = h('p', { class: 'hint', id: nextId('s-in-use'), dataset: { inUse: String(s.enrolled) } }, t('campaigns.f.sessionInUse', { n: s.enrolled }));
    const remove = row.querySelector('.remove-row');
    remove.disabled = true;
    remove.setAttribute('aria-describedby', hint.id);
    row.querySelector('.cmp-row-head').after(hint);
  }
  container.append(row);
  renumber(container, 'campaigns.f.session');
  return row;
}

function resetForm() {
  const form = $('#create-form');
  form.reset();
  clearErrors();
  const now = new Date();
  now.setMinutes(0, 0, 0);
  const closes = new Date(now.getTime() + 7 * 86400_000);
  $('#c-opens').value = toLocalInput(now);
  $('#c-closes').value = toLocalInput(closes);
  $('#c-default-group').value = 'umum';
  $('#rule-rows').replaceChildren();
  $('#session-rows').replaceChildren();
  batteryOptions();
}

/** Puts the form in the mode of creating a campaign, or of changing the open one (`editing`). */
export function setMode(editing) {
  state.editing = editing ? state.detail.id : null;
  for (const [sel, create, edit] of [['#create-title', 'campaigns.create.title', 'campaigns.edit.title'], ['#create-submit', 'campaigns.create.submit', 'campaigns.edit.submit']]) {
    const el = $(sel);
    el.dataset.i18n = editing ? edit : create;
    el.textContent = t(el.dataset.i18n);
  }
  // The battery never changes after creation: shown, not editable.
  $('#c-battery').disabled = editing;
  $('#c-battery-hint').hidden = !editing;
  $('#c-battery').setAttribute('aria-describedby', editing ? 'c-battery-hint c-battery-error' : 'c-battery-error');
  $('#edit-expire').hidden = !editing;
  $('#edit-reason').hidden = !editing;
  $('#new-campaign').setAttribute('aria-expanded', !editing && !$('#create-panel').hidden ? 'true' : 'false');
  const edit = $('#edit-campaign');
  if (edit) edit.setAttribute('aria-expanded', editing && !$('#create-panel').hidden ? 'true' : 'false');
}

export function showCreate(on) {
  const wasEditing = state.editing !== null;
  $('#create-panel').hidden = !on;
  if (on) {
    setMode(false);
    status(null);
    resetForm();
    $('#c-name').focus();
  } else {
    setMode(false);
    const back = wasEditing ? $('#edit-campaign') : null;
    (back || $('#new-campaign')).focus();
  }
}

export function clearErrors() {
  for (const el of $('#create-form').querySelectorAll('.field-error')) {
    el.hidden = true;
    el.textContent = '';
  }
  for (const el of $('#create-form').querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  $('#create-errors').replaceChildren();
}

/** Where an error path (`closes_at`, `sessions[1].capacity`, `norm_rule.rules[0].group`) is shown. */
function errorSlot(path) {
  const m = /^(sessions|norm_rule\.rules)\[(\d+)\]\.(\w+)$/.exec(path);
  if (m) {
    const rows = $(m[1] === 'sessions' ? '#session-rows' : '#rule-rows').children;
    const row = rows[Number(m[2])];
    if (!row) return null;
    const err = row.querySelector(`[data-error-key="${m[3]}"]`);
    const input = row.querySelector(`[data-key="${m[3]}"]`);
    return err ? { err, input } : null;
  }
  const err = $(`#create-form [data-error-for="${CSS.escape(path)}"]`);
  if (!err) return null;
  return { err, input: $(`#create-form [data-field="${CSS.escape(path)}"]`) };
}

/** Shows each error next to its field; returns the errors that have no field on the form. */
export function showFieldErrors(errors) {
  const loose = [];
  let first = null;
  for (const e of errors) {
    const slot = errorSlot(e.field);
    if (!slot) {
      loose.push(e);
      continue;
    }
    const text = fieldMessage(e.message);
    slot.err.textContent = slot.err.hidden ? text : `${slot.err.textContent} ${text}`;
    slot.err.hidden = false;
    if (slot.input) {
      slot.input.setAttribute('aria-invalid', 'true');
      if (!first) first = slot.input;
    }
    const details = slot.err.closest('details');
    if (details) details.open = true;
  }
  if (first) first.focus();
  return loose;
}

export function readForm() {
  const errors = [];
  const required = (path) => errors.push({ field: path, message: t('campaigns.err.required') });
  const name = $('#c-name').value.trim();
  const battery = $('#c-battery').value;
  const opens = fromLocalInput($('#c-opens').value);
  const closes = fromLocalInput($('#c-closes').value);
  if (!name) required('name');
  if (!battery) required('battery');
  if (!opens) required('opens_at');
  if (!closes) required('closes_at');
  const rules = [...$('#rule-rows').children].map((row) => ({
    attribute: row.querySelector('[data-key="attribute"]').value,
    values: row.querySelector('[data-key="values"]').value.split(',').map((v) => v.trim()).filter(Boolean),
    group: row.querySelector('[data-key="group"]').value.trim(),
  }));
  const autoPauseText = $('#c-auto-pause').value.trim();
  let autoPause = null;
  if (autoPauseText !== '') {
    autoPause = Number(autoPauseText);
    if (!/^\d+$/.test(autoPauseText) || autoPause < 1) errors.push({ field: 'auto_pause_after', message: t('campaigns.err.autoPause') });
  }
  const dataContact = $('#c-data-contact').value.trim();
  const retentionText = $('#c-retention').value.trim();
  let retention = null;
  if (retentionText !== '') {
    retention = Number(retentionText);
    if (!/^\d+$/.test(retentionText) || retention < 1 || retention > 120) errors.push({ field: 'retention_months', message: t('campaigns.err.retention', { max: 120 }) });
  }
  const sessions = [...$('#session-rows').children].map((row, i) => {
    const val = (k) => row.querySelector(`[data-key="${k}"]`).value.trim();
    const startsAt = fromLocalInput(val('starts_at'));
    if (!startsAt) required(`sessions[${i}].starts_at`);
    const cap = val('capacity');
    if (!/^\d+$/.test(cap)) required(`sessions[${i}].capacity`);
    const proctor = val('proctor');
    if (proctor && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(proctor)) {
      errors.push({ field: `sessions[${i}].proctor`, message: t('campaigns.err.uuid') });
    }
    const s = row.dataset.sessionId ? { id: row.dataset.sessionId } : {};
    Object.assign(s, { name: val('name'), starts_at: startsAt, capacity: Number(cap) });
    if (val('room')) s.room = val('room');
    if (proctor) s.proctor = proctor;
    return s;
  });
  const doc = {
    name,
    battery,
    opens_at: opens,
    closes_at: closes,
    show_score_to_candidate: $('#c-show-score').checked,
    resume_requires_unlock: $('#c-resume-unlock').checked,
    norm_rule: { default_group: $('#c-default-group').value.trim(), rules },
    sessions,
    time_zone: $('#c-time-zone').value,
  };
  // Both are optional (lobby defaults to false, no automatic pause): sent only when set.
  if ($('#c-lobby').checked) doc.lobby = true;
  if (autoPause !== null) doc.auto_pause_after = autoPause;
  // Optional too: left out when empty (nothing stated on the consent screen).
  if (dataContact) doc.data_contact = dataContact;
  if (retention !== null) doc.retention_months = retention;
  return { doc, errors };
}

export async function submitCreate(e) {
  e.preventDefault();
  clearErrors();
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
    const created = await api('/api/v1/campaigns', { method: 'POST', body: doc });
    $('#create-panel').hidden = true;
    $('#new-campaign').setAttribute('aria-expanded', 'false');
    await loadList();
    await openCampaign(created.id);
    status(ok(t('campaigns.created', { name: created.name }), 'create-done'));
  } catch (err) {
    if (err.code === 'invalid_campaign' && err.errors) {
      const loose = showFieldErrors(err.errors);
      $('#create-errors').replaceChildren(h('div', { class: 'notice notice-error', role: 'alert', id: 'create-error' },
        h('p', {}, t('campaigns.create.invalid', { n: err.errors.length })),
        loose.length ? h('ul', {}, loose.map((l) => h('li', {}, h('code', {}, l.field), ': ', fieldMessage(l.message)))) : null));
    } else {
      $('#create-errors').replaceChildren(errorNotice(err, 'create-error'));
    }
    $('#create-errors').scrollIntoView({ block: 'nearest' });
  } finally {
    btn.disabled = false;
  }
}
