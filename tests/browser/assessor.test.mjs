// The assessment centre's pages: an assessor rates two participants on /assessor (drafts save
// themselves and say when, a missing evidence is shown at its field, a submitted sheet is locked,
// the other assessor's ratings appear once both are in, a sheet saved elsewhere is loaded again),
// by keyboard too; HR lists a campaign's exercises on /assessment (a refused list shown at its
// fields), assigns assessors by rule after a dry run, removes a draft and unlocks a submitted sheet
// with a reason, reads the agreement figures and a discrepancy the API computes, and integrates a
// level that departs from the mean with a reason; a psychologist reads and integrates, and so does
// a lead assessor from their sheet; other roles are turned away; an administrator sets a unit and a
// licence number on the accounts page. axe runs on every screen, in both languages.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { ASSESSOR_PASSWORD, EXERCISES, assessors, assign, centre, rate } from './assessor-seed.mjs';
import { DEMO, apiCall, apiToken, newPage, setup, signIn } from './server.mjs';

const shotDir = process.env.MERITEST_SCREENSHOT_DIR;
/** Takes a picture of the page (kept when MERITEST_SCREENSHOT_DIR names a folder) and checks it is a PNG. */
async function picture(page, name) {
  const png = await page.screenshot({ fullPage: true });
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  if (shotDir) {
    await mkdir(shotDir, { recursive: true });
    await writeFile(path.join(shotDir, `${name}.png`), png);
  }
}

/** The framework's level descriptions the sheets show (src/seed/competency/framework.json). */
const INT_LEVEL_4 = 'Membangun sistem integritas di tingkat instansi dan tetap teguh di bawah tekanan.';

describe('assessment centre pages', () => {
  let env;
  let hr;
  let team; // the three assessors [{name, email, id, token}]
  let framework; // code → competency of the organisation's framework

  before(async () => {
    env = await setup({ demoResults: 0 });
    hr = await apiToken(env.base, DEMO.hr);
    team = await assessors(env.base);
    const doc = await api('GET', '/api/v1/competencies');
    framework = new Map(doc.competencies.map((c) => [c.code, c]));
  });
  after(async () => {
    await env?.stop();
  });

  /** Calls the API as HR (or `token`) and expects `status`; returns the body. */
  async function api(method, url, body, { token = hr, status = 200 } = {}) {
    const res = await apiCall(env.base, token, method, url, body);
    assert.equal(res.status, status, `${method} ${url}: ${res.text}`);
    return res.json;
  }

  async function signedIn(email, password, viewport) {
    const page = await newPage(env.browser, env.base, viewport ? { viewport } : undefined);
    await page.goto('/login');
    await signIn(page, email, password);
    return page;
  }

  /** An assessor's sheet from the API. */
  const sheetOf = (assessor, id) => api('GET', `/api/v1/assessor/assignments/${id}`, undefined, { token: assessor.token });

  /** Waits until the assessor's sheet on the server satisfies `holds` (drafts are saved a moment after typing). */
  async function serverSheet(assessor, id, holds, what) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ws = await sheetOf(assessor, id);
      if (holds(ws.assignment)) return ws;
      if (Date.now() > deadline) assert.fail(`the sheet never ${what}: ${JSON.stringify(ws.assignment)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** A moment's clock time as the page writes it ("14.05" in Bahasa Indonesia, "14:05" in English). */
  const clock = (page, iso, locale = 'id-ID') => page.evaluate(([d, l]) => new Date(d).toLocaleTimeString(l, { hour: '2-digit', minute: '2-digit' }), [iso, locale]);
  /** A date-time as the page writes it (medium date, short time). */
  const stamp = (page, iso, locale = 'id-ID') => page.evaluate(([d, l]) => new Date(d).toLocaleString(l, { dateStyle: 'medium', timeStyle: 'short' }), [iso, locale]);
  const rows = (locator) => locator.evaluateAll((trs) => trs.map((r) => [...r.cells].map((c) => c.textContent)));

  test('an assessor rates two participants: drafts save themselves, a missing evidence is shown at its field, submitting locks the sheet, and as lead they record the final levels', async () => {
    const c = await centre(env.base, hr, 'Assessment center Pengawas (penilaian)');
    const [satu, dua] = team;
    const [rinaSatu, rinaDua, dediSatu] = await assign(env.base, hr, c, [
      ['Rina Marlina', 'interview', satu, true], ['Rina Marlina', 'interview', dua], ['Dedi Kurniawan', 'interview', satu],
    ]);
    const page = await signedIn(satu.email, ASSESSOR_PASSWORD);
    const link = page.locator('#topnav a[href="/assessor"]');
    assert.equal(await link.textContent(), 'Penilaian asesor');
    await link.click();
    await page.locator(`#list-body li[data-assignment="${rinaSatu}"]`).waitFor();
    assert.equal(await page.title(), 'Penilaian asesor · meritest');
    assert.equal(await page.locator('#topnav a[href="/assessor"]').getAttribute('aria-current'), 'page');
    const group = page.locator(`.as-campaign[data-campaign="${c.id}"]`);
    assert.equal(await group.locator('h3').textContent(), c.name);
    assert.equal(await group.locator('.as-campaign-count').textContent(), '0 dari 2 dikirim');
    assert.deepEqual(await group.locator('li').evaluateAll((lis) => lis.map((li) => [li.dataset.assignment, li.querySelector('.as-assignment-name').textContent, li.querySelector('.as-assignment-exercise').textContent, li.querySelector('.badge').textContent])),
      [[rinaSatu, 'Rina Marlina', EXERCISES[0].name, 'Belum dinilai'], [dediSatu, 'Dedi Kurniawan', EXERCISES[0].name, 'Belum dinilai']]);
    assert.equal(await group.locator(`li[data-assignment="${rinaSatu}"] .badge-info`).textContent(), 'Asesor utama');
    await expectAccessible(page, "the assessor's list of assignments");

    // The sheet: who, which exercise, and per competency five levels with the framework's words.
    await page.click(`li[data-assignment="${rinaSatu}"] a`);
    await page.locator('#sheet-title').waitFor();
    assert.equal(new URL(page.url()).search, `?assignment=${rinaSatu}`);
    assert.equal(await page.locator('#sheet-title').textContent(), 'Rina Marlina');
    assert.equal(await page.locator('#sheet-exercise').textContent(), EXERCISES[0].name);
    assert.equal(await page.locator('#sheet-nip').textContent(), '198708172011012003');
    assert.deepEqual(await page.locator('.as-competency h3').allTextContents(), ['Integritas INT', 'Komunikasi KOM']);
    const int = framework.get('INT');
    assert.deepEqual(await page.locator('#level-INT .as-level-option').allTextContents(), int.levels.map((l) => `Level ${l.level}${l.description.id}`));
    assert.equal(int.levels[3].description.id, INT_LEVEL_4);
    assert.equal(await page.locator('#level-INT legend').textContent(), 'Level Integritas');
    assert.equal(await page.locator('label[for="evidence-INT"]').textContent(), 'Perilaku yang teramati: Integritas');
    assert.equal(await page.locator('#evidence-INT').getAttribute('required'), '');
    assert.equal(await page.locator('#save-status').textContent(), '');
    // A level's indicators open on demand.
    assert.equal(await page.locator('#level-INT .as-level').nth(3).locator('details').getAttribute('open'), null);
    await page.locator('#level-INT .as-level').nth(3).locator('summary').click();
    assert.deepEqual(await page.locator('#level-INT .as-level').nth(3).locator('details li').allTextContents(), int.levels[3].indicators.map((i) => i.id));
    await expectAccessible(page, 'an empty rating sheet with indicators open');

    // A level is saved on its own a moment later, and the page says when.
    await page.click('label[for="level-INT-4"]');
    let ws = await serverSheet(satu, rinaSatu, (a) => a.ratings.INT?.level === 4, 'saved level 4');
    assert.deepEqual(ws.assignment.ratings, { INT: { level: 4, evidence: '' } });
    await page.locator('#save-status[data-state="saved"]').waitFor();
    assert.equal(await page.locator('#save-status').getAttribute('role'), 'status');
    assert.equal(await page.locator('#save-status').textContent(), `Tersimpan ${await clock(page, ws.assignment.saved_at)}`);
    // Typed evidence is saved after a pause, and at once when the field is left.
    await page.fill('#evidence-INT', 'Menolak bingkisan dari vendor dan melaporkannya ke atasan.');
    await page.click('label[for="level-KOM-3"]');
    ws = await serverSheet(satu, rinaSatu, (a) => a.ratings.INT?.evidence && a.ratings.KOM?.level === 3, 'saved the evidence and KOM');
    assert.deepEqual(ws.assignment.ratings, {
      INT: { level: 4, evidence: 'Menolak bingkisan dari vendor dan melaporkannya ke atasan.' },
      KOM: { level: 3, evidence: '' },
    });
    await page.waitForFunction(() => document.querySelector('#save-status')?.dataset.state === 'saved');

    // Submitting without KOM's evidence: asked first, then refused, and the gap is shown at its field.
    await page.click('#submit-sheet');
    await page.locator('#submit-dialog[open]').waitFor();
    assert.equal(await page.locator('#submit-text').textContent(),
      `Penilaian ${EXERCISES[0].name} untuk Rina Marlina akan dikirim dan terkunci. Setelah itu Anda tidak dapat mengubahnya; hanya SDM yang dapat membukanya kembali dengan alasan.`);
    await expectAccessible(page, 'the confirmation before submitting');
    await page.click('#submit-confirm');
    await page.locator('#sheet-invalid').waitFor();
    assert.equal(await page.locator('#sheet-invalid').textContent(), 'Penilaian belum dapat dikirim: 1 isian belum lengkap, ditandai di isiannya.');
    assert.equal(await page.locator('#evidence-KOM-error').textContent(), 'Tuliskan perilaku yang teramati; penilaian dikirim beserta buktinya.');
    assert.equal(await page.locator('#evidence-KOM').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#evidence-INT-error').isHidden(), true);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'evidence-KOM');
    assert.equal((await sheetOf(satu, rinaSatu)).assignment.status, 'draft');
    await expectAccessible(page, 'a refused submission with the missing evidence marked');

    await page.fill('#evidence-KOM', 'Menjelaskan rencana kerja dengan runtut dan memeriksa pemahaman lawan bicara.');
    assert.equal(await page.locator('#evidence-KOM-error').isHidden(), true);
    await page.click('#submit-sheet');
    await page.click('#submit-confirm');
    await page.locator('#sheet-submitted').waitFor();
    assert.equal(await page.locator('#sheet-submitted').textContent(), 'Penilaian untuk Rina Marlina sudah dikirim dan terkunci.');
    ws = await sheetOf(satu, rinaSatu);
    assert.equal(ws.assignment.status, 'submitted');
    assert.deepEqual(ws.assignment.ratings.KOM, { level: 3, evidence: 'Menjelaskan rencana kerja dengan runtut dan memeriksa pemahaman lawan bicara.' });
    // Locked: nothing left to change, the levels and evidence as read-only text.
    assert.equal(await page.locator('#sheet input, #sheet textarea, #submit-sheet').count(), 0);
    assert.equal(await page.locator('#sheet-status').textContent(), 'Dikirim');
    assert.equal(await page.locator('#sheet-locked').textContent(),
      `Penilaian ini dikirim pada ${await stamp(page, ws.assignment.submitted_at)} dan terkunci. Hanya SDM yang dapat membukanya kembali, dengan alasan.`);
    assert.equal(await page.locator('#comp-INT .as-rated-level').textContent(), `Level 4 — ${INT_LEVEL_4}`);
    assert.equal(await page.locator('#comp-KOM .as-rated-evidence').textContent(), 'Menjelaskan rencana kerja dengan runtut dan memeriksa pemahaman lawan bicara.');
    // Asesor Dua has not submitted: their rating stays hidden.
    assert.equal(await page.locator(`#others li[data-assessor="${dua.id}"] .as-other-hidden`).textContent(), 'Penilaian Asesor Dua terlihat setelah Asesor Dua mengirimnya.');
    assert.equal(await page.locator('#others table').count(), 0);
    await expectAccessible(page, 'a submitted, locked sheet');

    // The second participant, from the list.
    await page.click('#back-to-list');
    await page.locator(`li[data-assignment="${dediSatu}"]`).waitFor();
    assert.equal(await group.locator('.as-campaign-count').textContent(), '1 dari 2 dikirim');
    assert.equal(await group.locator(`li[data-assignment="${rinaSatu}"] .badge[data-status]`).textContent(), 'Dikirim');
    await page.click(`li[data-assignment="${dediSatu}"] a`);
    await page.locator('#sheet-title').waitFor();
    assert.equal(await page.locator('#sheet-title').textContent(), 'Dedi Kurniawan');
    await page.click('label[for="level-INT-3"]');
    await page.fill('#evidence-INT', 'Mengakui keterlambatan laporan dan memperbaikinya.');
    await page.click('label[for="level-KOM-2"]');
    await page.fill('#evidence-KOM', 'Menyampaikan pendapat singkat bila ditanya.');
    await page.click('#submit-sheet');
    await page.click('#submit-confirm');
    await page.locator('#sheet-submitted').waitFor();
    assert.deepEqual((await sheetOf(satu, dediSatu)).assignment.ratings, {
      INT: { level: 3, evidence: 'Mengakui keterlambatan laporan dan memperbaikinya.' },
      KOM: { level: 2, evidence: 'Menyampaikan pendapat singkat bila ditanya.' },
    });
    await page.click('#back-to-list');
    await page.waitForFunction(() => document.querySelector('.as-campaign-count')?.textContent === '2 dari 2 dikirim');

    // Once Asesor Dua submits too, each sees the other's ratings of Rina.
    await rate(env.base, dua, rinaDua, { INT: 2, KOM: 3 });
    await page.click(`li[data-assignment="${rinaSatu}"] a`);
    await page.locator('#others table').waitFor();
    assert.deepEqual(await rows(page.locator(`#others li[data-assessor="${dua.id}"] tbody tr`)), [
      ['Integritas', '2', 'Asesor Dua mengamati INT pada level 2'],
      ['Komunikasi', '3', 'Asesor Dua mengamati KOM pada level 3'],
    ]);
    await expectAccessible(page, "a locked sheet with the other assessor's ratings");

    // As Rina's lead assessor, Asesor Satu records her final levels from both sheets.
    assert.equal(await page.locator('#open-integration').textContent(), 'Integrasi penilaian Rina Marlina');
    await page.click('#open-integration');
    await page.locator('#integration-form').waitFor();
    assert.deepEqual(await rows(page.locator('#int-INT tbody tr')), [
      [EXERCISES[0].name, 'Asesor Satu', '4', 'Menolak bingkisan dari vendor dan melaporkannya ke atasan.'],
      [EXERCISES[0].name, 'Asesor Dua', '2', 'Asesor Dua mengamati INT pada level 2'],
    ]);
    assert.equal(await page.locator('#int-INT-mean').textContent(), 'Rata-rata 3 dari 2 penilaian · saran level 3');
    await expectAccessible(page, "the lead assessor's integration dialog");
    await page.click('#integration-save');
    await page.locator('#integration-saved').waitFor();
    const panel = await api('GET', `/api/v1/campaigns/${c.id}/participants/${c.people['Rina Marlina']}/integration`);
    assert.deepEqual(panel.competencies.filter((k) => k.integrated).map((k) => [k.code, k.integrated.level, k.integrated.recorded_by.name]),
      [['INT', 3, 'Asesor Satu'], ['KOM', 3, 'Asesor Satu']]);
    await page.click('#integration-close');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'open-integration');

    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('h1').textContent(), 'Assessor ratings');
    assert.equal(await page.locator('#sheet-status').textContent(), 'Submitted');
    assert.equal(await page.locator('#comp-INT h3').textContent(), 'Integrity INT');
    assert.equal(await page.locator('#comp-INT .as-rated-level').textContent(), `Level 4 — ${int.levels[3].description.en}`);
    assert.deepEqual(await page.locator(`#others li[data-assessor="${dua.id}"] thead th`).allTextContents(), ['Competency', 'Level', 'Behaviour observed']);
    await expectAccessible(page, 'a locked sheet in English');
    await page.click('#back-to-list');
    await page.waitForFunction(() => document.querySelector('.as-campaign-count')?.textContent === '2 of 2 submitted');
    await expectAccessible(page, 'the list of assignments in English');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the levels are chosen by keyboard alone, the indicators open with Enter, and the choice is saved', async () => {
    const c = await centre(env.base, hr, 'Assessment center Pengawas (papan ketik)');
    const tiga = team[2];
    const [sheet] = await assign(env.base, hr, c, [['Rina Marlina', 'lgd', tiga]]);
    const page = await signedIn(tiga.email, ASSESSOR_PASSWORD, { width: 820, height: 1180 });
    await page.goto(`/assessor?assignment=${sheet}`);
    await page.locator('#sheet-title').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'sheet-title');
    // From the heading the next stop is the first competency's level group.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'level-KS-1');
    await page.keyboard.press('Space');
    assert.equal(await page.isChecked('#level-KS-1'), true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'level-KS-3');
    assert.equal(await page.isChecked('#level-KS-3'), true);
    assert.equal(await page.locator('input[name="level-KS"]:checked').count(), 1);
    await expectAccessible(page, 'a level chosen by keyboard, focus on it');
    // Tab leaves the group for the indicators of the level in focus; Enter opens them.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Indikator level 3 (3)');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#level-KS .as-level').nth(2).locator('details').getAttribute('open'), '');
    await serverSheet(tiga, sheet, (a) => a.ratings.KS?.level === 3, 'saved the level chosen by keyboard');
    // The evidence field is reached with Tab past the indicators of levels 4 and 5.
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'evidence-KS');
    await page.keyboard.type('Mengajak anggota yang diam untuk berbicara.');
    await page.keyboard.press('Tab'); // leaving the field saves at once
    await serverSheet(tiga, sheet, (a) => a.ratings.KS?.evidence === 'Mengajak anggota yang diam untuk berbicara.', 'saved the evidence on leaving the field');
    // Every level is a large touch target on a tablet, and on a phone the sheet is one column
    // that never scrolls sideways.
    const heights = await page.locator('#level-KS .as-level-option').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().height));
    assert.ok(heights.every((x) => x >= 44), `level targets of ${heights.join(', ')} px`);
    await picture(page, 'assessor-sheet-tablet');
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
    const boxes = await page.locator('#level-KS .as-level-option, #evidence-KS, #submit-sheet').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return [Math.round(r.left), Math.round(r.height)];
    }));
    assert.equal(new Set(boxes.slice(0, 5).map(([left]) => left)).size, 1, 'the levels lie one under another');
    assert.ok(boxes.every(([, height]) => height >= 44), `targets of ${boxes.map(([, x]) => x).join(', ')} px`);
    await expectAccessible(page, 'a sheet on a phone');
    await picture(page, 'assessor-sheet-phone');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a draft saved elsewhere meanwhile is loaded again and the assessor told; one submitted elsewhere is shown locked', async () => {
    const c = await centre(env.base, hr, 'Assessment center Pengawas (dua perangkat)');
    const satu = team[0];
    const [sheet] = await assign(env.base, hr, c, [['Citra Lestari', 'interview', satu]]);
    const page = await signedIn(satu.email, ASSESSOR_PASSWORD);
    await page.goto(`/assessor?assignment=${sheet}`);
    await page.locator('#sheet-title').waitFor();
    // Another device saves the sheet (revision 0 → 1) while the page still holds revision 0.
    await api('PUT', `/api/v1/assessor/assignments/${sheet}/ratings`, { ratings: { INT: { level: 5, evidence: 'Dari tablet lain' } }, revision: 0 }, { token: satu.token });
    await page.fill('#evidence-KOM', 'Ditulis di laptop');
    await page.locator('#sheet-stale').waitFor();
    assert.equal(await page.locator('#sheet-stale').textContent(),
      'Penilaian ini disimpan dari tab atau perangkat lain sementara Anda menulis. Versi terbaru sudah dimuat; periksa lalu lanjutkan.');
    assert.equal(await page.inputValue('#evidence-INT'), 'Dari tablet lain');
    assert.equal(await page.isChecked('#level-INT-5'), true);
    assert.equal(await page.inputValue('#evidence-KOM'), '');
    assert.deepEqual((await sheetOf(satu, sheet)).assignment.ratings, { INT: { level: 5, evidence: 'Dari tablet lain' } });
    await expectAccessible(page, 'a sheet loaded again after a save elsewhere');
    // Carrying on saves on the new revision.
    await page.click('label[for="level-KOM-2"]');
    await serverSheet(satu, sheet, (a) => a.ratings.KOM?.level === 2 && a.revision === 2, 'saved on the new revision');
    // The other device submits; the next save here finds the sheet locked.
    await api('PUT', `/api/v1/assessor/assignments/${sheet}/ratings`, { ratings: { INT: { level: 5, evidence: 'Dari tablet lain' }, KOM: { level: 2, evidence: 'Dari tablet lain juga' } } }, { token: satu.token });
    await api('POST', `/api/v1/assessor/assignments/${sheet}/submit`, {}, { token: satu.token });
    await page.fill('#evidence-KOM', 'Tambahan dari laptop');
    await page.locator('#sheet-locked-elsewhere').waitFor();
    assert.equal(await page.locator('#sheet-locked-elsewhere').textContent(), 'Penilaian ini sudah dikirim (mungkin dari tab atau perangkat lain) dan kini terkunci.');
    assert.equal(await page.locator('#sheet textarea').count(), 0);
    assert.equal(await page.locator('#comp-KOM .as-rated-evidence').textContent(), 'Dari tablet lain juga');
    await expectAccessible(page, 'a sheet found locked');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('HR lists the exercises (a refused list shown at its fields), assigns assessors by rule after a dry run and removes a draft', async () => {
    const c = await centre(env.base, hr, 'Assessment center Pengawas (penugasan)', { exercises: false });
    const page = await signedIn(DEMO.hr);
    assert.equal(await page.locator('#topnav a[href="/assessment"]').textContent(), 'Assessment center');
    await page.goto(`/campaigns#campaign=${c.id}`);
    await page.locator('#assessment-centre').click();
    await page.locator('#exercises-add').waitFor();
    assert.equal(new URL(page.url()).search, `?campaign=${c.id}`);
    assert.equal(await page.locator('#campaign-title').textContent(), c.name);
    assert.equal(await page.locator('#back-link').getAttribute('href'), `/campaigns#campaign=${c.id}`);
    assert.equal(await page.locator('#exercises-none').textContent(), 'Belum ada latihan.');
    assert.equal(await page.locator('#rule-no-exercises').textContent(), 'Daftarkan latihan kampanye dahulu.');
    await page.locator('#assignments-none').waitFor();
    await page.locator('#agreement-empty').waitFor();
    assert.equal(await page.locator('#agreement-sheets').textContent(), '0 lembar penilaian dikirim, 0 belum.');
    assert.equal(await page.locator('#panel-none').textContent(), 'Belum ada peserta dengan penugasan asesor.');
    await expectAccessible(page, 'the assessment centre of a campaign without exercises');

    await page.click('#exercises-add');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ex-0-code');
    await page.fill('#ex-0-code', 'wawancara');
    await page.fill('#ex-0-name', 'Wawancara');
    await page.check('#ex-0-c-INT');
    await page.check('#ex-0-c-KOM');
    await page.click('#exercises-add');
    await page.fill('#ex-1-code', 'Diskusi!');
    await page.click('#exercises-save');
    await page.locator('#exercises-invalid').waitFor();
    assert.equal(await page.locator('#exercises-invalid').textContent(), 'Daftar latihan ditolak dengan 3 masalah; tidak ada yang diubah. Perbaiki isian yang ditandai.');
    assert.equal(await page.locator('#ex-1-code-error').textContent(), 'Kode 1–40 karakter (a–z, 0–9, _ atau -), berbeda dari latihan lain.');
    assert.equal(await page.locator('#ex-1-name-error').textContent(), 'Isi nama latihan (1–200 karakter).');
    assert.equal(await page.locator('#ex-1-competencies-error').textContent(), 'Pilih paling sedikit satu kompetensi dari kamus.');
    assert.equal(await page.locator('#ex-1-code').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#ex-0-code-error').isHidden(), true);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'ex-1-code');
    assert.deepEqual((await api('GET', `/api/v1/campaigns/${c.id}/exercises`)).exercises, []);
    await expectAccessible(page, 'a refused exercise list with its errors at the fields');

    await page.fill('#ex-1-code', 'lgd');
    await page.fill('#ex-1-name', 'Diskusi kelompok');
    await page.check('#ex-1-c-KS');
    await page.check('#ex-1-c-KOM');
    await page.click('#exercises-save');
    await page.locator('#exercises-saved').waitFor();
    assert.equal(await page.locator('#exercises-saved').textContent(), 'Daftar latihan disimpan: 2 latihan.');
    assert.equal(await page.locator('#ex-1-code-error').isHidden(), true);
    assert.deepEqual((await api('GET', `/api/v1/campaigns/${c.id}/exercises`)).exercises, [
      { code: 'wawancara', name: 'Wawancara', competencies: ['INT', 'KOM'] },
      { code: 'lgd', name: 'Diskusi kelompok', competencies: ['KS', 'KOM'] },
    ]);

    // By rule, one exercise only: a dry run first shows the count and each assessor's load.
    await page.locator('#rule-form').waitFor();
    assert.equal(await page.isChecked('#rule-exclude'), true);
    await page.fill('#rule-per', '0');
    await page.click('#rule-preview');
    assert.equal(await page.locator('#rule-per-error').textContent(), 'Isi bilangan bulat dari 1 sampai 10.');
    await page.fill('#rule-per', '2');
    await page.uncheck('#rule-ex-lgd');
    await page.click('#rule-preview');
    await page.locator('#rule-load').waitFor();
    const dry = await api('POST', `/api/v1/campaigns/${c.id}/assessor-assignments/by-rule`, { per_participant: 2, exercises: ['wawancara'], exclude_same_unit: true, dry_run: true });
    assert.equal(dry.created, 8);
    assert.equal(await page.locator('#rule-preview-text').textContent(), '8 penugasan baru akan dibuat. Belum ada yang disimpan.');
    assert.deepEqual(await rows(page.locator('#rule-load tbody tr')), dry.load.map((l) => [l.assessor.name, String(l.assignments)]));
    assert.equal(await page.locator('#rule-confirm').textContent(), 'Tetapkan 8 penugasan');
    assert.equal((await api('GET', `/api/v1/campaigns/${c.id}/assessor-assignments`)).assignments.length, 0, 'a dry run stores nothing');
    await expectAccessible(page, 'the dry run of an assignment rule');
    await page.click('#rule-confirm');
    await page.locator('#rule-done').waitFor();
    assert.equal(await page.locator('#rule-done').textContent(), '8 penugasan dibuat.');
    await page.waitForFunction(() => document.querySelectorAll('#assignments-table tbody tr').length === 8);
    const list = (await api('GET', `/api/v1/campaigns/${c.id}/assessor-assignments`)).assignments;
    assert.equal(list.length, 8);
    assert.equal(await page.locator('#assignments-count').textContent(), '8 penugasan; 0 sudah dikirim.');
    // Nobody rates a participant of their own unit (Asesor Tiga works in BKPSDM).
    const tiga = team[2];
    assert.ok(list.filter((a) => a.assessor.id === tiga.id).every((a) => a.participant.unit !== 'BKPSDM'));
    const sorted = [...list].sort((a, b) => a.participant.name.localeCompare(b.participant.name) || a.assessor.name.localeCompare(b.assessor.name));
    assert.deepEqual(await rows(page.locator('#assignments-table tbody tr')), sorted.map((a) => [
      `${a.participant.name} ${a.participant.nip}`, 'Wawancara', a.assessor.name, 'Belum dinilai', '–', 'Hapus',
    ]));
    await expectAccessible(page, 'the assignments made by rule');

    // A draft is removed after a confirmation.
    const gone = sorted[0];
    await page.click(`#assignments-table button[data-assignment="${gone.id}"]`);
    await page.locator('#remove-dialog[open]').waitFor();
    assert.equal(await page.locator('#remove-text').textContent(), `Penugasan penilaian ${gone.assessor.name} untuk ${gone.participant.name} (Wawancara) dihapus beserta drafnya.`);
    await expectAccessible(page, 'the confirmation before removing an assignment');
    await page.click('#remove-confirm');
    await page.locator('#remove-done').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#assignments-table tbody tr').length === 7);
    assert.equal((await api('GET', `/api/v1/campaigns/${c.id}/assessor-assignments`)).assignments.some((a) => a.id === gone.id), false);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'assignments-title');

    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('#exercises-title').textContent(), 'Exercises');
    assert.equal(await page.locator('#assignments-count').textContent(), '7 assignment(s); 0 submitted.');
    await expectAccessible(page, 'the assessment centre in English');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  describe('a campaign whose sheets are in', () => {
    let c;
    let ids; // assignment ids by `${participant}/${assessor}`
    before(async () => {
      c = await centre(env.base, hr, 'Assessment center Pengawas (integrasi)');
      const [satu, dua] = team;
      const pairs = [];
      for (const who of ['Rina Marlina', 'Dedi Kurniawan', 'Citra Lestari']) pairs.push([who, 'interview', satu, true], [who, 'interview', dua]);
      const made = await assign(env.base, hr, c, pairs);
      ids = Object.fromEntries(pairs.map(([who, , a], i) => [`${who}/${a.name}`, made[i]]));
      // Rina's integrity is rated two levels apart; the rest agree or lie one level apart.
      const levels = {
        'Rina Marlina': [{ INT: 4, KOM: 3 }, { INT: 2, KOM: 3 }],
        'Dedi Kurniawan': [{ INT: 3, KOM: 2 }, { INT: 3, KOM: 3 }],
        'Citra Lestari': [{ INT: 5, KOM: 4 }, { INT: 4, KOM: 4 }],
      };
      for (const [who, [one, two]] of Object.entries(levels)) {
        await rate(env.base, satu, ids[`${who}/Asesor Satu`], one);
        await rate(env.base, dua, ids[`${who}/Asesor Dua`], two);
      }
    });

    /** A figure as the page writes it: at most `digits` decimals in the page's locale; '–' for none. */
    const fig = (n, digits = 2, locale = 'id-ID') => (n == null ? '–' : n.toLocaleString(locale, { maximumFractionDigits: digits }));
    /** A rater's drift as the page writes it: signed, with its direction in words. */
    const drift = (n) => (Math.abs(n) < 0.0005 ? '0 ' : `${n > 0 ? '+' : '−'}${fig(Math.abs(n), 3)} ${n > 0 ? 'lebih longgar' : 'lebih ketat'}`);
    const pct = (n, locale = 'id-ID') => (n == null ? '–' : `${fig(n, 1, locale)}${locale === 'id-ID' ? ' %' : '%'}`);

    test('HR reads the agreement figures and the discrepancy the API computes, and unlocks a sheet with a reason', async () => {
      const agreement = await api('GET', `/api/v1/campaigns/${c.id}/agreement`);
      assert.equal(agreement.submitted_sheets, 6);
      const page = await signedIn(DEMO.hr);
      await page.goto(`/assessment?campaign=${c.id}`);
      await page.locator('#agreement-tiles').waitFor();
      assert.equal(await page.locator('#agreement-sheets').textContent(), '6 lembar penilaian dikirim, 0 belum.');
      const o = agreement.overall;
      const tile = async (id) => [await page.locator(`#${id} .ac-tile-label`).textContent(), await page.locator(`#${id} .ac-tile-value`).textContent(), await page.locator(`#${id} .ac-tile-n`).textContent()];
      assert.deepEqual(await tile('tile-exact'), ['Sama persis', pct(o.exact_pct), `dari ${o.pairs} pasangan`]);
      assert.deepEqual(await tile('tile-adjacent'), ['Berdekatan (selisih ≤ 1)', pct(o.adjacent_pct), `dari ${o.pairs} pasangan`]);
      assert.deepEqual(await tile('tile-icc-single'), ['ICC(2,1)', fig(o.icc_single, 3), `${o.icc_n} satuan × ${o.icc_k} asesor`]);
      assert.deepEqual(await tile('tile-icc-average'), ['ICC(2,k)', fig(o.icc_average, 3), `${o.icc_n} satuan × ${o.icc_k} asesor`]);
      assert.deepEqual(await tile('tile-alpha'), ['α Krippendorff (ordinal)', fig(o.alpha, 3), `dari ${o.alpha_n} penilaian yang dapat dipasangkan`]);
      // Six units (3 participants × 2 competencies), one pair each: 3 agree exactly, 5 within a level.
      assert.deepEqual([o.units, o.pairs, o.exact_pct, o.adjacent_pct, o.icc_n, o.icc_k], [6, 6, 50, 83.3, 6, 2]);
      assert.equal(await page.locator('#tile-adjacent .ac-tile-value').textContent(), '83,3 %');
      const cells = (s) => [String(s.ratings), String(s.pairs), pct(s.exact_pct), pct(s.adjacent_pct), fig(s.icc_single, 3), fig(s.icc_average, 3), fig(s.alpha, 3)];
      assert.deepEqual(await rows(page.locator('#agreement-table tbody tr')), agreement.exercises.flatMap((e) => [
        [e.name, 'Semua kompetensi', ...cells(e.overall)],
        ...e.competencies.map((k) => [e.name, k.name.id, ...cells(k)]),
      ]));
      assert.equal(await page.locator('#discrepancies-title').textContent(), 'Selisih lebih dari satu level (1)');
      assert.deepEqual(await rows(page.locator('#discrepancies tbody tr')), [
        ['Rina Marlina 198708172011012003', EXERCISES[0].name, 'Integritas', '2', 'Asesor Satu: 4; Asesor Dua: 2', 'Integrasi'],
      ]);
      assert.deepEqual(await rows(page.locator('#drift tbody tr')), agreement.drift.map((d) => [
        d.assessor.name, String(d.n), fig(d.own_mean, 3), fig(d.panel_mean, 3), drift(d.difference),
      ]));
      await expectAccessible(page, 'the agreement between assessors');

      // Unlocking needs a reason; the sheet goes back to its assessor as a draft.
      const sheet = ids['Citra Lestari/Asesor Dua'];
      await page.click(`#assignments-table button.ac-unlock[data-assignment="${sheet}"]`);
      await page.locator('#unlock-dialog[open]').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'unlock-reason');
      await page.click('#unlock-submit');
      assert.equal(await page.locator('#unlock-reason-error').textContent(), 'Tuliskan alasannya dahulu.');
      assert.equal(await page.locator('#unlock-reason').getAttribute('aria-invalid'), 'true');
      await expectAccessible(page, 'the unlock dialog without a reason');
      await page.fill('#unlock-reason', 'Asesor salah memilih level KOM');
      await page.click('#unlock-submit');
      await page.locator('#unlock-done').waitFor();
      assert.equal(await page.locator('#unlock-done').textContent(), 'Kunci penilaian Asesor Dua untuk Citra Lestari (Wawancara berbasis kompetensi) dibuka; asesornya dapat memperbaikinya lalu mengirim lagi.');
      // The table is drawn again from the server after the unlock: wait for the row to say so.
      await page.locator(`#assignments-table tr[data-assignment="${sheet}"][data-status="draft"]`).waitFor();
      assert.equal((await sheetOf(team[1], sheet)).assignment.status, 'draft');
      await page.waitForFunction(() => document.querySelector('#agreement-sheets')?.textContent === '5 lembar penilaian dikirim, 1 belum.');
      // Submitted again, so the panel below has every sheet.
      await api('POST', `/api/v1/assessor/assignments/${sheet}/submit`, {}, { token: team[1].token });
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    test('HR integrates a level that departs from the mean, with the reason the server asks for at its field', async () => {
      const page = await signedIn(DEMO.hr);
      await page.goto(`/assessment?campaign=${c.id}`);
      const rina = c.people['Rina Marlina'];
      await page.locator(`#discrepancies button[data-participant="${rina}"]`).click();
      await page.locator('#integration-form').waitFor();
      assert.equal(await page.locator('#integration-title').textContent(), 'Integrasi penilaian Rina Marlina');
      assert.deepEqual(await rows(page.locator('#int-INT tbody tr')), [
        [EXERCISES[0].name, 'Asesor Satu', '4', 'Asesor Satu mengamati INT pada level 4'],
        [EXERCISES[0].name, 'Asesor Dua', '2', 'Asesor Dua mengamati INT pada level 2'],
      ]);
      assert.equal(await page.locator('#int-INT-mean').textContent(), 'Rata-rata 3 dari 2 penilaian · saran level 3');
      assert.equal(await page.inputValue('#int-INT-level'), '3');
      assert.equal(await page.inputValue('#int-KOM-level'), '3');
      // KS is evidenced by the other exercise, which nobody rated: nothing to record.
      assert.equal(await page.locator('#int-KS .ac-int-none').textContent(), 'Belum ada penilaian yang dikirim untuk kompetensi ini.');
      assert.equal(await page.locator('#int-KS select').count(), 0);
      await expectAccessible(page, 'the integration dialog');

      await page.selectOption('#int-INT-level', '5');
      assert.equal(await page.locator('#int-INT-reason-hint').textContent(), 'Wajib: level ini berjarak lebih dari ½ dari rata-rata 3.');
      await page.click('#integration-save');
      await page.locator('#integration-invalid').waitFor();
      assert.equal(await page.locator('#integration-invalid').textContent(), 'Level ditolak dengan 1 masalah; tidak ada yang dicatat.');
      assert.equal(await page.locator('#int-INT-reason-error').textContent(), 'Tuliskan alasannya: level ini berjarak lebih dari ½ dari rata-rata 3.');
      assert.equal(await page.locator('#int-INT-reason').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'int-INT-reason');
      let read = await api('GET', `/api/v1/campaigns/${c.id}/participants/${rina}/integration`);
      assert.ok(read.competencies.every((k) => k.integrated === null), 'nothing recorded');
      await expectAccessible(page, 'a refused integration with the missing reason at its field');

      await page.fill('#int-INT-reason', 'Bukti wawancara menunjukkan sistem pencegahan di unit');
      await page.click('#integration-save');
      await page.locator('#integration-saved').waitFor();
      assert.equal(await page.locator('#integration-saved').textContent(), 'Level dicatat untuk 2 kompetensi.');
      read = await api('GET', `/api/v1/campaigns/${c.id}/participants/${rina}/integration`);
      const recorded = Object.fromEntries(read.competencies.filter((k) => k.integrated).map((k) => [k.code, [k.integrated.level, k.integrated.reason, k.integrated.ratings_mean]]));
      assert.deepEqual(recorded, { INT: [5, 'Bukti wawancara menunjukkan sistem pencegahan di unit', 3], KOM: [3, null, 3] });
      const int = read.competencies.find((k) => k.code === 'INT').integrated;
      assert.equal(await page.locator('#int-INT-recorded').textContent(),
        `Tercatat: level 5 (rata-rata saat itu 3 dari 2 penilaian) oleh ${int.recorded_by.name}, ${await stamp(page, int.recorded_at)}. Alasan: Bukti wawancara menunjukkan sistem pencegahan di unit`);
      await expectAccessible(page, 'the integration dialog after recording');

      // Closing gives the focus back to the button that opened the dialog.
      await page.click('#integration-close');
      assert.equal(await page.evaluate(() => document.activeElement.dataset.participant), rina);
      await page.click('[data-lang-toggle]');
      await page.locator(`#discrepancies button[data-participant="${rina}"]`).click();
      await page.locator('#integration-form').waitFor();
      assert.equal(await page.locator('#integration-title').textContent(), "Integrate Rina Marlina's ratings");
      assert.equal(await page.locator('#int-INT-mean').textContent(), 'Mean 3 of 2 rating(s) · suggested level 3');
      assert.equal(await page.inputValue('#int-INT-level'), '5');
      assert.equal(await page.locator('#int-INT-reason-hint').textContent(), 'Required: this level departs from the mean of 3 by more than ½.');
      await expectAccessible(page, 'the integration dialog in English');
      await page.keyboard.press('Escape');
      await page.click('[data-lang-toggle]');
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    test('a psychologist reads the exercises and the agreement, finds a participant and integrates; they see no assignments', async () => {
      const page = await signedIn(DEMO.psychologist);
      const link = page.locator('#topnav a[href="/assessment"]');
      assert.equal(await link.textContent(), 'Assessment center');
      await page.goto(`/assessment?campaign=${c.id}`);
      await page.locator('#agreement-tiles').waitFor();
      assert.equal(await page.locator('#rule').count(), 0);
      assert.equal(await page.locator('#assignments').count(), 0);
      assert.equal(await page.locator('#exercises-add').count(), 0);
      assert.deepEqual(await rows(page.locator('#exercises-table tbody tr')), EXERCISES.map((e) => [e.code, e.name,
        e.competencies.map((k) => `${framework.get(k).name.id} (${k})`).join(', ')]));
      await page.fill('#panel-q', 'Dedi');
      await page.click('#panel-find');
      await page.locator('#panel-table').waitFor();
      assert.deepEqual(await rows(page.locator('#panel-table tbody tr')), [['Dedi Kurniawan 199202022016031003', 'Dinas Kesehatan', 'Integrasi']]);
      await expectAccessible(page, "the psychologist's view of the assessment centre");
      await page.click('#panel-table button.ac-integrate');
      await page.locator('#integration-form').waitFor();
      assert.equal(await page.locator('#int-KOM-mean').textContent(), 'Rata-rata 2,5 dari 2 penilaian · saran level 3');
      // 2 is half a level from 2.5: no reason needed.
      await page.selectOption('#int-KOM-level', '2');
      assert.equal(await page.locator('#int-KOM-reason-hint').textContent(), 'Boleh dikosongkan: level ini berjarak paling banyak ½ dari rata-rata 2,5.');
      await page.click('#integration-save');
      await page.locator('#integration-saved').waitFor();
      const read = await api('GET', `/api/v1/campaigns/${c.id}/participants/${c.people['Dedi Kurniawan']}/integration`);
      assert.deepEqual(read.competencies.filter((k) => k.integrated).map((k) => [k.code, k.integrated.level]), [['INT', 3], ['KOM', 2]]);
      await page.click('#integration-close');
      await page.click('[data-lang-toggle]');
      assert.equal(await page.locator('#agreement-title').textContent(), 'Agreement between assessors');
      await expectAccessible(page, "the psychologist's view in English");
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  });

  test('each page turns away the roles it is not for, and neither is in their navigation', async () => {
    for (const [who, path, words] of [
      [DEMO.proctor, '/assessor', 'Halaman ini hanya untuk peran Asesor. Anda masuk sebagai Pengawas (proctor@demo.meritest.id).'],
      [DEMO.hr, '/assessor', 'Halaman ini hanya untuk peran Asesor. Anda masuk sebagai SDM (HR) (hr@demo.meritest.id).'],
      [DEMO.assessor, '/assessment', 'Halaman ini hanya untuk peran Administrator, SDM (HR) dan Psikolog. Anda masuk sebagai Asesor (assessor@demo.meritest.id).'],
      [DEMO.proctor, '/assessment', 'Halaman ini hanya untuk peran Administrator, SDM (HR) dan Psikolog. Anda masuk sebagai Pengawas (proctor@demo.meritest.id).'],
    ]) {
      const page = await signedIn(who);
      await page.goto(path);
      await page.locator('#access-denied').waitFor();
      assert.equal(await page.locator('#access-denied p').first().textContent(), words);
      assert.equal(await page.locator(`#topnav a[href="${path}"]`).count(), 0);
      assert.equal(await page.locator('#content').isHidden(), true);
      await expectAccessible(page, `${path} refused to ${who}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
    // An assessor without assignments (a new account: the rule above drew on every assessor) is told so.
    const admin = await apiToken(env.base, DEMO.admin);
    await api('POST', '/api/v1/accounts', { email: 'asesor.baru@asesor.demo.meritest.id', name: 'Asesor Baru', role: 'assessor', password: ASSESSOR_PASSWORD }, { token: admin, status: 201 });
    const page = await signedIn('asesor.baru@asesor.demo.meritest.id', ASSESSOR_PASSWORD);
    await page.click('#topnav a[href="/assessor"]');
    await page.locator('#list-empty').waitFor();
    assert.equal(await page.locator('#list-empty').textContent(), 'Belum ada penugasan untuk Anda. SDM menugaskan asesor per peserta dan latihan; penugasan Anda akan muncul di sini.');
    await expectAccessible(page, 'an empty list of assignments');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test("an administrator gives a psychologist a unit and, after a refused one, a licence number on the accounts page", async () => {
    const page = await signedIn(DEMO.admin);
    await page.goto('/accounts');
    await page.locator(`#account-rows tr[data-email="${DEMO.admin}"]`).waitFor();
    await page.fill('#new-email', 'psikolog.baru@demo.meritest.id');
    await page.fill('#new-name', 'Psikolog Baru');
    await page.selectOption('#new-role', 'psychologist');
    await page.fill('#new-password', 'sandi-panjang-2024');
    await page.fill('#new-unit', 'Biro Psikologi');
    await page.click('#create-submit');
    const row = page.locator('#account-rows tr[data-email="psikolog.baru@demo.meritest.id"]');
    await row.waitFor();
    assert.equal(await row.locator('.account-profile').textContent(), 'Biro Psikologi');
    await expectAccessible(page, 'the accounts page with the profile column');

    await row.locator('button.edit-profile').click();
    await page.locator('#profile-dialog[open]').waitFor();
    assert.equal(await page.locator('#profile-target').textContent(), 'Psikolog Baru (psikolog.baru@demo.meritest.id), Psikolog.');
    assert.equal(await page.inputValue('#profile-unit'), 'Biro Psikologi');
    await page.fill('#profile-licence_number', 'SIPP');
    await page.click('#profile-submit');
    await page.locator('#profile-error .profile-refused').waitFor();
    assert.equal(await page.locator('#profile-licence_number-error').textContent(), "'SIPP' is not a licence number: 3–60 letters, digits, spaces and / . -, with a digit");
    assert.equal(await page.locator('#profile-licence_number').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'profile-licence_number');
    await expectAccessible(page, 'the profile dialog with a refused licence number');
    await page.fill('#profile-licence_number', 'SIPP/0123/2024');
    await page.click('#profile-submit');
    await page.waitForFunction(() => document.querySelector('#accounts-status')?.textContent === 'Profil psikolog.baru@demo.meritest.id disimpan.');
    assert.equal(await row.locator('.account-profile').textContent(), 'Biro PsikologiSIPP SIPP/0123/2024');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'btn btn-small edit-profile');
    const psychologist = await apiToken(env.base, 'psikolog.baru@demo.meritest.id', 'sandi-panjang-2024');
    const me = await api('GET', '/api/v1/auth/me', undefined, { token: psychologist });
    assert.deepEqual([me.unit, me.licence_number], ['Biro Psikologi', 'SIPP/0123/2024']);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
