// Bahasa Indonesia by default, English on request; the choice is kept in localStorage.
// Static text carries data-i18n="key" (and data-i18n-attr="attr:key;attr:key"); dynamic text asks t().
// Bilingual content from the API ({id, en}) is shown with tx(). The dictionaries are i18n/id.js and
// i18n/en.js, one per language with the same keys; numbers, dates and error codes are in locale.js.

import en from './i18n/en.js';
import id from './i18n/id.js';

const LANG_KEY = 'meritest.lang';

const STRINGS = { id, en };

/** The language in force: "id" (default) or "en". */
export function lang() {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

/** Whether a translation exists for key in the current language (null entries mean "use the API's words"). */
export function has(key) {
  const v = STRINGS[lang()][key];
  return v !== undefined && v !== null;
}

/** A UI string with {placeholders} filled. Falls back to Indonesian, then to the key. */
export function t(key, vars) {
  return tIn(lang(), key, vars);
}

/** A UI string in a given language ("id" or "en"), whatever the page language (a printed card's words). */
export function tIn(language, key, vars) {
  let s = (STRINGS[language] || STRINGS.id)[key];
  if (s === undefined || s === null) s = STRINGS.id[key];
  if (s === undefined || s === null) s = key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  return s;
}

/** Bilingual API text {id, en}: English when asked for and present, else Indonesian. */
export function tx(text) {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  if (lang() === 'en' && typeof text.en === 'string' && text.en.trim() !== '') return text.en;
  return text.id ?? text.en ?? '';
}

/** Fills every data-i18n element and attribute under root, and the page language. */
export function applyTranslations(root = document) {
  document.documentElement.lang = lang();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
  for (const btn of document.querySelectorAll('[data-lang-toggle]')) {
    btn.textContent = t('lang.toggle');
    btn.setAttribute('lang', lang() === 'id' ? 'en' : 'id');
    // The accessible name is the visible word (WCAG 2.5.3); the longer sentence is its description.
    btn.removeAttribute('aria-label');
    btn.setAttribute('title', t('lang.toggle.label'));
  }
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n) + (title.dataset.suffix || '');
}

/** Switches the language, re-translates the page and tells the page module (event "langchange"). */
export function setLang(l) {
  try {
    localStorage.setItem(LANG_KEY, l === 'en' ? 'en' : 'id');
  } catch {
    /* private mode: the toggle still works for this page */
  }
  applyTranslations();
  document.dispatchEvent(new CustomEvent('langchange', { detail: { lang: lang() } }));
}

/** Wires every [data-lang-toggle] button and translates the page once. */
export function initI18n() {
  applyTranslations();
  document.addEventListener('click', (e) => {
    const btn = e.target.closest && e.target.closest('[data-lang-toggle]');
    if (btn) setLang(lang() === 'id' ? 'en' : 'id');
  });
  // Another tab changed the language.
  window.addEventListener('storage', (e) => {
    if (e.key === LANG_KEY) {
      applyTranslations();
      document.dispatchEvent(new CustomEvent('langchange', { detail: { lang: lang() } }));
    }
  });
}

/** A role's display name. */
export function roleName(role) {
  return t('role.' + role);
}

/** Formats a list of words: "a, b dan c". */
export function joinWords(words) {
  if (words.length <= 1) return words.join('');
  return words.slice(0, -1).join(', ') + ' ' + t('and') + ' ' + words[words.length - 1];
}
