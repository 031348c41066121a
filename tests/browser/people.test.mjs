// Performance and discipline (/people): HR imports SKP ratings and discipline records from CSV
// files (a dry run that names every bad row, then the import) and looks a person up by NIP; other
// roles are refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { DEMO, newPage, setup, signIn } from './server.mjs';

const BUDI = '198503152010121001';
const SITI = '199001012015032045';
// The server's year: the years a record may be for end with it.
const YEAR = new Date().getUTCFullYear();

describe('performance and discipline', () => {
  let env;
  before(async () => {
    env = await setup();
  });
  after(async () => {
    await env?.stop();
  });

  async function hrOnPeople() {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await page.goto('/people');
    await page.locator('#ratings-file').waitFor({ state: 'attached' });
    return page;
  }

  const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

  async function lookUp(page, nip) {
    await page.fill('#lookup-nip', nip);
    await page.click('#lookup-submit');
    await page.locator('#lookup-for').waitFor();
  }

  const rowTexts = (page, table) => page.locator(`${table} tbody tr`).evaluateAll((rows) => rows.map((r) => [...r.cells].slice(0, -1).map((c) => c.textContent)));

  test('HR finds the page in the navigation, fixes a refused ratings file, imports it and looks the person up', async () => {
    const page = await hrOnPeople();
    const link = page.locator('#topnav a[href="/people"]');
    assert.equal(await link.textContent(), 'Kinerja & disiplin');
    assert.equal(await link.getAttribute('aria-current'), 'page');
    assert.equal(await page.locator('h1').textContent(), 'Kinerja dan disiplin');
    assert.equal(await page.title(), 'Kinerja dan disiplin · meritest');
    await expectAccessible(page, 'the performance and discipline page');

    const bad = `nip;year;rating\n${BUDI};${YEAR};Sangat Baik\n19850315201012100;${YEAR};Baik\n${SITI};${YEAR};Cukup\n${BUDI};${YEAR};Baik\n`;
    await page.setInputFiles('#ratings-file', csvFile('skp-salah.csv', bad));
    await page.locator('#ratings-error').waitFor();
    assert.equal(await page.locator('#ratings-error').textContent(),
      'skp-salah.csv ditolak dengan 3 masalah; tidak ada yang diimpor. Perbaiki baris dan kolom berikut, lalu unggah lagi:');
    assert.deepEqual(await page.locator('#ratings-errors thead th').allTextContents(), ['Baris', 'Kolom', 'Masalah']);
    assert.deepEqual(
      await page.locator('#ratings-errors tbody tr').evaluateAll((rows) => rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent])),
      [['3', 'nip'], ['4', 'rating'], ['5', 'year']],
    );
    assert.equal(await page.locator('#ratings-errors tbody tr').nth(0).locator('td').nth(2).textContent(), 'the NIP must have 18 digits, found 17');
    await expectAccessible(page, 'a refused ratings file with its errors table');
    await page.click('#ratings-close');
    assert.equal(await page.locator('#ratings-error').count(), 0);

    const good = `nip;year;rating;work_results;work_behaviour\n${BUDI};${YEAR - 1};Sangat Baik;di atas ekspektasi;di atas ekspektasi\n${BUDI};${YEAR};Baik;sesuai;\n${SITI};${YEAR};Butuh Perbaikan;;\n`;
    await page.setInputFiles('#ratings-file', csvFile('skp.csv', good));
    await page.locator('#ratings-valid').waitFor();
    assert.equal(await page.locator('#ratings-valid').textContent(),
      'skp.csv valid: 3 baris — 3 baru, 0 menggantikan yang lama, 0 tidak berubah. Belum ada yang disimpan.');
    assert.equal(await page.locator('#ratings-confirm').textContent(), 'Impor 3 baris');
    await expectAccessible(page, 'a ratings file that passed its dry run');

    // Nothing is stored before the import is confirmed.
    await lookUp(page, BUDI);
    assert.equal(await page.locator('#lookup-ratings-none').textContent(), 'Belum ada penilaian kinerja untuk NIP ini.');

    await page.click('#ratings-confirm');
    await page.locator('#ratings-done').waitFor();
    assert.equal(await page.locator('#ratings-done').textContent(), 'skp.csv diimpor: 3 baru, 0 diganti, 0 tidak berubah.');
    // The person shown is looked up again after the import.
    await page.locator('#lookup-ratings').waitFor();
    assert.equal(await page.locator('#lookup-for').textContent(), `Catatan NIP ${BUDI}`);
    assert.deepEqual(await page.locator('#lookup-ratings thead th').allTextContents(), ['Tahun', 'Predikat', 'Hasil kerja', 'Perilaku kerja', 'Diimpor']);
    assert.deepEqual(await rowTexts(page, '#lookup-ratings'), [
      [String(YEAR), 'Baik', 'Sesuai ekspektasi', '–'],
      [String(YEAR - 1), 'Sangat Baik', 'Di atas ekspektasi', 'Di atas ekspektasi'],
    ]);
    assert.equal(await page.locator('#lookup-discipline-none').textContent(), 'Belum ada catatan disiplin untuk NIP ini.');
    await expectAccessible(page, "a person's ratings after the import");

    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('h1').textContent(), 'Performance and discipline');
    assert.equal(await page.locator('#ratings-done').textContent(), 'skp.csv imported: 3 new, 0 replaced, 0 unchanged.');
    assert.deepEqual(await rowTexts(page, '#lookup-ratings'), [
      [String(YEAR), 'Good (Baik)', 'Meets expectations', '–'],
      [String(YEAR - 1), 'Outstanding (Sangat Baik)', 'Above expectations', 'Above expectations'],
    ]);
    await expectAccessible(page, "a person's ratings in English");
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('HR imports discipline records, a second import says what it replaces, and a bad NIP is named', async () => {
    const page = await hrOnPeople();
    const first = `nip,year,level,note\n${SITI},${YEAR - 1},tidak ada,\n${SITI},${YEAR},ringan,SK 800/12\n`;
    await page.setInputFiles('#discipline-file', csvFile('disiplin.csv', first));
    await page.locator('#discipline-valid').waitFor();
    await page.click('#discipline-confirm');
    await page.locator('#discipline-done').waitFor();
    assert.equal(await page.locator('#discipline-done').textContent(), 'disiplin.csv diimpor: 2 baru, 0 diganti, 0 tidak berubah.');

    const second = `nip,year,level,note\n${SITI},${YEAR - 1},none,\n${SITI},${YEAR},sedang,SK 800/12\n`;
    await page.setInputFiles('#discipline-file', csvFile('disiplin-2.csv', second));
    await page.locator('#discipline-valid').waitFor();
    assert.equal(await page.locator('#discipline-valid').textContent(),
      'disiplin-2.csv valid: 2 baris — 0 baru, 1 menggantikan yang lama, 1 tidak berubah. Belum ada yang disimpan.');
    await page.click('#discipline-confirm');
    await page.locator('#discipline-done').waitFor();
    assert.equal(await page.locator('#discipline-done').textContent(), 'disiplin-2.csv diimpor: 0 baru, 1 diganti, 1 tidak berubah.');

    await lookUp(page, '19900101 201503 2 045');
    await page.locator('#lookup-discipline').waitFor();
    assert.equal(await page.locator('#lookup-for').textContent(), `Catatan NIP ${SITI}`);
    assert.deepEqual(await rowTexts(page, '#lookup-discipline'), [
      [String(YEAR), 'Sedang', 'SK 800/12'],
      [String(YEAR - 1), 'Tidak ada', '–'],
    ]);
    await expectAccessible(page, "a person's discipline records");

    await page.fill('#lookup-nip', '12345');
    await page.click('#lookup-submit');
    const error = page.locator('#lookup-result .lookup-error');
    await error.waitFor();
    assert.equal(await error.locator('.error-text').textContent(), 'Parameter permintaan tidak valid.');
    assert.equal(await error.locator('.code').textContent(), '(invalid_query)');
    assert.equal(await error.locator('.server-message').textContent(), 'Pesan server: nip: the NIP must have 18 digits, found 5');
    await expectAccessible(page, 'a lookup of a malformed NIP');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a proctor visiting /people sees the role message and no navigation entry', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.proctor);
    await page.goto('/people');
    const denied = page.locator('#access-denied');
    await denied.waitFor();
    assert.equal(
      await denied.locator('p').first().textContent(),
      'Halaman ini hanya untuk peran Administrator dan SDM (HR). Anda masuk sebagai Pengawas (proctor@demo.meritest.id).',
    );
    assert.equal(await page.locator('#topnav a[href="/people"]').count(), 0);
    assert.equal(await page.locator('#content').isHidden(), true);
    await expectAccessible(page, 'the people page refused to a proctor');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
