// The HR campaign pages: create a campaign (and see a field error), enrol participants from a CSV
// with a dry run first, issue access codes once (CSV download and printable cards), reissue one,
// follow results from "not started" to "finished" and export them, edit the campaign (and see
// what can no longer change refused beside its field); a proctor is turned away.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { unzip } from './zip.mjs';
import { DEMO, apiCall, apiToken, newPage, setup, signIn } from './server.mjs';

const BUDI = { nip: '198503152010121001', name: 'Budi Santoso', birth: '1985-03-15' };
const SITI = { nip: '199001012015032002', name: 'Siti Rahmawati', birth: '1990-01-01' };
const CAMPAIGN = 'Pemetaan Kompetensi Uji Peramban';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const shotDir = process.env.MERITEST_SCREENSHOT_DIR;
/** Takes a picture (kept when MERITEST_SCREENSHOT_DIR names a folder) and checks it is a PNG. */
async function shoot(page, name, { phone = true, fullPage = true } = {}) {
  const sizes = phone ? [['', DESKTOP], ['-phone', PHONE]] : [['', DESKTOP]];
  if (shotDir) await mkdir(shotDir, { recursive: true });
  for (const [suffix, viewport] of sizes) {
    await page.setViewportSize(viewport);
    const png = await page.screenshot({ fullPage });
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    if (shotDir) await writeFile(path.join(shotDir, `campaigns-${name}${suffix}.png`), png);
  }
  await page.setViewportSize(DESKTOP);
}

/** A moment as the value of a datetime-local input, in the local time of this machine (and of its Chromium). */
function localInput(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

async function candidateLogin(base, code, nip) {
  const res = await fetch(base + '/api/v1/candidate/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, nip }),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

async function tableRows(page, selector, fn) {
  return page.locator(selector).evaluateAll(fn);
}

describe('campaigns', () => {
  let env;
  let page; // hr's page, kept across the tests of this file (they build on each other)
  let hrToken;
  let campaignId;
  const codes = {}; // nip → code
  let budiToken;

  before(async () => {
    // The campaign list starts empty here: no synthetic results campaign.
    env = await setup({ demoResults: 0 });
    hrToken = await apiToken(env.base, DEMO.hr);
  });
  after(async () => {
    await page?.context().close().catch(() => {});
    await env?.stop();
  });

  test('hr creates a campaign with one session through the page', async () => {
    page = await newPage(env.browser, env.base, { acceptDownloads: true });
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    assert.deepEqual(await page.locator('#topnav a').allTextContents(), ['Beranda', 'Bank soal', 'Kampanye', 'Hasil kompetensi', 'Assessment center', 'Laporan', 'Psikometri', 'Kompetensi', 'Pegawai', 'Pengawasan', 'Referensi API']);
    await page.click('#topnav a[href="/campaigns"]');
    await page.waitForURL('**/campaigns');
    await page.waitForFunction(() => document.querySelector('#list-count').textContent !== '');
    assert.equal(await page.locator('#list-count').textContent(), '0 kampanye');
    assert.equal(await page.locator('#list-empty').isVisible(), true);
    await expectAccessible(page, 'the empty campaign list');

    await page.click('#new-campaign');
    assert.equal(await page.locator('#create-panel').isVisible(), true);
    const now = Date.now();
    const opens = localInput(now - 3600_000);
    const closes = localInput(now + 86400_000);
    const starts = localInput(now - 1800_000);
    await page.fill('#c-name', CAMPAIGN);
    const battery = await page.locator('#c-battery option', { hasText: '(ASN-DEMO)' }).getAttribute('value');
    await page.selectOption('#c-battery', battery);
    await page.fill('#c-opens', opens);
    await page.fill('#c-closes', closes);
    await page.check('#c-show-score');
    assert.equal(await page.inputValue('#c-default-group'), 'umum');
    await page.click('#add-rule');
    const rule = page.locator('#rule-rows .cmp-row').first();
    await rule.locator('[data-key="attribute"]').selectOption('education');
    await rule.locator('[data-key="values"]').fill('S1, D4');
    await rule.locator('[data-key="group"]').fill('s1');
    await page.click('#add-session');
    const session = page.locator('#session-rows .cmp-row').first();
    assert.equal(await session.locator('.cmp-row-title').textContent(), 'Sesi 1');
    assert.equal(await session.locator('[data-key="name"]').inputValue(), 'Sesi 1');
    await session.locator('[data-key="room"]').fill('Lab Komputer A');
    await session.locator('[data-key="starts_at"]').fill(starts);
    await session.locator('[data-key="capacity"]').fill('30');
    // hr picks the proctor by name from the organisation's enabled proctors (a labelled select)
    const proctor = (await apiCall(env.base, hrToken, 'GET', '/api/v1/proctors')).json.proctors.find((p) => p.email === DEMO.proctor);
    const select = session.locator('select[data-key="proctor"]');
    assert.deepEqual(await select.locator('option').allTextContents(), ['(tanpa pengawas)', `${proctor.name} (${proctor.email})`]);
    assert.equal(await page.locator(`label[for="${await select.getAttribute('id')}"]`).textContent(), 'Pengawas');
    await select.selectOption({ label: `${proctor.name} (${proctor.email})` });
    await expectAccessible(page, 'the create form filled in, with a norm rule and a session');
    await page.click('#create-submit');

    await page.locator('#create-done').waitFor();
    assert.equal(await page.locator('#create-done').textContent(), `Kampanye "${CAMPAIGN}" dibuat.`);
    assert.equal(await page.locator('#create-panel').isVisible(), false);
    assert.equal(await page.locator('#detail-title').textContent(), CAMPAIGN);
    assert.equal(await page.locator('#list-count').textContent(), '1 kampanye');
    assert.deepEqual(await tableRows(page, '#campaign-rows tr', (rows) => rows.map((r) => [
      r.querySelector('.cmp-name').textContent, r.querySelector('.c-participants').textContent, r.querySelector('.c-sessions').textContent,
      r.querySelector('[data-phase]').dataset.phase])), [[CAMPAIGN, '0', '1', 'open']]);
    assert.deepEqual(await tableRows(page, '#session-table tbody tr', (rows) => rows.map((r) => [...r.cells].slice(0, 2).map((c) => c.textContent).concat(r.cells[3].textContent, r.cells[4].textContent))),
      [['Sesi 1', 'Lab Komputer A', '30', proctor.name]]);

    const list = await apiCall(env.base, hrToken, 'GET', '/api/v1/campaigns');
    assert.equal(list.json.campaigns.length, 1);
    const c = list.json.campaigns[0];
    campaignId = c.id;
    const iso = (v) => page.evaluate((x) => new Date(x).toISOString(), v);
    assert.equal(c.name, CAMPAIGN);
    assert.equal(c.battery, battery);
    assert.equal(Date.parse(c.opens_at), Date.parse(await iso(opens)));
    assert.equal(Date.parse(c.closes_at), Date.parse(await iso(closes)));
    assert.equal(c.show_score_to_candidate, true);
    assert.equal(c.resume_requires_unlock, false);
    assert.deepEqual(c.norm_rule, { default_group: 'umum', rules: [{ attribute: 'education', values: ['S1', 'D4'], group: 's1' }] });
    assert.equal(c.sessions.length, 1);
    assert.deepEqual([c.sessions[0].name, c.sessions[0].room, c.sessions[0].capacity, c.sessions[0].proctor],
      ['Sesi 1', 'Lab Komputer A', 30, proctor.id]);
    assert.equal(Date.parse(c.sessions[0].starts_at), Date.parse(await iso(starts)));
    assert.equal(new URL(page.url()).hash, '#campaign=' + campaignId);
    await expectAccessible(page, "a new campaign's detail beside the list, its session with a link to watch it live");
    await shoot(page, 'detail-empty');
    assert.deepEqual(page.problems, []);
  });

  test('a campaign that closes before it opens shows the error next to its field and creates nothing', async () => {
    await page.click('#new-campaign');
    await page.fill('#c-name', 'Jadwal Terbalik');
    await page.fill('#c-opens', localInput(Date.now() + 2 * 86400_000));
    await page.fill('#c-closes', localInput(Date.now() + 86400_000));
    await page.click('#add-session');
    await page.locator('#session-rows .cmp-row [data-key="capacity"]').fill('0');
    await page.click('#create-submit');
    await page.locator('#create-error').waitFor();
    assert.equal(await page.locator('#c-closes-error').textContent(), 'Harus setelah waktu dibuka.');
    assert.equal(await page.locator('#c-closes-error').isVisible(), true);
    assert.equal(await page.getAttribute('#c-closes', 'aria-invalid'), 'true');
    const row = page.locator('#session-rows .cmp-row').first();
    assert.equal(await row.locator('[data-error-key="capacity"]').textContent(), 'Harus antara 1 dan 20000.');
    assert.equal(await row.locator('[data-key="capacity"]').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#c-name-error').isVisible(), false);
    assert.match(await page.locator('#create-error').textContent(), /^Kampanye berisi \d kesalahan; tidak ada yang dibuat\./);
    await expectAccessible(page, 'the create form with its field errors');
    await shoot(page, 'create-errors', { phone: false, fullPage: false });
    const list = await apiCall(env.base, hrToken, 'GET', '/api/v1/campaigns');
    assert.equal(list.json.campaigns.length, 1);
    await page.click('#create-cancel');
    assert.equal(await page.locator('#create-panel').isVisible(), false);
    assert.deepEqual(page.problems, []);
  });

  test('a dry run of a file with a bad row names its row and column and enrols nobody', async () => {
    const csv = 'nip;name;birth_date;education;job_level;session\n'
      + `${BUDI.nip};${BUDI.name};${BUDI.birth};S1;Pengawas;Sesi 1\n`
      + `${SITI.nip};${SITI.name};1990-01-02;S2;Administrator;Sesi 1\n`;
    await page.setInputFiles('#enrol-file', { name: 'peserta-salah.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('#enrol-error').waitFor();
    assert.equal(await page.locator('#enrol-error').textContent(),
      'peserta-salah.csv ditolak dengan 1 masalah; tidak ada peserta yang didaftarkan. Perbaiki baris dan kolom berikut, lalu unggah lagi:');
    assert.deepEqual(await tableRows(page, '#enrol-errors tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))),
      [['3', 'birth_date', "the birth date 1990-01-02 does not match the NIP's birth date 1990-01-01"]]);
    assert.equal(await page.locator('#enrol-confirm').count(), 0);
    await expectAccessible(page, 'the enrolment panel listing the errors of a bad file');
    const people = await apiCall(env.base, hrToken, 'GET', `/api/v1/campaigns/${campaignId}/participants`);
    assert.deepEqual(people.json.participants, []);
    assert.equal(await page.locator('#participants-empty').isVisible(), true);
    await page.click('#enrol-cancel');
    assert.equal(await page.locator('#enrol-error').count(), 0);
    assert.deepEqual(page.problems, []);
  });

  test('the template downloads with every column and an example row', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#enrol-template')]);
    assert.equal(download.suggestedFilename(), 'peserta-templat.csv');
    const text = await readFile(await download.path(), 'utf8');
    assert.deepEqual(text.split('\n'), [
      'nip;name;email;birth_date;education;job_level;position;unit;group;session',
      '198503152010121001;Budi Santoso;budi.santoso@example.go.id;1985-03-15;S1;Pengawas;Analis SDM Aparatur;BKPSDM;;Sesi 1',
      '',
    ]);
  });

  test('a good file enrols two participants after confirmation and the table shows them', async () => {
    const csv = 'nip;name;email;birth_date;education;job_level;position;unit;group;session\n'
      + `${BUDI.nip};${BUDI.name};budi@example.go.id;${BUDI.birth};S1;Pengawas;Analis;BKPSDM;;Sesi 1\n`
      + `${SITI.nip};${SITI.name};;01/01/1990;S2;Administrator;Kepala Bagian;Sekretariat;;Sesi 1\n`;
    await page.setInputFiles('#enrol-file', { name: 'peserta-baik.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('#enrol-valid').waitFor();
    assert.equal(await page.locator('#enrol-valid').textContent(),
      'peserta-baik.csv valid: 2 peserta akan didaftarkan (setelahnya 2 peserta). Belum ada yang disimpan.');
    const before = await apiCall(env.base, hrToken, 'GET', `/api/v1/campaigns/${campaignId}/participants`);
    assert.equal(before.json.participants.length, 0, 'the dry run stores nobody');
    assert.equal(await page.locator('#enrol-confirm').textContent(), 'Daftarkan 2 peserta');
    await expectAccessible(page, 'the enrolment panel after a valid dry run');
    await page.click('#enrol-confirm');
    await page.locator('#enrol-done').waitFor();
    assert.equal(await page.locator('#enrol-done').textContent(), '2 peserta didaftarkan; kampanye kini memiliki 2 peserta.');
    await page.waitForFunction(() => document.querySelectorAll('#participant-table tbody tr').length === 2);
    assert.deepEqual(await tableRows(page, '#participant-table tbody tr', (rows) => rows.map((r) => [...r.cells].slice(0, 7).map((c) => c.textContent))), [
      [BUDI.name, BUDI.nip, 'S1', 'Pengawas', 'BKPSDM', 'Sesi 1', 'Belum'],
      [SITI.name, SITI.nip, 'S2', 'Administrator', 'Sekretariat', 'Sesi 1', 'Belum'],
    ]);
    assert.equal(await page.locator('#participants-count').textContent(), '2 peserta, 2 belum punya kode akses');
    assert.equal(await page.locator('#participant-count').textContent(), '2 peserta');
    assert.equal(await page.locator('#campaign-rows tr .c-participants').textContent(), '2');
    await expectAccessible(page, 'the participants table after enrolment');
    assert.deepEqual(page.problems, []);
  });

  test('issuing codes shows the two codes once, closing them unsaved asks first, and the CSV download holds them', async () => {
    assert.equal(await page.locator('#issue-codes').textContent(), 'Terbitkan kode akses (2)');
    await page.click('#issue-codes');
    await page.locator('#codes-table').waitFor();
    const shown = await tableRows(page, '#codes-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.equal(shown.length, 2);
    for (const [nip, , session, code] of shown) {
      assert.match(code, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      assert.equal(session, 'Sesi 1');
      codes[nip] = code;
    }
    assert.deepEqual(shown.map((r) => r.slice(0, 2)), [[BUDI.nip, BUDI.name], [SITI.nip, SITI.name]]);
    assert.equal(await page.locator('#issued-codes .notice-warn strong').textContent(), '2 kode akses diterbitkan. Kode ini hanya ditampilkan sekarang.');
    assert.deepEqual(await tableRows(page, '#participant-table tbody tr', (rows) => rows.map((r) => r.dataset.code)), ['yes', 'yes']);
    assert.equal(await page.locator('#issue-codes').isDisabled(), true);
    await expectAccessible(page, 'the access codes shown once after issuing');
    await shoot(page, 'codes');

    // Closing the codes before they are saved asks first; "Kembali" keeps them.
    await page.click('#codes-close');
    await page.locator('#discard-dialog[open]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'discard-cancel');
    await expectAccessible(page, 'the dialog asking before unsaved codes are thrown away');
    await page.click('#discard-cancel');
    assert.equal(await page.locator('#discard-dialog[open]').count(), 0);
    assert.equal(await page.locator('#codes-table tbody tr').count(), 2);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#codes-csv')]);
    assert.equal(download.suggestedFilename(), 'kode-akses-pemetaan-kompetensi-uji-peramban.csv');
    const text = await readFile(await download.path(), 'utf8');
    assert.equal(text, 'nip;name;session;code\n'
      + `${BUDI.nip};${BUDI.name};Sesi 1;${codes[BUDI.nip]}\n`
      + `${SITI.nip};${SITI.name};Sesi 1;${codes[SITI.nip]}\n`);
    assert.equal(await page.locator('#codes-saved').textContent(), 'Tersimpan');
    assert.deepEqual(page.problems, []);
  });

  test('the printable cards show one card per participant with its code, and can be cleared', async () => {
    const [cards] = await Promise.all([page.context().waitForEvent('page'), page.click('#codes-cards')]);
    const problems = [];
    cards.on('pageerror', (e) => problems.push(e.message));
    await cards.waitForURL(`**/cards?campaign=${campaignId}`);
    await cards.locator('.access-card').first().waitFor();
    assert.deepEqual(await cards.locator('.access-card').evaluateAll((els) => els.map((c) => ({
      campaign: c.querySelector('.access-card-campaign').textContent,
      name: c.querySelector('.access-card-name').textContent,
      facts: [...c.querySelectorAll('.access-card-facts dd')].map((d) => d.textContent),
      code: c.querySelector('.access-card-code').textContent,
      url: c.querySelector('.access-card-url').textContent,
      steps: [...c.querySelectorAll('.access-card-steps li')].map((li) => li.textContent),
    }))), [BUDI, SITI].map((p) => ({
      campaign: CAMPAIGN,
      name: p.name,
      facts: [p.nip, 'Sesi 1'],
      code: codes[p.nip],
      url: env.base + '/take',
      steps: [`Buka ${env.base}/take`, 'Masukkan kode akses ini dan NIP (atau tanggal lahir) Anda.', 'Rahasiakan kode ini; jangan berikan kepada orang lain.'],
    })));
    await cards.setViewportSize(DESKTOP);
    await expectAccessible(cards, 'the printable access-code cards');
    const png = await cards.screenshot({ fullPage: true });
    if (shotDir) await writeFile(path.join(shotDir, 'campaigns-cards.png'), png);
    await cards.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    await cards.emulateMedia({ media: 'print' });
    assert.equal(await cards.locator('.topbar').isVisible(), false);
    assert.equal(await cards.locator('#print-cards').isVisible(), false);
    assert.equal(await cards.locator('.cards-warning').isVisible(), false);
    assert.equal(await cards.locator('.access-card').nth(1).isVisible(), true);
    const print = await cards.screenshot({ fullPage: true });
    if (shotDir) await writeFile(path.join(shotDir, 'campaigns-cards-print.png'), print);
    await cards.emulateMedia({ media: 'screen' });
    await cards.setViewportSize(DESKTOP);
    await shoot(cards, 'cards', { fullPage: true });

    // Ten participants print as eight cards on the first A4 sheet and two on the second.
    await cards.evaluate((key) => {
      const data = JSON.parse(sessionStorage.getItem(key));
      data.codes = Array.from({ length: 10 }, (_, i) => ({ ...data.codes[0], name: `Peserta ${i + 1}`, code: `AAAAA-BBB${String(i).padStart(2, '0')}` }));
      sessionStorage.setItem(key, JSON.stringify(data));
    }, 'meritest.cards.' + campaignId);
    await cards.reload();
    await cards.locator('.access-card').nth(9).waitFor();
    assert.deepEqual(await cards.locator('.cards-sheet').evaluateAll((sheets) => sheets.map((s) => s.querySelectorAll('.access-card').length)), [8, 2]);
    // Printing uses the print style sheet (the PDF would otherwise keep the screen media set above).
    await cards.emulateMedia({ media: 'print' });
    const pdf = (await cards.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
    await cards.emulateMedia({ media: 'screen' });
    assert.equal(pdf.match(/\/Type\s*\/Page(?![s\w])/g).length, 2, 'two A4 pages');

    await cards.click('#clear-cards');
    await cards.locator('#cards-cleared').waitFor();
    assert.equal(await cards.evaluate((id) => sessionStorage.getItem('meritest.cards.' + id), campaignId), null);
    assert.equal(await cards.locator('.access-card').count(), 0);
    assert.equal(await cards.locator('#cards-none').isVisible(), true);
    await expectAccessible(cards, 'the cards page once the codes are cleared');
    assert.deepEqual(problems, []);
    await cards.close();
  });

  test('a code signs the candidate in with the NIP', async () => {
    const res = await candidateLogin(env.base, codes[BUDI.nip], BUDI.nip);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    budiToken = res.json.token;
    const wrong = await candidateLogin(env.base, codes[BUDI.nip], SITI.nip);
    assert.equal(wrong.status, 401);
  });

  test('reissuing a code shows the new code once; the old code fails and the new one works', async () => {
    const old = codes[SITI.nip];
    await page.click(`#participant-table tr[data-nip="${SITI.nip}"] .reissue-code`);
    assert.equal(await page.locator('#reissue-body').textContent(), `Kode baru untuk ${SITI.name} (NIP ${SITI.nip}). Kode lama langsung tidak berlaku.`);
    await expectAccessible(page, 'the reissue dialog');
    await page.click('#reissue-confirm');
    await page.locator('#code-dialog[open]').waitFor();
    const fresh = await page.locator('#code-value').textContent();
    assert.match(fresh, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    assert.notEqual(fresh, old);
    assert.equal(await page.locator('#code-who').textContent(), `${SITI.name} · NIP ${SITI.nip} · sesi Sesi 1`);
    await expectAccessible(page, 'the dialog showing a reissued code');
    await shoot(page, 'reissued', { phone: false, fullPage: false });
    await page.click('#code-close');
    assert.equal(await page.locator('#code-dialog[open]').count(), 0);
    // The dialog's close event (which clears the code) is dispatched as a task of its own.
    await page.waitForFunction(() => document.querySelector('#code-value').textContent === '', null, { timeout: 2000 });
    assert.equal(await page.locator('#code-who').textContent(), '', 'once closed, the code is gone from the page');
    assert.equal(await page.locator(`#codes-table tr[data-nip="${SITI.nip}"]`).getAttribute('data-replaced'), 'true');
    assert.equal(await page.locator(`#codes-table tr[data-nip="${SITI.nip}"] del`).textContent(), old);
    assert.equal(await page.locator(`#codes-table tr[data-nip="${BUDI.nip}"]`).getAttribute('data-replaced'), null);

    assert.equal((await candidateLogin(env.base, old, SITI.nip)).status, 401);
    assert.equal((await candidateLogin(env.base, fresh, SITI.nip)).status, 200);
    assert.deepEqual(page.problems, []);
  });

  test('results show the signed-in participant as not started, then finished, and the CSV export downloads', async () => {
    await page.click('#results-refresh');
    await page.waitForFunction((nip) => document.querySelector(`#result-table tr.result-row[data-nip="${nip}"]`), BUDI.nip);
    const statusOf = (nip) => page.locator(`#result-table tr.result-row[data-nip="${nip}"]`).getAttribute('data-status');
    assert.equal(await statusOf(BUDI.nip), 'not_started');
    assert.equal(await page.locator(`#result-table tr.result-row[data-nip="${BUDI.nip}"] .result-status`).textContent(), 'Belum mulai');
    const progress = () => page.locator('#progress li').evaluateAll((lis) => Object.fromEntries(lis.map((li) => [li.dataset.status, li.querySelector('.cmp-count').textContent])));
    assert.deepEqual(await progress(), { not_started: '2', in_progress: '0', finished: '0', expired: '0' });

    const finish = await fetch(env.base + '/api/v1/candidate/finish', { method: 'POST', headers: { authorization: `Bearer ${budiToken}` } });
    assert.equal(finish.status, 200, await finish.text());

    await page.click('#results-refresh');
    await page.waitForFunction((nip) => document.querySelector(`#result-table tr.result-row[data-nip="${nip}"]`)?.dataset.status === 'finished', BUDI.nip);
    assert.equal(await page.locator(`#result-table tr.result-row[data-nip="${BUDI.nip}"] .result-status`).textContent(), 'Selesai');
    assert.equal(await statusOf(SITI.nip), 'not_started');
    assert.deepEqual(await progress(), { not_started: '1', in_progress: '0', finished: '1', expired: '0' });
    assert.equal(await page.locator(`#result-table tr.result-row[data-nip="${BUDI.nip}"] .c-responses`).textContent(), '0');

    const results = await apiCall(env.base, hrToken, 'GET', `/api/v1/campaigns/${campaignId}/results`);
    const budi = results.json.participants.find((p) => p.participant.nip === BUDI.nip);
    const toggle = page.locator(`#result-table tr.result-row[data-nip="${BUDI.nip}"] .cmp-toggle`);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    assert.equal(await page.locator(`#result-table tr.result-row[data-nip="${BUDI.nip}"] .cmp-toggle`).getAttribute('aria-expanded'), 'true');
    if (budi.scores.length) {
      assert.equal(await page.locator('#result-table table.cmp-scores tbody tr').count(), budi.scores.length);
    } else {
      assert.equal(await page.locator('#result-table .cmp-scores-row').textContent(), 'Belum ada skor: skor tersedia setelah peserta selesai atau waktu kampanye habis.');
    }
    await expectAccessible(page, "the results with one participant's scores open");
    await shoot(page, 'results');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#results-export')]);
    assert.equal(download.suggestedFilename(), `results-${campaignId}.csv`);
    const text = await readFile(await download.path(), 'utf8');
    const lines = text.trim().split('\n');
    assert.equal(lines[0], 'nip;name;status;instrument;instrument_version;scale;raw;answered;administered;pr;z;t;stanine;sten;norm_group;norm_table;norm_table_name;norm_table_name_en;illustrative;scoring_version;most;least');
    assert.ok(lines.slice(1).some((l) => l.startsWith(`${BUDI.nip};${BUDI.name};finished;`)), text);
    assert.ok(lines.slice(1).some((l) => l.startsWith(`${SITI.nip};${SITI.name};not_started;`)), text);

    // The Excel workbook: its three sheets, and a row per participant with the NIP as text.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#results-xlsx')]);
    assert.equal(xlsx.suggestedFilename(), `results-${campaignId}.xlsx`);
    const entries = unzip(await readFile(await xlsx.path()));
    const workbook = entries.get('xl/workbook.xml').toString('utf8');
    assert.deepEqual([...workbook.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]), ['Ringkasan', 'Peserta', 'Aturan dan versi']);
    const people = entries.get('xl/worksheets/sheet2.xml').toString('utf8');
    for (const who of [BUDI, SITI]) {
      assert.ok(people.includes(`<t>${who.nip}</t>`), `${who.nip} is a text cell of the participants' sheet`);
      assert.ok(people.includes(`<t>${who.name}</t>`));
    }
    assert.deepEqual(page.problems, []);
  });

  test('the page works in English', async () => {
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('h1').textContent(), 'Campaigns');
    assert.equal(await page.locator('#results-title').textContent(), 'Results');
    assert.equal(await page.locator(`#result-table tr.result-row[data-nip="${BUDI.nip}"] .result-status`).textContent(), 'Finished');
    assert.equal(await page.locator('#participants-count').textContent(), '2 participants, 0 without an access code');
    await expectAccessible(page, 'the campaign page in English');
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('h1').textContent(), 'Kampanye');
    assert.deepEqual(page.problems, []);
  });

  test('hr edits the campaign: window, a session moved and one added; the form starts from what is stored', async () => {
    const proctor = (await apiCall(env.base, hrToken, 'GET', '/api/v1/proctors')).json.proctors.find((p) => p.email === DEMO.proctor);
    const edit = page.locator('#edit-campaign');
    assert.equal(await edit.textContent(), 'Ubah');
    assert.equal(await edit.getAttribute('aria-expanded'), 'false');
    await edit.click();
    assert.equal(await page.locator('#create-panel').isVisible(), true);
    assert.equal(await edit.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator('#create-title').textContent(), 'Ubah kampanye');
    assert.equal(await page.locator('#create-submit').textContent(), 'Simpan perubahan');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'c-name');
    assert.equal(await page.inputValue('#c-name'), CAMPAIGN);
    assert.equal(await page.locator('#c-battery').isDisabled(), true);
    assert.equal(await page.locator('#c-battery-hint').textContent(), 'Baterai tidak dapat diubah setelah kampanye dibuat.');
    assert.equal(await page.isChecked('#c-show-score'), true);
    const first = page.locator('#session-rows .cmp-row').first();
    const stored = (await apiCall(env.base, hrToken, 'GET', `/api/v1/campaigns/${campaignId}`)).json;
    assert.equal(await first.getAttribute('data-session-id'), stored.sessions[0].id);
    assert.equal(await first.locator('[data-key="room"]').inputValue(), 'Lab Komputer A');
    assert.equal(await first.locator('select[data-key="proctor"]').inputValue(), proctor.id);
    // Two participants sit in it: it cannot be removed, and the row says why.
    assert.equal(await first.locator('.remove-row').isDisabled(), true);
    assert.equal(await first.locator('[data-in-use]').textContent(), '2 peserta terdaftar di sesi ini, jadi sesi ini tidak dapat dihapus.');
    await expectAccessible(page, 'the edit form of a campaign in use');

    const closes = localInput(Date.parse(stored.closes_at) + 86400_000);
    await page.fill('#c-closes', closes);
    await first.locator('[data-key="room"]').fill('Lab Komputer B');
    await page.click('#add-session');
    const second = page.locator('#session-rows .cmp-row').nth(1);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.key), 'name');
    await second.locator('[data-key="name"]').fill('Sesi 2');
    await second.locator('[data-key="room"]').fill('Lab B');
    await second.locator('[data-key="starts_at"]').fill(localInput(Date.now() + 3600_000));
    await second.locator('[data-key="capacity"]').fill('20');
    await page.fill('#c-reason', 'jadwal diperpanjang');
    await page.click('#create-submit');
    await page.locator('#edit-done').waitFor();
    assert.equal(await page.locator('#edit-done').textContent(), `Perubahan kampanye "${CAMPAIGN}" disimpan.`);
    assert.equal(await page.locator('#create-panel').isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'edit-campaign');
    assert.deepEqual(await tableRows(page, '#session-table tbody tr', (rows) => rows.map((r) => [0, 1, 3, 4].map((i) => r.cells[i].textContent))),
      [['Sesi 1', 'Lab Komputer B', '30', proctor.name], ['Sesi 2', 'Lab B', '20', '–']]);
    const changed = (await apiCall(env.base, hrToken, 'GET', `/api/v1/campaigns/${campaignId}`)).json;
    assert.equal(Date.parse(changed.closes_at), Date.parse(await page.evaluate((x) => new Date(x).toISOString(), closes)));
    assert.equal(changed.opens_at, stored.opens_at, 'untouched fields are not sent');
    assert.equal(changed.sessions[0].id, stored.sessions[0].id);
    assert.equal(changed.sessions[0].starts_at, stored.sessions[0].starts_at);
    assert.equal(changed.sessions[1].proctor, null);
    assert.deepEqual(page.problems, []);
  });

  test('what candidates were already given is refused beside its field and nothing changes', async () => {
    await page.click('#edit-campaign');
    // Budi signed in and was given his norm group: the rule can no longer change.
    await page.fill('#c-default-group', 'umum-baru');
    await page.click('#create-submit');
    await page.locator('#create-error').waitFor();
    assert.equal(await page.locator('#create-error').textContent(),
      'Sebagian perubahan tidak diizinkan lagi karena peserta sudah memakai kampanye ini; tidak ada yang diubah.');
    const err = page.locator('#create-form [data-error-for="norm_rule"]');
    assert.equal(await err.isVisible(), true);
    assert.equal(await err.textContent(), 'Peserta sudah masuk dan mendapat kelompok norma dari aturan ini; aturan tidak dapat diubah lagi.');
    await expectAccessible(page, 'the edit form with a refusal beside its field');
    await shoot(page, 'edit-locked', { phone: false, fullPage: false });
    const after = (await apiCall(env.base, hrToken, 'GET', `/api/v1/campaigns/${campaignId}`)).json;
    assert.equal(after.norm_rule.default_group, 'umum');
    // In English the form and its errors follow.
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('#create-title').textContent(), 'Edit campaign');
    assert.equal(await page.locator('#session-rows [data-in-use]').textContent(), '2 participants are enrolled in this session, so it cannot be removed.');
    await page.click('[data-lang-toggle]');
    await page.click('#create-cancel');
    assert.equal(await page.locator('#create-panel').isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'edit-campaign');
    // "New campaign" opens the form for a new campaign again, not the edit.
    await page.click('#new-campaign');
    assert.equal(await page.locator('#create-title').textContent(), 'Kampanye baru');
    assert.equal(await page.locator('#c-battery').isDisabled(), false);
    assert.equal(await page.inputValue('#c-name'), '');
    await page.click('#create-cancel');
    assert.deepEqual(page.problems, []);
  });

  test('an admin picks the session proctor from the enabled proctor accounts', async () => {
    const adminToken = await apiToken(env.base, DEMO.admin);
    const proctors = await apiCall(env.base, adminToken, 'GET', '/api/v1/proctors');
    const proctor = proctors.json.proctors.find((a) => a.email === DEMO.proctor);
    const admin = await newPage(env.browser, env.base);
    await admin.goto('/login');
    await signIn(admin, DEMO.admin);
    await admin.goto('/campaigns');
    await admin.waitForFunction(() => document.querySelector('#list-count').textContent !== '');
    assert.equal(await admin.locator('#list-count').textContent(), '1 kampanye');
    await admin.click('#new-campaign');
    await admin.fill('#c-name', 'Kampanye dengan Pengawas');
    await admin.click('#add-session');
    const select = admin.locator('#session-rows .cmp-row select[data-key="proctor"]');
    assert.deepEqual(await select.locator('option').allTextContents(), ['(tanpa pengawas)', `${proctor.name} (${proctor.email})`]);
    await select.selectOption(proctor.id);
    // the rows' labels follow the language switch
    await admin.click('[data-lang-toggle]');
    assert.equal(await admin.locator('#session-rows .cmp-row label').first().textContent(), 'Session name');
    assert.equal(await admin.locator('#session-rows .cmp-row .cmp-row-title').textContent(), 'Session 1');
    await admin.click('[data-lang-toggle]');
    await admin.click('#create-submit');
    await admin.locator('#create-done').waitFor();
    assert.deepEqual(await tableRows(admin, '#session-table tbody tr', (rows) => rows.map((r) => r.cells[4].textContent)), [proctor.name]);
    const list = await apiCall(env.base, adminToken, 'GET', '/api/v1/campaigns');
    const created = list.json.campaigns.find((c) => c.name === 'Kampanye dengan Pengawas');
    assert.equal(created.sessions[0].proctor, proctor.id);
    assert.deepEqual(admin.problems, []);
    await admin.context().close();
  });

  test('a proctor visiting /campaigns sees the role message', async () => {
    const proctor = await newPage(env.browser, env.base);
    await proctor.goto('/login');
    await signIn(proctor, DEMO.proctor);
    await proctor.goto('/campaigns');
    await proctor.locator('#access-denied').waitFor();
    assert.equal(await proctor.locator('#access-denied p').first().textContent(),
      'Halaman ini hanya untuk peran Administrator dan SDM (HR). Anda masuk sebagai Pengawas (proctor@demo.meritest.id).');
    assert.equal(await proctor.locator('#content').isVisible(), false);
    assert.deepEqual(await proctor.locator('#topnav a').allTextContents(), ['Beranda', 'Pengawasan', 'Referensi API']);
    await expectAccessible(proctor, 'the role message on /campaigns');
    assert.deepEqual(proctor.problems, []);
    await proctor.context().close();
  });
});
