// Competencies: HR reads the competency dictionary (each competency expandable to its five levels,
// by keyboard too, earlier versions readable), sees the job standards as a table, downloads them
// as CSV and imports a changed file after a dry run; a bad file names every error by row and
// column; a proctor gets the role message. HR also edits both through forms (a second server, so
// the versions counted there start from the seed): a technical competency added, a seeded one
// reworded, an unused one removed, each save the dictionary's next version and a refused save
// changing nothing; a standard created for a position and edited, its older version read back.
// An assessor reads the same page without any edit control.
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
    assert.deepEqual(await page.locator('#topnav a').allTextContents(), ['Beranda', 'Bank soal', 'Kampanye', 'Hasil kompetensi', 'Assessment center', 'Laporan', 'Psikometri', 'Kompetensi', 'Pegawai', 'Pengawasan', 'Referensi API']);
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
      'Halaman ini hanya untuk peran Administrator, SDM (HR), Asesor dan Psikolog. Anda masuk sebagai Pengawas (proctor@demo.meritest.id).');
    assert.equal(await proctor.locator('#content').isVisible(), false);
    await expectAccessible(proctor, 'the role message on /competencies');
    assert.deepEqual(proctor.problems, []);
    await proctor.context().close();
  });
});

describe('editing the competency dictionary and the job standards', () => {
  let env;
  let hr;
  before(async () => {
    env = await setup();
    hr = await apiToken(env.base, DEMO.hr);
  });
  after(async () => {
    await env?.stop();
  });

  /** A technical competency as the API stores it: levels 1–5, one or two indicators each. */
  const ARCHIVES = {
    code: 'TK-ARSIP',
    kind: 'technical',
    name: { id: 'Pengelolaan Arsip Dinamis', en: 'Records Management' },
    definition: { id: 'Menata, menyimpan dan menemukan kembali arsip unit kerja sesuai tata naskah dinas.', en: 'Arranging, keeping and retrieving a unit\'s records by the official records rules.' },
    levels: [1, 2, 3, 4, 5].map((n) => ({
      level: n,
      description: { id: `Menangani arsip pada lingkup ${['tugasnya sendiri', 'timnya', 'unit kerjanya', 'instansinya', 'lintas instansi'][n - 1]}.`, en: `Handles records within ${['their own work', 'their team', 'their unit', 'their agency', 'several agencies'][n - 1]}.` },
      indicators: n === 2
        ? [{ id: 'Memberi kode klasifikasi pada setiap surat masuk.', en: 'Gives every incoming letter its classification code.' }, { id: 'Menemukan arsip tim dalam satu hari kerja.', en: 'Finds a team record within one working day.' }]
        : [{ id: `Menerapkan jadwal retensi arsip tingkat ${n}.`, en: `Applies the level ${n} retention schedule.` }],
    })),
  };

  async function hrOnCompetencies() {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await page.goto('/competencies');
    await page.locator('#framework-list details.cf-competency').first().waitFor();
    await page.locator('#standards-table tbody tr').first().waitFor();
    return page;
  }

  /** Types a competency into the open editor (the code only for a new one). */
  async function fillCompetency(page, c) {
    if (await page.locator('#ce-code').count()) await page.fill('#ce-code', c.code);
    await page.fill('#ce-name-id', c.name.id);
    await page.fill('#ce-name-en', c.name.en);
    await page.fill('#ce-definition-id', c.definition.id);
    await page.fill('#ce-definition-en', c.definition.en);
    for (const l of c.levels) {
      await page.fill(`#ce-l${l.level}-description-id`, l.description.id);
      await page.fill(`#ce-l${l.level}-description-en`, l.description.en);
      for (const [k, ind] of l.indicators.entries()) {
        if (!(await page.locator(`#ce-l${l.level}-i${k + 1}-id`).count())) await page.click(`#ce-l${l.level}-add`);
        await page.fill(`#ce-l${l.level}-i${k + 1}-id`, ind.id);
        await page.fill(`#ce-l${l.level}-i${k + 1}-en`, ind.en);
      }
    }
  }

  async function versionsOnPage(page) {
    return page.locator('#framework-version option').evaluateAll((options) => options.map((o) => o.value));
  }

  test('a refused save shows the problem beside its field, in both languages, and makes no new version', async () => {
    const page = await hrOnCompetencies();
    assert.equal(await page.locator('#add-competency').textContent(), 'Tambah kompetensi teknis');
    await page.focus('#add-competency');
    await page.keyboard.press('Enter');
    await page.locator('#competency-form').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ce-code');
    assert.equal(await page.locator('#competency-form-title').textContent(), 'Kompetensi teknis baru');
    assert.deepEqual(await page.locator('#competency-form fieldset.cf-level-edit > legend').allTextContents(), ['Level 1', 'Level 2', 'Level 3', 'Level 4', 'Level 5']);
    assert.equal(await page.locator('label[for="ce-l3-description-id"]').textContent(), 'Deskripsi (bahasa Indonesia)');
    // A level's indicators grow by keyboard; the new one takes the focus.
    await page.focus('#ce-l1-add');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ce-l1-i2-id');
    assert.equal(await page.locator('#ce-l1-i2-remove').getAttribute('aria-label'), 'Hapus indikator 2 dari level 1');
    await page.click('#ce-l1-i2-remove');
    assert.equal(await page.locator('#ce-l1-i2-id').count(), 0);
    await expectAccessible(page, 'the empty competency editor');

    const broken = structuredClone(ARCHIVES);
    broken.levels[2].description.id = '';
    await fillCompetency(page, broken);
    await page.click('#competency-save');
    await page.locator('#competency-errors').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'competency-errors');
    assert.equal(await page.locator('#competency-errors > p').textContent(),
      'Kamus kompetensi ditolak dengan 1 masalah; tidak ada versi baru yang dibuat. Perbaiki kolom yang ditandai:');
    assert.deepEqual(await page.locator('#competency-errors li').allTextContents(), ['Level 3 · Deskripsi: Teks bahasa Indonesia wajib diisi.']);
    assert.equal(await page.locator('#competency-errors li').getAttribute('data-field'), 'levels[2].description');
    assert.equal(await page.locator('#ce-l3-description-id-error').textContent(), 'Teks bahasa Indonesia wajib diisi.');
    assert.equal(await page.locator('#ce-l3-description-id').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#ce-l3-description-id').getAttribute('aria-describedby'), 'ce-l3-description-id-error');
    assert.equal(await page.locator('#ce-l3-description-en').getAttribute('aria-invalid'), null);
    assert.equal(await page.locator('#competency-form [aria-invalid="true"]').count(), 1);
    assert.equal(await page.locator('#ce-l3-description-en').inputValue(), ARCHIVES.levels[2].description.en, 'what was typed stays');
    await expectAccessible(page, 'the competency editor with a refused save');
    // The summary's line leads to the field.
    await page.click('#competency-errors li a');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ce-l3-description-id');

    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('#competency-errors > p').textContent(),
      'The competency dictionary was refused with 1 problem(s); no new version was made. Correct the marked fields:');
    assert.equal(await page.locator('#ce-l3-description-id-error').textContent(), 'The Indonesian text is required.');
    assert.equal(await page.locator('label[for="ce-l3-description-id"]').textContent(), 'Description (Indonesian)');
    assert.equal(await page.locator('#ce-l3-description-en').inputValue(), ARCHIVES.levels[2].description.en);
    await expectAccessible(page, 'the refused competency editor in English');
    await page.click('[data-lang-toggle]');

    const stored = await apiCall(env.base, hr, 'GET', '/api/v1/competencies/versions');
    assert.deepEqual(stored.json.versions.map((v) => v.version), [1]);
    assert.deepEqual(await versionsOnPage(page), ['1']);
    assert.equal(await page.locator('#framework-count').textContent(), '9 kompetensi');
    await page.click('#competency-cancel');
    assert.equal(await page.locator('#competency-form').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'add-competency');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('hr adds a technical competency through the form and the dictionary becomes version 2', async () => {
    const page = await hrOnCompetencies();
    await page.click('#add-competency');
    await fillCompetency(page, { ...ARCHIVES, code: ' tk-arsip ' });
    await expectAccessible(page, 'the competency editor filled in');
    await page.click('#competency-save');
    await page.locator('#framework-saved').waitFor();
    assert.equal(await page.locator('#framework-saved').textContent(), 'TK-ARSIP disimpan: kamus kompetensi kini versi 2.');
    assert.equal(await page.locator('#competency-form').count(), 0);
    assert.deepEqual(await versionsOnPage(page), ['2', '1']);
    assert.equal(await page.locator('#framework-version').inputValue(), '2');
    assert.match(await page.locator('#framework-version option').first().textContent(), /^Versi 2 \(berlaku\) · /);
    assert.equal(await page.locator('#framework-count').textContent(), '10 kompetensi');
    assert.deepEqual(await page.locator('#framework-list .cf-code').allTextContents(), [...NINE, 'TK-ARSIP']);
    const entry = page.locator('details[data-code="TK-ARSIP"]');
    assert.equal(await entry.evaluate((d) => d.open), true);
    assert.equal(await page.evaluate(() => document.activeElement.closest('details')?.dataset.code), 'TK-ARSIP');
    assert.equal(await entry.locator('.cf-name').textContent(), 'Pengelolaan Arsip Dinamis');
    assert.equal(await entry.locator('.badge').textContent(), 'Teknis');
    assert.deepEqual(await entry.locator('.cf-level ul').evaluateAll((lists) => lists.map((l) => l.children.length)), [1, 2, 1, 1, 1]);
    assert.equal(await page.locator('#remove-TK-ARSIP').textContent(), 'Hapus');
    assert.equal(await page.locator('#standards-table thead abbr').last().textContent(), 'TK-ARSIP');
    assert.equal(await page.locator('#standards-count').textContent(), '14 standar · kamus versi 2');

    const current = await apiCall(env.base, hr, 'GET', '/api/v1/competencies');
    assert.equal(current.json.version, 2);
    assert.deepEqual(current.json.competencies.map((c) => c.code), [...NINE, 'TK-ARSIP']);
    assert.deepEqual(current.json.competencies[9], ARCHIVES);
    const first = await apiCall(env.base, hr, 'GET', '/api/v1/competencies/versions/1');
    assert.deepEqual(current.json.competencies.slice(0, 9), first.json.competencies, 'the nine are as they were');
    await expectAccessible(page, 'the dictionary after a competency was added');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('hr rewords a seeded competency and adds an indicator; its code and kind stay', async () => {
    const page = await hrOnCompetencies();
    await page.click('details[data-code="KOM"] > summary');
    assert.equal(await page.locator('#edit-KOM').getAttribute('aria-label'), 'Ubah KOM');
    assert.equal(await page.locator('#remove-KOM').count(), 0, 'a seeded competency cannot be removed');
    assert.equal(await page.locator('details[data-code="KOM"] .cf-actions .muted').textContent(),
      'Kompetensi manajerial dan sosial kultural PermenPANRB 38/2017 dapat diubah kata-katanya, tetapi tidak dapat dihapus.');
    await page.click('#edit-KOM');
    await page.locator('#competency-form').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ce-name-id');
    assert.equal(await page.locator('#competency-form-title').textContent(), 'Ubah kompetensi KOM');
    assert.equal(await page.locator('#ce-code').count(), 0, 'the code of an existing competency is not a field');
    assert.equal(await page.locator('#ce-name-id').inputValue(), 'Komunikasi');
    const before = (await apiCall(env.base, hr, 'GET', '/api/v1/competencies')).json.competencies.find((c) => c.code === 'KOM');
    const indicators = before.levels[4].indicators.length;
    await page.fill('#ce-name-en', 'Communicating');
    await page.click('#ce-l5-add');
    await page.fill(`#ce-l5-i${indicators + 1}-id`, 'Menjelaskan kebijakan nasional kepada media dengan bahasa yang lugas.');
    await page.fill(`#ce-l5-i${indicators + 1}-en`, 'Explains national policy to the press in plain words.');
    await expectAccessible(page, 'the editor of a seeded competency');
    await page.click('#competency-save');
    await page.locator('#framework-saved').waitFor();
    assert.equal(await page.locator('#framework-saved').textContent(), 'KOM disimpan: kamus kompetensi kini versi 3.');
    assert.deepEqual(await versionsOnPage(page), ['3', '2', '1']);

    const after = (await apiCall(env.base, hr, 'GET', '/api/v1/competencies')).json;
    assert.equal(after.version, 3);
    const kom = after.competencies.find((c) => c.code === 'KOM');
    assert.deepEqual(kom, {
      ...before,
      name: { id: 'Komunikasi', en: 'Communicating' },
      levels: before.levels.map((l, j) => (j === 4 ? { ...l, indicators: [...l.indicators, { id: 'Menjelaskan kebijakan nasional kepada media dengan bahasa yang lugas.', en: 'Explains national policy to the press in plain words.' }] } : l)),
    });
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('details[data-code="KOM"] .cf-name').textContent(), 'Communicating');
    await page.click('[data-lang-toggle]');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('hr creates a standard for a position, edits it, and reads its first version', async () => {
    const page = await hrOnCompetencies();
    await page.click('#add-standard');
    await page.locator('#standard-form').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'sf-job-level');
    assert.deepEqual(await page.locator('#sf-job-level optgroup').evaluateAll((groups) => groups.map((g) => [g.label, [...g.children].map((o) => o.value)])), [
      ['Struktural', ['JPT Utama', 'JPT Madya', 'JPT Pratama', 'Administrator', 'Pengawas', 'Pelaksana']],
      ['Fungsional', ['Ahli Utama', 'Ahli Madya', 'Ahli Muda', 'Ahli Pertama', 'Penyelia', 'Mahir', 'Terampil', 'Pemula']],
    ]);
    assert.deepEqual(await page.locator('#standard-form .cf-std-level label').allTextContents(), [
      'INT · Integritas', 'KS · Kerja Sama', 'KOM · Komunikasi', 'OPH · Orientasi pada Hasil', 'PP · Pelayanan Publik',
      'PDOL · Pengembangan Diri dan Orang Lain', 'MP · Mengelola Perubahan', 'PK · Pengambilan Keputusan', 'PB · Perekat Bangsa',
      'TK-ARSIP · Pengelolaan Arsip Dinamis']);
    assert.equal(await page.locator('#sf-level-INT option').first().textContent(), 'Pilih level…');
    assert.equal(await page.locator('#sf-level-TK-ARSIP option').first().textContent(), 'tidak dipersyaratkan');

    // Nothing chosen: the page names every missing field before anything is sent.
    await page.click('#standard-save');
    await page.locator('#standard-errors').waitFor();
    assert.equal(await page.locator('#standard-errors > p').textContent(), 'Standar ditolak dengan 10 masalah; tidak ada yang disimpan. Perbaiki kolom yang ditandai:');
    assert.equal(await page.locator('#sf-job-level-error').textContent(), 'Pilih jenjang jabatan.');
    assert.equal(await page.locator('#sf-level-PB-error').textContent(), 'Pilih level 1–5; kompetensi ini wajib dipersyaratkan.');
    assert.equal(await page.locator('#sf-level-TK-ARSIP-error').count(), 0, 'a technical competency is optional');
    await expectAccessible(page, 'the new standard form with its errors');

    await page.selectOption('#sf-job-level', 'Administrator');
    assert.equal(await page.locator('#sf-prefilled').textContent(), 'Level diisi dari standar seluruh jenjang Administrator (versi 1); ubah seperlunya.');
    assert.deepEqual(await page.locator('#standard-form .cf-std-level select').evaluateAll((s) => s.map((x) => x.value)), ['3', '3', '3', '3', '3', '3', '3', '3', '3', '']);
    await page.fill('#sf-position', 'Kepala Bagian Umum');
    await page.selectOption('#sf-level-INT', '4');
    await page.selectOption('#sf-level-TK-ARSIP', '2');
    await page.click('#standard-save');
    await page.locator('#standard-saved').waitFor();
    assert.equal(await page.locator('#standard-saved').textContent(), 'Standar Administrator · Kepala Bagian Umum dibuat (versi 1).');
    assert.equal(await page.locator('#standard-form').count(), 0);
    const row = page.locator('#standards-table tr[data-job-level="Administrator"][data-position="Kepala Bagian Umum"]');
    assert.deepEqual(await row.locator('td[data-code]').allTextContents(), ['4', '3', '3', '3', '3', '3', '3', '3', '3', '2']);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Ubah Administrator · Kepala Bagian Umum');
    const id = await row.getAttribute('data-id');
    const created = await apiCall(env.base, hr, 'GET', `/api/v1/job-standards/${id}`);
    assert.equal(created.json.version, 1);
    assert.equal(created.json.position, 'Kepala Bagian Umum');
    assert.deepEqual(created.json.levels, { INT: 4, KS: 3, KOM: 3, OPH: 3, PP: 3, PDOL: 3, MP: 3, PK: 3, PB: 3, 'TK-ARSIP': 2 });

    // Edit it: the next version.
    await page.keyboard.press('Enter');
    await page.locator('#standard-form').waitFor();
    assert.equal(await page.locator('#standard-form-title').textContent(), 'Ubah standar Administrator · Kepala Bagian Umum');
    assert.equal(await page.locator('#standard-form-version').textContent(),
      'Versi berlaku: 1. Menyimpan membuat versi 2; versi sebelumnya tetap dapat dibaca lewat Riwayat.');
    assert.equal(await page.locator('#sf-job-level').count(), 0, 'the job level of a standard stays');
    assert.equal(await page.locator('#sf-level-INT').inputValue(), '4');
    await page.selectOption('#sf-level-KS', '5');
    await page.selectOption('#sf-level-TK-ARSIP', '3');
    await expectAccessible(page, 'the standard edit form');
    await page.click('#standard-save');
    await page.waitForFunction(() => document.querySelector('#standard-saved')?.textContent === 'Standar Administrator · Kepala Bagian Umum disimpan sebagai versi 2.');
    assert.deepEqual(await row.locator('td[data-code]').allTextContents(), ['4', '5', '3', '3', '3', '3', '3', '3', '3', '3']);
    assert.equal(await row.locator('td.num').textContent(), '2');
    const edited = await apiCall(env.base, hr, 'GET', `/api/v1/job-standards/${id}`);
    assert.equal(edited.json.version, 2);
    assert.equal(edited.json.current_version, 2);
    assert.deepEqual(edited.json.levels, { INT: 4, KS: 5, KOM: 3, OPH: 3, PP: 3, PDOL: 3, MP: 3, PK: 3, PB: 3, 'TK-ARSIP': 3 });
    const first = await apiCall(env.base, hr, 'GET', `/api/v1/job-standards/${id}/versions/1`);
    assert.deepEqual(first.json.levels, created.json.levels, 'version 1 is kept');

    // The first version, read only.
    await row.locator('button[data-action="history"]').click();
    await page.locator('#standard-view-table').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'standard-view-title');
    assert.equal(await page.locator('#standard-view-title').textContent(), 'Riwayat standar Administrator · Kepala Bagian Umum');
    assert.deepEqual(await page.locator('#sv-version option').allTextContents(), ['Versi 2 (berlaku)', 'Versi 1']);
    await page.selectOption('#sv-version', '1');
    await page.locator('#standard-old').waitFor();
    assert.equal(await page.locator('#standard-old').textContent(), 'Anda melihat versi 1, bukan versi yang berlaku (2). Versi lama hanya dapat dibaca.');
    const levelsShown = await page.locator('#standard-view-table tbody tr').evaluateAll((rows) => rows.map((r) => [r.dataset.code, r.querySelector('.sr-only') ? '' : r.querySelector('td').textContent]));
    assert.deepEqual(levelsShown, [['INT', '4'], ['KS', '3'], ['KOM', '3'], ['OPH', '3'], ['PP', '3'], ['PDOL', '3'], ['MP', '3'], ['PK', '3'], ['PB', '3'], ['TK-ARSIP', '2']]);
    assert.equal(await page.locator('#standard-view select, #standard-view input').count(), 1, 'only the version picker: nothing to edit');
    await expectAccessible(page, 'an older version of a standard');
    await page.click('#standard-view-close');
    assert.equal(await page.locator('#standard-view').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Riwayat Administrator · Kepala Bagian Umum');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a standard the API refuses shows the problem at its field and nothing is stored', async () => {
    const page = await hrOnCompetencies();
    const before = await apiCall(env.base, hr, 'GET', '/api/v1/job-standards');
    assert.equal(before.json.standards.length, 15);
    await page.click('#add-standard');
    await page.selectOption('#sf-job-level', 'Administrator');
    // The same position as the one made before, spelled otherwise: the API matches it anyway.
    await page.fill('#sf-position', 'kepala  bagian UMUM');
    await page.click('#standard-save');
    await page.locator('#standard-errors').waitFor();
    assert.equal(await page.locator('#standard-errors > p').textContent(), 'Standar ditolak dengan 1 masalah; tidak ada yang disimpan. Perbaiki kolom yang ditandai:');
    assert.deepEqual(await page.locator('#standard-errors li').allTextContents(), ['Jabatan: Sudah ada standar untuk jenjang dan jabatan ini; ubah standar itu dari tabel.']);
    assert.equal(await page.locator('#sf-position-error').textContent(), 'Sudah ada standar untuk jenjang dan jabatan ini; ubah standar itu dari tabel.');
    assert.equal(await page.locator('#sf-position').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#sf-position').getAttribute('aria-describedby'), 'sf-position-hint sf-position-error');
    assert.equal(await page.locator('#sf-position').inputValue(), 'kepala  bagian UMUM');
    await expectAccessible(page, 'a standard refused by the API');
    const after = await apiCall(env.base, hr, 'GET', '/api/v1/job-standards');
    assert.deepEqual(after.json.standards, before.json.standards);
    assert.equal(await page.locator('#standards-table tbody tr').count(), 15);
    await page.click('#standard-cancel');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'add-standard');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('hr removes a technical competency no standard requires; one a standard requires cannot be removed', async () => {
    const current = (await apiCall(env.base, hr, 'GET', '/api/v1/competencies')).json;
    const spare = { ...structuredClone(ARCHIVES), code: 'TK-SANDI', name: { id: 'Persandian', en: 'Cryptography' } };
    const put = await apiCall(env.base, hr, 'PUT', '/api/v1/competencies', { competencies: [...current.competencies, spare] });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.version, 4);

    const page = await hrOnCompetencies();
    await page.click('details[data-code="TK-ARSIP"] > summary');
    assert.equal(await page.locator('#remove-TK-ARSIP').count(), 0);
    assert.equal(await page.locator('#in-use-TK-ARSIP').textContent(), 'Dipersyaratkan oleh 1 standar jabatan, jadi tidak dapat dihapus.');
    await page.click('details[data-code="TK-SANDI"] > summary');
    await page.focus('#remove-TK-SANDI');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'remove-TK-SANDI-confirm');
    assert.equal(await page.locator('#remove-TK-SANDI-question').textContent(), 'Hapus TK-SANDI dari kamus? Kamus akan menjadi versi 5; versi sebelumnya tetap dapat dibaca.');
    await expectAccessible(page, 'the question before a competency is removed');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#framework-saved')?.textContent === 'TK-SANDI dihapus: kamus kompetensi kini versi 5. Versi sebelumnya tetap dapat dibaca.');
    assert.deepEqual(await page.locator('#framework-list .cf-code').allTextContents(), [...NINE, 'TK-ARSIP']);
    assert.deepEqual(await versionsOnPage(page), ['5', '4', '3', '2', '1']);
    const after = (await apiCall(env.base, hr, 'GET', '/api/v1/competencies')).json;
    assert.equal(after.version, 5);
    assert.deepEqual(after.competencies, current.competencies);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('an assessor reads the dictionary and the standards without any edit control', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.assessor);
    assert.deepEqual(await page.locator('#topnav a').allTextContents(), ['Beranda', 'Hasil kompetensi', 'Penilaian asesor', 'Kompetensi', 'Pegawai', 'Referensi API']);
    await page.click('#topnav a[href="/competencies"]');
    await page.locator('#framework-list details.cf-competency').first().waitFor();
    await page.locator('#standards-table tbody tr').first().waitFor();
    await page.click('#expand-all');
    assert.equal(await page.locator('#framework-list details[open]').count(), 10);
    assert.equal(await page.locator('#add-competency').isVisible(), false);
    assert.equal(await page.locator('#add-standard').isVisible(), false);
    assert.equal(await page.locator('#standards-import').isVisible(), false);
    assert.equal(await page.locator('#framework-list .cf-actions').count(), 0);
    assert.equal(await page.locator('#standards-table button[data-action="edit"]').count(), 0);
    assert.equal(await page.locator('#standards-table button[data-action="history"]').count(), 15);
    assert.equal(await page.locator('#standards-download').isVisible(), true);
    await page.locator('#standards-table tr[data-position="Kepala Bagian Umum"] button[data-action="history"]').click();
    await page.locator('#standard-view-table').waitFor();
    assert.deepEqual(await page.locator('#sv-version option').allTextContents(), ['Versi 2 (berlaku)', 'Versi 1']);
    assert.equal(await page.locator('#standard-panel form, #standard-panel input').count(), 0);
    await expectAccessible(page, 'the page as an assessor reads it');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
