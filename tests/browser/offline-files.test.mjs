// The candidate page's service worker (frontend/take-sw.js) keeps every file the page loads, so a
// reload without the network works: its FILES list must be exactly /take, the style sheets the
// page links and the modules it loads with their imports, followed transitively. Reads files
// only; needs neither a server nor a browser.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

const FRONTEND = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../frontend');

async function read(rel) {
  return readFile(path.join(FRONTEND, rel), 'utf8');
}

/** Every module reachable from `entry` through static and dynamic imports (paths from the site root). */
async function moduleClosure(entry) {
  const seen = new Set();
  const visit = async (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = await read(file);
    for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s+'([^']+)'/g)) {
      const spec = m[1] || m[2] || m[3];
      await visit(path.posix.resolve(path.posix.dirname(file), spec));
    }
  };
  await visit(entry);
  return seen;
}

test('the service worker keeps exactly the files the candidate page loads', async () => {
  const html = await read('take.html');
  const expected = new Set(['/take']);
  for (const m of html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)) expected.add(m[1]);
  for (const m of html.matchAll(/<script[^>]+src="([^"]+)"/g)) for (const f of await moduleClosure(m[1])) expected.add(f);
  const worker = await read('take-sw.js');
  const list = worker.match(/const FILES = \[([\s\S]*?)\];/);
  assert.ok(list, 'take-sw.js has a FILES list');
  const files = [...list[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
  assert.equal(new Set(files).size, files.length, 'no file is listed twice');
  assert.deepEqual([...files].sort(), [...expected].sort());
});
