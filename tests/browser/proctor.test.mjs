// Live proctoring (/proctor) against the candidate page (/take) in another browser context: the
// candidate's row goes live, a pause reaches the candidate within two seconds and stops the
// countdown, resume and extra time move it again, a message stays until dismissed, the timeline
// lists the proctor's actions, a room of 300 renders only the rows in view, filters and search
// narrow it, English on request; and a lobby campaign created through the campaign form admits
// and starts its candidates together, then a proctor ends one test.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { DEMO, apiCall, apiToken, newPage, setup, signIn } from './server.mjs';

const BUDI = { nip: '198503152010121001', name: 'Budi Santoso' };
const SITI = { nip: '199001012015032002', name: 'Siti Rahmawati' };
const PROCTOR = { email: 'pengawas.lab@demo.meritest.id', name: 'Rina Pengawas', password: 'sandi-pengawas-2024' };
const ROOM_SIZE = 300;
/** The proctor's action must show on the candidate's page within this many milliseconds. */
const REACTION_MS = 2000;

const shotDir = process.env.MERITEST_SCREENSHOT_DIR;
/** Keeps a picture of the page when MERITEST_SCREENSHOT_DIR names a folder. */
async function shoot(page, name) {
  const png = await page.screenshot();
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  if (shotDir) {
    await mkdir(shotDir, { recursive: true });
    await writeFile(path.join(shotDir, `proctor-${name}.png`), png);
  }
}

/** Seconds of a countdown text "mm:ss" or "h:mm:ss". */
function seconds(text) {
  const parts = String(text).trim().split(':').map(Number);
  assert.ok(parts.length >= 2 && parts.every(Number.isFinite), `a countdown, not "${text}"`);
  return parts.reduce((s, n) => s * 60 + n, 0);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A small battery: two long sections, so no clock runs out during the tests. */
function battery(code) {
  const section = (instrument, title, draw) => ({
    instrument, version: 1, title: { id: title[0], en: title[1] }, time_limit_seconds: 1800,
    item_order: 'fixed', shuffle_options: false, navigation: 'free', draw,
  });
  return {
    code,
    name: { id: 'Baterai uji pengawasan', en: 'Proctoring test battery' },
    sections: [
      section('NUM-SERIES', ['Deret Angka', 'Number Series'], 4),
      section('IPIP-BFM-50', ['Inventori Kepribadian', 'Personality Inventory'], 4),
    ],
  };
}

async function importCsv(base, token, campaign, csv) {
  const res = await fetch(`${base}/api/v1/campaigns/${campaign}/participants/import`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv,
  });
  assert.equal(res.status, 201, await res.text());
}

async function issueCodes(base, token, campaign) {
  const issued = await apiCall(base, token, 'POST', `/api/v1/campaigns/${campaign}/access-codes`);
  assert.equal(issued.status, 200, issued.text);
  return Object.fromEntries(issued.json.codes.map((c) => [c.nip, c.code]));
}

async function signInCandidate(page, code, nip) {
  await page.goto('/take');
  await page.fill('#code', code);
  await page.fill('#nip', nip);
  await page.click('#take-login-submit');
}

/** The proctor's row of a participant (drawn only while in view). */
const rowOf = (page, participant) => page.locator(`#room-rows tr.pv-row[data-participant="${participant}"]`);

/**
 * Opens the action dialog with `button`, fills it and sends it; resolves once the outcome is shown,
 * with the moment the proctor pressed the dialog's button (Date.now()). With `a11y` (the screen's
 * name), axe-core checks the filled dialog before it is sent.
 */
async function act(page, button, { reason = 'Uji pengawasan', minutes, text, confirm, a11y } = {}) {
  await page.evaluate(() => document.querySelector('#action-outcome')?.remove());
  await button.click();
  await page.locator('#action-dialog[open]').waitFor();
  if (minutes !== undefined) {
    await page.fill('#action-amount', String(minutes));
    await page.selectOption('#action-unit', '60');
  }
  if (text !== undefined) await page.fill('#action-text', text);
  await page.fill('#action-reason', reason);
  if (confirm) await page.check('#action-confirm');
  if (a11y) await expectAccessible(page, a11y);
  const pressed = Date.now();
  await page.click('#action-submit');
  await page.locator('#action-outcome, #action-error .notice').first().waitFor();
  if (await page.locator('#action-error .notice').count()) assert.fail('the action was refused: ' + await page.locator('#action-error').textContent());
  assert.equal(await page.locator('#action-dialog').evaluate((d) => d.open), false, 'the dialog closes');
  return pressed;
}

/** Resolves with the moment (Date.now()) `locator` reaches `state`. */
function when(locator, state = 'visible') {
  return locator.waitFor({ state, timeout: 10_000 }).then(() => Date.now());
}

describe('live proctoring', () => {
  let env;
  let admin;
  let hr;
  let proctorId;
  let campaign;
  let lab; // the session of Budi and Siti
  let hall; // the session of 300
  let codes;
  let ids; // nip → participant id
  let proctor; // the proctor's page
  let candidate; // Budi's page

  before(async () => {
    env = await setup();
    admin = await apiToken(env.base, DEMO.admin);
    hr = await apiToken(env.base, DEMO.hr);
    const account = await apiCall(env.base, admin, 'POST', '/api/v1/accounts', { ...PROCTOR, role: 'proctor' });
    assert.equal(account.status, 201, account.text);
    proctorId = account.json.id;
    const created = await apiCall(env.base, hr, 'POST', '/api/v1/batteries', battery('PROCTOR-BROWSER'));
    assert.equal(created.status, 201, created.text);
    const now = Date.now();
    const c = await apiCall(env.base, hr, 'POST', '/api/v1/campaigns', {
      name: 'Uji Pengawasan Langsung',
      battery: created.json.id,
      opens_at: new Date(now - 3600_000).toISOString(),
      closes_at: new Date(now + 86400_000).toISOString(),
      sessions: [
        { name: 'Lab 1', room: 'Ruang Lab 1', starts_at: new Date(now - 600_000).toISOString(), capacity: 40, proctor: proctorId },
        { name: 'Aula', room: 'Aula Utama', starts_at: new Date(now - 600_000).toISOString(), capacity: 400, proctor: proctorId },
      ],
    });
    assert.equal(c.status, 201, c.text);
    campaign = c.json.id;
    lab = c.json.sessions.find((s) => s.name === 'Lab 1').id;
    hall = c.json.sessions.find((s) => s.name === 'Aula').id;
    let csv = 'nip,name,birth_date,education,job_level,session\n'
      + `${BUDI.nip},${BUDI.name},1985-03-15,S1,Pengawas,Lab 1\n`
      + `${SITI.nip},${SITI.name},1990-01-01,S2,Administrator,Lab 1\n`;
    for (let i = 1; i <= ROOM_SIZE; i++) {
      const seq = String(i).padStart(3, '0');
      csv += `199202022018011${seq},Peserta Aula ${seq},1992-02-02,S1,Pelaksana,Aula\n`;
    }
    await importCsv(env.base, hr, campaign, csv);
    codes = await issueCodes(env.base, hr, campaign);
    const people = await apiCall(env.base, hr, 'GET', `/api/v1/campaigns/${campaign}/participants`);
    ids = Object.fromEntries(people.json.participants.map((p) => [p.nip, p.id]));
  });
  after(async () => {
    await proctor?.context().close().catch(() => {});
    await candidate?.context().close().catch(() => {});
    await env?.stop();
  });

  test('a proctor opens /proctor, picks the session and sees the candidate go live', async () => {
    proctor = await newPage(env.browser, env.base, { viewport: { width: 1440, height: 960 } });
    await proctor.goto('/login');
    await signIn(proctor, PROCTOR.email, PROCTOR.password);
    await proctor.locator('#topnav a[href="/proctor"]').click();
    await proctor.waitForURL('**/proctor');
    assert.equal(await proctor.locator('h1').textContent(), 'Pengawasan langsung');
    // Only the sessions of this proctor, each named with its campaign and room (the list loads
    // after the heading: wait for it rather than read a picker still empty).
    await proctor.locator('#session-select option').nth(2).waitFor({ state: 'attached' });
    const options = await proctor.locator('#session-select option').evaluateAll((o) => o.map((x) => [x.value, x.textContent]));
    assert.deepEqual(options.map((o) => o[0]).sort(), ['', hall, lab].sort());
    assert.match(options.find((o) => o[0] === lab)[1], /Uji Pengawasan Langsung · Lab 1 \(Ruang Lab 1\) · 2 peserta/);
    await expectAccessible(proctor, 'the session picker before a session is chosen');
    await proctor.selectOption('#session-select', lab);
    assert.equal(new URL(proctor.url()).searchParams.get('session'), lab, 'the session is in the address');
    await proctor.locator('#live-status[data-state="live"]').waitFor();
    assert.equal(await proctor.locator('#live-status').textContent(), 'Langsung');
    assert.equal(await proctor.locator('#live-status').getAttribute('aria-live'), 'polite');
    await proctor.waitForFunction(() => document.querySelectorAll('#room-rows tr.pv-row').length === 2);
    assert.equal(await proctor.locator('[data-counter="total"] .pv-count').textContent(), '2');
    assert.equal(await proctor.locator('[data-counter="not_arrived"] .pv-count').textContent(), '2');
    const budi = rowOf(proctor, ids[BUDI.nip]);
    assert.equal(await budi.getAttribute('data-state'), 'not_arrived');
    assert.equal(await budi.locator('.pv-badge').textContent(), 'Belum hadir');
    assert.equal(await budi.locator('.pv-nip').textContent(), BUDI.nip);

    // The candidate signs in elsewhere and starts the first section.
    candidate = await newPage(env.browser, env.base);
    await signInCandidate(candidate, codes[BUDI.nip], BUDI.nip);
    await candidate.click('#consent-accept');
    await candidate.click('#section-list li[data-position="0"] button[data-action="open"]');
    await candidate.locator('#start-section').click();
    await candidate.waitForSelector('#begin-items, #item-form');
    if (await candidate.locator('#begin-items').count()) await candidate.click('#begin-items');
    await candidate.locator('#item-form').waitFor();
    await candidate.locator('#item-form label.option').nth(1).click();
    await candidate.waitForFunction(() => document.querySelector('#save-status').dataset.state === 'saved');

    await proctor.waitForFunction((p) => document.querySelector(`tr[data-participant="${p}"]`)?.dataset.state === 'in_section', ids[BUDI.nip], { timeout: 5000 });
    assert.equal(await budi.locator('.pv-badge').textContent(), 'Mengerjakan');
    assert.equal(await budi.locator('.pv-section span').textContent(), '1 dari 2');
    const left = seconds(await budi.locator('.pv-time-text').textContent());
    assert.ok(left > 1700 && left <= 1800, `about 30 minutes left on the proctor's page, not ${left} s`);
    assert.match(await budi.locator('.pv-seen span').textContent(), /^(baru saja|\d+ d lalu)$/);
    assert.equal(await proctor.locator('[data-counter="in_section"] .pv-count').textContent(), '1');
    await expectAccessible(proctor, 'a watched room with a candidate in a section');
    await shoot(proctor, 'room');
    assert.deepEqual(proctor.problems, []);
    // One answer of the open section's four items (the contract: answered and total of that section).
    await proctor.waitForFunction((p) => /^1\//.test(document.querySelector(`tr[data-participant="${p}"] .pv-progress-text`)?.textContent), ids[BUDI.nip], { timeout: 5000 });
    assert.equal(await budi.locator('.pv-progress-text').textContent(), '1/4', "the open section's progress");
  });

  test('a pause with a reason reaches the candidate within two seconds and stops the countdown', async () => {
    const budi = rowOf(proctor, ids[BUDI.nip]);
    await budi.locator('input.pv-select').check();
    assert.equal(await proctor.locator('#selected-count').textContent(), '1 dipilih');
    // No reason, no pause.
    await proctor.click('#bulk-actions button[data-action="pause"]');
    await proctor.locator('#action-dialog[open]').waitFor();
    assert.equal(await proctor.locator('#action-title').textContent(), 'Jeda tes');
    assert.equal(await proctor.locator('#action-target').textContent(), `Untuk ${BUDI.name} (NIP ${BUDI.nip}).`);
    await proctor.click('#action-submit');
    assert.equal(await proctor.locator('#action-reason-error').textContent(), 'Alasan wajib diisi.');
    assert.equal(await proctor.locator('#action-reason').getAttribute('aria-invalid'), 'true');
    await expectAccessible(proctor, 'the pause dialog with its reason error');
    await proctor.click('#action-cancel');

    const overlay = candidate.locator('#pause-overlay');
    const shown = when(overlay);
    const pressed = await act(proctor, proctor.locator('#bulk-actions button[data-action="pause"]'), { reason: 'Gangguan listrik di ruang ujian' });
    const reaction = (await shown) - pressed;
    assert.ok(reaction <= REACTION_MS, `the pause showed after ${reaction} ms`);
    assert.equal(await proctor.locator('#action-outcome').getAttribute('data-done'), '1');
    assert.equal(await proctor.locator('#action-outcome').textContent(), 'Jeda: 1 berhasil.');
    assert.equal(await candidate.locator('#pause-title').textContent(), 'Ujian dijeda oleh pengawas');
    assert.equal(await overlay.getAttribute('role'), 'alertdialog');
    assert.ok(await candidate.locator('#main').evaluate((m) => m.inert), 'nothing behind the notice can be used');

    const first = await candidate.locator('#timer-value').textContent();
    await sleep(1500);
    const second = await candidate.locator('#timer-value').textContent();
    assert.equal(second, first, 'the countdown stands still while paused');
    await expectAccessible(candidate, "the candidate's page paused by the proctor");
    await shoot(candidate, 'candidate-paused');

    await proctor.waitForFunction((p) => document.querySelector(`tr[data-participant="${p}"]`)?.dataset.state === 'paused', ids[BUDI.nip], { timeout: 5000 });
    assert.equal(await budi.locator('.pv-badge').textContent(), 'Dijeda');
    assert.ok(await budi.locator('.pv-time-text').evaluate((el) => el.classList.contains('is-frozen')));
    const frozen = await budi.locator('.pv-time-text').textContent();
    await sleep(1200);
    assert.equal(await budi.locator('.pv-time-text').textContent(), frozen, "the proctor's time left stands still too");
    await expectAccessible(proctor, 'a room with a paused candidate and the outcome of the pause');
  });

  test('resume, then five more minutes: the countdown runs again and grows by five minutes', async () => {
    // The single-candidate buttons of the side panel.
    await rowOf(proctor, ids[BUDI.nip]).locator('.pv-open').click();
    const panel = proctor.locator('#timeline-panel');
    await panel.locator('#timeline-title').waitFor();
    assert.equal(await panel.locator('#timeline-title').textContent(), BUDI.name);
    await expectAccessible(proctor, 'the timeline panel of one attempt beside the room');

    const gone = when(candidate.locator('#pause-overlay'), 'detached');
    const pressed = await act(proctor, panel.locator('button[data-action="resume"]'), { reason: 'Listrik kembali menyala' });
    const reaction = (await gone) - pressed;
    assert.ok(reaction <= REACTION_MS, `the resume showed after ${reaction} ms`);
    assert.equal(await candidate.locator('#main').evaluate((m) => m.inert), false);
    const a = seconds(await candidate.locator('#timer-value').textContent());
    await sleep(1500);
    const b = seconds(await candidate.locator('#timer-value').textContent());
    assert.ok(b < a, `the countdown runs again (${a} → ${b})`);

    await act(proctor, panel.locator('button[data-action="extend"]'), { minutes: 5, reason: 'Pengganti waktu jeda', a11y: 'the add-time dialog filled in' });
    await candidate.waitForFunction((before) => {
      const [m, s] = document.querySelector('#timer-value').textContent.split(':').map(Number);
      return m * 60 + s > before + 240;
    }, b, { timeout: REACTION_MS + 500 });
    const c = seconds(await candidate.locator('#timer-value').textContent());
    assert.ok(c - b >= 290 && c - b <= 302, `the countdown grew by about five minutes (${b} → ${c})`);
    await proctor.waitForFunction(([p, min]) => {
      const text = document.querySelector(`tr[data-participant="${p}"] .pv-time-text`)?.textContent || '00:00';
      const [m, s] = text.split(':').map(Number);
      return m * 60 + s > min;
    }, [ids[BUDI.nip], c - 10], { timeout: 5000 });
  });

  test('a message stays until dismissed, and the timeline lists the pause, resume, extra time and message', async () => {
    const text = 'Harap tetap tenang; waktu Anda sudah ditambah.';
    await act(proctor, proctor.locator('#bulk-actions button[data-action="message"]'), { text, reason: 'Pemberitahuan', a11y: 'the message dialog filled in' });
    const message = candidate.locator('.take-message');
    await message.waitFor({ timeout: REACTION_MS + 500 });
    assert.equal(await message.locator('.take-message-text').textContent(), text);
    assert.equal(await message.getAttribute('role'), 'alert');
    await sleep(2500);
    assert.equal(await message.count(), 1, 'the message stays');
    await expectAccessible(candidate, "the candidate's page with a proctor's message");
    await shoot(candidate, 'candidate-message');
    const dismissed = candidate.waitForResponse((r) => /\/api\/v1\/candidate\/messages\/[^/]+\/dismiss$/.test(r.url()));
    await message.locator('button').click();
    assert.equal((await dismissed).status(), 204);
    assert.equal(await message.count(), 0);
    // Dismissed for good: a reload does not bring it back.
    await candidate.reload();
    await candidate.locator('#item-form').waitFor();
    await sleep(1000);
    assert.equal(await candidate.locator('.take-message').count(), 0);

    const events = proctor.locator('#timeline-events');
    await proctor.waitForFunction(() => ['pause', 'resume', 'extend', 'message'].every((k) => document.querySelector(`#timeline-events li[data-kind="${k}"]`)), null, { timeout: 5000 });
    const kinds = await events.locator('li').evaluateAll((li) => li.map((x) => x.dataset.kind));
    const order = ['pause', 'resume', 'extend', 'message'].map((k) => kinds.indexOf(k));
    assert.deepEqual([...order].sort((x, y) => y - x), order, 'newest first');
    assert.equal(await events.locator('li[data-kind="pause"] .pv-event-kind').textContent(), 'Dijeda');
    assert.match(await events.locator('li[data-kind="pause"] .pv-event-detail').textContent(), /Gangguan listrik di ruang ujian/);
    assert.match(await events.locator('li[data-kind="pause"] .pv-event-actor').textContent(), /oleh Anda/);
    assert.match(await events.locator('li[data-kind="extend"] .pv-event-detail').textContent(), /5 menit/);
    assert.ok(await proctor.locator('#timeline-answers tr[data-section="0"]').count() === 1, 'the answers of section 1 are counted');
    await expectAccessible(proctor, "the timeline of one attempt listing the proctor's actions and the answers");
    await shoot(proctor, 'timeline');
    await proctor.click('#timeline-close');
    assert.equal(await proctor.locator('#timeline-panel').isHidden(), true);
    assert.deepEqual(proctor.problems, []);
    assert.deepEqual(candidate.problems, []);
  });

  test('a room of 300 draws only the rows in view; filters and search narrow it', async () => {
    await proctor.goto('/proctor?session=' + hall);
    await proctor.locator('#live-status[data-state="live"]').waitFor();
    await proctor.waitForFunction(() => document.querySelector('[data-counter="total"] .pv-count')?.textContent === '300');
    assert.equal(await proctor.locator('#session-select').inputValue(), hall);
    assert.equal(await proctor.locator('#shown-count').textContent(), 'Menampilkan 300 dari 300 peserta');
    const drawn = await proctor.locator('#room-rows tr.pv-row').count();
    assert.ok(drawn > 5 && drawn < 100, `${drawn} rows in the page for a room of 300`);
    assert.equal(await proctor.locator('#room-table').getAttribute('aria-rowcount'), '301');
    const firstName = await proctor.locator('#room-rows tr.pv-row .pv-name-text').first().textContent();
    assert.equal(firstName, 'Peserta Aula 001');
    await expectAccessible(proctor, 'a room of 300 with only the rows in view drawn');

    // The end of the list is reachable by scrolling, still with few rows drawn.
    await proctor.locator('#room-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await proctor.locator('#room-rows tr.pv-row[data-participant] .pv-name-text', { hasText: 'Peserta Aula 300' }).waitFor();
    assert.ok(await proctor.locator('#room-rows tr.pv-row').count() < 100);
    await shoot(proctor, 'room-300');

    // Sorting by name the other way round.
    await proctor.locator('#room-scroll').evaluate((el) => { el.scrollTop = 0; });
    await proctor.click('th[data-sort="name"] .pv-sort');
    assert.equal(await proctor.locator('th[data-sort="name"]').getAttribute('aria-sort'), 'descending');
    await proctor.waitForFunction(() => document.querySelector('#room-rows tr.pv-row .pv-name-text')?.textContent === 'Peserta Aula 300');
    await proctor.click('th[data-sort="name"] .pv-sort');
    assert.equal(await proctor.locator('th[data-sort="name"]').getAttribute('aria-sort'), 'ascending');

    // Search by name, then by a piece of the NIP.
    await proctor.fill('#filter-search', 'aula 123');
    await proctor.waitForFunction(() => document.querySelectorAll('#room-rows tr.pv-row').length === 1);
    assert.equal(await proctor.locator('#shown-count').textContent(), 'Menampilkan 1 dari 300 peserta');
    assert.equal(await proctor.locator('#room-rows .pv-name-text').textContent(), 'Peserta Aula 123');
    await proctor.click('#select-all');
    assert.equal(await proctor.locator('#selected-count').textContent(), '1 dipilih');
    await proctor.click('#clear-selection');
    await proctor.fill('#filter-search', '2018011 29');
    await proctor.waitForFunction(() => document.querySelector('#shown-count').textContent === 'Menampilkan 10 dari 300 peserta');
    assert.deepEqual(await proctor.locator('#room-rows .pv-name-text').allTextContents(),
      Array.from({ length: 10 }, (_, i) => `Peserta Aula 29${i}`));
    await proctor.fill('#filter-search', '');

    // Nobody in the hall is in a section or flagged.
    await proctor.selectOption('#filter-state', 'in_section');
    await proctor.waitForFunction(() => document.querySelectorAll('#room-rows tr.pv-row').length === 0);
    assert.equal(await proctor.locator('#room-empty').textContent(), 'Tidak ada peserta yang cocok dengan saringan.');
    await expectAccessible(proctor, 'a room whose filter matches nobody');
    await proctor.selectOption('#filter-state', 'not_arrived');
    await proctor.waitForFunction(() => document.querySelector('#shown-count').textContent === 'Menampilkan 300 dari 300 peserta');
    await proctor.check('#filter-flagged');
    await proctor.waitForFunction(() => document.querySelector('#shown-count').textContent === 'Menampilkan 0 dari 300 peserta');
    await proctor.uncheck('#filter-flagged');
    // The counters are filters too.
    await proctor.click('[data-counter="total"] button');
    assert.equal(await proctor.locator('#filter-state').inputValue(), 'all');
    assert.equal(await proctor.locator('[data-counter="total"] button').getAttribute('aria-pressed'), 'true');
    await proctor.waitForFunction(() => document.querySelector('#shown-count').textContent === 'Menampilkan 300 dari 300 peserta');

    // A room-wide pause names no candidate; nobody here has signed in, so everyone is skipped.
    const sent = proctor.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/proctoring/sessions/${hall}/actions`));
    await proctor.click('#room-pause');
    assert.equal(await proctor.locator('#action-target').textContent(), 'Untuk semua peserta sesi ini (300).');
    await proctor.click('#action-cancel');
    await act(proctor, proctor.locator('#room-pause'), { reason: 'Jeda bersama' });
    const body = JSON.parse((await sent).postData());
    assert.deepEqual(body, { action: 'pause', reason: 'Jeda bersama' });
    const outcome = proctor.locator('#action-outcome');
    assert.equal(await outcome.getAttribute('data-done'), '0');
    assert.equal(await outcome.getAttribute('data-skipped'), String(ROOM_SIZE));
    assert.match(await outcome.locator('p').textContent(), /^Jeda: 0 berhasil\. 300 dilewati:$/);
    assert.equal(await outcome.locator('li[data-code]').count(), 20, 'the first twenty are named');
    assert.equal(await outcome.locator('li.pv-skipped-more').textContent(), '… dan 280 lainnya');
    const skipped = outcome.locator('li[data-code]').first();
    assert.equal(await skipped.getAttribute('data-code'), 'invalid_state_transition');
    assert.match(await skipped.textContent(), /^Peserta Aula \d{3} \(199202022018011\d{3}\): tindakan ini tidak berlaku untuk status peserta saat ini/);
    await expectAccessible(proctor, 'the outcome of a room-wide pause naming the skipped');
    assert.deepEqual(proctor.problems, []);
  });

  test('the connection indicator says when the live feed fails, and the feed comes back by itself', async () => {
    const live = `**/api/v1/proctoring/sessions/${hall}/live`;
    let refused = 0;
    await proctor.route(live, (route) => {
      refused += 1;
      return route.abort('connectionreset');
    });
    await proctor.reload();
    await proctor.locator('#live-status[data-state="reconnecting"]').waitFor();
    assert.match(await proctor.locator('#live-status').textContent(), /^Terputus, menyambung ulang dalam \d+ d$/);
    // It keeps trying, waiting longer each time: from the second failure on, at least 2 s.
    for (const deadline = Date.now() + 8000; refused < 2 && Date.now() < deadline; ) await sleep(100);
    assert.ok(refused >= 2, `${refused} attempts`);
    await proctor.waitForFunction(() => /dalam ([2-9]|10) d/.test(document.querySelector('#live-status').textContent), null, { timeout: 2000 });
    await expectAccessible(proctor, 'the room while the live feed reconnects');
    await proctor.unroute(live);
    await proctor.locator('#live-status[data-state="live"]').waitFor({ timeout: 15_000 });
    assert.equal(await proctor.locator('[data-counter="total"] .pv-count').textContent(), '300');
    assert.equal(await proctor.locator('#live-status').textContent(), 'Langsung');
  });

  test('the proctor page in English', async () => {
    await proctor.click('[data-lang-toggle]');
    assert.equal(await proctor.locator('h1').textContent(), 'Live proctoring');
    assert.equal(await proctor.locator('html').getAttribute('lang'), 'en');
    assert.equal(await proctor.locator('#live-status').textContent(), 'Live');
    assert.equal(await proctor.locator('th[data-sort="time"] .pv-sort').textContent(), 'Time left');
    assert.equal(await proctor.locator('[data-counter="total"] .pv-count-label').textContent(), 'Participants');
    assert.equal(await proctor.locator('#room-rows tr.pv-row .pv-badge').first().textContent(), 'Not arrived');
    assert.equal(await proctor.locator('#shown-count').textContent(), 'Showing 300 of 300 participants');
    assert.equal(await proctor.locator('#bulk-actions button[data-action="extend"]').textContent(), 'Add time');
    assert.equal(await proctor.locator('#topnav a[href="/proctor"]').textContent(), 'Proctoring');
    await expectAccessible(proctor, 'the proctor page in English');
    await shoot(proctor, 'english');
    await proctor.click('[data-lang-toggle]');
    assert.equal(await proctor.locator('h1').textContent(), 'Pengawasan langsung');
    assert.deepEqual(proctor.problems, []);
  });

  describe('a lobby campaign made through the campaign form', () => {
    let lobbyCampaign;
    let lobbySession;
    let lobbyCodes;
    let lobbyIds;
    let siti;

    test('hr creates it with a lobby and an automatic pause, and finds the link to watch it live', async () => {
      const page = await newPage(env.browser, env.base);
      await page.goto('/login');
      await signIn(page, DEMO.hr);
      await page.goto('/campaigns');
      await page.click('#new-campaign');
      await page.fill('#c-name', 'Uji Ruang Tunggu');
      await page.selectOption('#c-battery', { label: 'Baterai uji pengawasan (PROCTOR-BROWSER)' });
      await page.check('#c-lobby');
      await page.fill('#c-auto-pause', '0');
      await page.click('#create-submit');
      assert.equal(await page.locator('#c-auto-pause-error').textContent(), 'Isi bilangan bulat 1 atau lebih, atau kosongkan.');
      await expectAccessible(page, 'the create form with a lobby and the auto-pause error');
      await page.fill('#c-auto-pause', '5');
      await page.click('#add-session');
      const row = page.locator('#session-rows .cmp-row').first();
      await row.locator('input[data-key="name"]').fill('Ruang A');
      await row.locator('input[data-key="capacity"]').fill('10');
      await row.locator('select[data-key="proctor"]').selectOption(proctorId);
      const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/campaigns'));
      await page.click('#create-submit');
      const body = JSON.parse((await sent).postData());
      assert.equal(body.lobby, true);
      assert.equal(body.auto_pause_after, 5);
      await page.locator('#create-done').waitFor();
      assert.equal(await page.locator('#campaign-lobby').textContent(), 'Ya');
      assert.equal(await page.locator('#campaign-auto-pause').textContent(), 'setelah 5 kejadian integritas');
      const watch = page.locator('#session-table a.watch-session');
      lobbyCampaign = new URL(page.url()).hash.replace('#campaign=', '');
      const view = await apiCall(env.base, hr, 'GET', `/api/v1/campaigns/${lobbyCampaign}`);
      assert.equal(view.status, 200, view.text);
      assert.equal(view.json.lobby, true);
      assert.equal(view.json.auto_pause_after, 5);
      lobbySession = view.json.sessions[0].id;
      assert.equal(await watch.getAttribute('href'), `/proctor?session=${lobbySession}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();

      await importCsv(env.base, hr, lobbyCampaign, 'nip,name,birth_date,education,job_level,session\n'
        + `${SITI.nip},${SITI.name},1990-01-01,S2,Administrator,Ruang A\n`);
      lobbyCodes = await issueCodes(env.base, hr, lobbyCampaign);
      const people = await apiCall(env.base, hr, 'GET', `/api/v1/campaigns/${lobbyCampaign}/participants`);
      lobbyIds = Object.fromEntries(people.json.participants.map((p) => [p.nip, p.id]));
    });

    test('the candidate waits; the proctor admits her, starts the session, and her first section opens by itself', async () => {
      await proctor.goto('/proctor?session=' + lobbySession);
      await proctor.locator('#live-status[data-state="live"]').waitFor();
      await proctor.locator('#start-session').waitFor();
      assert.equal(await proctor.locator('#start-session').textContent(), 'Mulai sesi');

      siti = await newPage(env.browser, env.base);
      await signInCandidate(siti, lobbyCodes[SITI.nip], SITI.nip);
      await siti.click('#consent-accept');
      await siti.locator('#lobby-wait[data-step="waiting"]').waitFor();
      assert.equal(await siti.locator('#lobby-wait h2').textContent(), 'Menunggu pengawas …');
      assert.equal(await siti.locator('#section-list button[data-action="open"]').count(), 0, 'no start button while waiting');
      await expectAccessible(siti, "the candidate's lobby, waiting to be admitted");
      await shoot(siti, 'candidate-lobby');

      const row = rowOf(proctor, lobbyIds[SITI.nip]);
      await proctor.waitForFunction((p) => document.querySelector(`tr[data-participant="${p}"]`)?.dataset.state === 'lobby', lobbyIds[SITI.nip], { timeout: 5000 });
      await expectAccessible(proctor, 'a lobby room with a waiting candidate and the start button');
      await row.locator('input.pv-select').check();
      const admitted = when(siti.locator('#lobby-wait[data-step="admitted"]'));
      const pressed = await act(proctor, proctor.locator('#bulk-actions button[data-action="admit"]'), { reason: 'Identitas diperiksa' });
      const reaction = (await admitted) - pressed;
      assert.ok(reaction <= REACTION_MS, `the admission showed after ${reaction} ms`);
      await expectAccessible(siti, "the candidate's lobby, admitted and waiting for the start");

      const opened = when(siti.locator('#intro, #item-form'));
      const start = await act(proctor, proctor.locator('#start-session'), { reason: 'Semua peserta hadir' });
      assert.match(await proctor.locator('#action-outcome').textContent(), /Sesi dimulai: 1 peserta/);
      const openedAfter = (await opened) - start;
      assert.ok(openedAfter <= REACTION_MS + 1000, `the first section opened ${openedAfter} ms after the start`);
      assert.equal(await siti.locator('#testbar').isVisible(), true, 'the clock runs');
      await proctor.locator('#start-session').waitFor({ state: 'hidden' });
      await proctor.waitForFunction((p) => document.querySelector(`tr[data-participant="${p}"]`)?.dataset.state === 'in_section', lobbyIds[SITI.nip], { timeout: 5000 });
    });

    test('ending a test needs a confirmation; the candidate is told the proctor ended it', async () => {
      const row = rowOf(proctor, lobbyIds[SITI.nip]);
      await proctor.click('#clear-selection');
      await row.locator('input.pv-select').check();
      await proctor.click('#bulk-actions button[data-action="terminate"]');
      await proctor.fill('#action-reason', 'Menggunakan catatan');
      await proctor.click('#action-submit');
      assert.equal(await proctor.locator('#action-confirm-error').textContent(), 'Centang pernyataan ini untuk menghentikan tes.');
      await expectAccessible(proctor, 'the end-test dialog with its confirmation error');
      await proctor.click('#action-cancel');
      const ended = when(siti.locator('#terminated'));
      const pressed = await act(proctor, proctor.locator('#bulk-actions button[data-action="terminate"]'), { reason: 'Menggunakan catatan', confirm: true });
      const reaction = (await ended) - pressed;
      assert.ok(reaction <= REACTION_MS, `the end showed after ${reaction} ms`);
      assert.equal(await siti.locator('#terminated h1').textContent(), 'Tes dihentikan oleh pengawas');
      assert.equal(await siti.locator('#testbar').isVisible(), false);
      await proctor.waitForFunction((p) => document.querySelector(`tr[data-participant="${p}"]`)?.dataset.state === 'terminated', lobbyIds[SITI.nip], { timeout: 5000 });
      // A reload still shows the end.
      await siti.reload();
      await siti.locator('#terminated').waitFor();
      await expectAccessible(siti, "the candidate's page of a test the proctor ended");
      await shoot(siti, 'candidate-terminated');
      assert.deepEqual(siti.problems, []);
      assert.deepEqual(proctor.problems, []);
      await siti.context().close();
    });
  });
});
