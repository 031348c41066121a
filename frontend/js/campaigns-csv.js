// CSV and download helpers of the campaign pages: semicolon-separated files (what Excel with
// Indonesian regional settings reads), built in the browser, saved through a blob: link.
import { h } from './shell.js';

/** Columns of the participants file, in the order of the template. */
export const TEMPLATE_COLUMNS = ['nip', 'name', 'email', 'birth_date', 'education', 'job_level', 'position', 'unit', 'group', 'session'];

/**
 * One value, quoted when it holds a separator, a quote or a line break. A text that a spreadsheet
 * would run as a formula (it begins with =, +, -, @, a tab or a carriage return) gets an apostrophe
 * in front, as the server's files do; numbers stay numbers.
 */
export function csvField(v) {
  let s = v === null || v === undefined ? '' : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[;",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** Rows (arrays of values) as semicolon-separated text, one line each. */
export function toCsv(rows) {
  return rows.map((r) => r.map(csvField).join(';')).join('\n') + '\n';
}

/** The participants template: the header and one example row (in session `session`, if any). */
export function templateCsv(session) {
  return toCsv([
    TEMPLATE_COLUMNS,
    ['198503152010121001', 'Budi Santoso', 'budi.santoso@example.go.id', '1985-03-15', 'S1', 'Pengawas', 'Analis SDM Aparatur', 'BKPSDM', '', session || ''],
  ]);
}

/** Issued codes as the server's `?format=csv` writes them: nip;name;session;code. */
export function codesCsv(codes) {
  return toCsv([['nip', 'name', 'session', 'code'], ...codes.map((c) => [c.nip, c.name, c.session || '', c.code])]);
}

/** Saves a blob (or text) as a file through a temporary link. */
export function saveFile(name, content, type = 'text/csv;charset=utf-8') {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The file name a response names in its Content-Disposition, else `fallback`. */
export function dispositionName(res, fallback) {
  const cd = res.headers.get('content-disposition') || '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
  return m ? decodeURIComponent(m[1]) : fallback;
}

/** A file-name-safe form of a campaign name. */
export function slug(name) {
  return String(name || 'kampanye').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'kampanye';
}

/** sessionStorage key holding freshly issued codes for the printable cards of a campaign. */
export function cardsKey(campaignId) {
  return 'meritest.cards.' + campaignId;
}
