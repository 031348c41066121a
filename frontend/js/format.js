// The instrument exchange format, rendered from /docs/instrument-format.md.
import { renderMarkdown } from './markdown.js';
import { $, errorNotice, startPublicPage } from './shell.js';

startPublicPage({ signIn: '/login' });
try {
  const res = await fetch('/docs/instrument-format.md');
  if (!res.ok) throw Object.assign(new Error(res.statusText), { code: 'http_' + res.status });
  const doc = $('#format-doc');
  doc.replaceChildren(...renderMarkdown(await res.text()));
  // The document is written in English whatever the page language (WCAG 3.1.2, language of parts);
  // set only now, so the translated "loading" line before it keeps the page language.
  doc.lang = 'en';
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
} catch (err) {
  $('#format-doc').replaceChildren(errorNotice(err));
}
