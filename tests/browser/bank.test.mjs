// The item bank: the demo instruments, items rendered as candidates see them (figures, English,
// the scoring key), import with a dry run first, export and retire.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { DEMO, apiCall, apiToken, newPage, setup, signIn } from './server.mjs';

const DEMO_CODES = ['FIGURAL', 'IPIP-BFM-50', 'NUM-ADAPTIF', 'NUM-SERIES', 'SJT-ASN', 'VERBAL-ID', 'WORK-PREF', 'WORK-STYLE'];

/** A small valid instrument: one single-choice and one numeric-entry item. */
function goodInstrument(code) {
  return {
    format: 'meritest.instrument/1',
    code,
    version: 1,
    kind: 'cognitive',
    name: { id: `Uji peramban ${code}`, en: `Browser test ${code}` },
    source: 'Written for the meritest browser tests, CC0',
    scales: [{ code: 'NUM', name: { id: 'Numerik', en: 'Numerical' } }],
    items: [
      {
        code: 'T-01', format: 'single_choice', scale: 'NUM',
        stem: { id: 'Berapakah 2 + 3?', en: 'What is 2 + 3?' },
        options: [{ id: 'a', text: { id: '4' } }, { id: 'b', text: { id: '5' } }, { id: 'c', text: { id: '6' } }],
        key: 'b',
      },
      {
        code: 'T-02', format: 'numeric_entry', scale: 'NUM',
        stem: { id: 'Berapakah 15% dari 240?', en: 'What is 15% of 240?' },
        answer: 36, tolerance: 0,
      },
    ],
  };
}

/** An instrument with exactly three errors, each in a different item. */
const BAD_INSTRUMENT = {
  format: 'meritest.instrument/1',
  code: 'BAD-TEST',
  version: 1,
  kind: 'cognitive',
  name: { id: 'Berkas rusak' },
  source: 'Written for the meritest browser tests, CC0',
  scales: [{ code: 'NUM', name: { id: 'Numerik' } }],
  items: [
    {
      code: 'B-01', format: 'single_choice', scale: 'NUM', stem: { id: '1 + 1 = ?' },
      options: [{ id: 'a', text: { id: '2' } }, { id: 'b', text: { id: '3' } }], key: 'e',
    },
    { code: 'B-02', format: 'numeric_entry', scale: 'NUM', stem: { id: '2 + 2 = ?' }, answer: 4, tolerance: -1 },
    {
      code: 'B-03', format: 'forced_choice',
      statements: [{ id: 'a', text: { id: 'Saya teliti.' }, scale: 'NUM' }, { id: 'b', text: { id: 'Saya cepat.' }, scale: 'ZZ' }],
    },
  ],
};

async function rowCodes(page) {
  return page.locator('#instrument-rows tr').evaluateAll((rows) => rows.map((r) => r.dataset.code));
}

/** Waits until the list shows exactly n rows. */
async function waitForRows(page, n) {
  await page.waitForFunction((count) => document.querySelectorAll('#instrument-rows tr').length === count && document.querySelector('#list-count').textContent !== '', n);
}

async function openInstrument(page, code) {
  await page.click(`#instrument-rows tr[data-code="${code}"] button.open-instrument`);
  await page.waitForFunction((c) => {
    const h = document.querySelector('#detail:not([hidden]) .meta .badge');
    return h && h.textContent.startsWith(c + ' v');
  }, code);
}

/** The staff view of an instrument, read by the page with its own token. */
function detailOf(page, code) {
  return page.evaluate(async (c) => {
    const headers = { authorization: 'Bearer ' + sessionStorage.getItem('meritest.token') };
    const list = await (await fetch('/api/v1/instruments?status=all', { headers })).json();
    const i = list.instruments.find((x) => x.code === c);
    return (await fetch('/api/v1/instruments/' + i.id, { headers })).json();
  }, code);
}

describe('item bank', () => {
  let env;
  before(async () => {
    env = await setup();
  });
  after(async () => {
    await env?.stop();
  });

  test('hr signs in, lands on /bank and sees the eight demo instruments', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    assert.equal(new URL(page.url()).pathname, '/bank');
    await waitForRows(page, 8);
    assert.deepEqual(await rowCodes(page), DEMO_CODES);
    assert.equal(await page.locator('#list-count').textContent(), '8 instrumen');
    assert.deepEqual(
      await page.locator('#instrument-rows tr').evaluateAll((rows) => rows.map((r) => r.dataset.status)),
      Array(8).fill('active'),
    );
    assert.deepEqual(await page.locator('#topnav a').allTextContents(), ['Beranda', 'Bank soal', 'Kampanye', 'Hasil kompetensi', 'Assessment center', 'Laporan', 'Psikometri', 'Kompetensi', 'Pegawai', 'Pengawasan', 'Referensi API']);
    await expectAccessible(page, 'the item bank list');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the figural instrument shows its figures loaded, English on request and the key on request', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await waitForRows(page, 8);
    await openInstrument(page, 'FIGURAL');
    const detail = await detailOf(page, 'FIGURAL');
    const items = page.locator('#items > li.item');
    assert.equal(await items.count(), detail.items.length);

    // Every figure the items name is fetched with the token and actually decoded.
    const expectedImages = detail.items.reduce((n, it) => n + (it.image ? 1 : 0) + (it.options || []).filter((o) => o.image).length, 0);
    assert.ok(expectedImages > 0, 'the figural demo instrument has figures');
    await page.waitForFunction((n) => {
      const imgs = [...document.querySelectorAll('#items img')];
      return imgs.length === n && imgs.every((img) => img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:'));
    }, expectedImages, { timeout: 20_000 });
    assert.equal(await page.locator('#items .img-error').count(), 0);

    // Norm tables of the demo are marked illustrative.
    assert.equal(await page.locator('#norms tbody tr').count(), detail.norms.length);
    assert.equal(await page.locator('#norms .norm-illustrative').count(), detail.norms.filter((n) => n.illustrative).length);
    if (detail.norms.some((n) => n.illustrative)) assert.ok(await page.locator('#illustrative-note').isVisible());

    // Indonesian first, English after the toggle.
    const first = detail.items.find((it) => it.stem && it.stem.en && it.stem.en !== it.stem.id) || detail.items[0];
    const stem = page.locator(`[id="item-${first.code}"] .stem`);
    assert.equal(await stem.textContent(), first.stem.id);
    await page.locator('.view-options [data-lang-toggle]').click();
    assert.equal(await stem.textContent(), first.stem.en ?? first.stem.id);
    assert.equal(await page.locator('#detail-title').textContent(), detail.name.en ?? detail.name.id);
    assert.equal(await page.locator('label[for="show-key"]').textContent(), 'Show scoring key');
    // Figures survive the re-render.
    await page.waitForFunction(() => [...document.querySelectorAll('#items img')].every((img) => img.complete && img.naturalWidth > 0));

    // The key is hidden until asked for, then the keyed option is marked.
    const keyed = detail.items.find((it) => it.format === 'single_choice');
    const keyOption = page.locator(`[id="item-${keyed.code}"] label.option[data-option="${keyed.key}"]`);
    assert.equal(await keyOption.locator('.key-mark').isVisible(), false);
    assert.equal(await page.locator('#items .key-panel:visible').count(), 0);
    await page.check('#show-key');
    assert.equal(await keyOption.locator('.key-mark').isVisible(), true);
    assert.equal(await keyOption.locator('.key-mark').textContent(), '✓ Key');
    assert.equal(await page.locator(`[id="item-${keyed.code}"] .key-mark:visible`).count(), 1);
    assert.equal(await page.locator('#items .key-panel:visible').count(), detail.items.length);
    await expectAccessible(page, 'the figural instrument in English with its figures and scoring key');

    // A picture of the page with an item open, on a desktop and on a phone; kept when
    // MERITEST_SCREENSHOT_DIR names a folder, so a person can look at it.
    const dir = process.env.MERITEST_SCREENSHOT_DIR;
    if (dir) await mkdir(dir, { recursive: true });
    for (const [name, viewport] of [['bank-figural.png', { width: 1280, height: 900 }], ['bank-figural-phone.png', { width: 390, height: 844 }]]) {
      await page.setViewportSize(viewport);
      await page.locator(`[id="item-${keyed.code}"]`).scrollIntoViewIfNeeded();
      const png = await page.screenshot();
      assert.equal(png.subarray(1, 4).toString(), 'PNG');
      if (dir) await writeFile(path.join(dir, name), png);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('every item format is rendered as a candidate sees it, with its key on request', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await page.waitForSelector('#instrument-rows tr[data-code="WORK-STYLE"]');
    const seen = new Set();
    for (const code of DEMO_CODES) {
      await openInstrument(page, code);
      const d = await detailOf(page, code);
      assert.equal(await page.locator('#items > li.item').count(), d.items.length, code);
      assert.equal(await page.locator('#scales tbody tr').count(), d.scales.length, code);
      await page.check('#show-key');
      for (const it of d.items) {
        seen.add(it.format);
        const li = page.locator(`[id="item-${it.code}"]`);
        const where = `${code} ${it.code}`;
        switch (it.format) {
          case 'single_choice':
            assert.equal(await li.locator('label.option input[type=radio]').count(), it.options.length, where);
            assert.equal(await li.locator('label.option.is-key').getAttribute('data-option'), it.key, where);
            break;
          case 'weighted_options':
            assert.equal(await li.locator('label.option').count(), it.options.length, where);
            assert.deepEqual(await li.locator('.weight').evaluateAll((els) => els.map((e) => Number(e.dataset.weight))), it.options.map((o) => o.weight), where);
            break;
          case 'likert':
            assert.equal(await li.locator('.likert label.option').count(), d.likert_anchors.length, where);
            assert.deepEqual(await li.locator('.likert .option-text').allTextContents(), d.likert_anchors.map((a) => a.id), where);
            assert.equal(await li.locator('.key-panel').getAttribute('data-reverse'), it.reverse ? 'true' : null, where);
            break;
          case 'forced_choice':
            assert.equal(await li.locator('.pair label.option').count(), 2, where);
            assert.deepEqual(await li.locator('.pair .option-text').allTextContents(), it.statements.map((s) => s.text.id), where);
            assert.equal(await li.locator('.statement-scale:visible').count(), 2, where);
            break;
          case 'most_least':
            assert.equal(await li.locator('table.most-least tbody tr').count(), 4, where);
            assert.equal(await li.locator('table.most-least input[type=radio]').count(), 8, where);
            assert.deepEqual(await li.locator('table.most-least thead th').allTextContents(), ['Pernyataan', 'Paling sesuai', 'Paling tidak sesuai'], where);
            break;
          case 'numeric_entry':
            assert.equal(await li.locator('.numeric-entry input[inputmode=decimal]').count(), 1, where);
            assert.ok((await li.locator('.key-panel').textContent()).includes(
              `Jawaban: ${it.answer.toLocaleString('id-ID', { maximumFractionDigits: 6 })}; toleransi ± ${(it.tolerance ?? 0).toLocaleString('id-ID', { maximumFractionDigits: 6 })}.`), where);
            break;
          default:
            assert.fail(`unknown format ${it.format} in ${where}`);
        }
      }
      await expectAccessible(page, `the items of ${code} with the scoring key shown`);
    }
    assert.deepEqual([...seen].sort(), ['forced_choice', 'likert', 'most_least', 'numeric_entry', 'single_choice', 'weighted_options']);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a bad instrument file shows every error by item and field and imports nothing', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await waitForRows(page, 8);
    await page.setInputFiles('#import-file', {
      name: 'bad-test.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(BAD_INSTRUMENT)),
    });
    const panel = page.locator('#import-panel');
    await panel.locator('#import-errors').waitFor();
    assert.equal(await panel.locator('h2').textContent(), 'bad-test.json tidak dapat diimpor; tidak ada yang disimpan.');
    assert.equal(await panel.locator('.import-error .code').textContent(), '(invalid_instrument)');
    const rows = await panel.locator('#import-errors tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(rows, [
      ['B-01', 'items[0].key', "key 'e' is not one of the options a, b"],
      ['B-02', 'items[1].tolerance', 'must be a number of at least 0'],
      ['B-03', 'items[2].statements[1].scale', "unknown scale 'ZZ'"],
    ]);
    assert.equal(await page.locator('#import-confirm').count(), 0);
    await expectAccessible(page, 'the import panel listing the errors of a bad file');

    // Nothing was stored, in any status.
    await page.selectOption('#status-filter', 'all');
    await waitForRows(page, 8);
    assert.deepEqual(await rowCodes(page), DEMO_CODES);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a valid file is checked in a dry run, imported on confirmation and appears in the list', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await waitForRows(page, 8);
    await page.setInputFiles('#import-file', {
      name: 'browser-test.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(goodInstrument('BROWSER-TEST'))),
    });
    const valid = page.locator('#import-valid');
    await valid.waitFor();
    assert.equal(await valid.textContent(), 'Valid: BROWSER-TEST versi 1, 2 butir, 0 tabel norma. Belum ada yang disimpan.');
    // The dry run stored nothing.
    const token = await page.evaluate(() => sessionStorage.getItem('meritest.token'));
    const before = await apiCall(env.base, token, 'GET', '/api/v1/instruments?status=all');
    assert.equal(before.json.instruments.length, 8);
    await expectAccessible(page, 'the import panel after a valid dry run');

    await page.click('#import-confirm');
    const done = page.locator('#import-done');
    await done.waitFor();
    assert.equal(await done.textContent(), 'Diimpor: BROWSER-TEST versi 1 (2 butir).');
    await waitForRows(page, 9);
    assert.deepEqual(await rowCodes(page), ['BROWSER-TEST', ...DEMO_CODES]);
    assert.equal(await page.locator('#instrument-rows tr[data-code="BROWSER-TEST"] .instrument-name').textContent(), 'Uji peramban BROWSER-TEST');
    await expectAccessible(page, 'the item bank after an import');

    // The same file again is refused by its dry run: that version exists.
    await page.setInputFiles('#import-file', {
      name: 'browser-test.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(goodInstrument('BROWSER-TEST'))),
    });
    await page.locator('#import-panel .import-error').waitFor();
    assert.equal(await page.locator('#import-panel .import-error .code').textContent(), '(instrument_version_exists)');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('retiring an instrument hides it from the active list and lists it among the retired', async () => {
    const admin = await apiToken(env.base, DEMO.admin);
    const imported = await apiCall(env.base, admin, 'POST', '/api/v1/instruments/import', goodInstrument('RETIRE-TEST'));
    assert.equal(imported.status, 201, imported.text);

    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await page.waitForSelector('#instrument-rows tr[data-code="RETIRE-TEST"]');
    const activeBefore = await rowCodes(page);
    await openInstrument(page, 'RETIRE-TEST');
    await page.click('#retire-btn');
    const dialog = page.locator('#retire-dialog');
    assert.ok(await dialog.isVisible());
    assert.match(await dialog.locator('#retire-body').textContent(), /^Uji peramban RETIRE-TEST \(RETIRE-TEST versi 1\)/);
    await expectAccessible(page, 'the retire dialog');
    await page.click('#retire-confirm');
    await page.locator('#bank-status .notice-ok').waitFor();
    assert.equal(await page.locator('#bank-status').textContent(), 'RETIRE-TEST versi 1 telah dipensiunkan.');
    await waitForRows(page, activeBefore.length - 1);
    assert.deepEqual(await rowCodes(page), activeBefore.filter((c) => c !== 'RETIRE-TEST'));
    // The open instrument now says it is retired and offers no retire button.
    assert.equal(await page.locator('#detail .meta [data-status]').textContent(), 'Dipensiunkan');
    assert.equal(await page.locator('#retire-btn').count(), 0);

    await page.selectOption('#status-filter', 'retired');
    await waitForRows(page, 1);
    assert.deepEqual(await rowCodes(page), ['RETIRE-TEST']);
    await expectAccessible(page, 'the list of retired instruments beside a retired instrument');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('export downloads the instrument as an exchange document', async () => {
    const page = await newPage(env.browser, env.base, { acceptDownloads: true });
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await page.waitForSelector('#instrument-rows tr[data-code="NUM-SERIES"]');
    await openInstrument(page, 'NUM-SERIES');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-btn')]);
    assert.equal(download.suggestedFilename(), 'NUM-SERIES-v1.json');
    const doc = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(doc.format, 'meritest.instrument/1');
    assert.equal(doc.code, 'NUM-SERIES');
    assert.equal(doc.version, 1);
    assert.equal(await page.locator('#bank-status').textContent(), 'Berkas NUM-SERIES-v1.json diunduh.');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
