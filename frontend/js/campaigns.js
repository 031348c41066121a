// Campaigns for admin and HR: list and create campaigns (window, battery, norm rule, sessions),
// enrol participants from a CSV file (dry run first), issue and reissue access codes (shown once:
// CSV download or printable cards), and follow progress and scores (CSV export).
import { api } from './api.js';
import { $, errorNotice, h, startPage } from './shell.js';
import { t, tx } from './i18n.js';
import { formatDate, formatNumber } from './locale.js';
import { cardsKey, codesCsv, dispositionName, saveFile, slug, templateCsv } from './campaigns-csv.js';

const me = await startPage({ roles: ['admin', 'hr'] });

const state = {
  campaigns: [],
  batteries: [],
  proctors: null, // enabled proctor accounts (admin only), or null when the list is not available
  detail: null, // CampaignView of the open campaign
  participants: [],
  results: null,
  expanded: new Set(), // participant ids whose scales are shown
  pending: null, // {file, text, outcome} after a successful dry run
  enrolView: null, // () => node(s) of the enrolment panel, re-rendered on a language change
  issued: null, // {campaign, codes, issuedAt, saved} freshly issued codes, shown once
  reissue: null, // the participant whose code is being reissued
};

let uid = 0;
const nextId = (p) => `${p}-${++uid}`;

function status(node) {
  $('#campaigns-status').replaceChildren(node || '');
}

function ok(text, id) {
  return h('div', { class: 'notice notice-ok', role: 'status', id: id || null }, h('p', {}, text));
}

function table(headers, rows, attrs = {}) {
  return h('div', { class: 'table-wrap' }, h('table', attrs,
    h('thead', {}, h('tr', {}, headers.map(([text, c]) => h('th', { scope: 'col', class: c || null }, text)))),
    h('tbody', {}, rows)));
}

/** A Date as the value of a datetime-local input (local time, minutes). */
function toLocalInput(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A datetime-local value as ISO UTC, or null when empty or invalid. */
function fromLocalInput(v) {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function phase(c) {
  const now = Date.now();
  if (now < Date.parse(c.opens_at)) return 'upcoming';
  if (now >= Date.parse(c.closes_at)) return 'closed';
  return 'open';
}

function phaseBadge(c) {
  const p = phase(c);
  const cls = { upcoming: 'badge-info', open: 'badge-ok', closed: 'badge-muted' }[p];
  return h('span', { class: 'badge ' + cls, dataset: { phase: p } }, t('campaigns.phase.' + p));
}

function batteryName(id) {
  const b = state.batteries.find((x) => x.id === id);
  return b ? `${tx(b.name)} (${b.code})` : id;
}

function windowText(c) {
  return `${formatDate(c.opens_at)} – ${formatDate(c.closes_at)}`;
}

// ---------------------------------------------------------------- list

async function loadList() {
  try {
    const data = await api('/api/v1/campaigns');
    state.campaigns = data.campaigns;
    renderList();
  } catch (err) {
    status(errorNotice(err));
  }
}

function renderList() {
  const rows = state.campaigns.map((c) => {
    const open = state.detail && state.detail.id === c.id;
    return h('tr', { dataset: { id: c.id }, class: open ? 'is-selected' : null },
      h('td', { class: 'c-name' }, h('span', { class: 'cmp-name' }, c.name), ' ', phaseBadge(c)),
      h('td', { class: 'c-window' }, windowText(c)),
      h('td', { class: 'c-battery' }, batteryName(c.battery)),
      h('td', { class: 'num c-participants' }, String(c.participant_count)),
      h('td', { class: 'num c-sessions' }, String(c.sessions.length)),
      h('td', { class: 'c-open' }, h('button', {
        type: 'button', class: 'btn btn-small open-campaign', 'aria-pressed': open ? 'true' : 'false',
        'aria-label': `${t('bank.open')} ${c.name}`, onclick: () => guardCodes(() => openCampaign(c.id)),
      }, open ? t('bank.opened') : t('bank.open'))));
  });
  $('#campaign-rows').replaceChildren(...rows);
  $('#list-empty').hidden = state.campaigns.length > 0;
  $('#list-count').textContent = t('campaigns.count', { n: state.campaigns.length });
}

// ---------------------------------------------------------------- create

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
];

/** A validation message in the page language when it is one we know, else the server's words. */
function fieldMessage(message) {
  for (const [re, key] of ERROR_KEYS) {
    const m = re.exec(message);
    if (m) return t(key, { max: m[1] });
  }
  return message;
}

function batteryOptions() {
  const select = $('#c-battery');
  const keep = select.value;
  const options = state.batteries.map((b) => h('option', { value: b.id }, `${tx(b.name)} (${b.code})`));
  if (!options.length) options.push(h('option', { value: '' }, t('campaigns.f.noBattery')));
  select.replaceChildren(...options);
  if (keep && state.batteries.some((b) => b.id === keep)) select.value = keep;
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

function renumber(container, titleKey) {
  [...container.children].forEach((row, i) => {
    const title = row.querySelector('.cmp-row-title');
    if (title) title.textContent = t(titleKey, { n: i + 1 });
  });
}

function addRuleRow(rule = {}) {
  const container = $('#rule-rows');
  const attr = h('select', { id: nextId('rule-attr') },
    ['education', 'job_level', 'group'].map((a) => h('option', { value: a, dataset: { i18n: 'campaigns.attr.' + a } }, t('campaigns.attr.' + a))));
  if (rule.attribute) attr.value = rule.attribute;
  const values = h('input', { type: 'text', id: nextId('rule-values'), autocomplete: 'off', value: (rule.values || []).join(', ') });
  values.placeholder = 'S1, D4';
  const group = h('input', { type: 'text', id: nextId('rule-group'), autocomplete: 'off', spellcheck: 'false', value: rule.group || '' });
  group.placeholder = 's1';
  const row = h('div', { class: 'cmp-row cmp-rule' },
    h('div', { class: 'cmp-row-head' },
      h('span', { class: 'cmp-row-title' }),
      h('button', { type: 'button', class: 'btn btn-small btn-danger remove-row', 'data-i18n-attr': 'aria-label:campaigns.f.removeRule', 'aria-label': t('campaigns.f.removeRule'), dataset: { i18n: 'campaigns.f.remove' }, onclick: () => { row.remove(); renumber(container, 'campaigns.f.rule'); $('#add-rule').focus(); } }, t('campaigns.f.remove'))),
    h('div', { class: 'cmp-row-fields' },
      field('campaigns.f.attribute', attr, 'attribute'),
      field('campaigns.f.values', values, 'values', 'campaigns.f.valuesHint'),
      field('campaigns.f.group', group, 'group')));
  container.append(row);
  renumber(container, 'campaigns.f.rule');
  return row;
}

function addSessionRow(s = {}) {
  const container = $('#session-rows');
  const name = h('input', { type: 'text', id: nextId('s-name'), autocomplete: 'off', maxlength: '80', value: s.name || t('campaigns.f.sessionDefault', { n: container.children.length + 1 }) });
  const room = h('input', { type: 'text', id: nextId('s-room'), autocomplete: 'off', maxlength: '120', value: s.room || '' });
  const starts = h('input', { type: 'datetime-local', id: nextId('s-starts'), value: s.starts || $('#c-opens').value || '' });
  const capacity = h('input', { type: 'number', id: nextId('s-capacity'), min: '1', max: '20000', step: '1', inputmode: 'numeric', value: String(s.capacity ?? 40) });
  let proctor;
  if (state.proctors) {
    proctor = h('select', { id: nextId('s-proctor') },
      h('option', { value: '', dataset: { i18n: 'campaigns.f.noProctor' } }, t('campaigns.f.noProctor')),
      state.proctors.map((p) => h('option', { value: p.id }, `${p.name} (${p.email})`)));
  } else {
    proctor = h('input', { type: 'text', id: nextId('s-proctor'), autocomplete: 'off', spellcheck: 'false', class: 'mono' });
    proctor.placeholder = '00000000-0000-0000-0000-000000000000';
  }
  const proctorField = field(state.proctors ? 'campaigns.f.proctor' : 'campaigns.f.proctorId', proctor, 'proctor',
    state.proctors ? null : 'campaigns.f.proctorIdHint');
  const row = h('div', { class: 'cmp-row cmp-session' },
    h('div', { class: 'cmp-row-head' },
      h('span', { class: 'cmp-row-title' }),
      h('button', { type: 'button', class: 'btn btn-small btn-danger remove-row', 'data-i18n-attr': 'aria-label:campaigns.f.removeSession', 'aria-label': t('campaigns.f.removeSession'), dataset: { i18n: 'campaigns.f.remove' }, onclick: () => { row.remove(); renumber(container, 'campaigns.f.session'); $('#add-session').focus(); } }, t('campaigns.f.remove'))),
    h('div', { class: 'cmp-row-fields' },
      field('campaigns.f.sessionName', name, 'name'),
      field('campaigns.f.room', room, 'room'),
      field('campaigns.f.starts', starts, 'starts_at'),
      field('campaigns.f.capacity', capacity, 'capacity'),
      state.proctors ? proctorField : h('details', { class: 'cmp-proctor-id' },
        h('summary', { dataset: { i18n: 'campaigns.f.proctorIdSummary' } }, t('campaigns.f.proctorIdSummary')), proctorField)));
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

function showCreate(on) {
  $('#create-panel').hidden = !on;
  $('#new-campaign').setAttribute('aria-expanded', on ? 'true' : 'false');
  if (on) {
    status(null);
    resetForm();
    $('#c-name').focus();
  } else {
    $('#new-campaign').focus();
  }
}

function clearErrors() {
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
function showFieldErrors(errors) {
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

function readForm() {
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
    const s = { name: val('name'), starts_at: startsAt, capacity: Number(cap) };
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
  };
  // Both are optional (lobby defaults to false, no automatic pause): sent only when set.
  if ($('#c-lobby').checked) doc.lobby = true;
  if (autoPause !== null) doc.auto_pause_after = autoPause;
  return { doc, errors };
}

async function submitCreate(e) {
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

// ---------------------------------------------------------------- detail

async function openCampaign(id, { scroll = true } = {}) {
  status(null);
  try {
    const [detail, people, results] = await Promise.all([
      api('/api/v1/campaigns/' + encodeURIComponent(id)),
      api(`/api/v1/campaigns/${encodeURIComponent(id)}/participants`),
      api(`/api/v1/campaigns/${encodeURIComponent(id)}/results`),
    ]);
    if (!state.detail || state.detail.id !== detail.id) {
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

function closeCampaign() {
  state.detail = null;
  state.issued = null;
  state.pending = null;
  state.enrolView = null;
  $('#detail').hidden = true;
  $('#detail').replaceChildren();
  history.replaceState(null, '', location.pathname);
  renderList();
}

async function refreshPeople() {
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

function sessionName(id) {
  const s = state.detail && state.detail.sessions.find((x) => x.id === id);
  return s ? s.name : '';
}

function proctorName(id) {
  if (!id) return '–';
  const p = state.proctors && state.proctors.find((x) => x.id === id);
  return p ? p.name : h('span', { class: 'mono small' }, id);
}

function renderDetail() {
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
      h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn', id: 'close-btn', onclick: () => guardCodes(closeCampaign) }, t('bank.close')))),
    h('dl', { class: 'facts' },
      h('dt', {}, t('campaigns.col.window')), h('dd', { id: 'campaign-window' }, windowText(d)),
      h('dt', {}, t('campaigns.col.battery')), h('dd', {}, batteryName(d.battery)),
      h('dt', {}, t('campaigns.f.showScoreShort')), h('dd', {}, t(d.show_score_to_candidate ? 'campaigns.yes' : 'campaigns.bool.no')),
      h('dt', {}, t('campaigns.f.resumeUnlockShort')), h('dd', {}, t(d.resume_requires_unlock ? 'campaigns.yes' : 'campaigns.bool.no')),
      h('dt', {}, t('campaigns.f.lobbyShort')), h('dd', { id: 'campaign-lobby' }, t(d.lobby ? 'campaigns.yes' : 'campaigns.bool.no')),
      h('dt', {}, t('campaigns.f.autoPauseShort')), h('dd', { id: 'campaign-auto-pause' },
        typeof d.auto_pause_after === 'number' ? t('campaigns.f.autoPauseValue', { n: d.auto_pause_after }) : t('campaigns.f.autoPauseNone')),
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

// ---------------------------------------------------------------- enrolment

function renderEnrol() {
  const d = state.detail;
  const input = h('input', { type: 'file', id: 'enrol-file', accept: '.csv,text/csv', onchange: (e) => {
    const file = e.target.files && e.target.files[0];
    if (file) checkEnrolment(file);
  } });
  const columns = ['nip', 'name', 'email', 'birth_date', 'education', 'job_level', 'position', 'unit', 'group', 'session'];
  $('#enrol').replaceChildren(
    h('h3', { id: 'enrol-title' }, t('campaigns.enrol.title')),
    h('p', {}, t('campaigns.enrol.intro')),
    h('div', { class: 'btn-row' },
      h('span', { class: 'file-pick' }, input, h('label', { for: 'enrol-file', class: 'btn btn-primary' }, t('campaigns.enrol.choose'))),
      h('button', { type: 'button', class: 'btn', id: 'enrol-template', onclick: () => saveFile('peserta-templat.csv', templateCsv(d.sessions[0] && d.sessions[0].name)) }, t('campaigns.enrol.template'))),
    h('details', { class: 'cmp-columns mt' },
      h('summary', {}, t('campaigns.enrol.columns')),
      h('dl', { class: 'facts' }, columns.map((c) => [h('dt', { class: 'mono' }, c), h('dd', {}, t('campaigns.enrol.col.' + c))])),
      h('p', { class: 'small muted' }, t('campaigns.enrol.format'))),
    h('div', { id: 'enrol-panel', 'aria-live': 'polite' }));
  showEnrol(state.enrolView);
}

function showEnrol(view) {
  state.enrolView = view;
  const panel = $('#enrol-panel');
  if (!panel) return;
  panel.replaceChildren(...(view ? [].concat(view()) : []).filter(Boolean));
}

function enrolErrorsTable(errors) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'errors-table', id: 'enrol-errors' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'num' }, t('campaigns.enrol.col.row')),
      h('th', { scope: 'col' }, t('campaigns.enrol.col.field')),
      h('th', { scope: 'col' }, t('campaigns.enrol.col.message')))),
    h('tbody', {}, errors.map((e) => h('tr', { dataset: { row: e.row ?? '', field: e.field } },
      h('td', { class: 'num' }, e.row == null ? '–' : String(e.row)), h('td', {}, e.field), h('td', {}, e.message))))));
}

function cancelEnrol() {
  state.pending = null;
  showEnrol(null);
  const input = $('#enrol-file');
  if (input) {
    input.value = '';
    input.focus();
  }
}

function enrolFailure(err, file) {
  return () => [
    h('div', { class: 'notice notice-error', role: 'alert', id: 'enrol-error' },
      h('p', {}, err.code === 'invalid_enrolment'
        ? t('campaigns.enrol.invalid', { file: file.name, n: (err.errors || []).length })
        : `${t('campaigns.enrol.failed', { file: file.name })} `),
      err.code === 'invalid_enrolment' ? null : errorNotice(err)),
    err.errors && err.errors.length ? enrolErrorsTable(err.errors) : null,
    h('div', { class: 'btn-row' }, h('button', { type: 'button', class: 'btn', id: 'enrol-cancel', onclick: cancelEnrol }, t('bank.close'))),
  ];
}

async function checkEnrolment(file) {
  state.pending = null;
  showEnrol(() => h('p', { class: 'muted' }, t('campaigns.enrol.checking', { file: file.name })));
  let text;
  try {
    text = await file.text();
  } catch {
    showEnrol(() => h('div', { class: 'notice notice-error', role: 'alert', id: 'enrol-error' }, h('p', {}, t('import.readError'))));
    return;
  }
  try {
    const outcome = await api(`/api/v1/campaigns/${state.detail.id}/participants/import`, {
      method: 'POST', query: { dry_run: 'true' }, body: text, headers: { 'Content-Type': 'text/csv' },
    });
    state.pending = { file, text, outcome };
    showEnrol(() => [
      h('div', { class: 'notice notice-info', id: 'enrol-valid', role: 'status' },
        h('p', {}, t('campaigns.enrol.valid', { n: outcome.enrolled, total: outcome.participant_count, file: file.name }))),
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-primary', id: 'enrol-confirm', onclick: confirmEnrolment }, t('campaigns.enrol.confirm', { n: outcome.enrolled })),
        h('button', { type: 'button', class: 'btn', id: 'enrol-cancel', onclick: cancelEnrol }, t('bank.cancel'))),
    ]);
    $('#enrol-confirm').focus();
  } catch (err) {
    showEnrol(enrolFailure(err, file));
    const input = $('#enrol-file');
    if (input) input.value = '';
  }
}

async function confirmEnrolment() {
  const p = state.pending;
  if (!p) return;
  const btn = $('#enrol-confirm');
  btn.disabled = true;
  btn.textContent = t('campaigns.enrol.enrolling');
  try {
    const outcome = await api(`/api/v1/campaigns/${state.detail.id}/participants/import`, {
      method: 'POST', body: p.text, headers: { 'Content-Type': 'text/csv' },
    });
    state.pending = null;
    $('#enrol-file').value = '';
    showEnrol(() => [
      h('div', { class: 'notice notice-ok', id: 'enrol-done', role: 'status' },
        h('p', {}, t('campaigns.enrol.done', { n: outcome.enrolled, total: outcome.participant_count }))),
    ]);
    await refreshPeople();
  } catch (err) {
    state.pending = null;
    showEnrol(enrolFailure(err, p.file));
  }
}

// ---------------------------------------------------------------- participants and codes

function renderParticipants() {
  const people = state.participants;
  const without = people.filter((p) => !p.has_access_code).length;
  const rows = people.map((p) => h('tr', { dataset: { id: p.id, nip: p.nip, code: p.has_access_code ? 'yes' : 'no' } },
    h('td', { class: 'c-pname' }, h('strong', {}, p.name)),
    h('td', { class: 'c-nip mono' }, p.nip),
    h('td', { class: 'c-edu' }, p.education),
    h('td', { class: 'c-level' }, p.job_level),
    h('td', { class: 'c-unit' }, p.unit || '–'),
    h('td', { class: 'c-session' }, sessionName(p.session) || '–'),
    h('td', { class: 'c-code' }, p.has_access_code
      ? [h('span', { class: 'badge badge-ok' }, t('campaigns.yes')), ' ', h('span', { class: 'small muted' }, formatDate(p.code_issued_at))]
      : h('span', { class: 'badge badge-muted' }, t('campaigns.no'))),
    h('td', { class: 'c-action' }, h('button', {
      type: 'button', class: 'btn btn-small reissue-code', 'aria-label': `${t(p.has_access_code ? 'campaigns.reissue' : 'campaigns.issueOne')}: ${p.name}`,
      onclick: () => askReissue(p),
    }, t(p.has_access_code ? 'campaigns.reissue' : 'campaigns.issueOne')))));
  $('#participants').replaceChildren(
    h('div', { class: 'toolbar' },
      h('h3', { id: 'participants-title' }, t('campaigns.participants.title')),
      h('span', { class: 'muted', id: 'participants-count' }, t('campaigns.participants.summary', { n: people.length, without })),
      h('button', { type: 'button', class: 'btn btn-primary', id: 'issue-codes', disabled: without === 0, onclick: issueCodes },
        t('campaigns.codes.issue', { n: without }))),
    h('div', { id: 'codes-panel', 'aria-live': 'polite' }),
    people.length === 0
      ? h('p', { class: 'muted', id: 'participants-empty' }, t('campaigns.participants.none'))
      : table([[t('campaigns.col.name')], [t('campaigns.p.nip')], [t('campaigns.p.education')], [t('campaigns.p.jobLevel')], [t('campaigns.p.unit')], [t('campaigns.p.session')], [t('campaigns.p.code')], [t('campaigns.p.action')]],
        rows, { id: 'participant-table' }));
  renderCodes();
}

function renderCodes() {
  const panel = $('#codes-panel');
  if (!panel) return;
  const issued = state.issued;
  if (!issued) {
    panel.replaceChildren();
    return;
  }
  panel.replaceChildren(h('div', { class: 'cmp-codes', id: 'issued-codes' },
    h('div', { class: 'notice notice-warn', role: 'alert' },
      h('p', {}, h('strong', {}, t('campaigns.codes.onceTitle', { n: issued.codes.length }))),
      h('p', {}, t('campaigns.codes.once'))),
    h('div', { class: 'btn-row' },
      h('button', { type: 'button', class: 'btn btn-primary', id: 'codes-csv', onclick: downloadCodes }, t('campaigns.codes.csv')),
      h('button', { type: 'button', class: 'btn btn-primary', id: 'codes-cards', onclick: openCards }, t('campaigns.codes.cards')),
      h('button', { type: 'button', class: 'btn', id: 'codes-close', onclick: () => guardCodes(() => { state.issued = null; renderCodes(); $('#issue-codes').focus(); }) }, t('bank.close')),
      issued.saved ? h('span', { class: 'badge badge-ok', id: 'codes-saved' }, t('campaigns.codes.saved')) : null),
    table([[t('campaigns.p.nip')], [t('campaigns.col.name')], [t('campaigns.p.session')], [t('campaigns.codes.code')]],
      issued.codes.map((c) => h('tr', { dataset: { nip: c.nip, replaced: c.replaced ? 'true' : null } },
        h('td', { class: 'mono c-nip' }, c.nip), h('td', { class: 'c-pname' }, c.name), h('td', { class: 'c-session' }, c.session || '–'),
        h('td', { class: 'cmp-code-cell' }, c.replaced
          ? [h('del', {}, c.code), ' ', h('span', { class: 'badge badge-danger' }, t('campaigns.codes.replaced'))]
          : c.code))), { id: 'codes-table' })));
}

async function issueCodes() {
  const btn = $('#issue-codes');
  btn.disabled = true;
  const campaign = state.detail;
  try {
    const out = await api(`/api/v1/campaigns/${campaign.id}/access-codes`, { method: 'POST' });
    if (out.codes.length === 0) {
      status(ok(t('campaigns.codes.noneIssued')));
    } else {
      state.issued = { campaign: { id: campaign.id, name: campaign.name }, codes: out.codes, issuedAt: new Date().toISOString(), saved: false };
    }
    await refreshPeople();
    const first = $('#codes-csv');
    if (first) first.focus();
  } catch (err) {
    status(errorNotice(err));
    btn.disabled = false;
  }
}

function markSaved() {
  if (state.issued && !state.issued.saved) {
    state.issued.saved = true;
    renderCodes();
  }
}

function downloadCodes() {
  const issued = state.issued;
  if (!issued) return;
  saveFile(`kode-akses-${slug(issued.campaign.name)}.csv`, codesCsv(issued.codes));
  markSaved();
  $('#codes-csv').focus();
}

function openCards() {
  const issued = state.issued;
  if (!issued) return;
  sessionStorage.setItem(cardsKey(issued.campaign.id), JSON.stringify({
    campaign: issued.campaign, issued_at: issued.issuedAt, codes: issued.codes,
  }));
  // Not "noopener": the new tab must receive a copy of this tab's sessionStorage.
  window.open('/cards?campaign=' + encodeURIComponent(issued.campaign.id), '_blank');
  markSaved();
  $('#codes-cards').focus();
}

/** Runs `then` at once, or after the user agrees to lose codes that were neither downloaded nor printed. */
function guardCodes(then) {
  if (!state.issued || state.issued.saved) {
    then();
    return;
  }
  const dialog = $('#discard-dialog');
  dialog.returnValue = '';
  dialog.onclose = () => {
    dialog.onclose = null;
    if (dialog.returnValue === 'discard') {
      state.issued = null;
      renderCodes();
      then();
    } else {
      const b = $('#codes-csv');
      if (b) b.focus();
    }
  };
  dialog.showModal();
  $('#discard-cancel').focus();
}

function askReissue(p) {
  state.reissue = p;
  $('#reissue-body').textContent = t(p.has_access_code ? 'campaigns.reissue.body' : 'campaigns.reissue.bodyNew', { name: p.name, nip: p.nip });
  const dialog = $('#reissue-dialog');
  dialog.returnValue = '';
  dialog.showModal();
  $('#reissue-cancel').focus();
}

async function reissue() {
  const p = state.reissue;
  if (!p || !state.detail) return;
  try {
    const code = await api(`/api/v1/campaigns/${state.detail.id}/participants/${p.id}/access-code`, { method: 'POST' });
    // A code shown in the issued list above is dead now: say so there.
    const listed = state.issued && state.issued.codes.find((c) => c.participant === p.id);
    if (listed) listed.replaced = true;
    $('#code-who').textContent = t('campaigns.code.who', { name: code.name, nip: code.nip, session: code.session || '–' });
    $('#code-value').textContent = code.code;
    const dialog = $('#code-dialog');
    dialog.showModal();
    $('#code-close').focus();
    await refreshPeople();
  } catch (err) {
    status(errorNotice(err));
  }
}

// ---------------------------------------------------------------- results

const STATUSES = ['not_started', 'in_progress', 'finished', 'expired'];

function statusBadge(s) {
  const cls = { not_started: 'badge-muted', in_progress: 'badge-info', finished: 'badge-ok', expired: 'badge-warn' }[s] || '';
  return h('span', { class: 'badge result-status ' + cls, dataset: { status: s } }, t('campaigns.status.' + s));
}

function renderResults() {
  const r = state.results;
  const box = $('#results');
  if (!box || !r) return;
  const tiles = h('ul', { class: 'cmp-progress', id: 'progress' }, STATUSES.map((s) => h('li', { dataset: { status: s } },
    h('span', { class: 'cmp-count' }, String(r.progress[s])), h('span', { class: 'cmp-label' }, t('campaigns.status.' + s)))));
  const rows = [];
  for (const p of r.participants) {
    const id = p.participant.id;
    const open = state.expanded.has(id);
    const illustrative = p.scores.some((s) => s.illustrative);
    const detailId = 'scores-' + id;
    rows.push(h('tr', { class: 'result-row', dataset: { id, nip: p.participant.nip, status: p.status } },
      h('td', { class: 'c-toggle' }, h('button', {
        type: 'button', class: 'btn btn-small cmp-toggle', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': detailId,
        'aria-label': `${t('campaigns.results.scales')}: ${p.participant.name}`,
        onclick: () => { if (open) state.expanded.delete(id); else state.expanded.add(id); renderResults(); $(`tr.result-row[data-id="${id}"] .cmp-toggle`).focus(); },
      }, open ? '▾' : '▸')),
      h('td', { class: 'c-pname' }, h('strong', {}, p.participant.name)),
      h('td', { class: 'c-nip mono' }, p.participant.nip),
      h('td', { class: 'c-status' }, statusBadge(p.status)),
      h('td', { class: 'num c-responses', dataset: { label: t('campaigns.results.responses') } }, String(p.responses)),
      h('td', { class: 'c-norm', dataset: { label: t('campaigns.results.normGroup') } }, p.norm_group ? h('span', { class: 'mono' }, p.norm_group) : '–',
        illustrative ? [' ', h('span', { class: 'badge badge-warn norm-illustrative' }, t('bank.norms.illustrative'))] : null)));
    if (open) {
      rows.push(h('tr', { class: 'cmp-scores-row', id: detailId },
        h('td', { colspan: '6' }, p.scores.length === 0
          ? h('p', { class: 'muted small' }, t('campaigns.results.noScores'))
          : h('div', { class: 'table-wrap' }, h('table', { class: 'cmp-scores' },
            h('thead', {}, h('tr', {}, [t('campaigns.results.instrument'), t('campaigns.results.scale'), t('campaigns.results.raw'), 'PR', 'T', t('campaigns.results.stanine'), t('campaigns.results.norm')]
              .map((x, i) => h('th', { scope: 'col', class: i >= 2 && i <= 5 ? 'num' : null }, x)))),
            h('tbody', {}, p.scores.map((s) => h('tr', { dataset: { scale: s.scale } },
              h('td', { class: 'mono s-instrument' }, s.instrument), h('td', { class: 'mono s-scale' }, s.scale),
              h('td', { class: 'num', dataset: { label: t('campaigns.results.raw') } }, formatNumber(s.raw)),
              h('td', { class: 'num', dataset: { label: 'PR' } }, formatNumber(s.pr, 1)),
              h('td', { class: 'num', dataset: { label: 'T' } }, formatNumber(s.t, 1)),
              h('td', { class: 'num', dataset: { label: t('campaigns.results.stanine') } }, s.stanine == null ? '–' : String(s.stanine)),
              h('td', { class: 's-norm', dataset: { label: t('campaigns.results.norm') } }, s.norm_group || '–', s.illustrative ? [' ', h('span', { class: 'badge badge-warn' }, t('bank.norms.illustrative'))] : null)))))))));
    }
  }
  const anyIllustrative = r.participants.some((p) => p.scores.some((s) => s.illustrative));
  box.replaceChildren(...[
    h('div', { class: 'toolbar' },
      h('h3', { id: 'results-title' }, t('campaigns.results.title')),
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn', id: 'results-refresh', onclick: refreshResults }, t('campaigns.results.refresh')),
        h('button', { type: 'button', class: 'btn', id: 'results-export', onclick: exportResults, disabled: r.participants.length === 0 }, t('campaigns.results.export')))),
    tiles,
    anyIllustrative ? h('div', { class: 'notice notice-warn', id: 'results-illustrative' }, h('p', {}, t('campaigns.results.illustrativeNote'))) : null,
    r.participants.length === 0
      ? h('p', { class: 'muted' }, t('campaigns.participants.none'))
      : table([['', 'c-toggle'], [t('campaigns.col.name')], [t('campaigns.p.nip')], [t('campaigns.results.status')], [t('campaigns.results.responses'), 'num'], [t('campaigns.results.normGroup')]],
        rows, { id: 'result-table' }),
    h('div', { id: 'results-status', 'aria-live': 'polite' })].filter(Boolean));
}

async function refreshResults() {
  try {
    state.results = await api(`/api/v1/campaigns/${state.detail.id}/results`);
    renderResults();
    $('#results-refresh').focus();
  } catch (err) {
    $('#results-status').replaceChildren(errorNotice(err));
  }
}

async function exportResults() {
  const d = state.detail;
  try {
    const res = await api(`/api/v1/campaigns/${d.id}/results`, { query: { format: 'csv' }, raw: true, headers: { Accept: 'text/csv' } });
    const file = dispositionName(res, `hasil-${slug(d.name)}.csv`);
    saveFile(file, await res.blob());
    $('#results-status').replaceChildren(ok(t('bank.exported', { file })));
  } catch (err) {
    $('#results-status').replaceChildren(errorNotice(err));
  }
}

// ---------------------------------------------------------------- start

async function loadReferences() {
  try {
    const b = await api('/api/v1/batteries');
    state.batteries = b.batteries;
  } catch (err) {
    status(errorNotice(err));
  }
  if (me.role === 'admin') {
    try {
      const a = await api('/api/v1/accounts');
      state.proctors = a.accounts.filter((x) => x.role === 'proctor' && !x.disabled);
    } catch {
      state.proctors = null; // not allowed or unavailable: a free id field instead
    }
  }
}

if (me) {
  $('#new-campaign').addEventListener('click', () => showCreate($('#create-panel').hidden));
  $('#create-cancel').addEventListener('click', () => showCreate(false));
  $('#create-form').addEventListener('submit', submitCreate);
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
