// Staff accounts of the administrator's organisation: list, create, disable and enable.
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
      h('td', {}, formatDate(a.created_at)),
      h('td', {}, a.disabled
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

const FIELDS = ['email', 'name', 'role', 'password'];

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
  $('#create-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFieldErrors();
    const body = {
      email: $('#new-email').value.trim(),
      name: $('#new-name').value.trim(),
      role: $('#new-role').value,
      password: $('#new-password').value,
    };
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
