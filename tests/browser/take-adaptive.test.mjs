// The candidate page in the demo's adaptive section: one item at a time, the answer sent and
// acknowledged before the next item appears, nothing to go back to, a reload that comes back to
// exactly the same item, keyboard use, the proctor's row (items answered, the SE), the end of the
// test when the rule stops it, and axe-core on the item screen in both languages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { DEMO, apiCall, apiToken, newPage, setup, signIn } from './server.mjs';

const ANI = { nip: '198807202012122003', name: 'Ani Kusuma', birth: '1988-07-20' };

/** A campaign of the demo's adaptive battery, open now, with Ani enrolled in a session the demo
 * proctor watches: {campaign, session, code}. */
async function prepare(base, hr) {
  const proctor = await apiToken(base, DEMO.proctor);
  const me = await apiCall(base, proctor, 'GET', '/api/v1/auth/me');
  const list = await apiCall(base, hr, 'GET', '/api/v1/batteries');
  const battery = list.json.batteries.find((b) => b.code === 'ASN-DEMO-ADAPTIF');
  assert.ok(battery, 'the demo has its adaptive battery');
  assert.equal(battery.sections[0].adaptive.config.max_items, 20);
  const now = Date.now();
  const campaign = await apiCall(base, hr, 'POST', '/api/v1/campaigns', {
    name: 'Uji Peramban Adaptif',
    battery: battery.id,
    opens_at: new Date(now - 3600_000).toISOString(),
    closes_at: new Date(now + 86400_000).toISOString(),
    show_score_to_candidate: true,
    sessions: [{ name: 'Sesi A', room: 'Lab 1', starts_at: new Date(now - 600_000).toISOString(), capacity: 10, proctor: me.json.id }],
  });
  assert.equal(campaign.status, 201, campaign.text);
  const id = campaign.json.id;
  const res = await fetch(`${base}/api/v1/campaigns/${id}/participants/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hr}`, 'content-type': 'text/csv' },
    body: `nip,name,birth_date,education,job_level,session\n${ANI.nip},${ANI.name},${ANI.birth},S1,Pengawas,Sesi A\n`,
  });
  assert.equal(res.status, 201, await res.text());
  const issued = await apiCall(base, hr, 'POST', `/api/v1/campaigns/${id}/access-codes`);
  assert.equal(issued.status, 200, issued.text);
  const view = await apiCall(base, hr, 'GET', `/api/v1/campaigns/${id}`);
  return { campaign: id, session: view.json.sessions[0].id, code: issued.json.codes[0].code };
}

const itemTitle = (page) => page.locator('#item-title').textContent();

/** Chooses the second option of the item on screen and sends it; waits for what comes next. */
async function answerAndSend(page, n) {
  assert.equal(await itemTitle(page), `Soal ${n}`);
  assert.equal(await page.locator('#send-answer').isDisabled(), true, 'nothing to send before a choice');
  await page.locator('#item-form label.option').nth(1).click();
  await page.click('#send-answer');
  await page.waitForFunction((next) => {
    const title = document.querySelector('#item-title');
    return document.querySelector('#end, #sections-notice') || (title && title.textContent === `Soal ${next}`);
  }, n + 1, { timeout: 20_000 });
}

describe('candidate page, adaptive section', () => {
  let env;
  let hr;
  let prepared;
  before(async () => {
    env = await setup({ demoResults: 0 });
    hr = await apiToken(env.base, DEMO.hr);
    prepared = await prepare(env.base, hr);
  });
  after(async () => {
    await env?.stop();
  });

  test('a candidate takes the adaptive section one item at a time, resumes after a reload at the same item and ends when the rule stops', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/take');
    await page.fill('#code', prepared.code);
    await page.fill('#nip', ANI.nip);
    await page.click('#take-login-submit');
    await page.click('#consent-accept');
    await page.click('#section-list li[data-position="0"] button[data-action="open"]');
    await page.locator('#start-section').waitFor();
    const facts = await page.locator('.take-facts').textContent();
    assert.match(facts, /paling banyak 20/);
    assert.match(facts, /Tes adaptif/);
    await page.click('#start-section');
    await page.waitForSelector('#begin-items, #item-form');
    if (await page.locator('#begin-items').count()) await page.click('#begin-items');
    await page.waitForSelector('#item-form');

    // The first item: no list of items to jump to, no flag, no way back.
    assert.equal(await page.locator('#item-nav').count(), 0);
    assert.equal(await page.locator('#prev-item').count(), 0);
    assert.equal(await page.locator('#flag-item').count(), 0);
    assert.match(await page.locator('#progress-text').textContent(), /0 soal terjawab · paling banyak 20/);
    await expectAccessible(page, 'the adaptive item screen');
    await page.click('[data-lang-toggle]');
    await page.locator('#send-answer:has-text("Send answer")').waitFor();
    await expectAccessible(page, 'the adaptive item screen in English');
    await page.click('[data-lang-toggle]');
    await page.locator('#send-answer:has-text("Kirim jawaban")').waitFor();

    for (let n = 1; n <= 3; n += 1) await answerAndSend(page, n);
    assert.match(await page.locator('#progress-text').textContent(), /3 soal terjawab/);

    // The proctor sees three items answered of at most 20, and the standard error after them.
    const proctor = await newPage(env.browser, env.base);
    await signIn(proctor, DEMO.proctor);
    await proctor.goto('/proctor?session=' + prepared.session);
    await proctor.waitForFunction(() => /^3\/≤20 · GB θ \d,\d\d$/.test(document.querySelector('#room-rows .pv-progress-text')?.textContent || ''), null, { timeout: 20_000 });
    await proctor.close();

    // A reload comes back to the same item, the fourth, with the same question.
    const stem = await page.locator('#item-form .take-stem').first().textContent();
    await page.reload();
    await page.waitForSelector('#item-form');
    assert.equal(await itemTitle(page), 'Soal 4');
    assert.equal(await page.locator('#item-form .take-stem').first().textContent(), stem);

    // By keyboard: the choice with the arrow keys, the send with Enter.
    await page.locator('#item-form input[type="radio"]').first().focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#send-answer').isDisabled(), false);
    await page.locator('#send-answer').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#item-title')?.textContent === 'Soal 5', null, { timeout: 20_000 });

    // On until the rule stops the test (at most 20 items); it is the only section, so the test ends.
    let n = 5;
    while (!(await page.locator('#end').count())) {
      assert.ok(n <= 20, 'never more than the maximum');
      await answerAndSend(page, n);
      n += 1;
    }
    assert.ok(n - 1 >= 8, `at least the minimum of 8 items, got ${n - 1}`);
    assert.equal(await page.locator('#end h1').textContent(), 'Tes selesai');
    const scores = await page.locator('#scores tbody tr').count();
    assert.equal(scores, 1, 'one score: the adaptive scale');

    // HR finds θ stored for the section, with the items given.
    const results = await apiCall(env.base, hr, 'GET', `/api/v1/campaigns/${prepared.campaign}/results`);
    assert.equal(results.json.participants.length, 1);
    const ani = results.json.participants[0];
    assert.equal(ani.status, 'finished');
    assert.equal(ani.responses, n - 1);
    assert.equal(ani.scores[0].scale, 'NUMA');
    assert.equal(ani.scores[0].metric, 'theta');
    assert.ok(ani.scores[0].se > 0 && ani.scores[0].se < 1);

    // On HR's results page the score reads as θ with its standard error, not as a raw score.
    const staff = await newPage(env.browser, env.base);
    await staff.goto('/login');
    await signIn(staff, DEMO.hr);
    await staff.goto(`/campaigns#campaign=${prepared.campaign}`);
    const toggle = staff.locator(`#result-table tr.result-row[data-nip="${ANI.nip}"] .cmp-toggle`);
    await toggle.click();
    const raw = staff.locator('#result-table table.cmp-scores tbody tr[data-scale="NUMA"] td').nth(2);
    assert.match(await raw.textContent(), /^θ [-−]?\d+,\d\d \(GB 0,\d\d\)$/);
    await expectAccessible(staff, 'an adaptive score on the results page');
    assert.deepEqual(staff.problems, []);
    await staff.close();
  });
});
