// Staff accounts of the administrator's organisation: list, create, disable and enable, and each
// account's profile: the unit the person works in (an assessor never rates a participant of their
// own unit) and a psychologist's licence number (SIPP), required before they release reports.
import { api } from './api.js';
import { $, errorNotice, h, startPage } from './shell.js';
import { roleName, t } from './i18n.js';
import { formatDate } from './locale.js';

const me = await startPage({ roles: ['admin'] });
let accounts = [];
let lastStatus = null; // () => node, re-rendered on a language change

function status(view) {
  lastStatus = view;
  $('#accounts-status').replaceChildren(view ? view() : '');
}

function ok(text) {
  return h('div', { class: 'notice notice-ok', role: 'status' }, h('p', {}, text));
}

async function load() {
  try {
    accounts = (await api('/api/v1/accounts')).accounts;
    render();
  } catch (err) {
    status(() => errorNotice(err));
  }
}

function render() {
  $('#accounts-intro').textContent = t('accounts.intro', { org: me.organisation.name });
  $('#accounts-count').textContent = t('accounts.count', { n: accounts.length });
  $('#account-rows').replaceChildren(...accounts.map((a) => {
    const self = a.id === me.id;
    return h('tr', { dataset: { id: a.id, email: a.email, disabled: String(a.disabled) } },
      h('td', {}, a.email, self ? [' ', h('span', { class: 'muted' }, t('accounts.you'))] : null),
      h('td', {}, a.name),
      h('td', {}, roleName(a.role)),
      h('td', {}, h('span', { class: 'badge ' + (a.disabled ? 'badge-danger' : 'badge-ok') }, a.disabled ? t('accounts.disabled') : t('accounts.active'))),
      h('td', { class: 'account-profile' },
        h('span', { class: 'account-unit' }, a.unit || '–'),
        a.licence_number ? [h('br'), h('span', { class: 'small account-licence' }, t('accounts.licence.short', { n: a.licence_number }))] : null),
      h('td', {}, formatDate(a.created_at)),
      h('td', { class: 'account-actions' }, h('button', {
        type: 'button', class: 'btn btn-small edit-profile', 'aria-label': t('accounts.profile.openLabel', { email: a.email }), onclick: (e) => openProfile(a, e.currentTarget),
      }, t('accounts.profile.open')), ' ', a.disabled
        ? h('button', { type: 'button', class: 'btn btn-small enable-account', 'aria-label': `${t('accounts.enable')} ${a.email}`, onclick: () => setDisabled(a, false) }, t('accounts.enable'))
        : h('button', { type: 'button', class: 'btn btn-small btn-danger disable-account', 'aria-label': `${t('accounts.disable')} ${a.email}`, onclick: () => setDisabled(a, true) }, t('accounts.disable'))));
  }));
}

async function setDisabled(account, disabled) {
  try {
    await api(`/api/v1/accounts/${account.id}/${disabled ? 'disable' : 'enable'}`, { method: 'POST' });
    status(() => ok(t(disabled ? 'accounts.disabled.done' : 'accounts.enabled.done', { email: account.email })));
    await load();
  } catch (err) {
    status(() => errorNotice(err, 'account-error'));
  }
}

const FIELDS = ['email', 'name', 'role', 'password', 'unit', 'licence_number'];
const PROFILE_FIELDS = ['unit', 'licence_number'];
let editing = null; // {account, opener} whose profile the dialog changes

function fieldError(id, text) {
  const p = $(`#${id}-error`);
  p.textContent = text || '';
  p.hidden = !text;
  if (text) $('#' + id).setAttribute('aria-invalid', 'true');
  else $('#' + id).removeAttribute('aria-invalid');
}

function openProfile(account, opener) {
  editing = { account, opener };
  $('#profile-target').textContent = t('accounts.profile.target', { name: account.name, email: account.email, role: roleName(account.role) });
  $('#profile-unit').value = account.unit || '';
  $('#profile-licence_number').value = account.licence_number || '';
  for (const f of PROFILE_FIELDS) fieldError(`profile-${f}`, '');
  $('#profile-error').replaceChildren();
  $('#profile-submit').disabled = false;
  $('#profile-dialog').showModal();
  $('#profile-unit').focus();
}

async function saveProfile(e) {
  e.preventDefault();
  if (!editing) return;
  const { account } = editing;
  for (const f of PROFILE_FIELDS) fieldError(`profile-${f}`, '');
  $('#profile-error').replaceChildren();
  const value = (f) => $(`#profile-${f}`).value.trim() || null;
  const body = { unit: value('unit'), licence_number: value('licence_number') };
  $('#profile-submit').disabled = true;
  try {
    const saved = await api(`/api/v1/accounts/${account.id}/profile`, { method: 'PUT', body });
    editing = null;
    $('#profile-dialog').close();
    // Said once the table shows it.
    await load();
    status(() => ok(t('accounts.profile.saved', { email: saved.email })));
    document.querySelector(`#account-rows tr[data-id="${saved.id}"] .edit-profile`)?.focus();
  } catch (err) {
    let first = null;
    for (const fe of err.errors || []) {
      if (!PROFILE_FIELDS.includes(fe.field)) continue;
      fieldError(`profile-${fe.field}`, fe.message);
      first = first || $(`#profile-${fe.field}`);
    }
    $('#profile-error').replaceChildren(errorNotice(err, 'profile-refused'));
    if (first) first.focus();
    $('#profile-submit').disabled = false;
  }
}

function clearFieldErrors() {
  for (const f of FIELDS) {
    const p = $(`#new-${f}-error`);
    p.hidden = true;
    p.textContent = '';
    $(`#new-${f}`).removeAttribute('aria-invalid');
  }
}

if (me) {
  render();
  await load();
  document.addEventListener('langchange', () => {
    render();
    if (lastStatus) status(lastStatus);
  });
  $('#profile-form').addEventListener('submit', saveProfile);
  $('#profile-cancel').addEventListener('click', () => $('#profile-dialog').close());
  $('#profile-dialog').addEventListener('close', () => {
    const back = editing && editing.opener;
    editing = null;
    if (back && back.isConnected) back.focus();
  });
  $('#create-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors();
    const body = {
      email: $('#new-email').value.trim(),
      name: $('#new-name').value.trim(),
      role: $('#new-role').value,
      password: $('#new-password').value,
    };
    // Unit and licence are optional: an empty field is left out.
    for (const f of ['unit', 'licence_number']) {
      const v = $(`#new-${f}`).value.trim();
      if (v) body[f] = v;
    }
    const btn = $('#create-submit');
    btn.disabled = true;
    try {
      const created = await api('/api/v1/accounts', { method: 'POST', body });
      status(() => ok(t('accounts.created', { email: created.email, role: roleName(created.role) })));
      $('#create-form').reset();
      await load();
    } catch (err) {
      status(() => errorNotice(err, 'create-error'));
      let first = null;
      for (const fe of err.errors || []) {
        if (!FIELDS.includes(fe.field)) continue;
        const p = $(`#new-${fe.field}-error`);
        p.textContent = fe.message;
        p.hidden = false;
        $(`#new-${fe.field}`).setAttribute('aria-invalid', 'true');
        first = first || $(`#new-${fe.field}`);
      }
      if (err.code === 'email_taken') {
        $('#new-email').setAttribute('aria-invalid', 'true');
        first = $('#new-email');
      }
      if (first) first.focus();
    } finally {
      btn.disabled = false;
    }
  });
}
