// The instrument exchange format, rendered from /docs/instrument-format.md.
import { renderMarkdown } from './markdown.js';
import { $, errorNotice, startPublicPage } from './shell.js';

startPublicPage({ signIn: '/login' });
try {
  const res = await fetch('/docs/instrument-format.md');
  if (!res.ok) throw Object.assign(new Error(res.statusText), { code: 'http_' + res.status });
  $('#format-doc').replaceChildren(...renderMarkdown(await res.text()));
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
} catch (err) {
  $('#format-doc').replaceChildren(errorNotice(err));
}
