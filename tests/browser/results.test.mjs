// The competency results page: HR opens the demo's campaign of synthetic results from the
// campaign, reads the summary the API counts, narrows the table with the 9-box (mouse and
// keyboard) and with a shortfall on Integritas, pages and sorts on the server, reads a
// participant's profile (levels, gaps, evidence) and overrides a level, downloads the workbook and
// the SIASN file; readers read without overriding, a proctor is turned away, and the error and
// empty states say what is missing. Every table is checked against the API, and axe runs on the
// page and on the open profile.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { DEMO, apiCall, apiToken, newPage, setup, signIn } from './server.mjs';
import { unzip } from './zip.mjs';

/** A number as the page writes it in Bahasa Indonesia (id-ID, at most two decimals). */
const id = (n, digits = 2) => n.toLocaleString('id-ID', { maximumFractionDigits: digits });
/** The demo's closed campaign of synthetic results (tests/browser/server.mjs starts it with 200). */
const DEMO_CAMPAIGN = 'Demo · hasil sintetis (200 peserta)';
/** The page's words for each development route and each missing IP ASN input. */
const ROUTES = { mentoring: 'Mentoring', leadership_coaching: 'Coaching kepemimpinan', technical_training: 'Diklat teknis' };
const MISSING = {
  education: 'pendidikan yang diberi poin oleh aturan', jpm: 'JPM lengkap',
  performance: 'SKP tahun kinerja atau tahun sebelumnya', discipline: 'catatan disiplin',
};

/** A campaign open now with `people` ([nip, name, birth date, job level]) enrolled, and their access codes. */
async function smallCampaign(base, hr, name, people) {
  const post = async (url, body, status) => {
    const res = await apiCall(base, hr, 'POST', url, body);
    assert.equal(res.status, status, `${url}: ${res.text}`);
    return res.json;
  };
  const battery = await post('/api/v1/batteries', {
    code: 'SJT-' + Math.random().toString(36).slice(2, 8).toUpperCase(), name: { id: 'Tes situasional' },
    sections: [{ instrument: 'SJT-ASN', version: 1, title: { id: 'SJT' }, time_limit_seconds: 3600, item_order: 'fixed', shuffle_options: true, navigation: 'free' }],
  }, 201);
  const now = Date.now();
  const campaign = await post('/api/v1/campaigns', {
    name, battery: battery.id, opens_at: new Date(now - 3_600_000).toISOString(), closes_at: new Date(now + 86_400_000).toISOString(),
    norm_rule: { default_group: 'umum', rules: [] },
  }, 201);
  const csv = 'nip,name,birth_date,education,job_level\n' + people.map((p) => `${p[0]},${p[1]},${p[2]},S1,${p[3]}`).join('\n') + '\n';
  const enrol = await fetch(`${base}/api/v1/campaigns/${campaign.id}/participants/import`, {
    method: 'POST', headers: { authorization: `Bearer ${hr}`, 'content-type': 'text/csv' }, body: csv,
  });
  assert.equal(enrol.status, 201, await enrol.text());
  const codes = await post(`/api/v1/campaigns/${campaign.id}/access-codes`, undefined, 200);
  return { id: campaign.id, codes: Object.fromEntries(codes.codes.map((c) => [c.nip, c.code])) };
}

/** Signs a participant in and takes the one SJT section (the first option of every item), then finishes. */
async function takeSjt(base, code, nip) {
  const login = await fetch(`${base}/api/v1/candidate/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, nip }) });
  const text = await login.text();
  assert.equal(login.status, 200, text);
  const { token } = JSON.parse(text);
  const call = async (method, url, body) => {
    const res = await apiCall(base, token, method, url, body);
    assert.equal(res.status, 200, `${url}: ${res.text}`);
    return res.json;
  };
  await call('POST', '/api/v1/candidate/consent', { accept: true });
  const section = await call('POST', '/api/v1/candidate/sections/0/start');
  for (const [i, item] of section.items.entries()) {
    await call('PUT', '/api/v1/candidate/answers', { section: 0, item: item.id, response: { choice: item.options[0].id }, seq: i + 1 });
  }
  await call('POST', '/api/v1/candidate/finish');
}

describe('competency results page', () => {
  let env;
  let hr;
  let data;
  let summary;
  before(async () => {
    env = await setup();
    hr = await apiToken(env.base, DEMO.hr);
    const campaigns = (await api('/api/v1/campaigns')).json.campaigns;
    const demo = campaigns.find((c) => c.name === DEMO_CAMPAIGN);
    assert.ok(demo, `the demo's synthetic campaign is there: ${campaigns.map((c) => c.name).join(', ')}`);
    data = { campaign: demo.id };
    summary = (await api(`/api/v1/campaigns/${data.campaign}/competencies/summary`)).json;
  });
  after(async () => {
    await env?.stop();
  });

  async function api(path, token = hr) {
    const res = await apiCall(env.base, token, 'GET', path);
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return res;
  }

  /** The API's page of participants for `query` (a query string). */
  async function listing(query = '') {
    return (await api(`/api/v1/campaigns/${data.campaign}/competencies/participants?${query}`)).json;
  }

  /** The NIPs of the table's rows, in order. */
  function rows(page) {
    return page.locator('#participants-table tbody tr.rs-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.nip));
  }

  /** Waits until the table shows the API's page (same NIPs in the same order) and its count. */
  async function expectTable(page, apiPage, what) {
    const want = apiPage.rows.map((r) => r.nip);
    await page.waitForFunction((nips) => !document.querySelector('#participants-table[aria-busy]')
      && [...document.querySelectorAll('#participants-table tbody tr.rs-row')].map((tr) => tr.dataset.nip).join() === nips.join(), want, { timeout: 10_000 })
      .catch(() => {});
    assert.deepEqual(await rows(page), want, what);
    assert.equal(await page.locator('#table-count').getAttribute('data-total'), String(apiPage.total), what);
  }

  async function signedIn(who = DEMO.hr, options = {}) {
    const page = await newPage(env.browser, env.base, options);
    await page.goto('/login');
    await signIn(page, who);
    return page;
  }

  async function openResults(page, query = '') {
    await page.goto(`/results?campaign=${data.campaign}${query}`);
    await page.locator('#participants-table tbody tr').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('#participants-table[aria-busy]'));
  }

  test("hr opens the demo campaign's results from the campaign and reads the summary and charts the API counts", async () => {
    const page = await signedIn();
    assert.deepEqual(await page.locator('#topnav a').allTextContents(),
      ['Beranda', 'Bank soal', 'Kampanye', 'Hasil kompetensi', 'Assessment center', 'Laporan', 'Psikometri', 'Kompetensi', 'Pegawai', 'Pengawasan', 'Referensi API']);
    await page.goto(`/campaigns#campaign=${data.campaign}`);
    const link = page.locator('#competency-results');
    await link.waitFor();
    assert.equal(await link.textContent(), 'Hasil kompetensi');
    await Promise.all([page.waitForURL((u) => u.pathname === '/results'), link.click()]);
    assert.equal(new URL(page.url()).searchParams.get('campaign'), data.campaign);
    await page.locator('#tiles li').first().waitFor();
    // The campaign's name says its results are synthetic.
    assert.equal(await page.locator('h1').textContent(), DEMO_CAMPAIGN);
    assert.equal(await page.title(), `${DEMO_CAMPAIGN} · Hasil kompetensi · meritest`);
    assert.equal(await page.locator('#back-link').getAttribute('href'), `/campaigns#campaign=${data.campaign}`);

    const s = summary.summary;
    const tile = (key) => page.locator(`#tiles li[data-tile="${key}"] .rs-tile-value`).textContent();
    assert.equal(s.participants, 200);
    assert.equal(await tile('participants'), '200');
    assert.equal(await tile('scored'), String(s.scored));
    assert.equal(await tile('jpm'), `${id(s.jpm_mean)}%`);
    assert.equal(await tile('talent-pool'), String(s.talent_pool));
    assert.ok(s.with_ip_asn > 0);
    assert.equal(await tile('ip-asn'), id(s.ip_asn_mean));
    for (const [scheme, counts] of Object.entries(s.categories)) {
      for (const [category, n] of Object.entries(counts)) {
        assert.equal(await page.locator(`#tiles li[data-tile="scheme-${scheme}"] li[data-category="${category}"] .rs-cat-count`).textContent(), String(n), `${scheme}/${category}`);
      }
    }
    // Everyone has a standard and scores: no note says otherwise.
    assert.equal(s.without_standard, 0);
    assert.equal(await page.locator('#summary-notes').textContent(), '');

    // The charts draw the API's numbers: JPM bars, the 9-box counts, the profile's competencies.
    const bars = await page.locator('#chart-jpm .chart-bar').evaluateAll((gs) => gs.map((g) => Number(g.dataset.value)));
    assert.deepEqual(bars, summary.charts.jpm_distribution.map((b) => b.count));
    const boxes = await page.locator('#chart-ninebox [role="button"]').evaluateAll((gs) => gs.map((g) => [g.dataset.box, Number(g.dataset.count)]));
    assert.deepEqual(boxes.map(([b]) => b), ['4', '7', '9', '2', '5', '8', '1', '3', '6'], 'potential up, performance across, as DOMAIN.md numbers them');
    for (const [box, count] of boxes) assert.equal(count, s.nine_box[box] || 0, `box ${box}`);
    assert.ok(Object.values(s.nine_box).reduce((a, b) => a + b, 0) >= 6, 'most takers are placed');
    const profileRows = await page.locator('#chart-profile .chart-level-row').evaluateAll((gs) => gs.map((g) => g.dataset.row));
    assert.deepEqual(profileRows, summary.charts.profile.filter((p) => p.assessed > 0).map((p) => p.competency));
    assert.equal(await page.locator('#chart-profile .chart-level-row[data-row="INT"] text').first().textContent(), 'Integritas');
    // Every chart is an image with a name and a summary, and its numbers are in a table.
    for (const svg of await page.locator('#charts svg.chart[role="img"]').all()) {
      assert.ok(await svg.getAttribute('aria-labelledby'));
      assert.ok((await svg.locator('desc').textContent()).length > 20);
    }
    assert.equal(await page.locator('#charts details.chart-data').count(), 4);
    await page.locator('#chart-jpm details.chart-data summary').click();
    assert.equal(await page.locator('#chart-jpm details.chart-data tbody tr').count(), 10);
    // A scale's histogram: pick one, its bars are the API's.
    const integrity = summary.charts.scales.find((x) => x.instrument === 'SJT-ASN' && x.scale === 'INTEGRITAS');
    await page.selectOption('#scale-select', 'SJT-ASN/INTEGRITAS');
    await page.waitForFunction((n) => document.querySelectorAll('#chart-scale .chart-bar').length === n, integrity.bins.length);
    assert.deepEqual(await page.locator('#chart-scale .chart-bar').evaluateAll((gs) => gs.map((g) => Number(g.dataset.value))), integrity.bins.map((b) => b.count));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'scale-select');

    // The table's first page is the API's, ranked within the campaign.
    await expectTable(page, await listing(), 'the first page');
    assert.equal(await page.locator('#participants-table th[aria-sort]').getAttribute('data-col'), 'rank');
    await expectAccessible(page, 'the results page');

    // Development needs, most often below standard first, and the fast track per job level.
    const needs = await page.locator('#needs-campaign tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.dataset.code, tr.querySelector('.rs-below-count').textContent]));
    const apiNeeds = [...s.development.competencies].sort((a, b) => b.share_percent - a.share_percent || (a.mean_gap_below ?? 0) - (b.mean_gap_below ?? 0) || a.competency.localeCompare(b.competency));
    assert.deepEqual(needs, apiNeeds.map((c) => [c.competency, String(c.below)]));
    assert.deepEqual(await page.locator('#fast-table tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.dataset.jobLevel, tr.querySelector('.rs-flagged').textContent])),
      s.fast_track.levels.map((l) => [l.job_level, String(l.flagged.length)]));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a box of the 9-box filters the table to its people, by mouse and by keyboard', async () => {
    const page = await signedIn();
    await openResults(page);
    const [first, second] = Object.entries(summary.summary.nine_box).filter(([, n]) => n > 0).map(([b]) => Number(b)).sort((a, b) => b - a);
    assert.ok(first && second, 'two boxes have people');

    const cell = (n) => page.locator(`#chart-ninebox [role="button"][data-box="${n}"]`);
    await cell(first).click();
    await expectTable(page, await listing(`box=${first}`), `box ${first} clicked`);
    assert.equal(await cell(first).getAttribute('aria-pressed'), 'true');
    assert.equal(new URL(page.url()).searchParams.get('box'), String(first));
    assert.equal(await page.locator('#f-box').inputValue(), String(first));
    for (const r of (await listing(`box=${first}`)).rows) assert.equal(r.nine_box, first);

    // The keyboard: the grid is one tab stop on the picked box; arrows move; Enter and Space pick.
    await cell(first).focus();
    assert.equal(await cell(first).getAttribute('tabindex'), '0');
    const rule = [['high', [4, 7, 9]], ['medium', [2, 5, 8]], ['low', [1, 3, 6]]];
    const where = (n) => rule.flatMap(([, boxes], r) => boxes.map((b, c) => [b, r, c])).find(([b]) => b === n).slice(1);
    const [fr, fc] = where(first);
    const [sr, sc] = where(second);
    for (let i = 0; i < Math.abs(sr - fr); i++) await page.keyboard.press(sr > fr ? 'ArrowDown' : 'ArrowUp');
    for (let i = 0; i < Math.abs(sc - fc); i++) await page.keyboard.press(sc > fc ? 'ArrowRight' : 'ArrowLeft');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.box), String(second));
    await page.keyboard.press('Enter');
    await expectTable(page, await listing(`box=${second}`), `box ${second} by Enter`);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.box), String(second), 'focus stays on the box');
    assert.equal(await cell(second).getAttribute('aria-pressed'), 'true');
    assert.equal(await cell(first).getAttribute('aria-pressed'), 'false');
    await expectAccessible(page, 'the table filtered to a box, the box focused');
    // Space on the picked box clears the filter.
    await page.keyboard.press(' ');
    await expectTable(page, await listing(), 'the box filter cleared by Space');
    assert.equal(new URL(page.url()).searchParams.get('box'), null);
    assert.equal(await page.locator('#chart-ninebox [aria-pressed="true"]').count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('below standard on Integritas by at least N levels gives the rows the API gives, and the address reopens the view', async () => {
    const page = await signedIn();
    await openResults(page);
    await page.selectOption('#f-below', 'INT');
    const below = await listing('below=INT');
    assert.ok(below.total >= 2, `${below.total} below on INT`);
    await expectTable(page, below, 'below standard on Integritas');
    for (const r of below.rows) assert.ok(r.gaps.INT < 0);
    // The shortfall on the filtered competency comes first in each row's list.
    assert.equal(await page.locator('#participants-table tbody tr.rs-row').first().locator('.rs-gap-list li').first().getAttribute('data-code'), 'INT');
    await page.selectOption('#f-by', '2');
    const far = await listing('below=INT&by_at_least=2');
    await expectTable(page, far, 'below on Integritas by at least 2');
    assert.ok(far.total < below.total);
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get('below'), 'INT');
    assert.equal(params.get('by_at_least'), '2');

    // A unit takes the units under it; the filters combine.
    await page.selectOption('#f-unit', 'Dinas Kesehatan');
    await expectTable(page, await listing('below=INT&by_at_least=2&unit=Dinas%20Kesehatan'), 'and in Dinas Kesehatan');
    await page.selectOption('#f-unit', '');
    await page.selectOption('#f-by', '1');
    await expectTable(page, below, 'back to a shortfall of one level');

    // The same address in a new tab shows the same view.
    const again = await newPage(env.browser, env.base);
    await again.goto('/login');
    await signIn(again, DEMO.hr);
    await again.goto(page.url());
    await again.locator('#participants-table tbody tr.rs-row').first().waitFor();
    await expectTable(again, below, 'the view reopened from its address');
    assert.equal(await again.locator('#f-below').inputValue(), 'INT');
    await again.context().close();

    // A search by part of a NIP, as one types.
    const part = below.rows[0].nip.slice(0, 10);
    await page.fill('#f-q', part);
    await expectTable(page, await listing(`below=INT&q=${part}`), 'search by part of a NIP');
    assert.ok((await rows(page)).includes(below.rows[0].nip));
    await page.click('#filters-reset');
    await expectTable(page, await listing(), 'every filter cleared');
    assert.equal(await page.locator('#f-below').inputValue(), '');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the table pages and sorts on the server', async () => {
    const page = await signedIn();
    await openResults(page);
    assert.equal(await page.locator('#per-page').inputValue(), '50');
    await expectTable(page, await listing(), 'page 1 of 50 rows');
    assert.equal(await page.locator('#table-count').textContent(), 'Menampilkan 1–50 dari 200 peserta');
    assert.equal(await page.locator('#page-of').textContent(), 'dari 4');
    assert.equal(await page.locator('#page-prev').isDisabled(), true);
    await page.click('#page-next');
    await expectTable(page, await listing('page=2'), 'page 2');
    assert.equal(await page.locator('#page-input').inputValue(), '2');
    assert.equal(new URL(page.url()).searchParams.get('page'), '2');
    await page.click('#page-last');
    await expectTable(page, await listing('page=4'), 'the last page');
    assert.equal(await page.locator('#table-count').textContent(), 'Menampilkan 151–200 dari 200 peserta');
    assert.equal(await page.locator('#page-next').isDisabled(), true);
    // Focus never falls to the page's start when the pressed button becomes disabled.
    assert.notEqual(await page.evaluate(() => document.activeElement.tagName), 'BODY');
    await page.fill('#page-input', '3');
    await page.press('#page-input', 'Enter');
    await expectTable(page, await listing('page=3'), 'page 3 by number');
    // Back and forward walk through the pages the address kept.
    await page.goBack();
    await expectTable(page, await listing('page=4'), 'back to the last page');
    await page.goForward();
    await expectTable(page, await listing('page=3'), 'forward to page 3');

    // Sorting goes back to the first page: by JPM descending first, then ascending; the head says which.
    const jpm = page.locator('button.rs-sort[data-sort="jpm"]');
    await jpm.click();
    await expectTable(page, await listing('sort=jpm'), 'by JPM, descending');
    assert.equal(await page.locator('th[data-col="jpm"]').getAttribute('aria-sort'), 'descending');
    assert.equal(await page.locator('th[data-col="rank"]').getAttribute('aria-sort'), null);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.sort), 'jpm', 'focus stays on the head');
    await page.keyboard.press('Enter');
    await expectTable(page, await listing('sort=jpm&order=asc'), 'by JPM, ascending');
    assert.equal(await page.locator('th[data-col="jpm"]').getAttribute('aria-sort'), 'ascending');
    await page.click('button.rs-sort[data-sort="name"]');
    await expectTable(page, await listing('sort=name'), 'by name');
    await page.click('#page-next');
    await expectTable(page, await listing('sort=name&page=2'), 'by name, page 2');
    // Ranks within the unit: the head says so and the rows are the API's.
    await page.selectOption('#f-rank', 'unit');
    const byUnit = await listing('sort=name&rank_within=unit');
    await expectTable(page, byUnit, 'ranks within units');
    assert.equal(await page.locator('th[data-col="rank"] .rs-sub').textContent(), 'dalam unit kerja');
    const ranks = await page.locator('#participants-table tbody tr.rs-row .rs-rank').allTextContents();
    assert.deepEqual(ranks, byUnit.rows.map((r) => (r.rank == null ? '–' : String(r.rank))));
    await page.selectOption('#per-page', '25');
    await expectTable(page, await listing('per_page=25&sort=name&rank_within=unit'), 'twenty-five rows a page');
    assert.equal(await page.locator('#page-of').textContent(), 'dari 8');
    await expectAccessible(page, 'the table sorted by name with ranks within units');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test("hr reads a participant's profile (levels, gaps, evidence) and overrides a level with a reason", async () => {
    const page = await signedIn();
    // The first, by name, of those below the standard on Integritas.
    await openResults(page, '&below=INT&sort=name');
    const first = (await listing('below=INT&sort=name')).rows[0];
    const pid = first.participant;
    const profile = (await api(`/api/v1/campaigns/${data.campaign}/competencies/participants/${pid}`)).json;
    const opener = page.locator(`button.rs-open[data-participant="${pid}"]`);
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('#profile-dialog');
    await page.locator('#profile-level-table').waitFor();
    assert.equal(await dialog.evaluate((d) => d.open), true);
    assert.equal(await page.locator('#profile-title').textContent(), first.name);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'profile-title', 'focus moves into the dialog');
    assert.equal(new URL(page.url()).searchParams.get('participant'), pid);
    assert.equal(await page.locator('#profile-nip').textContent(), first.nip);
    assert.equal(await page.locator('#profile-jpm').textContent(), `${id(profile.jpm.jpm.percent)}%`);

    // Each competency: the level, the standard, the gap, and the evidence behind the level.
    const gaps = Object.fromEntries(profile.jpm.competencies.map((c) => [c.competency, c]));
    for (const l of profile.levels) {
      const code = l.computed.competency;
      const tr = page.locator(`#profile-level-table tr.rs-level-row[data-code="${code}"]`);
      const o = l.computed.outcome;
      // The demo's panel integrated some participants' levels: those combine tests and assessors.
      assert.ok(['assigned', 'combined'].includes(o.status), o.status);
      assert.equal(await tr.locator('.rs-effective').textContent(), String(o.level), code);
      assert.equal(await tr.locator('.rs-required').textContent(), String(gaps[code].required), code);
      const gap = gaps[code].gap;
      assert.equal(await tr.locator('.rs-gap-cell').textContent(), gap < 0 ? `−${-gap}` : gap > 0 ? `+${gap}` : '0', code);
      const source = l.computed.sources[0];
      assert.equal(await tr.locator('.rs-sources li').first().textContent(),
        `${source.source.instrument} · ${source.source.scale}, skor T, bobot 1: ${id(source.score)}`);
      if (o.status === 'combined') {
        const tests = o.test ? `Tes: skor ${id(o.test.combined)}, level ${o.test.level}.` : 'Tes: belum ada skor.';
        const panel = o.assessor != null ? `Asesor: ${id(o.assessor)}.` : 'Asesor: belum ada penilaian.';
        assert.equal(await tr.locator('.rs-outcome').textContent(),
          `${tests} ${panel} Gabungan ${id(o.combined)} → level ${o.level}. Pemetaan bukti versi ${l.computed.mapping_version}.`);
        continue;
      }
      const band = o.cut.to == null ? `${id(o.cut.from)} ke atas` : `${id(o.cut.from)} sampai di bawah ${id(o.cut.to)}`;
      assert.equal(await tr.locator('.rs-outcome').textContent(),
        `Skor gabungan ${id(o.combined)}; batas level ${o.level}: ${band}. Pemetaan bukti versi ${l.computed.mapping_version}.`);
    }
    // Below standard in the chart too, and the development needs with their routes.
    const below = profile.jpm.competencies.filter((c) => c.gap < 0).map((c) => c.competency);
    assert.ok(below.length > 0);
    assert.deepEqual(await page.locator('#profile-levels svg .chart-level-row.is-below').evaluateAll((gs) => gs.map((g) => g.dataset.row)).then((x) => x.sort()), [...below].sort());
    assert.deepEqual(await page.locator('#profile-needs tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.code)), profile.development.needs.map((n) => n.competency));
    assert.deepEqual(await page.locator('#profile-needs tbody tr td:last-child').allTextContents(), profile.development.needs.map((n) => ROUTES[n.route]));
    assert.equal(await page.locator('#profile-score-table tbody tr').count(), profile.scores.length);
    assert.equal(await page.locator('#profile-ranks').textContent(),
      `kampanye ${profile.ranks.campaign} · jabatan ${profile.ranks.position} · unit ${profile.ranks.unit}`);
    await expectAccessible(page, 'the open profile');

    // HR sets Integritas to 4 with a reason; the computed level stays beside it.
    const int = page.locator('#profile-level-table tr.rs-level-row[data-code="INT"]');
    const computed = profile.levels.find((l) => l.computed.competency === 'INT').computed.outcome.level;
    await int.locator('.rs-override-open').click();
    await page.locator('#override-INT').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'override-INT-level');
    await page.click('#override-INT-save');
    assert.equal(await page.locator('#override-INT-missing').textContent(), 'Tuliskan alasannya dahulu.', 'a reason is needed');
    await page.selectOption('#override-INT-level', '4');
    await page.fill('#override-INT-reason', 'Keputusan panel asesor setelah wawancara');
    await expectAccessible(page, 'the override form');
    await page.click('#override-INT-save');
    await page.waitForFunction(() => document.querySelector('#profile-level-table tr.rs-level-row[data-code="INT"] .rs-effective')?.firstChild?.textContent === '4');
    assert.equal(await int.locator('.rs-effective .rs-sub').textContent(), `hitungan: ${computed}`);
    assert.match(await int.locator('.rs-override-note').textContent(), /^Disesuaikan Level 4 ditetapkan oleh Anda pada .+\. Alasan: Keputusan panel asesor setelah wawancara$/);
    assert.equal(await page.locator('#profile-announce').textContent(), 'Level Integritas kini 4.');
    const after = (await api(`/api/v1/campaigns/${data.campaign}/competencies/participants/${pid}`)).json;
    assert.equal(after.levels.find((l) => l.computed.competency === 'INT').override.level, 4);
    assert.equal(await page.locator('#profile-jpm').textContent(), `${id(after.jpm.jpm.percent)}%`);
    // The table behind the dialog follows: at level 4 the participant is no longer below the standard on Integritas.
    const rowShown = (p) => !!document.querySelector(`#participants-table tr.rs-row[data-participant="${p}"]`);
    await page.waitForFunction((p) => !document.querySelector(`#participants-table tr.rs-row[data-participant="${p}"]`), pid);
    await expectTable(page, await listing('below=INT&sort=name'), 'the table after the override');

    // And removes it again, with a reason.
    await int.locator('.rs-override-open').click();
    await page.fill('#override-INT-reason', 'Dikembalikan ke hasil tes');
    await page.click('#override-INT-remove');
    await page.waitForFunction(() => !document.querySelector('#profile-level-table tr.rs-level-row[data-code="INT"] .rs-override-note'));
    assert.equal(await int.locator('.rs-effective').textContent(), String(computed));
    assert.equal((await api(`/api/v1/campaigns/${data.campaign}/competencies/participants/${pid}`)).json.levels.find((l) => l.computed.competency === 'INT').override, undefined);
    await page.waitForFunction(rowShown, pid);

    // Escape closes the dialog and focus returns to the name that opened it.
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#profile-dialog').open);
    // The dialog's close event (which gives focus back) is dispatched as a task of its own.
    await page.waitForFunction((p) => document.activeElement?.dataset.participant === p, pid, { timeout: 2000 }).catch(() => {});
    assert.equal(await page.evaluate(() => document.activeElement.dataset.participant), pid);
    assert.equal(new URL(page.url()).searchParams.get('participant'), null);

    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a profile shows the 9-box with its bases or why it is not placed, and IP ASN with its dimensions or what is missing', async () => {
    const all = (await listing('per_page=200&sort=name')).rows;
    const placed = all.find((r) => r.nine_box != null && r.ip_asn != null);
    const unplaced = all.find((r) => r.not_placed.length > 0 && r.ip_asn == null);
    assert.ok(placed && unplaced, 'the demo has people placed with an IP ASN and people not placed without one');
    const page = await signedIn();

    // A link to a profile opens it (the address names the participant).
    await openResults(page, `&participant=${placed.participant}`);
    await page.locator('#profile-ip-table').waitFor();
    const p = (await api(`/api/v1/campaigns/${data.campaign}/competencies/participants/${placed.participant}`)).json;
    assert.equal(await page.locator('#profile-title').textContent(), placed.name);
    assert.equal(p.nine_box.outcome.status, 'placed');
    assert.match(await page.locator('#profile-box').textContent(), new RegExp(`^Kotak ${p.nine_box.outcome.box_number} \\(potensi `));
    const predicate = { sangat_baik: 'Sangat Baik', baik: 'Baik', butuh_perbaikan: 'Butuh Perbaikan', kurang: 'Kurang', sangat_kurang: 'Sangat Kurang' };
    assert.equal(await page.locator('#basis-performance').textContent(), `Kinerja: ${p.nine_box.performance.ratings.map((r) => `${r.year} ${predicate[r.predicate]}`).join('; ')} → ${
      { below: 'di bawah ekspektasi', meets: 'sesuai ekspektasi', above: 'di atas ekspektasi' }[p.nine_box.performance.level]}.`);
    assert.match(await page.locator('#basis-potential').textContent(), new RegExp(`skor potensi ${id(p.nine_box.potential.score)} → potensi `));
    assert.equal(await page.locator('#profile-nine svg[role="img"] .is-picked').getAttribute('data-box'), String(p.nine_box.outcome.box_number));
    assert.deepEqual(await page.locator('#profile-ip-table tbody td').allTextContents(),
      ['qualification', 'competency', 'performance', 'discipline'].map((d) => id(p.ip_asn[d])));
    assert.match(await page.locator('#profile-ip-total').textContent(), new RegExp(`^${id(p.ip_asn.total)}`));
    await expectAccessible(page, 'the profile of a placed participant');
    await page.click('#profile-close');

    await page.goto(`/results?campaign=${data.campaign}&participant=${unplaced.participant}`);
    await page.locator('#profile-ip-missing').waitFor();
    const u = (await api(`/api/v1/campaigns/${data.campaign}/competencies/participants/${unplaced.participant}`)).json;
    assert.deepEqual(await page.locator('#profile-not-placed li').evaluateAll((lis) => lis.map((li) => li.dataset.reason)),
      u.nine_box.outcome.reasons.map((r) => r.reason));
    assert.equal(await page.locator('#profile-ip-missing').textContent(),
      `Belum ada IP ASN. Yang belum tersedia: ${u.no_ip_asn.map((m) => MISSING[m]).join(', ')}.`);
    await expectAccessible(page, 'the profile of a participant off the 9-box');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !new URL(location.href).searchParams.get('participant'));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('hr downloads the workbook and the SIASN file from the page', async () => {
    const page = await signedIn(DEMO.hr, { acceptDownloads: true });
    await openResults(page);
    const people = await listing('per_page=50');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
    assert.equal(xlsx.suggestedFilename(), `results-${data.campaign}.xlsx`);
    const entries = unzip(await readFile(await xlsx.path()));
    const workbook = entries.get('xl/workbook.xml').toString('utf8');
    assert.deepEqual([...workbook.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]), ['Ringkasan', 'Peserta', 'Aturan dan versi']);
    // The participants' sheet as rows of {column letter: text}.
    const sheet = entries.get('xl/worksheets/sheet2.xml').toString('utf8');
    const cells = {};
    for (const m of sheet.matchAll(/<c r="([A-Z]+)(\d+)"[^>]*?(?:\/>|>(.*?)<\/c>)/g)) {
      const text = m[3] ? (m[3].match(/<t[^>]*>(.*?)<\/t>/)?.[1] ?? m[3].match(/<v>(.*?)<\/v>/)?.[1]) : '';
      (cells[m[2]] ||= {})[m[1]] = text;
    }
    const column = (head) => Object.entries(cells[1]).find(([, v]) => v === head)?.[0];
    for (const head of ['NIP', 'Nama', 'Peringkat', 'JPM %', 'Kotak 9-box']) assert.ok(column(head), `the column ${head}`);
    const rowOf = (nip) => Object.values(cells).find((r) => r[column('NIP')] === nip);
    for (const r of people.rows.filter((x) => x.jpm != null).slice(0, 4)) {
      const row = rowOf(r.nip);
      assert.ok(row, `a row for ${r.nip}`);
      assert.equal(row[column('Nama')], r.name);
      assert.equal(Number(row[column('JPM %')]), r.jpm, `JPM of ${r.nip}`);
      assert.equal(Number(row[column('Peringkat')]), r.ranks.campaign, `rank of ${r.nip}`);
      if (r.nine_box != null) assert.equal(Number(row[column('Kotak 9-box')]), r.nine_box, `box of ${r.nip}`);
    }

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-siasn')]);
    assert.equal(csv.suggestedFilename(), `siasn-${data.campaign}.csv`);
    const lines = (await readFile(await csv.path(), 'utf8')).trim().split('\n');
    const head = lines[0].split(';');
    assert.deepEqual(head.slice(0, 2), ['nip', 'nama']);
    assert.equal(lines.length - 1, summary.summary.scored, 'a line per assessed participant');
    for (const r of people.rows.slice(0, 4)) {
      const line = lines.find((l) => l.startsWith(`${r.nip};`)).split(';');
      assert.equal(line[1], r.name);
      assert.equal(Number(line[head.indexOf('jpm')]), r.jpm, `JPM of ${r.nip}`);
      assert.equal(Number(line[head.indexOf('kotak_9box')]) || null, r.nine_box, `box of ${r.nip}`);
    }
    assert.equal(await page.locator('#export-done').count(), 1);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('an assessor reads the results without overrides or the workbook; a proctor is turned away', async () => {
    const page = await signedIn(DEMO.assessor);
    assert.deepEqual(await page.locator('#topnav a').allTextContents(), ['Beranda', 'Hasil kompetensi', 'Penilaian asesor', 'Kompetensi', 'Pegawai', 'Referensi API']);
    await page.click('#topnav a[href="/results"]');
    await page.locator('#picker-reader').waitFor();
    await expectAccessible(page, "the results page without a campaign, for a reader");
    await openResults(page);
    assert.equal(await page.locator('h1').textContent(), 'Hasil kompetensi', 'readers may not read the campaign, so no name');
    assert.equal(await page.locator('#export-xlsx').isHidden(), true);
    assert.equal(await page.locator('#export-siasn').isVisible(), true);
    assert.equal(await page.locator('#back').isHidden(), true);
    await expectTable(page, await listing(), 'the first page, for an assessor');
    await page.locator('button.rs-open').first().click();
    await page.locator('#profile-level-table').waitFor();
    assert.equal(await page.locator('.rs-override-open').count(), 0, 'no override for readers');
    await expectAccessible(page, "an assessor's view of a profile");
    await page.keyboard.press('Escape');
    assert.deepEqual(page.problems, []);
    await page.context().close();

    const proctor = await signedIn(DEMO.proctor);
    assert.equal(await proctor.locator('#topnav a[href="/results"]').count(), 0);
    await proctor.goto(`/results?campaign=${data.campaign}`);
    await proctor.locator('#access-denied').waitFor();
    assert.equal(await proctor.locator('#access-denied p').first().textContent(),
      'Halaman ini hanya untuk peran Administrator, SDM (HR), Asesor dan Psikolog. Anda masuk sebagai Pengawas (proctor@demo.meritest.id).');
    assert.equal(await proctor.locator('#content').isHidden(), true);
    await expectAccessible(proctor, 'the role message on /results');
    assert.deepEqual(proctor.problems, []);
    await proctor.context().close();
  });

  test('the page works in English', async () => {
    const page = await signedIn();
    await openResults(page);
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('#kicker').textContent(), 'Competency results');
    assert.equal(await page.locator('h1').textContent(), DEMO_CAMPAIGN);
    assert.equal(await page.locator('#tiles li[data-tile="jpm"] .rs-tile-label').textContent(), 'Mean JPM');
    const now = (await api(`/api/v1/campaigns/${data.campaign}/competencies/summary`)).json.summary;
    assert.equal(await page.locator('#tiles li[data-tile="jpm"] .rs-tile-value').textContent(),
      `${now.jpm_mean.toLocaleString('en-GB', { maximumFractionDigits: 2 })}%`);
    assert.equal(await page.locator('#chart-ninebox .rs-figure-title').textContent(), '9-box talent map');
    assert.match(await page.locator('#chart-ninebox [role="button"][data-box="9"]').getAttribute('aria-label'), /^Box 9: \d+ participants, high potential, performance above expectation, talent pool$/);
    assert.equal(await page.locator('#chart-profile .chart-level-row[data-row="INT"] text').first().textContent(), 'Integrity');
    assert.equal(await page.locator('button.rs-sort[data-sort="jpm"]').textContent(), 'JPM');
    assert.match(await page.locator('#table-count').textContent(), /^Showing 1–50 of 200 participants$/);
    await expectAccessible(page, 'the results page in English');
    await page.locator('button.rs-open').first().click();
    await page.locator('#profile-level-table').waitFor();
    assert.equal(await page.locator('#profile-levels-title').textContent(), 'Competency levels against the standard');
    await expectAccessible(page, 'a profile in English');
    await page.keyboard.press('Escape');
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('#kicker').textContent(), 'Hasil kompetensi');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a campaign without scores or without a standard, an unknown campaign and a query the API refuses each say so', async () => {
    // Participants who have not started: counts, no charts, a clear note.
    const waiting = await smallCampaign(env.base, hr, 'Belum dikerjakan', [['198503152010121001', 'Budi Santoso', '1985-03-15', 'Pengawas']]);
    const page = await signedIn();
    await page.goto(`/results?campaign=${waiting.id}`);
    await page.locator('#note-no-scores').waitFor();
    assert.equal(await page.locator('#note-no-scores').textContent(),
      'Belum ada skor: hasil kompetensi muncul setelah peserta selesai mengerjakan tes atau jadwal kampanye berakhir.');
    assert.equal(await page.locator('#charts').isHidden(), true);
    assert.equal(await page.locator('#tiles li[data-tile="scored"] .rs-tile-value').textContent(), '0');
    await page.locator('#participants-table tbody tr.rs-row').first().waitFor();
    assert.equal(await page.locator('#participants-table tbody tr.rs-row .rs-jpm').textContent(), 'belum ada skor');
    assert.equal(await page.locator('#participants-table tbody tr.rs-row .rs-badges').textContent(), 'Belum mulai');
    await expectAccessible(page, 'a campaign without scores');

    // A scored participant whose job level no standard names: no JPM, and the page says why.
    const honorer = ['199606062020122011', 'Nanda Pratiwi', '1996-06-06', 'Pegawai Honorer'];
    const unmatched = await smallCampaign(env.base, hr, 'Tanpa standar', [honorer]);
    await takeSjt(env.base, unmatched.codes[honorer[0]], honorer[0]);
    await page.goto(`/results?campaign=${unmatched.id}`);
    await page.locator('#note-no-standard').waitFor();
    assert.equal(await page.locator('#note-no-standard p').first().textContent(),
      'Tidak ada standar kompetensi jabatan untuk jenjang jabatan peserta, sehingga JPM, kategori, dan kesenjangan tidak dapat dihitung.');
    assert.equal(await page.locator('#note-no-standard a').getAttribute('href'), '/competencies');
    assert.equal(await page.locator('#chart-jpm .rs-chart-empty').textContent(), 'Belum ada JPM lengkap untuk digambarkan.');
    await page.locator('#participants-table tbody tr.rs-row').first().waitFor();
    assert.equal(await page.locator('#participants-table tbody tr.rs-row .rs-jpm').textContent(), 'tanpa standar');
    await page.click('button.rs-open');
    await page.locator('#profile-level-table').waitFor();
    assert.equal(await page.locator('#profile-standard').textContent(), 'Tidak ada standar untuk jenjang dan jabatan ini');
    assert.equal(await page.locator('#profile-level-table tbody tr.rs-level-row').count(), 9, 'the levels are there without a standard');
    await expectAccessible(page, 'a profile without a standard');
    await page.keyboard.press('Escape');

    await page.goto('/results?campaign=01a00000-0000-7000-8000-000000000000');
    await page.locator('#campaign-missing').waitFor();
    assert.equal(await page.locator('#campaign-missing p').first().textContent(), 'Kampanye ini tidak ditemukan di organisasi Anda.');
    await page.goto('/results');
    await page.locator('#picker-list').waitFor();
    assert.ok(await page.locator(`#picker-list a[href="/results?campaign=${data.campaign}"]`).count() === 1);
    await expectAccessible(page, 'the campaign picker');

    // A hand-made address with a box that does not exist: the API's problems are named.
    await page.goto(`/results?campaign=${data.campaign}&box=10`);
    await page.locator('#query-errors').waitFor();
    assert.equal(await page.locator('#table-error [data-code]').getAttribute('data-code'), 'invalid_query');
    assert.deepEqual(await page.locator('#query-errors li').evaluateAll((lis) => lis.map((li) => li.dataset.field)), ['box']);
    await expectAccessible(page, 'a refused query');
    await page.click('#error-reset');
    await expectTable(page, await listing(), 'the filters cleared after the error');
    assert.equal(new URL(page.url()).searchParams.get('box'), null);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
