// The two dictionaries of the pages (frontend/js/i18n/id.js and en.js) against each other, against
// the keys the pages use, and against the error codes the server can send. Runs without a browser
// or a server: it only reads files.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');
const FRONTEND = path.join(ROOT, 'frontend');

/** A dictionary module's default export (loaded from its text, so no package.json decides how). */
async function dictionary(lang) {
  const text = await readFile(path.join(FRONTEND, 'js', 'i18n', `${lang}.js`), 'utf8');
  const mod = await import('data:text/javascript;base64,' + Buffer.from(text).toString('base64'));
  return mod.default;
}

async function filesUnder(dir, ext) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await filesUnder(full, ext));
    else if (entry.name.endsWith(ext)) out.push(full);
  }
  return out;
}

/** Every `data-i18n="key"` and every key of `data-i18n-attr="attr:key;attr:key"` in the pages. */
async function htmlKeys() {
  const keys = new Map(); // key → first file using it
  for (const file of await filesUnder(FRONTEND, '.html')) {
    const html = await readFile(file, 'utf8');
    for (const m of html.matchAll(/\sdata-i18n="([^"]+)"/g)) keys.set(m[1], keys.get(m[1]) ?? file);
    for (const m of html.matchAll(/\sdata-i18n-attr="([^"]+)"/g)) {
      for (const pair of m[1].split(';')) {
        const key = pair.split(':')[1]?.trim();
        if (key) keys.set(key, keys.get(key) ?? file);
      }
    }
  }
  return keys;
}

/**
 * Every key the scripts name in full: `t('key'…)`, `has('key')`, `i18n: 'key'` (a data-i18n set
 * from a script) and `data-i18n-attr': 'attr:key'`. Keys built at run time ('err.' + code) are
 * covered by the error-code test below, or not at all.
 */
async function scriptKeys() {
  const keys = new Map();
  const add = (key, file) => keys.set(key, keys.get(key) ?? file);
  for (const file of await filesUnder(path.join(FRONTEND, 'js'), '.js')) {
    if (file.includes(`${path.sep}i18n${path.sep}`)) continue;
    const js = await readFile(file, 'utf8');
    for (const m of js.matchAll(/\b(?:t|has)\(\s*'([^'\s]+)'\s*[,)]/g)) add(m[1], file);
    for (const m of js.matchAll(/\bi18n:\s*'([^'\s]+)'\s*[,}]/g)) add(m[1], file);
    for (const m of js.matchAll(/'data-i18n-attr':\s*'([^']+)'\s*[,}]/g)) {
      for (const pair of m[1].split(';')) add(pair.split(':')[1].trim(), file);
    }
  }
  return keys;
}

/**
 * The error codes the server sends, read from the one table of src/error.rs, whose rows read
 * `Variant = "wire_name" => STATUS,`.
 */
async function serverErrorCodes() {
  const rust = await readFile(path.join(ROOT, 'src', 'error.rs'), 'utf8');
  const codes = new Set();
  for (const m of rust.matchAll(/^\s*[A-Z][A-Za-z0-9]*\s*=\s*"([a-z][a-z0-9]*(?:_[a-z0-9]+)*)"\s*=>\s*[A-Z_]+\s*,/gm)) {
    codes.add(m[1]);
  }
  return [...codes].sort();
}

const id = await dictionary('id');
const en = await dictionary('en');

describe('the dictionaries', () => {
  test('Indonesian and English have exactly the same keys', () => {
    const onlyId = Object.keys(id).filter((k) => !(k in en));
    const onlyEn = Object.keys(en).filter((k) => !(k in id));
    assert.deepEqual({ onlyId, onlyEn }, { onlyId: [], onlyEn: [] });
  });

  test('every Indonesian text is a non-empty string, every English one too (or null for the API\'s own words)', () => {
    const badId = Object.entries(id).filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
    const badEn = Object.entries(en).filter(([, v]) => v !== null && (typeof v !== 'string' || v.trim() === '')).map(([k]) => k);
    assert.deepEqual({ badId, badEn }, { badId: [], badEn: [] });
    // null only stands for an error code's English server message.
    assert.deepEqual(Object.entries(en).filter(([k, v]) => v === null && !k.startsWith('err.')).map(([k]) => k), []);
  });

  test('every data-i18n key of the HTML pages exists in both languages', async () => {
    const keys = await htmlKeys();
    assert.ok(keys.size > 50, `only ${keys.size} data-i18n keys found: did the pages move?`);
    const missing = [...keys].filter(([k]) => !(k in id) || !(k in en)).map(([k, file]) => `${k} (${path.relative(ROOT, file)})`);
    assert.deepEqual(missing, []);
  });

  test("every literal t('…') key of the scripts exists in both languages", async () => {
    const keys = await scriptKeys();
    assert.ok(keys.size > 300, `only ${keys.size} literal keys found: did the scripts move?`);
    const missing = [...keys].filter(([k]) => !(k in id) || !(k in en)).map(([k, file]) => `${k} (${path.relative(ROOT, file)})`);
    assert.deepEqual(missing, []);
  });

  test('every error code of the server (src/error.rs) has an err.<code> text in both languages', async () => {
    const codes = await serverErrorCodes();
    assert.ok(codes.length >= 30, `only ${codes.length} error codes read from src/error.rs: did the table move?`);
    assert.ok(codes.includes('not_found') && codes.includes('invalid_credentials'), `unexpected codes: ${codes.join(', ')}`);
    const missing = codes.filter((c) => typeof id['err.' + c] !== 'string' || !('err.' + c in en)).map((c) => 'err.' + c);
    assert.deepEqual(missing, []);
  });
});
