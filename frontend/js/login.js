// Staff sign-in: shows the API's error, and on success sends each role to its page
// (admin and HR to the item bank, everyone else home), or back to the page that asked for sign-in.
import { api, roleHome, roleMayOpen, safeNext, saveSession } from './api.js';
import { $, errorNotice, h, startPublicPage } from './shell.js';
import { t } from './i18n.js';

const account = startPublicPage({ footer: false });
const params = new URLSearchParams(location.search);
const form = $('#login-form');
const errorBox = $('#login-error');
const submit = $('#login-submit');
const notice = $('#login-notice');
const organisationField = $('#organisation-field');
const organisation = $('#organisation');

function renderNotice() {
  const reason = params.get('reason');
  notice.replaceChildren();
  if (account) {
    notice.append(h('div', { class: 'notice notice-info' },
      h('p', {}, t('login.already', { name: account.name }), ' ', h('a', { href: roleHome(account.role) }, t('login.continue')))));
  } else if (reason === 'expired') {
    notice.append(h('div', { class: 'notice notice-warn', role: 'status' }, h('p', {}, t('login.expired'))));
  } else if (reason === 'signed_out') {
    notice.append(h('div', { class: 'notice notice-ok', role: 'status' }, h('p', {}, t('login.signedout'))));
  }
  notice.hidden = notice.childElementCount === 0;
}
renderNotice();

let lastError = null;
function renderError() {
  errorBox.replaceChildren(lastError ? errorNotice(lastError, 'login-error') : '');
}
document.addEventListener('langchange', () => {
  renderNotice();
  renderError();
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const email = $('#email').value.trim();
  const password = $('#password').value;
  const body = { email, password };
  if (!organisationField.hidden) body.organisation = organisation.value;
  lastError = null;
  renderError();
  submit.disabled = true;
  submit.textContent = t('login.busy');
  try {
    const outcome = await api('/api/v1/auth/login', { method: 'POST', body, auth: false });
    saveSession(outcome);
    const role = outcome.account.role;
    const next = safeNext(params.get('next'));
    location.assign(next && roleMayOpen(role, next) ? next : roleHome(role));
  } catch (err) {
    lastError = err;
    renderError();
    if (err.code === 'organisation_required' && Array.isArray(err.errors)) {
      // One address and password open accounts in several organisations: the API lists them.
      organisation.replaceChildren(...err.errors.map((o) => h('option', { value: o.item }, `${o.message} (${o.item})`)));
      organisationField.hidden = false;
      organisation.focus();
      submit.disabled = false;
      submit.textContent = t('login.submit');
      return;
    }
    $('#password').select();
    submit.disabled = false;
    submit.textContent = t('login.submit');
  }
});
