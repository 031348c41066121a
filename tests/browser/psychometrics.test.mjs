// The psychometrics page (/psychometrics): a psychologist finds an instrument's item parameters
// in use (simulated ones marked), a draft with a negative discrimination is refused with the
// field named, a good draft is compared with the version in use (a large Δb marked) and published
// by keyboard; the page reads in English; a proctor is turned away. axe runs on every screen.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { DEMO, apiCall, apiToken, newPage, setup, signIn } from './server.mjs';

const CODE = 'IRT-BROWSER';

function instrument() {
  return {
    format: 'meritest.instrument/1', code: CODE, version: 1, kind: 'cognitive',
    name: { id: 'Uji parameter IRT', en: 'IRT parameter test' },
    source: 'Written for the meritest browser tests, CC0',
    scales: [{ code: 'NUM', name: { id: 'Numerik', en: 'Numerical' } }],
    items: [
      {
        code: 'T-01', format: 'single_choice', scale: 'NUM', stem: { id: 'Berapakah 2 + 3?', en: 'What is 2 + 3?' },
        options: [{ id: 'a', text: { id: '4' } }, { id: 'b', text: { id: '5' } }], key: 'b',
      },
      { code: 'T-02', format: 'numeric_entry', scale: 'NUM', stem: { id: 'Berapakah 15% dari 240?' }, answer: 36 },
    ],
    item_parameters: {
      method: 'simulated for the browser tests', simulated: true,
      items: [
        { item: 'T-01', model: '2PL', a: 1.1, b: -0.4 },
        { item: 'T-02', model: '3PL', a: 0.9, b: 0.6, c: 0.15 },
      ],
    },
  };
}

describe('psychometrics page', () => {
  let env;
  let id;
  before(async () => {
    env = await setup({ demoResults: 20 });
    const hr = await apiToken(env.base, DEMO.hr);
    const res = await apiCall(env.base, hr, 'POST', '/api/v1/instruments/import', instrument());
    assert.equal(res.status, 201, res.text);
    id = res.json.id;
  });
  after(async () => {
    await env?.stop();
  });

  async function signedIn(email) {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, email);
    return page;
  }

  test('a psychologist reviews a draft against the parameters in use and publishes it by keyboard', async () => {
    const page = await signedIn(DEMO.psychologist);
    await page.goto('/psychometrics');
    const row = page.locator(`#psy-instruments tr[data-code="${CODE}"]`);
    await row.waitFor();
    assert.equal(await row.locator('td').nth(2).textContent(), 'v1');
    assert.equal(await page.locator('#psy-instruments tr[data-code="NUM-SERIES"] td').nth(2).textContent(), 'belum ada');
    await expectAccessible(page, 'the list of instruments');

    await row.locator('a').click();
    await page.waitForURL(`**/psychometrics?instrument=${id}`);
    await page.locator('#psy-params tbody tr').first().waitFor();
    assert.equal(await page.locator('#params-title').textContent(), `Parameter butir · ${CODE} · Uji parameter IRT`);
    assert.deepEqual(await page.locator('#psy-versions tbody tr').evaluateAll((rs) => rs.map((r) => [r.dataset.version, r.dataset.status])), [['1', 'published']]);
    assert.ok(await page.locator('#simulated-note').isVisible());
    assert.deepEqual(await page.locator('#psy-params tbody tr').evaluateAll((rs) => rs.map((r) => [...r.cells].map((c) => c.textContent))),
      [['T-01', '2PL', '1,1', '-0,4', '–'], ['T-02', '3PL', '0,9', '0,6', '0,15']]);
    // The curves of version 1: both items' characteristic curves, the test information and the SE.
    await page.locator('svg.chart-lines').nth(2).waitFor();
    assert.equal(await page.locator('svg.chart-lines').count(), 3);
    assert.deepEqual(await page.locator('svg.chart-lines').first().locator('.chart-line').evaluateAll((ls) => ls.map((l) => l.dataset.label)), ['T-01', 'T-02']);
    await expectAccessible(page, 'the parameters in use');

    // A draft with a negative discrimination is refused, the field named, nothing stored.
    await page.setInputFiles('#draft-file', {
      name: 'bad.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ method: 'hand-made', items: [{ item: 'T-01', model: '2PL', a: -1, b: 0 }] })),
    });
    await page.locator('#draft-errors').waitFor();
    assert.equal(await page.locator('#draft-outcome .notice-error').getAttribute('data-code'), 'invalid_item_parameters');
    assert.deepEqual(await page.locator('#draft-errors tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.field)), ['items[0].a']);
    assert.equal(await page.locator('#psy-versions tbody tr').count(), 1);
    await expectAccessible(page, 'a refused draft');

    // A good draft is stored and compared with version 1: T-02's b moves by 0.7, which is marked.
    await page.setInputFiles('#draft-file', {
      name: 'draft.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ method: 'MML-EM 2PL, browser test', items: [
        { item: 'T-01', model: '2PL', a: 1.2, b: -0.3 }, { item: 'T-02', model: '2PL', a: 1.0, b: 1.3 }] })),
    });
    await page.locator('#draft-ok').waitFor();
    await page.locator('#psy-compare-table').waitFor();
    assert.equal(await page.locator('#shown-title').textContent(), 'Versi 2 dibandingkan dengan versi 1');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'shown-title');
    assert.equal(await page.locator('#compare-max').textContent(), 'Perubahan tingkat kesulitan terbesar |Δb|: 0,7');
    assert.deepEqual(await page.locator('#psy-compare-table td.psy-big').evaluateAll((cs) => cs.map((c) => c.closest('tr').dataset.item)), ['T-02']);
    assert.deepEqual(await page.locator('#psy-versions tbody tr').evaluateAll((rs) => rs.map((r) => [r.dataset.version, r.dataset.status])), [['2', 'draft'], ['1', 'published']]);
    await expectAccessible(page, 'a draft compared with the version in use');

    await page.locator('#psy-versions tr[data-version="2"] button.psy-publish').focus();
    await page.keyboard.press('Enter');
    await page.locator('#publish-ok').waitFor();
    assert.deepEqual(await page.locator('#psy-versions tbody tr').evaluateAll((rs) => rs.map((r) => [r.dataset.version, r.dataset.status])), [['2', 'published'], ['1', 'published']]);
    assert.match(await page.locator('#psy-versions tr[data-version="2"] th').textContent(), /dipakai/);
    assert.equal(await page.locator(`#psy-instruments tr[data-code="${CODE}"] td`).nth(2).textContent(), 'v2');
    assert.equal(await page.locator('#psy-versions tr[data-version="2"] button.psy-publish').count(), 0);

    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('h1').textContent(), 'Psychometrics');
    assert.equal(await page.locator('#params-title').textContent(), `Item parameters · ${CODE} · IRT parameter test`);
    await expectAccessible(page, 'the psychometrics page in English');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a psychologist analyses the items of a demo test with DIF by sex and downloads the workbook', async () => {
    const psy = await apiToken(env.base, DEMO.psychologist);
    const overview = await apiCall(env.base, psy, 'GET', '/api/v1/item-parameters');
    const num = overview.json.instruments.find((i) => i.code === 'NUM-SERIES');
    const campaigns = (await apiCall(env.base, psy, 'GET', '/api/v1/competency-overview')).json.campaigns;
    const demo = campaigns.find((c) => c.name === 'Demo · hasil sintetis (20 peserta)');
    assert.ok(demo, campaigns.map((c) => c.name).join(', '));
    const expected = (await apiCall(env.base, psy, 'GET',
      `/api/v1/instruments/${num.id}/item-analysis?campaigns=${demo.campaign}&dif=sex&min_group_size=1`)).json;

    const page = await newPage(env.browser, env.base, { acceptDownloads: true });
    await page.goto('/login');
    await signIn(page, DEMO.psychologist);
    await page.goto(`/psychometrics?instrument=${num.id}`);
    await page.locator(`#analysis-scope option[value="${demo.campaign}"]`).waitFor({ state: 'attached' });
    await page.selectOption('#analysis-scope', demo.campaign);
    await page.selectOption('#analysis-dif', 'sex');
    await page.fill('#analysis-min-group', '1');
    await page.click('#analysis-run');
    await page.locator('#analysis-summary').waitFor();
    assert.equal(await page.locator('#analysis-summary').textContent(), '20 percobaan selesai untuk NUM-SERIES versi 1.');
    const scale = expected.scales[0];
    assert.equal(await page.locator('#items-NUM tbody tr').count(), scale.analysis.items.length);
    assert.equal(await page.locator('.psy-scale[data-scale="NUM"] dd[data-stat="n"]').textContent(), '20');
    assert.deepEqual(await page.locator('#items-NUM tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.flags)),
      scale.analysis.items.map((i) => i.flags.join(' ')));
    const points = await page.locator('svg.chart-scatter .chart-point').count();
    assert.equal(points, scale.analysis.items.filter((i) => i.difficulty !== null && i.corrected_item_total_r !== null).length);
    assert.equal(await page.locator('#dif-NUM tbody tr').count(), scale.dif.items.length);
    await expectAccessible(page, 'the item analysis');

    // Calibrating from 20 attempts is refused (100 respondents by default), by keyboard.
    await page.locator('#calibrate summary').focus();
    await page.keyboard.press('Enter');
    await page.selectOption('#calibrate-model', '2PL');
    await page.locator('#calibrate-run').focus();
    await page.keyboard.press('Enter');
    await page.locator('#draft-outcome .calibrate-error').waitFor();
    assert.equal(await page.locator('#draft-outcome .calibrate-error').getAttribute('data-code'), 'too_few_respondents');
    await expectAccessible(page, 'a refused calibration');

    const [file] = await Promise.all([page.waitForEvent('download'), page.click('#analysis-xlsx')]);
    assert.equal(file.suggestedFilename(), 'item-analysis-NUM-SERIES-v1.xlsx');
    await page.locator('#analysis-downloaded').waitFor();

    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('#analysis-summary').textContent(), '20 finished attempts of NUM-SERIES version 1.');
    await expectAccessible(page, 'the item analysis in English');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a psychologist derives Sympson–Hetter exposure parameters for the adaptive pool as a draft', async () => {
    const psy = await apiToken(env.base, DEMO.psychologist);
    const overview = await apiCall(env.base, psy, 'GET', '/api/v1/item-parameters');
    const pool = overview.json.instruments.find((i) => i.code === 'NUM-ADAPTIF');
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.psychologist);
    await page.goto(`/psychometrics?instrument=${pool.id}`);
    await page.locator('#exposure summary').click();
    await page.fill('#exposure-simulees', '100');
    await page.fill('#exposure-max', '10');
    await page.fill('#exposure-se', '');
    await page.fill('#exposure-rate', '0.2');
    await page.click('#exposure-run');
    await page.locator('#exposure-ok').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#exposure-ok').textContent(), /^Draf versi 2 dari versi 1: \d+ butir dibatasi; paparan tertinggi pada putaran terakhir 0,\d+ \(sasaran 0,2\)/);
    const versions = await apiCall(env.base, psy, 'GET', `/api/v1/instruments/${pool.id}/item-parameters/2`);
    assert.equal(versions.json.status, 'draft');
    assert.equal(versions.json.calibration.sympson_hetter.rate, 0.2);
    assert.ok(versions.json.items.some((i) => i.exposure_k !== undefined && i.exposure_k < 1), 'some items limited');
    await expectAccessible(page, 'a derived exposure draft');
    // A test longer than the pool is refused with its own words.
    await page.fill('#exposure-max', '200');
    await page.click('#exposure-run');
    await page.locator('#draft-outcome .exposure-error').waitFor();
    assert.equal(await page.locator('#draft-outcome .exposure-error').getAttribute('data-code'), 'pool_too_small');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('HR builds a local norm from the demo campaign, publishes it and re-scores the campaign', async () => {
    const hr = await apiToken(env.base, DEMO.hr);
    const list = (await apiCall(env.base, hr, 'GET', '/api/v1/instruments')).json.instruments;
    const num = list.find((i) => i.code === 'NUM-SERIES');
    const demo = (await apiCall(env.base, hr, 'GET', '/api/v1/campaigns')).json.campaigns.find((c) => c.name === 'Demo · hasil sintetis (20 peserta)');
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await page.goto(`/psychometrics?instrument=${num.id}`);
    await page.locator('#norm-versions-table tr[data-scale="NUM"][data-group="umum"]').waitFor();
    assert.equal(await page.locator('#norm-versions-table tr[data-scale="NUM"][data-group="umum"]').getAttribute('data-in-use'), 'yes');
    await page.fill('#norm-scale', 'NUM');
    await page.fill('#norm-group', 'umum');
    await page.fill('#norm-name', 'Umum (norma lokal)');
    await page.locator(`#norm-campaign option[value="${demo.id}"]`).waitFor({ state: 'attached' });
    await page.selectOption('#norm-campaign', demo.id);
    await page.click('#norm-preview');
    await page.locator('#norm-summary').waitFor();
    assert.match(await page.locator('#norm-summary').textContent(), /^20 dari 20 percobaan berskor termasuk kelompok norma: rerata /);
    assert.equal(await page.locator('#norm-body [data-code="small_sample"]').count(), 1);
    assert.equal(await page.locator('#norm-body svg.chart-lines .chart-line').count(), 2);
    await expectAccessible(page, 'a local norm previewed');

    await page.locator('#norm-publish').focus();
    await page.keyboard.press('Enter');
    await page.locator('#norm-published').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#norm-versions-table tr[data-scale="NUM"][data-group="umum"]').length === 2);
    assert.deepEqual(await page.locator('#norm-versions-table tr[data-scale="NUM"][data-group="umum"]').evaluateAll((rs) => rs.map((r) => [r.dataset.version, r.dataset.inUse])),
      [['2', 'yes'], ['1', 'no']]);
    await page.click('#norm-rescore');
    await page.locator('#norm-rescored').waitFor();
    assert.match(await page.locator('#norm-rescored').textContent(), /^20 percobaan dinilai ulang; \d+ skor berubah\.$/);
    const results = (await apiCall(env.base, hr, 'GET', `/api/v1/campaigns/${demo.id}/results`)).json;
    const versions = (await apiCall(env.base, hr, 'GET', `/api/v1/instruments/${num.id}/norms`)).json;
    const v2 = versions.find((v) => v.scale === 'NUM' && v.group === 'umum' && v.version === 2);
    for (const p of results.participants) {
      const s = p.scores.find((x) => x.instrument === 'NUM-SERIES' && x.scale === 'NUM');
      assert.equal(s.norm_table, v2.id);
    }
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('#norms-title').textContent(), 'Local norms');
    await expectAccessible(page, 'local norms in English');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a proctor is turned away and the page is not in their navigation', async () => {
    const page = await signedIn(DEMO.proctor);
    await page.goto('/psychometrics');
    await page.locator('#access-denied').waitFor();
    assert.equal(await page.locator('#topnav a[href="/psychometrics"]').count(), 0);
    assert.equal(await page.locator('#content').isHidden(), true);
    await expectAccessible(page, '/psychometrics refused to a proctor');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
