// What every staff page shares: DOM helpers, the top bar, the sign-in guard and error display.
import { api, clearSession, getToken, loginUrl, rememberAccount, roleHome, storedAccount } from './api.js';
import { has, initI18n, joinWords, lang, roleName, t } from './i18n.js';
import { errorText } from './locale.js';

/**
 * Creates an element. attrs: attributes, plus `class`, `text`, `dataset`, `on{Event}` handlers and
 * boolean properties (checked, disabled, hidden…). Children: nodes or strings (as text, never HTML).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) if (dv !== undefined && dv !== null) el.dataset[dk] = dv;
    }
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'checked' || k === 'disabled' || k === 'hidden' || k === 'open' || k === 'value') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);

/** Codes whose sentence says it all: the API's own words are not added below it. */
const QUIET_CODES = ['invalid_credentials', 'account_disabled', 'organisation_required', 'cannot_disable_self', 'network', 'forbidden', 'email_taken'];

/**
 * A notice element for an error: its sentence in the page language (errorText, with the page's own
 * key `prefix` first), its code, and the API's own words below when they add something: by default
 * for a translated code that is not quiet, or for the codes `telling(code)` names.
 */
export function errorNotice(err, extraClass = '', { prefix = null, telling = null, showCode = true } = {}) {
  const code = err && err.code;
  // Staff see the code (it is what support asks for); a candidate reads only the sentence, and the
  // code stays on the element for whoever helps them.
  const box = h('div', { class: 'notice notice-error ' + extraClass, role: 'alert', dataset: code ? { code } : {} },
    h('p', {}, h('span', { class: 'error-text' }, errorText(err, prefix)), showCode && code ? [' ', h('span', { class: 'code' }, `(${code})`)] : null));
  const addWords = telling ? telling(code) : code && has('err.' + code) && !QUIET_CODES.includes(code);
  if (addWords && err.message) box.append(h('p', { class: 'small server-message' }, `${t('error.server')}: ${err.message}`));
  return box;
}

/** A chosen file's text, or null when the browser cannot read it (then `show` gets the notice). */
export async function readChosenFile(file, show, noticeId = null) {
  try {
    return await file.text();
  } catch {
    show(() => h('div', { class: 'notice notice-error', role: 'alert', id: noticeId }, h('p', {}, t('import.readError'))));
    return null;
  }
}

/**
 * The table of a refused file's errors, one row per error: where it is (`at`: the error's key for
 * it, such as "item" or "row"; `missing`: the text when an error has none), the field and the
 * problem. `labels` are the i18n keys of the three column heads.
 */
export function errorsTable(id, errors, { at, labels, missing, atClass = null }) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'errors-table', id },
    h('thead', {}, h('tr', {}, labels.map((key, i) => h('th', { scope: 'col', class: i === 0 ? atClass : null }, t(key))))),
    h('tbody', {}, errors.map((e) => h('tr', { dataset: { [at]: e[at] ?? '', field: e.field } },
      h('td', { class: atClass }, e[at] == null ? missing : String(e[at])), h('td', {}, e.field), h('td', {}, e.message))))));
}

/** Shows a transient status line (success or error) in a container. */
export function showStatus(container, content) {
  container.replaceChildren(content);
  container.hidden = false;
}

const NAV = [
  { href: '/home', key: 'nav.home', roles: null },
  { href: '/bank', key: 'nav.bank', roles: ['admin', 'hr'] },
  { href: '/campaigns', key: 'campaigns.nav', roles: ['admin', 'hr'] },
  { href: '/results', key: 'nav.results', roles: ['admin', 'hr', 'assessor', 'psychologist'] },
  { href: '/assessment', key: 'assessment.nav', roles: ['admin', 'hr', 'psychologist'] },
  { href: '/assessor', key: 'assessor.nav', roles: ['assessor'] },
  { href: '/reports', key: 'reports.nav', roles: ['admin', 'hr', 'psychologist'] },
  { href: '/psychometrics', key: 'psy.nav', roles: ['admin', 'hr', 'psychologist'] },
  { href: '/competencies', key: 'nav.competencies', roles: ['admin', 'hr', 'assessor', 'psychologist'] },
  { href: '/people', key: 'people.nav', roles: ['admin', 'hr', 'assessor', 'psychologist'] },
  { href: '/proctor', key: 'nav.proctor', roles: ['admin', 'hr', 'proctor'] },
  { href: '/accounts', key: 'nav.accounts', roles: ['admin'] },
  { href: '/docs', key: 'nav.docs', roles: null },
];

/**
 * Draws the skip link and the top bar at the start of <body> (once): the brand, the main
 * navigation (filled by renderTopbar), who is signed in, the language toggle, a sign-in link on
 * public pages (`signIn`: its href) and the sign-out button (`signOutId`: its id); and the site
 * footer at the end of <body> unless `footer` is false. Every page gets the same bar from here; the
 * candidate page asks for it without navigation.
 */
export function renderShell({ nav = true, signIn = null, signOutId = 'sign-out', footer = true } = {}) {
  if ($('body > header.topbar')) return;
  const button = (attrs, key) => h('button', { type: 'button', class: 'btn btn-small btn-ghost', ...attrs }, key ? t(key) : null);
  const header = h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'm'), 'meritest'),
    nav ? h('nav', { class: 'topnav', id: 'topnav', 'aria-label': t('nav.main'), 'data-i18n-attr': 'aria-label:nav.main' }) : null,
    h('div', { class: 'topbar-end' },
      h('span', { class: 'who', id: 'who' }),
      button({ 'data-lang-toggle': '', lang: 'en' }),
      signIn ? h('a', { class: 'btn btn-small btn-ghost', id: 'sign-in-link', href: signIn, dataset: { i18n: 'nav.signin' } }, t('nav.signin')) : null,
      button({ id: signOutId, hidden: true, dataset: { i18n: 'nav.signout' } }, 'nav.signout')));
  document.body.prepend(h('a', { class: 'skip-link', href: '#main', dataset: { i18n: 'skip' } }, t('skip')), header);
  if (footer) document.body.append(h('footer', { class: 'site-footer', dataset: { i18n: 'footer' } }, t('footer')));
}

/** Fills the top bar for `account` (or the signed-out variant). */
export function renderTopbar(account) {
  const nav = $('#topnav');
  const here = location.pathname.replace(/\.html$/, '');
  if (nav) {
    const links = NAV.filter((l) => (account ? !l.roles || l.roles.includes(account.role) : l.href === '/docs'))
      .map((l) => h('a', { href: l.href, 'aria-current': here === l.href ? 'page' : null, dataset: { i18n: l.key } }, t(l.key)));
    nav.replaceChildren(...links);
  }
  const who = $('#who');
  if (who) {
    who.replaceChildren();
    if (account) {
      who.append(h('span', { class: 'who-name' }, account.name), ' · ', h('span', { class: 'who-role', dataset: { i18n: 'role.' + account.role } }, roleName(account.role)));
    }
  }
  const out = $('#sign-out');
  if (out) {
    out.hidden = !account;
    if (!out.dataset.wired) {
      out.dataset.wired = '1';
      out.addEventListener('click', signOut);
    }
  }
  const signIn = $('#sign-in-link');
  if (signIn) signIn.hidden = !!account;
}

/** Revokes the token (best effort), forgets it and returns to the sign-in form. */
export async function signOut() {
  try {
    if (getToken()) await api('/api/v1/auth/logout', { method: 'POST', redirectOn401: false });
  } catch {
    /* the token may already be invalid: signing out locally is what matters */
  }
  clearSession();
  location.assign('/login?reason=signed_out');
}

/**
 * Starts a staff page: translations, then the signed-in account (from /auth/me). Without a token
 * the page goes to the sign-in form. When the role is not in `roles` a clear message replaces the
 * page content and null is returned.
 */
export async function startPage({ roles = null, content = '#content' } = {}) {
  renderShell();
  initI18n();
  if (!getToken()) {
    location.replace(loginUrl());
    return new Promise(() => {});
  }
  renderTopbar(storedAccount());
  let me;
  try {
    me = await api('/api/v1/auth/me');
  } catch (err) {
    if (err.status === 401) return new Promise(() => {}); // api() is already redirecting
    const main = $('main');
    main.prepend(errorNotice(err));
    return null;
  }
  rememberAccount(me);
  renderTopbar(me);
  if (roles && !roles.includes(me.role)) {
    showAccessDenied(me, roles);
    return null;
  }
  const el = $(content);
  if (el) el.hidden = false;
  return me;
}

function showAccessDenied(me, roles) {
  const main = $('main');
  const render = () => {
    const box = h('div', { class: 'notice notice-warn', id: 'access-denied', role: 'alert' },
      h('p', {}, t('access.denied', { roles: joinWords(roles.map(roleName)), role: roleName(me.role), email: me.email })),
      h('p', {}, h('a', { href: roleHome(me.role) }, t('access.home'))));
    const old = $('#access-denied');
    if (old) old.replaceWith(box);
    else main.prepend(box);
  };
  render();
  document.addEventListener('langchange', render);
}

/**
 * Starts a page that anyone may open (landing, sign-in, API reference); `signIn` is the href of
 * the top bar's sign-in link, when the page has one; `footer: false` leaves the footer out.
 * Returns the stored account.
 */
export function startPublicPage({ signIn = null, footer = true } = {}) {
  renderShell({ signIn, footer });
  initI18n();
  const account = getToken() ? storedAccount() : null;
  renderTopbar(account);
  document.addEventListener('langchange', () => renderTopbar(getToken() ? storedAccount() : null));
  return account;
}

export { lang };
