// Numbers, dates, clock times and error codes in the page language: the one place that knows the
// page's locale (id-ID or en-GB) and how an API error code becomes a sentence. Every page uses it
// (shell.js and take.js import it), so the pages cannot drift apart in how they write these.
import { has, lang, t } from './i18n.js';

/** The locale of the page language, for the Intl formatters. */
export function locale() {
  return lang() === 'en' ? 'en-GB' : 'id-ID';
}

/**
 * A number for people, with at most `digits` decimals. Something that is not a number is shown as
 * it is, and null or undefined as `empty`.
 */
export function formatNumber(n, digits = 2, empty = '–') {
  if (typeof n !== 'number') return n == null ? empty : String(n);
  return n.toLocaleString(locale(), { maximumFractionDigits: digits });
}

/** A number always shown with `digits` decimals, as estimates with their standard errors are read. */
export function formatFixed(n, digits = 2, empty = '–') {
  if (typeof n !== 'number') return n == null ? empty : String(n);
  return n.toLocaleString(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A count (of people, rows, events): 0 for nothing. */
export function formatCount(n) {
  return formatNumber(Number(n || 0), 3);
}

/** A date-time for people (ISO text, epoch milliseconds or a Date); the input as it is when it is no date. */
export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A calendar day as the API writes one without a time ("2026-11-30") for people: "30 Nov 2026".
 * Read as that day wherever the browser is (no time zone can move it); the input as it is when it
 * is no such day.
 */
export function formatDay(day) {
  const m = typeof day === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  if (!m) return day ?? '';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toLocaleDateString(locale(), { dateStyle: 'medium', timeZone: 'UTC' });
}

/**
 * A date-time in a campaign's time zone, named by its Indonesian abbreviation: "12 Des 2026, 16.00
 * WITA". `zone` is {code: "WIB" | "WITA" | "WIT", iana: "Asia/Makassar"}; without one, the
 * browser's own zone (formatDate).
 */
export function formatDateInZone(iso, zone) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (!zone || !zone.iana || !zone.code) return formatDate(iso);
  try {
    return `${d.toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: zone.iana })} ${zone.code}`;
  } catch {
    return formatDate(iso); // a browser without that zone's data
  }
}

/** The clock time of a moment ("14:05", or "14:05:09" with seconds); '' when it is no date. */
export function formatTime(when, { seconds = false } = {}) {
  const d = when instanceof Date ? when : new Date(when);
  if (when == null || Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString(locale(), seconds ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { hour: '2-digit', minute: '2-digit' });
}

/** "mm:ss" or "h:mm:ss" of a duration in milliseconds, rounded up to the second (as the candidate's countdown shows it). */
export function clockText(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hh = Math.floor(total / 3600);
  const mm = Math.floor((total % 3600) / 60);
  const ss = total % 60;
  const p = (n) => String(n).padStart(2, '0');
  return hh > 0 ? `${hh}:${p(mm)}:${p(ss)}` : `${p(mm)}:${p(ss)}`;
}

/**
 * An API error (or a skipped candidate's reason, {code, message}) as people read it: the page's
 * own sentence for the code under `prefix` ('take.err.', 'proctor.skip.') when there is one, then
 * the shared sentence under 'err.', else the API's words, else the code.
 */
export function errorText(err, prefix = null) {
  const code = err && err.code;
  if (code && prefix && has(prefix + code)) return t(prefix + code);
  if (code && has('err.' + code)) return t('err.' + code);
  return (err && err.message) || code || String(err ?? '');
}
