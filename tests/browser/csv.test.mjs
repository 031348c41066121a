// The CSV files the campaign pages build in the browser: semicolon-separated, quoted when needed,
// and a text a spreadsheet would run as a formula kept as text (as the server's files do).
// Runs without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, codesCsv } from '../../frontend/js/campaigns-csv.js';

test('a text that a spreadsheet would run as a formula gets an apostrophe; numbers stay numbers', () => {
  assert.equal(csvField('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
  assert.equal(csvField('+62 812'), "'+62 812");
  assert.equal(csvField('-2+3'), "'-2+3");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField(-1.5), '-1.5');
  assert.equal(csvField('Budi; Santoso'), '"Budi; Santoso"');
  assert.equal(csvField(null), '');
});

test('the codes file the page builds matches the server\'s, formula-like names included', () => {
  const text = codesCsv([{ nip: '198503152010121001', name: '=HYPERLINK("http://x")', session: '@Sesi', code: '7KQ4M-XR9TD' }]);
  assert.equal(text, 'nip;name;session;code\n198503152010121001;"\'=HYPERLINK(""http://x"")";\'@Sesi;7KQ4M-XR9TD\n');
});
