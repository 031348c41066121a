// The candidate page (/take): sign-in with an access code, consent, every item format, autosave
// through the local queue (reload, offline, a blocked network), the countdown's warning and
// time-out, forward-only and free navigation, submission, the end screen with scores, a device
// take-over, and what HR then finds stored.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectAccessible, screenshot } from './a11y.mjs';
import { DEMO, apiCall, apiToken, newPage, setup } from './server.mjs';

const BUDI = { nip: '198503152010121001', name: 'Budi Santoso', birth: '1985-03-15' };
const SITI = { nip: '199001012015032002', name: 'Siti Rahmawati', birth: '1990-01-01' };
const PHONE = { width: 390, height: 844 };
const SMALL_PHONE = { width: 360, height: 740 };
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
    time_zone: 'WITA',
    data_contact: 'privasi@bkd.example.go.id',
    retention_months: 24,
  });
  assert.equal(campaign.status, 201, campaign.text);
  const id = campaign.json.id;
  const closesAt = campaign.json.closes_at;
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
  return { campaign: id, codes, closesAt };
}

/**
 * Checks the screen as it is with axe-core (WCAG 2.1 A/AA, 0 violations) on the desktop and, unless
 * `phone` is false, on a phone, and keeps a picture of the phone layout (a11y.mjs screenshot: the
 * path is printed in the test output).
 */
async function shoot(page, name, { phone = true } = {}) {
  await expectAccessible(page, `the candidate's ${name} screen`);
  if (!phone) return;
  await page.setViewportSize(PHONE);
  try {
    await expectAccessible(page, `the candidate's ${name} screen on a phone`);
    await screenshot(page, `take-${name}-phone`);
  } finally {
    await page.setViewportSize(DESKTOP);
  }
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
    await shoot(page, 'sign-in-invalid');

    // A wrong code: the API's answer, which does not say which factor failed.
    await page.fill('#nip', BUDI.nip);
    await page.click('#take-login-submit');
    const error = page.locator('.take-login-error');
    await error.waitFor();
    assert.equal(await error.textContent(), 'Kode akses, NIP, atau tanggal lahir tidak cocok. Periksa kembali undangan Anda.', 'the sentence only: no error code, no server words');
    assert.equal(await error.getAttribute('data-code'), 'invalid_credentials', 'the code stays on the element for support');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('meritest.candidate')), null);

    // The right code with the wrong birth date is refused the same way.
    await page.check('input[name="factor"][value="birth"]');
    assert.equal(await page.locator('#nip-field').isVisible(), false);
    await page.fill('#code', prepared.codes[BUDI.nip]);
    await page.fill('#birth', '1985-03-16');
    await page.click('#take-login-submit');
    await page.waitForFunction(() => document.querySelector('#take-login-submit').textContent === 'Masuk');
    assert.equal(await error.getAttribute('data-code'), 'invalid_credentials');
    assert.equal(await error.locator('.code').count(), 0);

    // English on request.
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('h1').textContent(), 'Candidate sign-in');
    assert.equal(await page.locator('label[for="code"]').textContent(), 'Access code');
    assert.equal(await page.locator('#birth').inputValue(), '1985-03-16', 'typed values survive the language switch');
    await page.click('[data-lang-toggle]');
    await shoot(page, 'sign-in');
    // On a 360-pixel phone: the example code never breaks at its hyphen, and the top bar's
    // buttons are at least 44 pixels tall.
    await page.setViewportSize(SMALL_PHONE);
    const example = page.locator('.take-code-example');
    assert.equal(await example.textContent(), '7KQ4M-XR9TD');
    assert.equal(await example.evaluate((el) => getComputedStyle(el).whiteSpace), 'nowrap');
    assert.equal(await example.evaluate((el) => el.getClientRects().length), 1);
    const heights = await page.locator('.topbar button:visible').evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height));
    assert.ok(heights.length >= 1 && heights.every((px) => px >= 44), JSON.stringify(heights));
    await page.setViewportSize(DESKTOP);
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
      // The campaign's own settings: how long the data is kept, and whom to ask about it.
      assert.equal(await page.locator('#consent-retention').textContent(), 'Data ini disimpan selama 2 tahun setelah asesmen, lalu dihapus.');
      assert.equal(await page.locator('#consent-contact a').getAttribute('href'), 'mailto:privasi@bkd.example.go.id');
      assert.equal(await page.locator('#consent-contact a').textContent(), 'privasi@bkd.example.go.id');
      assert.equal(await page.locator('#who').textContent(), BUDI.name);
      await shoot(page, 'consent');
      await page.click('#consent-accept');
      await page.locator('#sections').waitFor();
      const rows = page.locator('#section-list > li');
      assert.equal(await rows.count(), 6);
      assert.deepEqual(await rows.evaluateAll((li) => li.map((x) => x.dataset.status)), Array(6).fill('pending'));
      assert.equal(await page.locator('#section-list button[data-action="open"]').count(), 1, 'only the first section can be opened');
      assert.equal(await page.locator('#section-list li[data-position="0"] button').textContent(), 'Buka bagian ini');
      // The closing time in the campaign's zone (WITA, UTC+8), named.
      const closes = new Date(prepared.closesAt);
      const wita = new Date(closes.getTime() + 8 * 3600_000);
      const clock = `${String(wita.getUTCHours()).padStart(2, '0')}.${String(wita.getUTCMinutes()).padStart(2, '0')}`;
      const closing = await page.locator('#campaign-closes').textContent();
      assert.ok(closing.startsWith('Tes ditutup pada ') && closing.endsWith(`${clock} WITA.`), closing);
      await shoot(page, 'sections');
    });

    test('a 30-second section: practice stays local, numeric entry with a comma, then the time runs out', async () => {
      await startSection(page, 0, {
        beforeStart: async () => {
          assert.equal(await page.locator('#intro h1').textContent(), 'Deret Angka');
          assert.equal(await page.locator('#testbar').isVisible(), false, 'no clock before the start');
          // The number of items comes from the list before the section starts (its items are not sent yet).
          assert.equal(await page.locator('#intro .take-facts li').nth(1).textContent(), 'Jumlah soal: 20');
          // The practice item says whether the answer was right, before the start too.
          const practice = page.locator('.take-practice-item');
          assert.equal(await practice.count(), 1, 'NUM-SERIES has one practice item');
          const feedback = practice.locator('.take-practice-feedback');
          await practice.locator('label.option').first().click();
          await page.waitForFunction(() => document.querySelector('.take-practice-feedback').dataset.result);
          assert.equal(await feedback.getAttribute('data-result'), 'wrong');
          assert.equal(await feedback.textContent(), 'Belum tepat. Jawaban yang benar: B. Baca petunjuknya sekali lagi sebelum mulai.');
          await practice.locator('label.option').nth(1).click();
          await page.waitForFunction(() => document.querySelector('.take-practice-feedback').dataset.result === 'right');
          assert.equal(await feedback.textContent(), 'Benar. Anda siap mengerjakan soal yang sebenarnya.');
          assert.equal(await practice.locator('input:checked').count(), 1);
          await shoot(page, 'intro-before-start');
        },
      });
      assert.equal(puts.length, 0, 'practice answers are never saved as answers');
      assert.ok(await page.locator('#testbar').isVisible());
      assert.match(await page.locator('#timer-value').textContent(), /^00:[0-3]\d$/);
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 1 dari 20');
      assert.equal(await answerCurrent(page), 'single_choice');
      await waitSaved(page);
      assert.equal(await page.locator('#save-status').textContent(), 'Tersimpan');

      // Free navigation: jump to item 16, the first numeric entry.
      await page.click('#item-nav button[data-index="15"]');
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 16 dari 20');
      // Not a number: said in red under the field, and the badge does not say "saved" beside it.
      const number = page.locator('#item-form input.take-number');
      await number.fill('dua belas');
      await number.press('Enter');
      assert.equal(await number.getAttribute('aria-invalid'), 'true');
      const numberHint = page.locator('#item-form .take-hint.field-error');
      assert.equal(await numberHint.textContent(), 'Itu bukan angka. Tulis angka, misalnya 15 atau 15,4.');
      assert.equal(await numberHint.evaluate((el) => getComputedStyle(el).color), 'rgb(179, 38, 30)');
      assert.equal(await saveState(page), 'invalid');
      assert.equal(await page.locator('#save-status').textContent(), 'Belum tersimpan: perbaiki angkanya');
      assert.equal(await answerCurrent(page), 'numeric_entry');
      await waitSaved(page);
      const numeric = puts.at(-1);
      assert.deepEqual(numeric.response, { value: '15,4' });
      assert.equal(numeric.section, 0);
      assert.ok(numeric.seq > puts[0].seq, 'sequence numbers grow');
      assert.equal(await page.locator('#item-nav button.is-answered').count(), 2);

      // No answer after the deadline: the time-up is said once (in the bar, not again on the
      // item), then the page asks the server, which closes the section.
      await page.waitForFunction(() => document.querySelector('#time-alert').dataset.warn === '0', null, { timeout: 45_000 });
      assert.equal(await page.locator('#time-alert').textContent(), 'Waktu habis. Bagian ini sedang ditutup…');
      assert.doesNotMatch(await page.locator('#main').textContent(), /Waktu habis/);
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
        // Centred in its card: the stem figure in the item, an option's figure in its option.
        const card = img.closest('.option') || img.closest('.take-item');
        const c = card.getBoundingClientRect();
        const off = Math.abs((r.left + r.right) / 2 - (c.left + c.right) / 2);
        return { fits: r.right <= document.documentElement.clientWidth + 0.5, ratio: Math.abs(shown / (img.naturalWidth / img.naturalHeight) - 1), off };
      }));
      assert.ok(fit.every((f) => f.fits && f.ratio < 0.05 && f.off <= 1), JSON.stringify(fit));
      await page.setViewportSize(DESKTOP);
      await answerCurrent(page);
      await waitSaved(page);
      await shoot(page, 'figural', { fullPage: true });
      await page.click('#next-item');
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 2 dari 2');
      // Leaving an item without an answer asks for a second press.
      await page.click('#next-item');
      assert.equal(await page.locator('#skip-hint').textContent(), '! Soal ini belum dijawab. Jika Anda menekan “Berikutnya” sekali lagi, soal ini dilewati dan tidak dapat dibuka kembali.');
      assert.equal(await page.locator('#skip-hint').getAttribute('class'), 'take-skip-warning is-shown', 'shown as a warning');
      await page.click('#next-item');
      await page.locator('#end-of-section').waitFor();
      await shoot(page, 'end-of-section');
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
        beforeStart: async () => {
          assert.match(await page.locator('#intro .take-instructions').textContent(), /\S/, 'the instructions are shown');
          assert.equal(await page.locator('#intro .take-facts li').nth(1).textContent(), 'Jumlah soal: 6');
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
      // The flag button says what pressing it does now, and the change is announced.
      const flag = page.locator('#flag-item');
      assert.equal(await flag.textContent(), '⚑ Tandai untuk ditinjau');
      await flag.click();
      assert.equal(await flag.textContent(), '⚑ Hapus tanda tinjau');
      assert.equal(await flag.getAttribute('aria-pressed'), null, 'a button whose words change is no toggle as well');
      assert.equal(await page.locator('#flag-status').textContent(), 'Soal 1 ditandai untuk ditinjau.');
      // A paste attempt is reported to the server as an integrity signal.
      const signalSent = page.waitForResponse((r) => r.url().endsWith('/api/v1/candidate/events'));
      await page.evaluate(() => document.dispatchEvent(new Event('paste')));
      assert.equal((await signalSent).status(), 204);
      await waitSaved(page);
      assert.equal(puts.at(-1).flagged, true);
      await page.click('#item-nav button[data-index="1"]');
      await answerCurrent(page);
      await waitSaved(page);

      // Answered and flagged items are told apart at a glance: answered ones are filled, a
      // flagged one has an amber ring and a flag, an open one stays white.
      const look = (i) => page.locator(`#item-nav button[data-index="${i}"]`).evaluate((b) => ({
        background: getComputedStyle(b).backgroundColor,
        color: getComputedStyle(b).color,
        ring: getComputedStyle(b).boxShadow,
        mark: getComputedStyle(b, '::after').content,
      }));
      const [flaggedAnswered, answered, open] = [await look(0), await look(1), await look(2)];
      assert.deepEqual(answered, { background: 'rgb(11, 87, 164)', color: 'rgb(255, 255, 255)', ring: 'none', mark: 'none' });
      assert.equal(flaggedAnswered.background, 'rgb(11, 87, 164)');
      assert.match(flaggedAnswered.ring, /^rgb\(194, 124, 0\) 0px 0px 0px 3px/);
      assert.equal(flaggedAnswered.mark, '"⚑"');
      assert.equal(open.background, 'rgb(255, 255, 255)');
      assert.equal(open.mark, 'none');

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
      assert.equal(await flag.textContent(), '⚑ Hapus tanda tinjau');
      await page.click('#item-nav button[data-index="2"]');

      // Offline: answers wait in the local queue, and the page says what to do in plain words.
      const before = puts.length;
      await page.context().setOffline(true);
      await answerCurrent(page);
      await page.click('#next-item');
      await answerCurrent(page);
      await page.waitForFunction(() => document.querySelector('#save-status').textContent === 'Koneksi terputus · 2 jawaban menunggu dikirim');
      assert.equal(await saveState(page), 'offline');
      assert.equal(await page.locator('#offline-note p').textContent(), 'Tetap kerjakan soal dan jangan tutup halaman ini. Jawaban Anda disimpan di perangkat ini dan terkirim sendiri saat internet tersambung kembali.');
      assert.ok(await page.locator('#offline-note').isVisible());
      const queued = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('meritest.take.queue.')).map((k) => JSON.parse(localStorage.getItem(k)))[0]);
      assert.equal((await queued()).length, 2);
      await shoot(page, 'offline');

      // A reload without the network: the service worker brings the page back, at the same item,
      // with the answers on screen, the queue kept and the clock running.
      assert.equal(await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        return Boolean(navigator.serviceWorker.controller);
      }), true, 'the service worker controls the page');
      const reloaded = await page.reload();
      assert.equal(reloaded.fromServiceWorker(), true, 'the page came from the service worker');
      await page.locator('#item-form').waitFor();
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 4 dari 6');
      assert.equal(await page.locator('#item-form input:checked').getAttribute('value'), '4');
      assert.equal(await page.locator('#item-nav button.is-answered').count(), 4);
      await page.waitForFunction(() => document.querySelector('#save-status').textContent === 'Koneksi terputus · 2 jawaban menunggu dikirim');
      assert.match(await page.locator('#timer-value').textContent(), /^\d\d:\d\d$/);
      assert.equal((await queued()).length, 2);
      await page.context().setOffline(false);
      await waitSaved(page);
      assert.equal(await page.locator('#save-status').textContent(), 'Tersimpan');
      assert.equal(await page.locator('#offline-note').isVisible(), false);
      // Every try of the page counts as a request (also those that failed offline): two answers, each with its own number.
      assert.equal(new Set(puts.slice(before).map((p) => p.seq)).size, 2, 'both answers given offline were sent once the network was back');

      // A network that fails without the browser noticing: the queue survives a reload.
      await page.route('**/api/v1/candidate/answers', (route) => route.abort('connectionreset'));
      await page.click('#next-item');
      await answerCurrent(page);
      await page.waitForFunction(() => document.querySelector('#save-status').dataset.state === 'offline');
      await page.reload();
      await page.locator('#item-form').waitFor();
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 5 dari 6');
      assert.equal(await page.locator('#item-form input:checked').getAttribute('value'), '4', 'the queued answer is shown after the reload');
      await page.waitForFunction(() => document.querySelector('#save-status').textContent === 'Koneksi terputus · 1 jawaban menunggu dikirim');
      await page.unroute('**/api/v1/candidate/answers');
      await waitSaved(page);

      // Submitting asks first, lists what is open or flagged with a way there, and while anything
      // is, going back is the main button.
      await page.click('#submit-section-any');
      await page.locator('#confirm-dialog').waitFor();
      assert.equal(await page.locator('#confirm-body').textContent(), 'Anda menjawab 5 dari 6 soal. Setelah dikumpulkan, jawaban pada bagian ini tidak dapat diubah.');
      assert.deepEqual(await page.locator('#confirm-unanswered button').evaluateAll((bs) => bs.map((b) => [b.textContent, b.getAttribute('aria-label')])), [['6', 'Buka soal 6']]);
      assert.deepEqual(await page.locator('#confirm-flagged button').allTextContents(), ['1']);
      assert.equal(await page.locator('#confirm-cancel').textContent(), 'Kembali ke soal');
      assert.equal(await page.locator('#confirm-cancel').getAttribute('class'), 'btn btn-primary');
      assert.equal(await page.locator('#confirm-ok').getAttribute('class'), 'btn');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'confirm-cancel');
      await shoot(page, 'confirm');
      // The flagged item's number leads to it; its flag is taken off there.
      await page.click('#confirm-flagged button');
      assert.equal(await page.locator('#confirm-dialog').count(), 0);
      assert.equal(await page.locator('#item-title').textContent(), 'Soal 1 dari 6');
      await flag.click();
      assert.equal(await flag.textContent(), '⚑ Tandai untuk ditinjau');
      await page.click('#submit-section-any');
      assert.equal(await page.locator('#confirm-flagged').count(), 0, 'nothing is flagged any more');
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('#confirm-dialog').count(), 0);
      await submitSection(page);
    });

    test('forced choice, most/least with its practice item, then the last section ends the test with scores', async () => {
      for (const [position, format] of [[3, 'forced_choice'], [4, 'most_least'], [5, 'weighted_options']]) {
        await startSection(page, position, {
          beforeStart: format !== 'most_least' ? undefined : async () => {
            // A practice item for the most/least format: there is no right answer, and it says so.
            const practice = page.locator('.take-practice-item');
            assert.equal(await practice.count(), 1, 'WORK-STYLE has one practice item');
            await practice.locator('tbody tr').nth(0).locator('input[name$="-most"]').check();
            await practice.locator('tbody tr').nth(2).locator('input[name$="-least"]').check();
            await page.waitForFunction(() => document.querySelector('.take-practice-feedback').dataset.result);
            assert.equal(await practice.locator('.take-practice-feedback').getAttribute('data-result'), 'open');
            await shoot(page, 'most-least-practice');
          },
        });
        for (let i = 0; i < 2; i++) {
          assert.equal(await answerCurrent(page), format);
          await waitSaved(page);
          if (format === 'most_least' && i === 0) await shoot(page, 'most-least');
          if (i === 0) await page.click('#next-item');
        }
        if (position < 5) await submitSection(page);
      }
      // The last section's submit says that it ends the test, and does.
      assert.equal(await page.locator('#submit-section').textContent(), 'Kumpulkan dan selesaikan tes…');
      await page.click('#submit-section');
      await page.locator('#confirm-dialog').waitFor();
      assert.equal(await page.locator('#confirm-title').textContent(), 'Kumpulkan bagian terakhir dan selesaikan tes?');
      assert.equal(await page.locator('#confirm-ok').textContent(), 'Ya, kumpulkan dan selesaikan');
      assert.equal(await page.locator('#confirm-ok').getAttribute('class'), 'btn btn-primary', 'everything is answered: submitting is the main button');
      await page.click('#confirm-ok');
      await page.locator('#end').waitFor();
      assert.equal(await page.locator('#end h1').textContent(), 'Tes selesai');
      assert.equal(await page.locator('#finish-test').count(), 0, 'no further button to press');
      const rows = page.locator('#scores tbody tr');
      assert.ok(await rows.count() >= 6, 'a score per scale at least');
      await shoot(page, 'end');
      assert.equal(await page.evaluate(() => sessionStorage.getItem('meritest.take.snapshot')), null, 'nothing of the test is kept in the tab');

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
      // The paste attempt is on Budi's timeline; his four reloads are not integrity signals.
      const timeline = await apiCall(env.base, hr, 'GET', `/api/v1/campaigns/${prepared.campaign}/participants/${budi.participant.id}/timeline`);
      assert.equal(timeline.status, 200, timeline.text);
      assert.ok(timeline.json.events.some((e) => e.kind === 'integrity.paste'), 'the paste signal is on the timeline');
      assert.deepEqual(timeline.json.events.filter((e) => e.kind === 'integrity.page_hidden'), [], 'a reload is not a hidden page');
      // The last section's submit finished the attempt: its end is on the timeline.
      assert.ok(timeline.json.events.some((e) => e.kind === 'finished'), JSON.stringify(timeline.json.events.map((e) => e.kind)));
      // Every answer the page sent carried a sequence number that never went down.
      const seqs = puts.map((p) => p.seq);
      assert.deepEqual([...seqs].sort((a, b) => a - b), seqs);
    });
  });

  test('a test that opens tomorrow says when, in its own time zone, without an error code', async () => {
    const battery = (await apiCall(env.base, hr, 'GET', '/api/v1/batteries')).json.batteries.find((b) => b.code === 'TAKE-BROWSER');
    const opens = new Date(Date.now() + 86400_000);
    opens.setUTCHours(0, 0, 0, 0);
    const created = await apiCall(env.base, hr, 'POST', '/api/v1/campaigns', {
      name: 'Uji Besok', battery: battery.id, opens_at: opens.toISOString(),
      closes_at: new Date(opens.getTime() + 86400_000).toISOString(), sessions: [], time_zone: 'WIT',
    });
    assert.equal(created.status, 201, created.text);
    const res = await fetch(`${env.base}/api/v1/campaigns/${created.json.id}/participants/import`, {
      method: 'POST', headers: { authorization: `Bearer ${hr}`, 'content-type': 'text/csv' },
      body: `nip,name,birth_date,education,job_level\n${BUDI.nip},${BUDI.name},${BUDI.birth},S1,Pengawas\n`,
    });
    assert.equal(res.status, 201, await res.text());
    const issued = await apiCall(env.base, hr, 'POST', `/api/v1/campaigns/${created.json.id}/access-codes`);
    const page = await newPage(env.browser, env.base);
    await signInCandidate(page, issued.json.codes[0].code, { nip: BUDI.nip });
    const error = page.locator('.take-login-error');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), 'campaign_not_open');
    assert.equal(await error.locator('.error-text').textContent(), 'Tes ini belum dibuka.');
    // 00:00 UTC is 09.00 in WIT (UTC+9).
    assert.match(await error.locator('.take-error-when').textContent(), /^Tes dibuka pada .+ 09\.00 WIT\.$/);
    assert.doesNotMatch(await error.textContent(), /campaign_not_open|assessment/);
    await shoot(page, 'sign-in-not-open');
    await page.context().close();
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
    await shoot(first, 'replaced');

    // On a 360-pixel phone the whole name shows (a candidate checks it is theirs), none of it cut.
    await second.setViewportSize(SMALL_PHONE);
    const who = second.locator('#who');
    assert.equal(await who.textContent(), SITI.name);
    const fits = await who.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, overflow: getComputedStyle(el).textOverflow, right: el.getBoundingClientRect().right }));
    assert.ok(fits.scroll <= fits.client && fits.overflow !== 'ellipsis' && fits.right <= 360, JSON.stringify(fits));
    await screenshot(second, 'take-item-small-phone');
    await second.setViewportSize(DESKTOP);

    await second.click('#item-nav button[data-index="2"]');
    await answerCurrent(second);
    await waitSaved(second);

    // HR closes the window now: the unfinished attempt expires (the sweep, every 5 s, scores it on
    // what was answered), and the page, still on an item, is told and says so; a reload agrees.
    const closed = await apiCall(env.base, hr, 'PATCH', `/api/v1/campaigns/${prepared.campaign}`, { closes_at: new Date().toISOString(), expire_unfinished: true });
    assert.equal(closed.status, 200, closed.text);
    await second.locator('#expired').waitFor({ timeout: 30_000 });
    assert.equal(await second.locator('#expired h1').textContent(), 'Tes tidak dapat dilanjutkan');
    assert.equal(await second.locator('#testbar').isVisible(), false);
    await second.reload();
    await second.locator('#expired').waitFor();
    assert.equal(await second.locator('#expired h1').textContent(), 'Tes tidak dapat dilanjutkan');
    await shoot(second, 'expired');
    assert.deepEqual(first.problems, []);
    assert.deepEqual(second.problems, []);
    await first.context().close();
    await second.context().close();
  });
});
