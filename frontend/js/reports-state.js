// What every part of the reports page shares: the campaign, who is looking, the campaign's
// reports as last read, and how a file is fetched with the token and saved, with its SHA-256
// checked against the one recorded at release.
import { api } from './api.js';
import { h } from './shell.js';
import { t } from './i18n.js';
import { formatNumber } from './locale.js';
import { dispositionName, saveFile } from './campaigns-csv.js';

export const state = {
  me: null,
  campaignId: null,
  campaign: null, // the campaign (HR and admin may read it), or {name} from the overview, or null
  list: null, // GET /campaigns/{id}/reports: {participants_may_download, reports, summary}
  selected: new Set(), // participant ids chosen for a release
};

/** Whether the viewer manages the campaign (its settings); psychologists release, the others read. */
export function manages() {
  return state.me && (state.me.role === 'admin' || state.me.role === 'hr');
}

/** Whether the viewer releases reports (psychologists only). */
export function releases() {
  return state.me && state.me.role === 'psychologist';
}

/** The psychologist's licence number (SIPP), or '' when their account has none. */
export function licence() {
  return (state.me && typeof state.me.licence_number === 'string' ? state.me.licence_number : '').trim();
}

/** Whether the viewer can release now: a psychologist whose account holds a licence number. */
export function mayRelease() {
  return releases() && licence() !== '';
}

/** The campaign's API path with `rest` after it. */
export function campaignPath(rest = '') {
  return `/api/v1/campaigns/${encodeURIComponent(state.campaignId)}${rest}`;
}

/** A success notice. */
export function ok(text, id) {
  return h('div', { class: 'notice notice-ok', role: 'status', id: id || null }, h('p', {}, text));
}

/** A report language's name in the page language. */
export function languageName(code) {
  return t(code === 'en' ? 'reports.lang.en' : 'reports.lang.id');
}

/** The first twelve hex digits of a SHA-256: enough to tell versions apart at a glance. */
export function shortHash(hash) {
  return hash ? hash.slice(0, 12) + '…' : '';
}

/** A file size in KB (one decimal) or MB. */
export function sizeText(bytes) {
  if (bytes >= 1024 * 1024) return t('reports.size.mb', { n: formatNumber(bytes / (1024 * 1024), 1) });
  return t('reports.size.kb', { n: formatNumber(Math.max(bytes, 1) / 1024, 1) });
}

/** The hex SHA-256 of a blob, or null where the browser cannot compute one (not a secure context). */
async function sha256(blob) {
  if (!globalThis.crypto || !crypto.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Fetches a file of the API with the token and saves it as `name`, or else under the name the
 * answer gives (Content-Disposition) or `fallback`. Returns {file, hash, verified}: `hash` is the SHA-256 the
 * server sent (X-Content-SHA256) and `verified` whether the bytes received hash to `expect`
 * (null when there is nothing to compare or the browser cannot hash).
 */
export async function download(path, { query, name = null, fallback = 'laporan.pdf', accept = 'application/pdf', expect = null } = {}) {
  const res = await api(path, { query, raw: true, headers: { Accept: accept } });
  const file = name || dispositionName(res, fallback);
  const blob = await res.blob();
  const hash = res.headers.get('X-Content-SHA256');
  let verified = null;
  if (expect) {
    const computed = await sha256(blob).catch(() => null);
    verified = computed ? computed === expect && (!hash || hash === expect) : null;
  }
  saveFile(file, blob);
  return { file, hash, verified };
}

/**
 * The notice after a download: the file's name, and for a released version whether its SHA-256
 * matches the one recorded at release.
 */
export function downloaded({ file, verified }, id) {
  if (verified === false) {
    return h('div', { class: 'notice notice-error', role: 'alert', id }, h('p', {}, t('reports.download.mismatch', { file })));
  }
  return h('div', { class: 'notice notice-ok', role: 'status', id }, h('p', {}, t('reports.download.done', { file })),
    verified ? h('p', { class: 'small rp-verified' }, t('reports.download.verified')) : null);
}
