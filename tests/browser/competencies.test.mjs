// Competencies: HR reads the competency dictionary (each competency expandable to its five levels,
// by keyboard too, earlier versions readable), sees the job standards as a table, downloads them
// as CSV and imports a changed file after a dry run; a bad file names every error by row and
// column; other roles get the role message.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { DEMO, apiCall, apiToken, newPage, setup, signIn } from './server.mjs';

const NINE = ['INT', 'KS', 'KOM', 'OPH', 'PP', 'PDOL', 'MP', 'PK', 'PB'];

describe('competencies and job standards', () => {
  let env;
  before(async () => {
    env = await setup();
  });
  after(async () => {
    await env?.stop();
  });

  async function hrOnCompetencies(options = {}) {
    const page = await newPage(env.browser, env.base, options);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    assert.deepEqual(await page.locator('#topnav a').allTextContents(), ['Beranda', 'Bank soal', 'Kampanye', 'Hasil kompetensi', 'Kompetensi', 'Kinerja & disiplin', 'Pengawasan', 'Referensi API']);
    await page.click('#topnav a[href="/competencies"]');
    await page.waitForURL((url) => url.pathname === '/competencies');
    await page.locator('#framework-list details.cf-competency').first().waitFor();
    await page.locator('#standards-table tbody tr').first().waitFor();
    return page;
  }

  /** The standards table as {job level/position: [levels by code…, version]}. */
  async function table(page) {
    return page.locator('#standards-table tbody tr').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [
      r.dataset.jobLevel + (r.dataset.position ? ' / ' + r.dataset.position : ''),
      [...r.querySelectorAll('td[data-code]')].map((td) => td.querySelector('.sr-only') ? '' : td.textContent),
    ])));
  }

  test('hr opens a competency with the keyboard and reads its five levels, in both languages', async () => {
    const page = await hrOnCompetencies();
    assert.equal(await page.locator('h1').textContent(), 'Kompetensi dan standar jabatan');
    assert.equal(await page.locator('#framework-count').textContent(), '9 kompetensi');
    assert.deepEqual(await page.locator('#framework-list .cf-code').allTextContents(), NINE);
    assert.deepEqual(await page.locator('#framework-list .cf-name').allTextContents(), [
      'Integritas', 'Kerja Sama', 'Komunikasi', 'Orientasi pada Hasil', 'Pelayanan Publik',
      'Pengembangan Diri dan Orang Lain', 'Mengelola Perubahan', 'Pengambilan Keputusan', 'Perekat Bangsa']);
    assert.equal(await page.locator('details[data-code="PB"] .badge').textContent(), 'Sosial kultural');
    const versions = await page.locator('#framework-version option').allTextContents();
    assert.equal(versions.length, 1);
    assert.match(versions[0], /^Versi 1 \(berlaku\) · /);
    await expectAccessible(page, 'the competency dictionary, every competency closed');

    const integrity = page.locator('details[data-code="INT"]');
    assert.equal(await integrity.evaluate((d) => d.open), false);
    await page.focus('details[data-code="INT"] > summary');
    await page.keyboard.press('Enter');
    assert.equal(await integrity.evaluate((d) => d.open), true);
    assert.deepEqual(await integrity.locator('.cf-level h3').allTextContents(), ['Level 1', 'Level 2', 'Level 3', 'Level 4', 'Level 5']);
    assert.equal(await integrity.locator('.cf-level').first().locator('p').first().textContent(), 'Menjaga kejujuran dan etika dalam pekerjaannya sendiri.');
    for (const count of await integrity.locator('.cf-level ul').evaluateAll((lists) => lists.map((l) => l.children.length))) {
      assert.ok(count >= 2 && count <= 4, `${count} indicators`);
    }
    await expectAccessible(page, 'the competency dictionary with Integritas open');

    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('h1').textContent(), 'Competencies and job standards');
    assert.equal(await integrity.locator('.cf-name').textContent(), 'Integrity');
    assert.equal(await page.locator('details[data-code="INT"]').evaluate((d) => d.open), true, 'still open after the language change');
    assert.equal(await page.locator('details[data-code="INT"] .cf-level').first().locator('p').first().textContent(), 'Keeps honesty and ethics in their own work.');
    assert.equal(await page.locator('#standards-count').textContent(), '14 standards · dictionary version 1');
    await expectAccessible(page, 'the competency dictionary in English');
    await page.click('[data-lang-toggle]');

    await page.click('#expand-all');
    assert.equal(await page.locator('#framework-list details[open]').count(), 9);
    await page.click('#collapse-all');
    assert.equal(await page.locator('#framework-list details[open]').count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the job standards are a table of job levels by competency levels', async () => {
    const page = await hrOnCompetencies();
    assert.equal(await page.locator('#standards-count').textContent(), '14 standar · kamus versi 1');
    assert.deepEqual(await page.locator('#standards-table thead abbr').allTextContents(), NINE);
    assert.equal(await page.locator('#standards-table thead abbr').first().getAttribute('title'), 'Integritas');
    const rows = await table(page);
    assert.deepEqual(Object.keys(rows), ['JPT Utama', 'JPT Madya', 'JPT Pratama', 'Administrator', 'Pengawas', 'Pelaksana',
      'Ahli Utama', 'Ahli Madya', 'Ahli Muda', 'Ahli Pertama', 'Penyelia', 'Mahir', 'Terampil', 'Pemula']);
    assert.deepEqual(rows.Administrator, Array(9).fill('3'));
    assert.deepEqual(rows['Ahli Pertama'], Array(9).fill('2'));
    assert.equal(await page.locator('#standards-table tr[data-job-level="Pengawas"] td').first().textContent(), 'Semua jabatan');
    await expectAccessible(page, 'the job standards table');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('hr downloads the standards, imports a changed file after a dry run, and the same file again changes nothing', async () => {
    const page = await hrOnCompetencies({ acceptDownloads: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#standards-download')]);
    assert.equal(download.suggestedFilename(), 'job-standards.csv');
    const text = await readFile(await download.path(), 'utf8');
    const lines = text.split('\n');
    assert.equal(lines[0], 'job_level;position;INT;KS;KOM;OPH;PP;PDOL;MP;PK;PB');
    assert.equal(lines[5], 'Pengawas;;2;2;2;2;2;2;2;2;2');

    await page.setInputFiles('#standards-file', { name: 'standar.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.locator('#import-nothing').waitFor();
    assert.equal(await page.locator('#import-nothing').textContent(), 'standar.csv sama dengan standar yang tersimpan: tidak ada yang berubah.');
    await page.click('#import-close');
    assert.equal(await page.locator('#import-panel').textContent(), '');

    const rowsOfFile = lines.filter(Boolean);
    rowsOfFile[5] = 'Pengawas;;3;2;2;2;2;2;2;2;';
    rowsOfFile.push('Administrator;Kepala Bagian Umum;4;4;4;4;4;4;4;4;4');
    const changed = rowsOfFile.join('\n') + '\n';
    await page.setInputFiles('#standards-file', { name: 'standar-baru.csv', mimeType: 'text/csv', buffer: Buffer.from(changed) });
    await page.locator('#import-valid').waitFor();
    assert.equal(await page.locator('#import-valid').textContent(), 'standar-baru.csv valid: 1 standar baru, 1 diperbarui, 13 tidak berubah.');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'import-confirm');
    assert.deepEqual((await table(page)).Pengawas, Array(9).fill('2'), 'the dry run changed nothing');
    await expectAccessible(page, 'the valid import awaiting confirmation');

    await page.keyboard.press('Enter');
    await page.locator('#import-done').waitFor();
    assert.equal(await page.locator('#import-done').textContent(), 'Impor selesai: 1 standar baru, 1 diperbarui. Organisasi Anda kini memiliki 15 standar.');
    await page.waitForFunction(() => document.querySelectorAll('#standards-table tbody tr').length === 15);
    const rows = await table(page);
    assert.deepEqual(rows.Pengawas, ['3', '2', '2', '2', '2', '2', '2', '2', '']);
    assert.deepEqual(rows['Administrator / Kepala Bagian Umum'], Array(9).fill('4'));
    assert.equal(await page.locator('#standards-table tr[data-job-level="Pengawas"][data-position=""] td.num').textContent(), '2');
    await expectAccessible(page, 'the standards after an import');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a file with errors is refused and every error is listed by row and column', async () => {
    const page = await hrOnCompetencies();
    const csv = 'job_level,position,INT,KS\nEselon II,,3,3\nPelaksana,,6,1\nPengawas,,1,1\npengawas,,2,2\n';
    await page.setInputFiles('#standards-file', { name: 'salah.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('#import-error').waitFor();
    assert.equal(await page.locator('#import-error').textContent(), 'salah.csv memiliki 3 kesalahan; tidak ada yang disimpan. Perbaiki berkasnya, lalu pilih lagi.');
    assert.deepEqual(await page.locator('#import-errors thead th').allTextContents(), ['Baris', 'Kolom', 'Masalah']);
    const errors = await page.locator('#import-errors tbody tr').evaluateAll((rows) => rows.map((r) => [r.dataset.row, r.dataset.field]));
    assert.deepEqual(errors, [['2', 'job_level'], ['3', 'INT'], ['5', 'job_level']]);
    assert.equal(await page.locator('#import-errors tbody tr').nth(1).locator('td').nth(2).textContent(), '6 is not a proficiency level: levels run from 1 to 5');
    await expectAccessible(page, 'the refused standards file with its errors');
    await page.click('#import-close');
    assert.equal(await page.locator('#import-error').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'standards-file');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('an earlier version of the dictionary stays readable', async () => {
    const hr = await apiToken(env.base, DEMO.hr);
    const current = await apiCall(env.base, hr, 'GET', '/api/v1/competencies');
    const levels = [1, 2, 3, 4, 5].map((n) => ({ level: n, description: { id: `Tingkat ${n}`, en: `Level ${n} work` }, indicators: [{ id: 'Membuat peta', en: 'Makes maps' }] }));
    const doc = { competencies: [...current.json.competencies, { code: 'TK-GIS', kind: 'technical', name: { id: 'Sistem Informasi Geografis', en: 'GIS' }, definition: { id: 'Data spasial.', en: 'Spatial data.' }, levels }] };
    const put = await apiCall(env.base, hr, 'PUT', '/api/v1/competencies', doc);
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.version, 2);

    const page = await hrOnCompetencies();
    assert.equal(await page.locator('#framework-count').textContent(), '10 kompetensi');
    assert.equal(await page.locator('details[data-code="TK-GIS"] .badge').textContent(), 'Teknis');
    assert.equal(await page.locator('#standards-table thead abbr').last().textContent(), 'TK-GIS');
    await page.selectOption('#framework-version', '1');
    await page.locator('#framework-old').waitFor();
    assert.equal(await page.locator('#framework-old').textContent(), 'Anda melihat versi 1, bukan versi yang berlaku (2).');
    assert.equal(await page.locator('#framework-count').textContent(), '9 kompetensi');
    await expectAccessible(page, 'an earlier version of the dictionary');
    await page.selectOption('#framework-version', '2');
    await page.waitForFunction(() => document.querySelector('#framework-count').textContent === '10 kompetensi');
    assert.equal(await page.locator('#framework-old').count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a proctor visiting /competencies sees the role message', async () => {
    const proctor = await newPage(env.browser, env.base);
    await proctor.goto('/login');
    await signIn(proctor, DEMO.proctor);
    await proctor.goto('/competencies');
    await proctor.locator('#access-denied').waitFor();
    assert.equal(await proctor.locator('#access-denied p').first().textContent(),
      'Halaman ini hanya untuk peran Administrator dan SDM (HR). Anda masuk sebagai Pengawas (proctor@demo.meritest.id).');
    assert.equal(await proctor.locator('#content').isVisible(), false);
    await expectAccessible(proctor, 'the role message on /competencies');
    assert.deepEqual(proctor.problems, []);
    await proctor.context().close();
  });
});
