// The reports page (/reports?campaign=): a psychologist picks a campaign, releases one
// participant's report and reads version 1 with its SHA-256, and releasing it again unchanged says
// so; the release dialog works by keyboard (everyone with results, the summary, English); HR
// downloads the campaign's ZIP and a version whose SHA-256 is the one shown, and a draft; a
// psychologist without a licence number is told so instead of being offered the button; HR lets
// participants download their own report and a candidate who finished downloads it from the end
// screen of /take; the roles the page is not for are turned away, and each role's home and
// navigation lead to its workspace. axe runs on every screen, in both languages.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { release, reportCampaign } from './reports-seed.mjs';
import { DEMO, apiCall, apiToken, newPage, setup, signIn } from './server.mjs';
import { unzip } from './zip.mjs';

/** The demo psychologist's licence number (src/services/demo). */
const DEMO_LICENCE = '0123-20-2-1-DEMO';
/** Participants in the demo's synthetic campaign (the server is started with this many). */
const DEMO_PEOPLE = 40;
const DEMO_CAMPAIGN = `Demo · hasil sintetis (${DEMO_PEOPLE} peserta)`;

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

describe('psychological reports page', () => {
  let env;
  let hr;
  let psy;
  let psyName;
  let demo; // the demo's synthetic campaign {id}

  before(async () => {
    env = await setup({ demoResults: DEMO_PEOPLE });
    hr = await apiToken(env.base, DEMO.hr);
    psy = await apiToken(env.base, DEMO.psychologist);
    const me = await api('GET', '/api/v1/auth/me', undefined, { token: psy });
    assert.equal(me.licence_number, DEMO_LICENCE);
    psyName = me.name;
    const campaigns = (await api('GET', '/api/v1/campaigns')).campaigns;
    demo = campaigns.find((c) => c.name === DEMO_CAMPAIGN);
    assert.ok(demo, `the demo's synthetic campaign is there: ${campaigns.map((c) => c.name).join(', ')}`);
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

  async function signedIn(email, password) {
    const page = await newPage(env.browser, env.base, { acceptDownloads: true });
    await page.goto('/login');
    await signIn(page, email, password);
    return page;
  }

  /** Opens a campaign's reports and waits for its table (or its empty text). */
  async function openReports(page, id) {
    await page.goto(`/reports?campaign=${id}`);
    await page.locator('#participants-count:not(:empty)').waitFor();
  }

  /** The table's rows as [name, NIP, results, latest, psychologist, short hash]. */
  const rows = (page) => page.locator('#reports-table tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const cell = (i) => tr.children[i].textContent;
    const at = tr.querySelector('.rp-select') ? 1 : 0;
    return [cell(at), cell(at + 1), cell(at + 2), cell(at + 3), cell(at + 5), cell(at + 6)];
  }));
  /** A date-time as the page writes it (medium date, short time). */
  const stamp = (page, iso, locale = 'id-ID') => page.evaluate(([d, l]) => new Date(d).toLocaleString(l, { dateStyle: 'medium', timeStyle: 'short' }), [iso, locale]);
  const reportsOf = (c) => api('GET', `/api/v1/campaigns/${c.id}/reports`);

  /** Clicks `selector` and returns the file it downloads: {name, bytes}. */
  async function downloadOf(page, selector) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
  }

  test('a psychologist releases the report of one participant and reads version 1 with its hash; releasing it again unchanged says so', async () => {
    const c = await reportCampaign(env.base, hr, 'Laporan Pengawas (rilis)', { taking: ['Rina Marlina', 'Dedi Kurniawan'] });
    const page = await signedIn(DEMO.psychologist);
    assert.deepEqual(await page.locator('#topnav a').allTextContents(), ['Beranda', 'Hasil kompetensi', 'Assessment center', 'Laporan', 'Psikometri', 'Kompetensi', 'Pegawai', 'Referensi API']);
    await page.click('#topnav a[href="/reports"]');
    // Without a campaign, the psychologist picks one of those the organisation overview reads.
    const link = page.locator('#picker-list a', { hasText: c.name });
    await link.waitFor();
    assert.equal(await page.locator('#topnav a[href="/reports"]').getAttribute('aria-current'), 'page');
    assert.equal(await link.locator('xpath=..').locator('.small').textContent(), `Tahun ${new Date(Date.now() + 7 * 86_400_000).getFullYear()} · 2 peserta dengan hasil`);
    await expectAccessible(page, "the psychologist's campaign picker");
    await Promise.all([page.waitForURL((u) => u.searchParams.get('campaign') === c.id), link.click()]);
    await page.locator('#reports-table').waitFor();
    // A psychologist may not read the campaign: its name comes from the organisation overview, a moment later.
    await page.waitForFunction((name) => document.querySelector('h1').textContent === name, c.name);
    assert.equal(await page.title(), `${c.name} · Laporan psikologis · meritest`);
    assert.equal(await page.locator('#participants-count').textContent(), '3 peserta · 2 memiliki hasil · 0 laporan sudah dirilis');
    assert.deepEqual(await rows(page), [
      ['Citra Lestari', '199001012015032002', 'Belum ada hasil', 'Belum dirilis', '–', '–'],
      ['Dedi Kurniawan', '199202022016031003', 'Ada hasil', 'Belum dirilis', '–', '–'],
      ['Rina Marlina', '198708172011012003', 'Ada hasil', 'Belum dirilis', '–', '–'],
    ]);
    assert.equal(await page.locator('#release-signer').textContent(), `Laporan yang Anda rilis ditandatangani atas nama ${psyName} dengan nomor SIPP ${DEMO_LICENCE}.`);
    assert.equal(await page.locator('#download-zip').isDisabled(), true, 'nothing released, nothing to zip');
    assert.equal(await page.locator('#zip-hint').textContent(), 'Belum ada laporan yang dirilis.');
    // Citra has no results: nothing to tick, no draft.
    assert.equal(await page.locator(`input.rp-pick[data-participant="${c.people['Citra Lestari']}"]`).isDisabled(), true);
    assert.equal(await page.locator(`tr[data-participant="${c.people['Citra Lestari']}"] .rp-draft`).count(), 0);
    await expectAccessible(page, "a psychologist's table of unreleased reports");

    // Rina is found by name and ticked.
    await page.fill('#filter-q', 'rina');
    assert.equal(await page.locator('#participants-count').textContent(), '1 dari 3 peserta cocok');
    await page.check(`input.rp-pick[data-participant="${c.people['Rina Marlina']}"]`);
    assert.equal(await page.locator('#release-selection').textContent(), '1 peserta dipilih di tabel · 2 peserta memiliki hasil.');
    await page.fill('#filter-q', '');
    assert.equal(await page.locator('#reports-table tbody tr').count(), 3);
    assert.equal(await page.locator('#select-all').evaluate((el) => el.indeterminate), true);

    // The confirmation names the licence number the report is signed with.
    await page.click('#release-open');
    await page.locator('#release-dialog[open]').waitFor();
    assert.equal(await page.locator('#release-selected').isChecked(), true);
    assert.equal(await page.locator('#release-selected-label').textContent(), 'Peserta yang dipilih (1)');
    assert.equal(await page.locator('#release-all-label').textContent(), 'Semua peserta yang memiliki hasil (2)');
    assert.equal(await page.locator('#release-lang-id').isChecked(), true);
    assert.equal(await page.locator('#release-summary').isChecked(), false);
    assert.equal(await page.locator('#release-confirm').textContent(),
      `Laporan dirilis atas nama ${psyName} dengan nomor SIPP ${DEMO_LICENCE}. Setiap versi yang dirilis disimpan tetap beserta SHA-256-nya dan dicatat di log audit; koreksi menjadi versi berikutnya.`);
    await expectAccessible(page, 'the release dialog');
    await page.click('#release-submit');
    await page.locator('#release-done').waitFor();
    const [v1] = await api('GET', `/api/v1/campaigns/${c.id}/reports/${c.people['Rina Marlina']}/versions`);
    assert.equal(v1.version, 1);
    assert.equal(v1.licence_number, DEMO_LICENCE);
    assert.equal(v1.language, 'id');
    assert.match(v1.content_hash, /^[0-9a-f]{64}$/);
    assert.equal(await page.locator('#release-outcome').getAttribute('role'), 'status');
    assert.equal(await page.locator('#release-new').textContent(), '1 laporan dirilis sebagai versi baru:');
    assert.equal(await page.locator('#release-new-list li').textContent(), `Rina Marlina: versi 1 SHA-256 ${v1.content_hash}`);
    assert.equal(await page.locator('#release-unchanged').count(), 0);
    assert.equal(await page.locator('#release-open').evaluate((el) => el === document.activeElement), true, 'the focus is back on the button');
    const released = await stamp(page, v1.released_at);
    assert.deepEqual(await rows(page), [
      ['Citra Lestari', '199001012015032002', 'Belum ada hasil', 'Belum dirilis', '–', '–'],
      ['Dedi Kurniawan', '199202022016031003', 'Ada hasil', 'Belum dirilis', '–', '–'],
      ['Rina Marlina', '198708172011012003', 'Ada hasil', 'v1 · ID', `${psyName}SIPP ${DEMO_LICENCE}`, `${v1.content_hash.slice(0, 12)}…`],
    ]);
    assert.equal(await page.locator(`tr[data-participant="${c.people['Rina Marlina']}"] td`).nth(4).textContent(), released);
    assert.equal(await page.locator('#participants-count').textContent(), '3 peserta · 2 memiliki hasil · 1 laporan sudah dirilis');
    await expectAccessible(page, 'the table after a release, with its outcome');

    // The versions dialog lists version 1 with its full hash.
    await page.click(`button.rp-versions-open[data-participant="${c.people['Rina Marlina']}"]`);
    await page.locator('#versions-table').waitFor();
    assert.equal(await page.locator('#versions-title').textContent(), 'Laporan Rina Marlina');
    assert.deepEqual(await page.locator('#versions-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 6).map((td) => td.querySelector('.rp-hash')?.textContent ?? td.textContent))),
      [['Versi 1', 'Bahasa Indonesia', released, `${psyName}SIPP ${DEMO_LICENCE}`, `${(v1.size_bytes / 1024).toLocaleString('id-ID', { maximumFractionDigits: 1 })} KB`, v1.content_hash]]);
    await expectAccessible(page, 'the versions dialog');
    await page.keyboard.press('Escape');
    await page.locator('#versions-dialog:not([open])').waitFor({ state: 'attached' });
    assert.equal(await page.locator(`button.rp-versions-open[data-participant="${c.people['Rina Marlina']}"]`).evaluate((el) => el === document.activeElement), true);

    // Released again with nothing changed: no new version, and the page says so.
    await page.click('#release-open');
    await page.locator('#release-dialog[open]').waitFor();
    await page.click('#release-submit');
    await page.locator('#release-unchanged').waitFor();
    assert.equal(await page.locator('#release-unchanged').textContent(), '1 laporan tidak berubah sejak versi terakhirnya, jadi tidak dibuat versi baru:');
    assert.equal(await page.locator('#release-unchanged-list li').textContent(), 'Rina Marlina: tetap versi 1');
    assert.equal(await page.locator('#release-new').count(), 0);
    assert.equal((await api('GET', `/api/v1/campaigns/${c.id}/reports/${c.people['Rina Marlina']}/versions`)).length, 1);
    await expectAccessible(page, 'an unchanged release');

    // In English.
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('#release-unchanged').textContent(), 'Unchanged since their latest version, so no new version was made (1):');
    assert.equal(await page.locator('#release-unchanged-list li').textContent(), 'Rina Marlina: still version 1');
    assert.equal(await page.locator('h1').textContent(), c.name);
    assert.equal(await page.locator('#participants-count').textContent(), 'Participants: 3 · with results: 2 · reports released: 1');
    assert.deepEqual((await rows(page))[2].slice(2, 4), ['Has results', 'v1 · ID']);
    await expectAccessible(page, "a psychologist's reports page in English");
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the release dialog is used by keyboard: everyone with results, the summary too, in English; Escape leaves it', async () => {
    const c = await reportCampaign(env.base, hr, 'Laporan Pengawas (papan ketik)', { taking: ['Rina Marlina', 'Dedi Kurniawan'] });
    const page = await signedIn(DEMO.psychologist);
    await openReports(page, c.id);
    // The button opens the dialog from the keyboard, and Escape closes it with the focus back.
    await page.focus('#release-open');
    await page.keyboard.press('Enter');
    await page.locator('#release-dialog[open]').waitFor();
    // Nothing is ticked: "everyone with results" is chosen and has the focus.
    assert.equal(await page.locator('#release-selected').isDisabled(), true);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'release-all');
    await page.keyboard.press('Escape');
    await page.locator('#release-dialog:not([open])').waitFor({ state: 'attached' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'release-open');
    assert.equal((await reportsOf(c)).reports.filter((r) => r.latest).length, 0, 'nothing released');

    // Tick Dedi by keyboard from the search field.
    await page.focus('#filter-q');
    await page.keyboard.type('Dedi');
    assert.equal(await page.locator('#reports-table tbody tr').count(), 1);
    for (let i = 0; i < 6 && !(await page.evaluate(() => document.activeElement.classList.contains('rp-pick'))); i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.participant), c.people['Dedi Kurniawan']);
    await page.keyboard.press('Space');
    assert.equal(await page.locator('#release-selection').textContent(), '1 peserta dipilih di tabel · 2 peserta memiliki hasil.');

    // In the dialog: the selected participant first; the arrow keys choose everyone instead, Tab
    // moves to the summary (Space ticks it), the language (an arrow picks English) and the
    // buttons, Enter releases.
    await page.focus('#release-open');
    await page.keyboard.press('Enter');
    await page.locator('#release-dialog[open]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'release-selected');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#release-all').isChecked(), true);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'release-summary');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'release-lang-id');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#release-lang-en').isChecked(), true);
    await expectAccessible(page, 'the release dialog filled by keyboard');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'release-cancel');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'release-submit');
    await page.keyboard.press('Enter');
    await page.locator('#release-done').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'release-open');
    assert.equal(await page.locator('#release-new').textContent(), '2 laporan dirilis sebagai versi baru:');
    assert.deepEqual(await page.locator('#release-new-list li').evaluateAll((lis) => lis.map((li) => li.firstChild.textContent)).then((l) => l.sort()),
      ['Dedi Kurniawan: versi 1', 'Rina Marlina: versi 1']);
    assert.equal(await page.locator('#release-summary-outcome').textContent(), 'Ringkasan kampanye dirilis sebagai versi 1.');
    assert.equal(await page.locator('#release-not-ready').textContent(), '1 peserta belum memiliki hasil dan tidak dirilis: Citra Lestari.');
    const list = await reportsOf(c);
    assert.deepEqual(list.reports.map((r) => [r.name, r.latest?.version ?? null, r.latest?.language ?? null]),
      [['Citra Lestari', null, null], ['Dedi Kurniawan', 1, 'en'], ['Rina Marlina', 1, 'en']]);
    assert.equal(list.summary.length, 1);
    // The summary's released version is listed with its full hash.
    assert.deepEqual(await page.locator('#summary-versions tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent, tr.querySelector('.rp-hash').textContent])),
      [['Versi 1', 'Bahasa Inggris', list.summary[0].content_hash]]);
    await expectAccessible(page, 'the outcome of a release of everyone with the summary');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test("hr opens the demo campaign's reports from the campaign, downloads the ZIP, a version whose SHA-256 is the one shown, and drafts", async () => {
    const page = await signedIn(DEMO.hr);
    // The assessment centre links to the same campaign's reports, and the reports page back to it.
    await page.goto(`/assessment?campaign=${demo.id}`);
    const fromCentre = page.locator('#reports-link');
    await fromCentre.waitFor();
    assert.equal(await fromCentre.textContent(), 'Laporan');
    assert.equal(await fromCentre.getAttribute('href'), `/reports?campaign=${demo.id}`);
    await page.goto(`/campaigns#campaign=${demo.id}`);
    const link = page.locator('#campaign-reports');
    await link.waitFor();
    assert.equal(await link.textContent(), 'Laporan');
    await Promise.all([page.waitForURL((u) => u.pathname === '/reports'), link.click()]);
    assert.equal(new URL(page.url()).searchParams.get('campaign'), demo.id);
    await page.locator('#reports-table').waitFor();
    await page.waitForFunction((name) => document.querySelector('h1').textContent === name, DEMO_CAMPAIGN);
    assert.equal(await page.locator('#back-link').getAttribute('href'), `/campaigns#campaign=${demo.id}`);
    assert.equal(await page.locator('#assessment-link').getAttribute('href'), `/assessment?campaign=${demo.id}`);
    assert.equal(await page.locator('#results-link').getAttribute('href'), `/results?campaign=${demo.id}`);
    const list = await reportsOf(demo);
    const released = list.reports.filter((r) => r.latest);
    assert.equal(released.length, 5, 'the demo releases five reports');
    assert.equal(await page.locator('#participants-count').textContent(),
      `${DEMO_PEOPLE} peserta · ${list.reports.filter((r) => r.ready).length} memiliki hasil · 5 laporan sudah dirilis`);
    // HR reads and downloads; only psychologists release.
    assert.equal(await page.locator('#release-info').textContent(), 'Laporan dirilis oleh psikolog organisasi atas nama dan nomor SIPP-nya. Sebelum dirilis, laporan adalah draf yang bertanda DRAF di setiap halamannya.');
    assert.equal(await page.locator('#release-open').count(), 0);
    assert.equal(await page.locator('input.rp-pick').count(), 0);
    assert.equal(await page.locator('#zip-hint').textContent(), 'Versi terakhir 5 laporan yang sudah dirilis, dengan manifest.csv.');
    await expectAccessible(page, "HR's reports page of the demo campaign");

    // The ZIP: the latest version of each released report, and a manifest naming their hashes.
    const zip = await downloadOf(page, '#download-zip');
    assert.equal(zip.name, `laporan-${demo.id}.zip`);
    assert.equal(await page.locator('#zip-downloaded').textContent(), `Diunduh: laporan-${demo.id}.zip`);
    const entries = unzip(zip.bytes);
    const expected = released.map((r) => `laporan-${r.nip}-v${r.latest.version}.pdf`).sort();
    assert.deepEqual([...entries.keys()].sort(), [...expected, 'manifest.csv'].sort());
    const manifest = entries.get('manifest.csv').toString('utf8').trim().split('\n');
    assert.equal(manifest[0], 'nip,nama,versi,sha256,dirilis,psikolog,no_sipp,berkas');
    assert.equal(manifest.length, 6);
    for (const r of released) {
      const pdf = entries.get(`laporan-${r.nip}-v${r.latest.version}.pdf`);
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      assert.equal(sha256(pdf), r.latest.content_hash, `the ZIP's PDF of ${r.nip} is the release`);
      const line = manifest.find((l) => l.startsWith(`${r.nip},`));
      assert.ok(line.includes(`,${r.latest.content_hash},`), line);
      assert.ok(line.includes(`"${DEMO_LICENCE}"`), line);
    }

    // One released participant, found by NIP: the dialog's hash is the downloaded file's.
    const one = released[0];
    await page.fill('#filter-q', one.nip);
    assert.deepEqual((await rows(page)).map((r) => r[1]), [one.nip]);
    await page.click(`button.rp-versions-open[data-participant="${one.participant}"]`);
    await page.locator('#versions-table').waitFor();
    const shown = await page.locator('#versions-table tbody tr[data-version="1"] .rp-hash').textContent();
    assert.equal(shown, one.latest.content_hash);
    const pdf = await downloadOf(page, '#versions-table tbody tr[data-version="1"] .rp-version-download');
    assert.equal(pdf.name, `laporan-${one.nip}-v1.pdf`);
    assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
    assert.equal(sha256(pdf.bytes), shown);
    assert.equal(await page.locator('#version-downloaded').textContent(),
      `Diunduh: laporan-${one.nip}-v1.pdfSHA-256 berkas yang diterima sama dengan yang tercatat saat rilis.`);
    await expectAccessible(page, "HR's versions dialog after a download");
    await page.click('#versions-close');

    // A draft in English, and the summary's released version.
    const draft = await downloadOf(page, `tr[data-participant="${one.participant}"] .rp-draft[data-language="en"]`);
    assert.equal(draft.name, `draf-laporan-${one.nip}-en.pdf`);
    assert.equal(draft.bytes.subarray(0, 5).toString(), '%PDF-');
    assert.equal(await page.locator('#draft-downloaded').textContent(), `Diunduh: draf-laporan-${one.nip}-en.pdf`);
    assert.equal(await page.locator(`tr[data-participant="${one.participant}"] .rp-draft[data-language="en"]`).getAttribute('aria-label'),
      `EN: draf laporan ${one.name} (PDF, Bahasa Inggris)`);
    assert.equal(list.summary.length, 1);
    const summary = await downloadOf(page, '#summary-versions tbody tr[data-version="1"] .rp-version-download');
    assert.equal(summary.name, 'laporan-ringkasan-v1.pdf');
    assert.equal(sha256(summary.bytes), list.summary[0].content_hash);
    const summaryDraft = await downloadOf(page, '#summary-draft-id');
    assert.equal(summaryDraft.name, 'draf-ringkasan-id.pdf');
    assert.equal(summaryDraft.bytes.subarray(0, 5).toString(), '%PDF-');
    await expectAccessible(page, "HR's reports page after downloads");

    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('#participants-title').textContent(), "Participants' reports");
    assert.equal(await page.locator('#participants-count').textContent(), `1 of ${DEMO_PEOPLE} participants match`);
    assert.equal(await page.locator('#summary-draft-en').textContent(), 'Draft (PDF) · English');
    assert.equal(await page.locator('label[for="participants-may-download"] span').textContent(), 'Participants may download their own report');
    await expectAccessible(page, "HR's reports page in English");
    await page.click(`button.rp-versions-open[data-participant="${one.participant}"]`);
    await page.locator('#versions-table').waitFor();
    assert.equal(await page.locator('#versions-table thead th').first().textContent(), 'Version');
    await expectAccessible(page, 'the versions dialog in English');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a psychologist without a licence number sees a notice, not the release button', async () => {
    const admin = await apiToken(env.base, DEMO.admin);
    await api('POST', '/api/v1/accounts', { email: 'psikolog.baru@demo.meritest.id', name: 'Psikolog Baru', role: 'psychologist', password: 'psikolog-browser-tests' }, { token: admin, status: 201 });
    const page = await signedIn('psikolog.baru@demo.meritest.id', 'psikolog-browser-tests');
    await openReports(page, demo.id);
    await page.locator('#licence-missing').waitFor();
    assert.deepEqual(await page.locator('#licence-missing p').allTextContents(), [
      'Akun Anda belum memiliki nomor SIPP, jadi Anda belum dapat merilis laporan: laporan psikologis hanya dirilis atas nama psikolog dengan nomor SIPP. Minta administrator mencatat nomor SIPP Anda di halaman Akun staf.',
      'Sementara itu Anda tetap dapat membaca draf dan versi yang sudah dirilis.',
    ]);
    assert.equal(await page.locator('#release-open').count(), 0);
    assert.equal(await page.locator('input.rp-pick').count(), 0, 'nothing to tick without a release');
    // Drafts and released versions stay readable; the participants' download is HR's to set.
    assert.ok(await page.locator('.rp-draft').count() > 0);
    assert.equal(await page.locator('#access-text').textContent(), 'Peserta kampanye ini tidak dapat mengunduh laporannya sendiri. SDM mengatur pilihan ini.');
    assert.equal(await page.locator('#participants-may-download').count(), 0);
    await expectAccessible(page, 'the reports page of a psychologist without a licence number');
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('#licence-missing p').first().textContent(),
      'Your account has no licence number (SIPP) yet, so you cannot release reports: a psychological report is released only under a psychologist’s name and licence number. Ask an administrator to record yours on the staff accounts page.');
    await expectAccessible(page, 'the same page in English');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('hr lets participants download their own report, and a candidate who finished downloads it from the end screen of /take', async () => {
    const c = await reportCampaign(env.base, hr, 'Laporan Pengawas (unduhan peserta)', { people: [['198503152010121001', 'Budi Santoso']], taking: ['Budi Santoso'] });
    const budi = c.people['Budi Santoso'];
    const [done] = (await release(env.base, psy, c, { participants: [budi] })).released;
    assert.equal(done.version, 1);

    /**
     * Budi signs in at /take with his access code and NIP and reaches the end of his test, where
     * the page asks for his report; returns the page and the status of that answer.
     */
    async function budiAtTheEnd() {
      const page = await newPage(env.browser, env.base, { acceptDownloads: true });
      await page.goto('/take');
      await page.fill('#code', c.codes['198503152010121001']);
      await page.fill('#nip', '198503152010121001');
      const asked = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/candidate/report');
      await page.click('#take-login-submit');
      await page.locator('#end').waitFor();
      return [page, (await asked).status()];
    }

    // Not allowed yet: the end screen offers nothing.
    let [candidate, status] = await budiAtTheEnd();
    assert.equal(status, 404);
    assert.equal(await candidate.locator('#end h1').textContent(), 'Tes selesai');
    assert.equal(await candidate.locator('#report-download').count(), 0);
    assert.deepEqual(candidate.problems, []);
    await candidate.context().close();

    const page = await signedIn(DEMO.hr);
    await openReports(page, c.id);
    const toggle = page.locator('#participants-may-download');
    assert.equal(await toggle.isChecked(), false);
    assert.equal(await page.locator('label[for="participants-may-download"] span').textContent(), 'Peserta boleh mengunduh laporannya sendiri');
    await toggle.check();
    await page.locator('#access-saved').waitFor();
    assert.equal(await page.locator('#access-saved').textContent(), 'Disimpan: peserta kini boleh mengunduh laporannya sendiri.');
    assert.equal((await reportsOf(c)).participants_may_download, true);
    await expectAccessible(page, 'the participants may download their reports');
    assert.deepEqual(page.problems, []);
    await page.context().close();

    [candidate, status] = await budiAtTheEnd();
    assert.equal(status, 200);
    const offer = candidate.locator('#report-download');
    await offer.waitFor();
    assert.equal(await offer.textContent(), 'Unduh laporan Anda (PDF)');
    await expectAccessible(candidate, "the candidate's end screen with the report");
    const [file] = await Promise.all([candidate.waitForEvent('download'), offer.click()]);
    const bytes = await readFile(await file.path());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    assert.equal(sha256(bytes), done.content_hash, 'the candidate gets the released version');
    assert.deepEqual(candidate.problems, []);
    await candidate.context().close();
  });

  test('the page turns away assessors and proctors, and each role finds its workspace on its home page', async () => {
    for (const [who, words] of [
      [DEMO.assessor, 'Halaman ini hanya untuk peran Administrator, SDM (HR) dan Psikolog. Anda masuk sebagai Asesor (assessor@demo.meritest.id).'],
      [DEMO.proctor, 'Halaman ini hanya untuk peran Administrator, SDM (HR) dan Psikolog. Anda masuk sebagai Pengawas (proctor@demo.meritest.id).'],
    ]) {
      const page = await signedIn(who);
      await page.goto(`/reports?campaign=${demo.id}`);
      await page.locator('#access-denied').waitFor();
      assert.equal(await page.locator('#access-denied p').first().textContent(), words);
      assert.equal(await page.locator('#topnav a[href="/reports"]').count(), 0);
      assert.equal(await page.locator('#content').isHidden(), true);
      await expectAccessible(page, `/reports refused to ${who}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
    for (const [who, links] of [
      [DEMO.assessor, ['/home', '/results', '/assessor', '/competencies', '/people', '/docs']],
      [DEMO.psychologist, ['/home', '/results', '/assessment', '/reports', '/psychometrics', '/competencies', '/people', '/docs']],
      [DEMO.hr, ['/home', '/bank', '/campaigns', '/results', '/assessment', '/reports', '/psychometrics', '/competencies', '/people', '/proctor', '/docs']],
    ]) {
      const page = await signedIn(who);
      await page.goto('/home');
      await page.locator('#links li').first().waitFor();
      assert.deepEqual(await page.locator('#topnav a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), links);
      const home = await page.locator('#links a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const href of links.filter((l) => l !== '/home' && l !== '/competencies')) assert.ok(home.includes(href), `${who}'s home links to ${href}: ${home}`);
      const next = await page.locator('#next').textContent();
      assert.doesNotMatch(next, /tahap berikutnya/, `${who}'s home no longer promises a next milestone`);
      assert.equal(await page.locator('#next-title').textContent(), 'Untuk peran Anda');
      await expectAccessible(page, `the home page of ${who}`);
      await page.click('[data-lang-toggle]');
      assert.doesNotMatch(await page.locator('#next').textContent(), /next milestone/);
      await expectAccessible(page, `the home page of ${who} in English`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });
});
