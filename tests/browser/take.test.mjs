// The candidate page (/take): sign-in with an access code, consent, every item format, autosave
// through the local queue (reload, offline, a blocked network), the countdown's warning and
// time-out, forward-only and free navigation, submission, the end screen with scores, a device
// take-over, and what HR then finds stored.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEMO, apiCall, apiToken, newPage, setup } from './server.mjs';

const BUDI = { nip: '198503152010121001', name: 'Budi Santoso', birth: '1985-03-15' };
const SITI = { nip: '199001012015032002', name: 'Siti Rahmawati', birth: '1990-01-01' };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** The battery of these tests: short sections of the demo instruments, one per item format. */
function battery(code) {
  const section = (instrument, title, seconds, navigation, draw) => ({
    instrument, version: 1, title: { id: title[0], en: title[1] }, time_limit_seconds: seconds,
    item_order: 'fixed', shuffle_options: false, navigation, ...(draw ? { draw } : {}),
  });
  return {
    code,
    name: { id: 'Baterai uji peramban', en: 'Browser test battery' },
    sections: [
      section('NUM-SERIES', ['Deret Angka', 'Number Series'], 30, 'free'),
      section('FIGURAL', ['Penalaran Figural', 'Figural Reasoning'], 70, 'forward_only', 2),
      section('IPIP-BFM-50', ['Inventori Kepribadian', 'Personality Inventory'], 900, 'free', 6),
      section('WORK-PREF', ['Preferensi Kerja', 'Work Preferences'], 600, 'free', 2),
      section('WORK-STYLE', ['Gaya Kerja', 'Work Style'], 600, 'free', 2),
      section('SJT-ASN', ['Penilaian Situasional', 'Situational Judgement'], 600, 'free', 2),
    ],
  };
}

/** A campaign open now, with Budi and Siti enrolled; returns {campaign, codes: nip → code}. */
async function prepareCampaign(base, hr) {
  const created = await apiCall(base, hr, 'POST', '/api/v1/batteries', battery('TAKE-BROWSER'));
  assert.equal(created.status, 201, created.text);
  const now = Date.now();
  const campaign = await apiCall(base, hr, 'POST', '/api/v1/campaigns', {
    name: 'Uji Peramban Peserta',
    battery: created.json.id,
    opens_at: new Date(now - 3600_000).toISOString(),
    closes_at: new Date(now + 86400_000).toISOString(),
    show_score_to_candidate: true,
    sessions: [],
  });
  assert.equal(campaign.status, 201, campaign.text);
  const id = campaign.json.id;
  const csv = 'nip,name,birth_date,education,job_level\n'
    + `${BUDI.nip},${BUDI.name},${BUDI.birth},S1,Pengawas\n`
    + `${SITI.nip},${SITI.name},${SITI.birth},S2,Administrator\n`;
  const res = await fetch(`${base}/api/v1/campaigns/${id}/participants/import`, {
    method: 'POST', headers: { authorization: `Bearer ${hr}`, 'content-type': 'text/csv' }, body: csv,
  });
  assert.equal(res.status, 201, await res.text());
  const issued = await apiCall(base, hr, 'POST', `/api/v1/campaigns/${id}/access-codes`);
  assert.equal(issued.status, 200, issued.text);
  const codes = Object.fromEntries(issued.json.codes.map((c) => [c.nip, c.code]));
  assert.ok(codes[BUDI.nip] && codes[SITI.nip], 'both participants have a code');
  return { campaign: id, codes };
}

const shotDir = process.env.MERITEST_SCREENSHOT_DIR;
/** Keeps a picture of the page (desktop and phone) when MERITEST_SCREENSHOT_DIR names a folder. */
async function shoot(page, name, { phone = true, fullPage = false } = {}) {
  const sizes = phone ? [['', DESKTOP], ['-phone', PHONE]] : [['', DESKTOP]];
  if (shotDir) await mkdir(shotDir, { recursive: true });
  for (const [suffix, viewport] of sizes) {
    await page.setViewportSize(viewport);
    const png = await page.screenshot({ fullPage });
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    if (shotDir) await writeFile(path.join(shotDir, `take-${name}${suffix}.png`), png);
  }
  await page.setViewportSize(DESKTOP);
}

async function signInCandidate(page, code, { nip, birth }) {
  await page.goto('/take');
  await page.fill('#code', code);
  if (birth) {
    await page.check('input[name="factor"][value="birth"]');
    await page.fill('#birth', birth);
  } else {
    await page.fill('#nip', nip);
  }
  await page.click('#take-login-submit');
}

const saveState = (page) => page.locator('#save-status').getAttribute('data-state');

async function waitSaved(page) {
  await page.waitForFunction(() => document.querySelector('#save-status').dataset.state === 'saved', null, { timeout: 20_000 });
}

/** Answers the item on screen in its own format; returns the format. */
async function answerCurrent(page) {
  const form = page.locator('#item-form');
  const format = await form.getAttribute('data-format');
  switch (format) {
    case 'single_choice':
    case 'weighted_options':
      await form.locator('label.option').nth(1).click();
      break;
    case 'likert':
      await form.locator('label.option[data-point="4"]').click();
      break;
    case 'forced_choice':
      await form.locator('label.option').first().click();
      break;
    case 'most_least':
      await form.locator('tbody tr').nth(0).locator('input[name$="-most"]').check();
      await form.locator('tbody tr').nth(1).locator('input[name$="-least"]').check();
      break;
    case 'numeric_entry':
      await form.locator('input.take-number').fill('15,4');
      await form.locator('input.take-number').press('Enter');
      break;
    default:
      assert.fail('unknown format ' + format);
  }
  return format;
}

/** From the list of sections: open the section, start it, pass its instructions, reach item 1. */
async function startSection(page, position, { practice, beforeStart } = {}) {
  await page.click(`#section-list li[data-position="${position}"] button[data-action="open"]`);
  await page.locator('#start-section').waitFor();
  if (beforeStart) await beforeStart();
  await page.locator('#start-section').click();
  await page.waitForSelector('#begin-items, #item-form');
  if (await page.locator('#begin-items').count()) {
    if (practice) await practice();
    await page.click('#begin-items');
  }
  await page.waitForSelector('#item-form');
}

async function submitSection(page) {
  const button = page.locator('#submit-section, #submit-section-any').first();
  await button.click();
  await page.locator('#confirm-dialog').waitFor();
  await page.click('#confirm-ok');
  await page.locator('#sections-notice').waitFor();
}

describe('candidate test page', () => {
  let env;
  let hr;
  let prepared;
  before(async () => {
    env = await setup();
    hr = await apiToken(env.base, DEMO.hr);
    const list = await apiCall(env.base, hr, 'GET', '/api/v1/batteries');
    assert.ok(list.json.batteries.some((b) => b.code === 'ASN-DEMO'), 'the demo battery is there');
    prepared = await prepareCampaign(env.base, hr);
  });
  after(async () => {
    await env?.stop();
  });

  test('the landing page leads to /take, whose sign-in form checks its fields and shows the API error', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/');
    await page.click('#candidate-login');
    await page.waitForURL('**/take');
    assert.equal(await page.locator('h1').textContent(), 'Masuk peserta');
    assert.equal(await page.locator('html').getAttribute('lang'), 'id');

    // Checked in the page first: a NIP has 18 digits.
    await page.fill('#code', 'abcde fghjk');
    await page.fill('#nip', '12345');
    await page.click('#take-login-submit');
    assert.equal(await page.locator('#nip-error').textContent(), 'NIP terdiri atas 18 angka.');
    assert.equal(await page.locator('#nip').getAttribute('aria-invalid'), 'true');

    // A wrong code: the API's answer, which does not say which factor failed.
    await page.fill('#nip', BUDI.nip);
    await page.click('#take-login-submit');
    const error = page.locator('.take-login-error');
    await error.waitFor();
    assert.equal(await error.locator('.error-text').textContent(), 'Kode akses, NIP, atau tanggal lahir tidak cocok. Periksa kembali undangan Anda.');
    assert.equal(await error.locator('.code').textContent(), '(invalid_credentials)');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('meritest.candidate')), null);

    // The right code with the wrong birth date is refused the same way.
    await page.check('input[name="factor"][value="birth"]');
    assert.equal(await page.locator('#nip-field').isVisible(), false);
    await page.fill('#code', prepared.codes[BUDI.nip]);
    await page.fill('#birth', '1985-03-16');
    await page.click('#take-login-submit');
    await page.waitForFunction(() => document.querySelector('#take-login-submit').textContent === 'Masuk');
    assert.equal(await error.locator('.code').textContent(), '(invalid_credentials)');

    // English on request.
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('h1').textContent(), 'Candidate sign-in');
    assert.equal(await page.locator('label[for="code"]').textContent(), 'Access code');
    assert.equal(await page.locator('#birth').inputValue(), '1985-03-16', 'typed values survive the language switch');
    await page.click('[data-lang-toggle]');
    await shoot(page, 'sign-in');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  describe('a whole test, one candidate', () => {
    let page;
    const puts = [];
    before(async () => {
      page = await newPage(env.browser, env.base);
      page.on('request', (r) => {
        if (r.method() === 'PUT' && r.url().endsWith('/api/v1/candidate/answers')) puts.push(JSON.parse(r.postData()));
      });
    });
    after(async () => {
      await page?.context().close();
    });

    test('signs in with the access code and NIP, reads the consent statement and agrees', async () => {
      await signInCandidate(page, prepared.codes[BUDI.nip].toLowerCase().replace('-', ' '), { nip: BUDI.nip });
      await page.locator('#consent').waitFor();
      const text = await page.locator('#consent').textContent();
      assert.match(text, /Budi Santoso/);
      assert.match(text, /Uji Peramban Peserta/);
      assert.match(text, /Nomor 27 Tahun 2022/);
      assert.equal(await page.locator('#who').textContent(), BUDI.name);
      await shoot(page, 'consent');
      await page.click('#consent-accept');
      await page.locator('#sections').waitFor();
      const rows = page.locator('#section-list > li');
      assert.equal(await rows.count(), 6);
      assert.deepEqual(await rows.evaluateAll((li) => li.map((x) => x.dataset.status)), Array(6).fill('pending'));
      assert.equal(await page.locator('#section-list button[data-action="open"]').count(), 1, 'only the first section can be opened');
      assert.equal(await page.locator('#section-list li[data-position="0"] button').textContent(), 'Buka bagian ini');
      await shoot(page, 'sections');
    });

    test('a 30-second section: practice stays local, numeric entry with a comma, then the time runs out', async () => {
      await startSection(page, 0, {
        beforeStart: async () => {
          assert.equal(await page.locator('#intro h1').textContent(), 'Deret Angka');
          assert.equal(await page.locator('#testbar').isVisible(), false, 'no clock before the start');
          await shoot(page, 'intro-before-start', { phone: false });
        },
        practice: async () => {
          const practice = page.locator('.take-practice-item');
          assert.equal(await practice.count(), 1, 'NUM-SERIES has one practice item');
          await practice.locator('label.option').first().click();
          assert.equal(await practice.locator('input:checked').count(), 1);
        },
      });
      assert.equal(puts.length, 0, 'practice answers are never sent');
      assert.ok(await page.locator('#testbar').isVisible());
      assert.match(await page.locator('#timer-value').textContent(), /^00:[0-3]\d$/);
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 1 dari 20');
      assert.equal(await answerCurrent(page), 'single_choice');
      await waitSaved(page);
      assert.equal(await page.locator('#save-status').textContent(), 'Tersimpan');

      // Free navigation: jump to item 16, the first numeric entry.
      await page.click('#item-nav button[data-index="15"]');
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 16 dari 20');
      assert.equal(await answerCurrent(page), 'numeric_entry');
      await waitSaved(page);
      const numeric = puts.at(-1);
      assert.deepEqual(numeric.response, { value: '15,4' });
      assert.equal(numeric.section, 0);
      assert.ok(numeric.seq > puts[0].seq, 'sequence numbers grow');
      assert.equal(await page.locator('#item-nav button.is-answered').count(), 2);

      // No answer after the deadline: the page asks the server, which closes the section.
      await page.locator('#sections-notice').waitFor({ timeout: 45_000 });
      assert.match(await page.locator('#sections-notice').textContent(), /Waktu untuk bagian “Deret Angka” telah habis/);
      const first = page.locator('#section-list li[data-position="0"]');
      assert.equal(await first.getAttribute('data-status'), 'closed');
      assert.equal(await first.getAttribute('data-reason'), 'timeout');
      assert.equal(await first.locator('.badge').textContent(), 'Waktu habis');
      assert.equal(await page.locator('#testbar').isVisible(), false);
    });

    test('forward-only figures: crisp and within the screen, no way back, and the one-minute warning', async () => {
      await startSection(page, 1, {
        practice: async () => {
          await page.waitForFunction(() => {
            const imgs = [...document.querySelectorAll('.take-practice img')];
            return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0 && i.src.startsWith('blob:'));
          });
        },
      });
      assert.equal(await page.locator('#item-nav').count(), 0, 'no item navigator in a forward-only section');
      assert.equal(await page.locator('#prev-item').count(), 0);
      await page.waitForFunction(() => {
        const imgs = [...document.querySelectorAll('#item-form img')];
        return imgs.length >= 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
      });
      // Figures keep their aspect ratio and never overflow, on a phone too.
      await page.setViewportSize(PHONE);
      const fit = await page.evaluate(() => [...document.querySelectorAll('#item-form img')].map((img) => {
        const r = img.getBoundingClientRect();
        const shown = img.clientWidth / img.clientHeight; // the picture itself, without its border
        return { fits: r.right <= document.documentElement.clientWidth + 0.5, ratio: Math.abs(shown / (img.naturalWidth / img.naturalHeight) - 1) };
      }));
      assert.ok(fit.every((f) => f.fits && f.ratio < 0.05), JSON.stringify(fit));
      await page.setViewportSize(DESKTOP);
      await answerCurrent(page);
      await waitSaved(page);
      await shoot(page, 'figural', { fullPage: true });
      await page.click('#next-item');
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 2 dari 2');
      // Leaving an item without an answer asks for a second press.
      await page.click('#next-item');
      assert.match(await page.locator('#skip-hint').textContent(), /belum dijawab/);
      await page.click('#next-item');
      await page.locator('#end-of-section').waitFor();
      await page.reload();
      await page.locator('#end-of-section').waitFor();

      // 70 seconds: the warning comes when one minute is left, seen and announced.
      const alert = page.locator('#time-alert');
      await page.waitForFunction(() => document.querySelector('#time-alert').dataset.warn === '1', null, { timeout: 30_000 });
      assert.equal(await alert.textContent(), 'Perhatian: sisa waktu kurang dari 1 menit.');
      assert.equal(await alert.getAttribute('aria-live'), 'assertive');
      assert.ok(await alert.isVisible());
      assert.ok(await page.locator('#timer').evaluate((el) => el.classList.contains('timer-danger')));
      await submitSection(page);
      assert.match(await page.locator('#sections-notice').textContent(), /“Penalaran Figural” telah dikumpulkan/);
    });

    test('free navigation: keyboard, flags, English, reload, offline and a blocked network', async () => {
      await startSection(page, 2, {
        practice: async () => {
          assert.match(await page.locator('#intro .take-instructions').textContent(), /\S/, 'the instructions are shown');
          await shoot(page, 'intro');
        },
      });
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 1 dari 6');
      // Arrow keys move within the Likert radio group, and every change is saved.
      await page.locator('#item-form label.option[data-point="3"]').click();
      await page.keyboard.press('ArrowRight');
      assert.equal(await page.locator('#item-form input:checked').getAttribute('value'), '4');
      await waitSaved(page);
      assert.deepEqual(puts.at(-1).response, { point: 4 });
      await page.click('#flag-item');
      assert.equal(await page.locator('#flag-item').getAttribute('aria-pressed'), 'true');
      // A paste attempt is reported to the server as an integrity signal.
      const signalSent = page.waitForResponse((r) => r.url().endsWith('/api/v1/candidate/events'));
      await page.evaluate(() => document.dispatchEvent(new Event('paste')));
      assert.equal((await signalSent).status(), 204);
      await waitSaved(page);
      assert.equal(puts.at(-1).flagged, true);
      await page.click('#item-nav button[data-index="1"]');
      await answerCurrent(page);
      await waitSaved(page);

      // English, then back.
      await page.click('[data-lang-toggle]');
      assert.equal(await page.locator('#item-title').textContent(), 'Item 2 of 6');
      assert.equal(await page.locator('#next-item').textContent(), 'Next →');
      assert.equal(await page.locator('#save-status').textContent(), 'Saved');
      await page.click('[data-lang-toggle]');
      await page.click('#next-item');
      await shoot(page, 'likert');

      // A reload comes back to the same item, with the answers and the flag.
      await page.reload();
      await page.locator('#item-form').waitFor();
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 3 dari 6');
      assert.equal(await page.locator('#item-nav button.is-answered').count(), 2);
      assert.equal(await page.locator('#item-nav button[data-index="0"]').getAttribute('class'), 'take-navbtn is-answered is-flagged');
      await page.click('#item-nav button[data-index="0"]');
      assert.equal(await page.locator('#item-form input:checked').getAttribute('value'), '4');
      assert.equal(await page.locator('#flag-item').getAttribute('aria-pressed'), 'true');
      await page.click('#item-nav button[data-index="2"]');

      // Offline: answers wait in the local queue, and go when the network is back.
      const before = puts.length;
      await page.context().setOffline(true);
      await answerCurrent(page);
      await page.click('#next-item');
      await answerCurrent(page);
      await page.waitForFunction(() => document.querySelector('#save-status').textContent === 'Luring: 2 jawaban menunggu dikirim');
      assert.equal(await saveState(page), 'offline');
      const queued = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('meritest.take.queue.')).map((k) => JSON.parse(localStorage.getItem(k)))[0]);
      assert.equal(queued.length, 2);
      await shoot(page, 'offline', { phone: true });
      await page.context().setOffline(false);
      await waitSaved(page);
      assert.equal(await page.locator('#save-status').textContent(), 'Tersimpan');
      assert.ok(puts.length > before);

      // A network that fails without the browser noticing: the queue survives a reload.
      await page.route('**/api/v1/candidate/answers', (route) => route.abort('connectionreset'));
      await page.click('#next-item');
      await answerCurrent(page);
      await page.waitForFunction(() => document.querySelector('#save-status').dataset.state === 'offline');
      await page.reload();
      await page.locator('#item-form').waitFor();
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 5 dari 6');
      assert.equal(await page.locator('#item-form input:checked').getAttribute('value'), '4', 'the queued answer is shown after the reload');
      await page.waitForFunction(() => document.querySelector('#save-status').textContent === 'Luring: 1 jawaban menunggu dikirim');
      await page.unroute('**/api/v1/candidate/answers');
      await waitSaved(page);

      // Submitting asks first; cancelling changes nothing.
      await page.click('#submit-section-any');
      await page.locator('#confirm-dialog').waitFor();
      assert.match(await page.locator('#confirm-body').textContent(), /Anda menjawab 5 dari 6 soal\. 1 soal masih ditandai untuk ditinjau\. 1 soal belum dijawab\./);
      await shoot(page, 'confirm', { phone: true });
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('#confirm-dialog').count(), 0);
      await submitSection(page);
    });

    test('forced choice, most/least and situational judgement, then the end screen with scores', async () => {
      for (const [position, format] of [[3, 'forced_choice'], [4, 'most_least'], [5, 'weighted_options']]) {
        await startSection(page, position);
        for (let i = 0; i < 2; i++) {
          assert.equal(await answerCurrent(page), format);
          await waitSaved(page);
          if (format === 'most_least' && i === 0) await shoot(page, 'most-least');
          if (i === 0) await page.click('#next-item');
        }
        await submitSection(page);
      }
      const statuses = await page.locator('#section-list > li').evaluateAll((li) => li.map((x) => `${x.dataset.status}:${x.dataset.reason}`));
      assert.deepEqual(statuses, ['closed:timeout', 'closed:submitted', 'closed:submitted', 'closed:submitted', 'closed:submitted', 'closed:submitted']);
      await page.click('#finish-test');
      await page.locator('#end').waitFor();
      assert.equal(await page.locator('#end h1').textContent(), 'Tes selesai');
      const rows = page.locator('#scores tbody tr');
      assert.ok(await rows.count() >= 6, 'a score per scale at least');
      await shoot(page, 'end');

      // A reload shows the end again.
      await page.reload();
      await page.locator('#end').waitFor();
      assert.deepEqual(page.problems, []);
    });

    test('HR finds the stored responses and the scores', async () => {
      const res = await apiCall(env.base, hr, 'GET', `/api/v1/campaigns/${prepared.campaign}/results`);
      assert.equal(res.status, 200, res.text);
      const budi = res.json.participants.find((p) => p.participant.nip === BUDI.nip);
      assert.ok(budi, 'Budi is in the results');
      assert.equal(budi.status, 'finished');
      // 2 number series, 1 figural, 5 personality, 2 + 2 + 2 of the others.
      assert.equal(budi.responses, 14);
      assert.ok(budi.scores.length > 0);
      // The paste attempt is on Budi's timeline.
      const timeline = await apiCall(env.base, hr, 'GET', `/api/v1/campaigns/${prepared.campaign}/participants/${budi.participant.id}/timeline`);
      assert.equal(timeline.status, 200, timeline.text);
      assert.ok(timeline.json.events.some((e) => e.kind === 'integrity.paste'), 'the paste signal is on the timeline');
      // Every answer the page sent carried a sequence number that never went down.
      const seqs = puts.map((p) => p.seq);
      assert.deepEqual([...seqs].sort((a, b) => a - b), seqs);
    });
  });

  test('signing in on a second device stops the first, which says so plainly', async () => {
    const first = await newPage(env.browser, env.base);
    await signInCandidate(first, prepared.codes[SITI.nip], { birth: SITI.birth });
    await first.click('#consent-accept');
    await startSection(first, 0);
    await answerCurrent(first);
    await waitSaved(first);

    const second = await newPage(env.browser, env.base);
    await signInCandidate(second, prepared.codes[SITI.nip], { nip: SITI.nip });
    await second.locator('#item-form').waitFor();
    assert.equal(await second.locator('#item-nav button.is-answered').count(), 1, 'the answer from the first device is there');

    await first.click('#item-nav button[data-index="1"]');
    await answerCurrent(first);
    await first.locator('#replaced').waitFor();
    assert.equal(await first.locator('#replaced h1').textContent(), 'Tes dibuka di perangkat lain');
    assert.equal(await first.locator('#testbar').isVisible(), false);

    await second.click('#item-nav button[data-index="2"]');
    await answerCurrent(second);
    await waitSaved(second);
    assert.deepEqual(first.problems, []);
    assert.deepEqual(second.problems, []);
    await first.context().close();
    await second.context().close();
  });
});
