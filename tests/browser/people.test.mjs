// People and the organisation (/people): HR imports SKP ratings and discipline records from CSV
// files (a dry run that names every bad row, then the import) and looks a person up by NIP; a
// person's competency history across campaigns with each result's validity, and the organisation's
// JPM and IP ASN by unit (as a hierarchy) and year, each figure checked against the API's answer;
// assessors and psychologists read without importing, a proctor is refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { RINA, seedHistory } from './people-seed.mjs';
import { apiCall, apiToken, DEMO, newPage, setup, signIn } from './server.mjs';

const BUDI = '198503152010121001';
const SITI = '199001012015032045';
// The server's year: the years a record may be for end with it.
const YEAR = new Date().getUTCFullYear();

describe('performance and discipline', () => {
  let env;
  before(async () => {
    env = await setup();
  });
  after(async () => {
    await env?.stop();
  });

  async function hrOnPeople() {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await page.goto('/people');
    await page.locator('#ratings-file').waitFor({ state: 'attached' });
    return page;
  }

  const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

  async function lookUp(page, nip) {
    await page.fill('#lookup-nip', nip);
    await page.click('#lookup-submit');
    await page.locator('#lookup-for').waitFor();
  }

  const rowTexts = (page, table) => page.locator(`${table} tbody tr`).evaluateAll((rows) => rows.map((r) => [...r.cells].slice(0, -1).map((c) => c.textContent)));

  test('HR finds the page in the navigation, fixes a refused ratings file, imports it and looks the person up', async () => {
    const page = await hrOnPeople();
    const link = page.locator('#topnav a[href="/people"]');
    assert.equal(await link.textContent(), 'Pegawai');
    assert.equal(await link.getAttribute('aria-current'), 'page');
    assert.equal(await page.locator('h1').textContent(), 'Pegawai dan organisasi');
    assert.equal(await page.title(), 'Pegawai dan organisasi · meritest');
    await expectAccessible(page, 'the performance and discipline page');

    const bad = `nip;year;rating\n${BUDI};${YEAR};Sangat Baik\n19850315201012100;${YEAR};Baik\n${SITI};${YEAR};Cukup\n${BUDI};${YEAR};Baik\n`;
    await page.setInputFiles('#ratings-file', csvFile('skp-salah.csv', bad));
    await page.locator('#ratings-error').waitFor();
    assert.equal(await page.locator('#ratings-error').textContent(),
      'skp-salah.csv ditolak dengan 3 masalah; tidak ada yang diimpor. Perbaiki baris dan kolom berikut, lalu unggah lagi:');
    assert.deepEqual(await page.locator('#ratings-errors thead th').allTextContents(), ['Baris', 'Kolom', 'Masalah']);
    assert.deepEqual(
      await page.locator('#ratings-errors tbody tr').evaluateAll((rows) => rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent])),
      [['3', 'nip'], ['4', 'rating'], ['5', 'year']],
    );
    assert.equal(await page.locator('#ratings-errors tbody tr').nth(0).locator('td').nth(2).textContent(), 'the NIP must have 18 digits, found 17');
    await expectAccessible(page, 'a refused ratings file with its errors table');
    await page.click('#ratings-close');
    assert.equal(await page.locator('#ratings-error').count(), 0);

    const good = `nip;year;rating;work_results;work_behaviour\n${BUDI};${YEAR - 1};Sangat Baik;di atas ekspektasi;di atas ekspektasi\n${BUDI};${YEAR};Baik;sesuai;\n${SITI};${YEAR};Butuh Perbaikan;;\n`;
    await page.setInputFiles('#ratings-file', csvFile('skp.csv', good));
    await page.locator('#ratings-valid').waitFor();
    assert.equal(await page.locator('#ratings-valid').textContent(),
      'skp.csv valid: 3 baris — 3 baru, 0 menggantikan yang lama, 0 tidak berubah. Belum ada yang disimpan.');
    assert.equal(await page.locator('#ratings-confirm').textContent(), 'Impor 3 baris');
    await expectAccessible(page, 'a ratings file that passed its dry run');

    // Nothing is stored before the import is confirmed.
    await lookUp(page, BUDI);
    assert.equal(await page.locator('#lookup-ratings-none').textContent(), 'Belum ada penilaian kinerja untuk NIP ini.');

    await page.click('#ratings-confirm');
    await page.locator('#ratings-done').waitFor();
    assert.equal(await page.locator('#ratings-done').textContent(), 'skp.csv diimpor: 3 baru, 0 diganti, 0 tidak berubah.');
    // The person shown is looked up again after the import.
    await page.locator('#lookup-ratings').waitFor();
    assert.equal(await page.locator('#lookup-for').textContent(), `Catatan NIP ${BUDI}`);
    assert.deepEqual(await page.locator('#lookup-ratings thead th').allTextContents(), ['Tahun', 'Predikat', 'Hasil kerja', 'Perilaku kerja', 'Diimpor']);
    assert.deepEqual(await rowTexts(page, '#lookup-ratings'), [
      [String(YEAR), 'Baik', 'Sesuai ekspektasi', '–'],
      [String(YEAR - 1), 'Sangat Baik', 'Di atas ekspektasi', 'Di atas ekspektasi'],
    ]);
    assert.equal(await page.locator('#lookup-discipline-none').textContent(), 'Belum ada catatan disiplin untuk NIP ini.');
    await expectAccessible(page, "a person's ratings after the import");

    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('h1').textContent(), 'People and organisation');
    assert.equal(await page.locator('#ratings-done').textContent(), 'skp.csv imported: 3 new, 0 replaced, 0 unchanged.');
    assert.deepEqual(await rowTexts(page, '#lookup-ratings'), [
      [String(YEAR), 'Good (Baik)', 'Meets expectations', '–'],
      [String(YEAR - 1), 'Outstanding (Sangat Baik)', 'Above expectations', 'Above expectations'],
    ]);
    await expectAccessible(page, "a person's ratings in English");
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('HR imports discipline records, a second import says what it replaces, and a bad NIP is named', async () => {
    const page = await hrOnPeople();
    const first = `nip,year,level,note\n${SITI},${YEAR - 1},tidak ada,\n${SITI},${YEAR},ringan,SK 800/12\n`;
    await page.setInputFiles('#discipline-file', csvFile('disiplin.csv', first));
    await page.locator('#discipline-valid').waitFor();
    await page.click('#discipline-confirm');
    await page.locator('#discipline-done').waitFor();
    assert.equal(await page.locator('#discipline-done').textContent(), 'disiplin.csv diimpor: 2 baru, 0 diganti, 0 tidak berubah.');

    const second = `nip,year,level,note\n${SITI},${YEAR - 1},none,\n${SITI},${YEAR},sedang,SK 800/12\n`;
    await page.setInputFiles('#discipline-file', csvFile('disiplin-2.csv', second));
    await page.locator('#discipline-valid').waitFor();
    assert.equal(await page.locator('#discipline-valid').textContent(),
      'disiplin-2.csv valid: 2 baris — 0 baru, 1 menggantikan yang lama, 1 tidak berubah. Belum ada yang disimpan.');
    await page.click('#discipline-confirm');
    await page.locator('#discipline-done').waitFor();
    assert.equal(await page.locator('#discipline-done').textContent(), 'disiplin-2.csv diimpor: 0 baru, 1 diganti, 1 tidak berubah.');

    await lookUp(page, '19900101 201503 2 045');
    await page.locator('#lookup-discipline').waitFor();
    assert.equal(await page.locator('#lookup-for').textContent(), `Catatan NIP ${SITI}`);
    assert.deepEqual(await rowTexts(page, '#lookup-discipline'), [
      [String(YEAR), 'Sedang', 'SK 800/12'],
      [String(YEAR - 1), 'Tidak ada', '–'],
    ]);
    await expectAccessible(page, "a person's discipline records");

    await page.fill('#lookup-nip', '12345');
    await page.click('#lookup-submit');
    const error = page.locator('#lookup-result .lookup-error');
    await error.waitFor();
    assert.equal(await error.locator('.error-text').textContent(), 'Parameter permintaan tidak valid.');
    assert.equal(await error.locator('.code').textContent(), '(invalid_query)');
    assert.equal(await error.locator('.server-message').textContent(), 'Pesan server: nip: the NIP must have 18 digits, found 5');
    await expectAccessible(page, 'a lookup of a malformed NIP');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a proctor visiting /people sees the role message and no navigation entry', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.proctor);
    await page.goto('/people');
    const denied = page.locator('#access-denied');
    await denied.waitFor();
    assert.equal(
      await denied.locator('p').first().textContent(),
      'Halaman ini hanya untuk peran Administrator, SDM (HR), Asesor dan Psikolog. Anda masuk sebagai Pengawas (proctor@demo.meritest.id).',
    );
    assert.equal(await page.locator('#topnav a[href="/people"]').count(), 0);
    assert.equal(await page.locator('#content').isHidden(), true);
    await expectAccessible(page, 'the people page refused to a proctor');
    // The API refuses what the page would have read.
    const proctor = await apiToken(env.base, DEMO.proctor);
    for (const url of [`/api/v1/competency-history?nip=${BUDI}`, '/api/v1/competency-overview']) {
      const res = await apiCall(env.base, proctor, 'GET', url);
      assert.deepEqual([res.status, res.json.code], [403, 'forbidden'], url);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  describe('competency history and the organisation overview', () => {
    let hr;
    let made; // the seeded campaigns, oldest first: [{id, name, year, taken}]
    let names; // competency code → {id, en}, in the dictionary's order

    const get = async (url, token = hr) => {
      const res = await apiCall(env.base, token, 'GET', url);
      assert.equal(res.status, 200, `${url}: ${res.text}`);
      return res.json;
    };

    before(async () => {
      hr = await apiToken(env.base, DEMO.hr);
      made = await seedHistory(env.base, hr);
      names = new Map((await get('/api/v1/competencies')).competencies.map((c) => [c.code, c.name]));
    });

    /** The words each language uses where a test reads them. */
    const WORDS = {
      id: { locale: 'id-ID', box: 'Kotak', valid: 'Berlaku', expired: 'Kedaluwarsa', under: 'di bawah', schemes: { mapping: 'pemetaan', eligibility: 'kelayakan jabatan' } },
      en: { locale: 'en-GB', box: 'Box', valid: 'Valid', expired: 'Expired', under: 'under', schemes: { mapping: 'mapping', eligibility: 'job eligibility' } },
    };
    /** A number as the page writes it (at most two decimals); '–' for none. */
    const num = (n, lang = 'id') => (n == null ? '–' : n.toLocaleString(WORDS[lang].locale, { maximumFractionDigits: 2 }));
    /** "87,04 (3)": a mean and how many it is the mean of. */
    const meanOf = (mean, n, lang = 'id') => `${num(mean, lang)} (${n})`;
    /** A calendar day as the browser writes it in the page's language (medium style). */
    const day = (page, iso, lang = 'id') => page.evaluate(([d, l]) => new Date(d + 'T00:00:00Z').toLocaleDateString(l, { dateStyle: 'medium', timeZone: 'UTC' }), [iso, WORDS[lang].locale]);
    const gap = (level, required) => (level == null || required == null ? '–' : level > required ? `+${level - required}` : level < required ? `−${required - level}` : '0');
    const cellTexts = (locator) => locator.evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));

    async function signedIn(who, viewport) {
      const page = await newPage(env.browser, env.base, viewport ? { viewport } : undefined);
      await page.goto('/login');
      await signIn(page, who);
      await page.goto('/people');
      await overviewSettled(page);
      return page;
    }

    /** Waits until the overview has answered (its status line says something and it is not busy). */
    function overviewSettled(page) {
      return page.waitForFunction(() => {
        const result = document.querySelector('#overview-result');
        const status = document.querySelector('#overview-status');
        return result && status && !result.hasAttribute('aria-busy') && status.textContent !== '';
      });
    }

    async function showHistory(page, nip) {
      await page.fill('#lookup-nip', nip);
      await page.click('#lookup-submit');
      await page.locator('#lookup-history, #lookup-history-none').first().waitFor();
    }

    /** Every fact, the levels table and the chart of history entry `i` on the page against entry `e` of the API. */
    async function expectEntry(page, i, e, lang = 'id') {
      const w = WORDS[lang];
      const entry = page.locator(`#history-${i}`);
      assert.equal(await entry.getAttribute('data-campaign'), e.campaign);
      assert.equal(await entry.locator('h4').textContent(), e.campaign_name);
      assert.equal(await entry.locator('.validity').textContent(), e.expired ? w.expired : w.valid);
      const fact = (key) => entry.locator(`dd[data-fact="${key}"]`).textContent();
      assert.equal(await fact('assessed'), await day(page, e.assessed_on, lang));
      assert.equal(await fact('valid'), await day(page, e.valid_until, lang));
      assert.equal(await fact('position'), `${e.job_level} · ${e.position}`);
      assert.equal(await fact('unit'), e.unit);
      assert.equal(await fact('jpm'), `${num(e.jpm, lang)}%`);
      assert.equal(await fact('categories'), Object.entries(e.categories).map(([scheme, category]) => `${category} (${w.schemes[scheme]})`).join('; '));
      assert.equal(await fact('nine-box'), e.nine_box == null ? '–' : `${w.box} ${e.nine_box}`);
      assert.equal(await fact('ip-asn'), num(e.ip_asn, lang));

      // The competencies in the dictionary's order, each level against the job's.
      const codes = [...names.keys()].filter((c) => c in e.levels || c in e.required);
      assert.equal(codes.length, new Set([...Object.keys(e.levels), ...Object.keys(e.required)]).size, 'every competency of the entry is in the dictionary');
      assert.deepEqual(await cellTexts(entry.locator('table.history-levels tbody tr')), codes.map((c) => [
        `${names.get(c)[lang]} ${c}`, String(e.levels[c] ?? '–'), String(e.required[c] ?? '–'), gap(e.levels[c], e.required[c]),
      ]));
      const chart = entry.locator('svg.level-chart');
      const below = codes.filter((c) => e.levels[c] != null && e.required[c] != null && e.levels[c] < e.required[c]).length;
      const withStandard = codes.filter((c) => e.required[c] != null).length;
      assert.equal(await chart.locator('title').textContent(), lang === 'id'
        ? `Grafik level setiap kompetensi dibanding standar: ${below} dari ${withStandard} kompetensi di bawah standar.`
        : `Chart of each competency level against the standard: ${below} of ${withStandard} competencies below the standard.`);
      const bars = await chart.locator('rect[data-code]').evaluateAll((rs) => rs.map((r) => [r.dataset.code, Number(r.dataset.level), Number(r.getAttribute('height'))]));
      assert.deepEqual(bars.map(([c, l]) => [c, l]), codes.filter((c) => e.levels[c] > 0).map((c) => [c, e.levels[c]]));
      assert.equal(new Set(bars.map(([, l, height]) => height / l)).size, 1, 'bar heights are proportional to the levels');
      assert.deepEqual(await chart.locator('line[data-required]').evaluateAll((ls) => ls.map((l) => Number(l.dataset.required))),
        codes.filter((c) => e.required[c] != null).map((c) => e.required[c]));
      assert.equal(await entry.locator('.history-link a').getAttribute('href'), `/results?campaign=${e.campaign}`);
    }

    /** The totals, the unit rows and the campaigns of the overview on the page against `overview` from the API. */
    async function expectOverview(page, overview, lang = 'id') {
      assert.deepEqual(await cellTexts(page.locator('#overview-total tbody tr')), overview.total.map((f) => [
        String(f.year), String(f.assessed), meanOf(f.jpm_mean, f.with_jpm, lang), meanOf(f.ip_asn_mean, f.with_ip_asn, lang),
      ]));
      const chart = page.locator('#overview-chart svg');
      assert.deepEqual(await chart.locator('[data-series="0"]').evaluateAll((ps) => ps.map((p) => Number(p.dataset.value))),
        overview.total.filter((f) => f.jpm_mean != null).map((f) => f.jpm_mean));
      assert.deepEqual(await chart.locator('[data-series="1"]').evaluateAll((ps) => ps.map((p) => Number(p.dataset.value))),
        overview.total.filter((f) => f.ip_asn_mean != null).map((f) => f.ip_asn_mean));
      assert.deepEqual(await page.locator('#overview-units thead tr').first().locator('th.year-head').allTextContents(), overview.years.map(String));
      const rows = await page.locator('#overview-units tbody tr').evaluateAll((trs) => trs.map((r) => ({
        unit: r.dataset.unit,
        depth: Number(r.dataset.depth),
        name: r.querySelector('.tree-label').textContent,
        under: r.querySelector('th .sr-only')?.textContent ?? null,
        group: !!r.querySelector('.tree-toggle'),
        cells: [...r.querySelectorAll('td[data-col]')].map((c) => c.textContent),
        trend: r.querySelector('td.trend svg title')?.textContent ?? r.querySelector('td.trend')?.textContent ?? null,
      })));
      // A trend needs two years: its column is left out for one.
      assert.deepEqual(rows, overview.units.map((u) => ({
        unit: u.unit,
        depth: u.depth,
        name: u.name,
        under: u.parent ? `, ${WORDS[lang].under} ${u.parent}` : null,
        group: overview.units.some((v) => v.parent === u.unit),
        cells: overview.years.flatMap((y) => {
          const f = u.years.find((x) => x.year === y);
          return f ? [String(f.assessed), meanOf(f.jpm_mean, f.with_jpm, lang), meanOf(f.ip_asn_mean, f.with_ip_asn, lang)] : ['–', '–', '–'];
        }),
        trend: trendOf(u, overview.years, lang),
      })));
      assert.equal(await page.locator('#overview-h-trend').count(), overview.years.length > 1 ? 1 : 0);
      assert.deepEqual(await page.locator('#overview-campaigns tbody tr').evaluateAll((trs) => trs.map((r) => [
        r.cells[0].querySelector('a').getAttribute('href'), r.cells[0].textContent, r.cells[1].textContent, r.cells[2].textContent,
      ])), overview.campaigns.map((c) => [`/results?campaign=${c.campaign}`, c.name, String(c.year), String(c.assessed)]));
    }

    /** What a unit's trend cell says: its sparkline's name, '–' without any JPM, null without the column. */
    function trendOf(unit, years, lang) {
      if (years.length < 2) return null;
      const jpm = (y) => unit.years.find((f) => f.year === y)?.jpm_mean ?? null;
      if (years.every((y) => jpm(y) == null)) return '–';
      const values = years.map((y) => `${y}: ${num(jpm(y), lang)}`).join('; ');
      return lang === 'id' ? `Tren rata-rata JPM ${unit.name}: ${values}` : `Mean JPM trend of ${unit.name}: ${values}`;
    }

    /** Which unit rows are in sight, by unit path. */
    const visibleUnits = (page) => page.locator('#overview-units tbody tr').evaluateAll((trs) => trs.filter((r) => !r.hidden).map((r) => r.dataset.unit));
    const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

    test("HR reads a person's competency history newest first, each figure as the API gives it, the expired result marked and still readable", async () => {
      const history = await get(`/api/v1/competency-history?nip=${RINA}`);
      assert.equal(history.validity_years, 3);
      // Sessions now, two and four years back (the one three years back has no result): the oldest
      // is past its three years.
      assert.deepEqual(history.entries.map((e) => e.campaign), [made[3].id, made[2].id, made[0].id]);
      assert.deepEqual(history.entries.map((e) => e.expired), [false, false, true]);

      const page = await signedIn(DEMO.hr);
      await showHistory(page, `${RINA.slice(0, 8)} ${RINA.slice(8, 14)} ${RINA.slice(14, 15)} ${RINA.slice(15)}`);
      assert.equal(await page.locator('#lookup-for').textContent(), `Catatan NIP ${RINA}`);
      assert.equal(await page.locator('#lookup-history-title').textContent(), 'Riwayat kompetensi');
      assert.equal(await page.locator('#lookup-history-summary').textContent(),
        'Hasil kompetensi: 3; kedaluwarsa: 1. Sebuah hasil berlaku 3 tahun sejak tanggal penilaian.');
      assert.equal(await page.locator('#lookup-status').textContent(),
        `NIP ${RINA}: 3 hasil kompetensi (1 kedaluwarsa), 3 penilaian kinerja, 3 catatan disiplin.`);
      assert.equal(await page.locator('#lookup-history article').count(), 3);
      for (const [i, e] of history.entries.entries()) await expectEntry(page, i, e);
      // Expired in words, and set apart by its frame; the explanation names the last valid day.
      assert.deepEqual(await page.locator('#lookup-history article').evaluateAll((as) => as.map((a) => [a.dataset.expired, a.classList.contains('is-expired')])),
        [['false', false], ['false', false], ['true', true]]);
      assert.equal(await page.locator('#history-2 .history-expired-note').textContent(),
        `Masa berlaku hasil ini berakhir ${await day(page, history.entries[2].valid_until)}; hasilnya tetap dapat dibaca, tetapi perlu penilaian ulang.`);
      assert.equal(await page.locator('#history-0 .history-expired-note').count(), 0);
      // The SKP and discipline parts are still there, below the history.
      assert.equal(await page.locator('#lookup-ratings tbody tr').count(), 3);
      assert.equal(await page.locator('#lookup-discipline tbody tr').count(), 3);
      await expectAccessible(page, "a person's competency history with an expired result");

      await page.click('[data-lang-toggle]');
      assert.equal(await page.locator('#lookup-history-title').textContent(), 'Competency history');
      assert.equal(await page.locator('#lookup-history-summary').textContent(),
        'Competency results: 3; expired: 1. A result is valid for 3 years from the day of assessment.');
      for (const [i, e] of history.entries.entries()) await expectEntry(page, i, e, 'en');
      assert.equal(await page.locator('#history-1 .history-link a').textContent(), `Open this campaign's results: ${history.entries[1].campaign_name}`);
      await expectAccessible(page, "a person's competency history in English");
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    test('a NIP without competency results says so', async () => {
      const page = await signedIn(DEMO.hr);
      await showHistory(page, SITI);
      assert.deepEqual((await get(`/api/v1/competency-history?nip=${SITI}`)).entries, []);
      assert.equal(await page.locator('#lookup-history-none').textContent(), 'Belum ada hasil kompetensi untuk NIP ini di kampanye organisasi Anda.');
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    test("the organisation overview gives the API's figures by year for the whole organisation and each unit, and the hierarchy opens and closes by keyboard", async () => {
      const overview = await get('/api/v1/competency-overview');
      // The seeded years with results are read; the year whose campaign nobody sat has none.
      for (const c of made) assert.equal(overview.years.includes(c.year), c.taken, `year ${c.year}`);
      const page = await signedIn(DEMO.hr);
      assert.equal(await page.locator('#overview-status').textContent(),
        `Ringkasan semua tahun: ${overview.campaigns.length} kampanye, ${overview.units.length} unit.`);
      await expectOverview(page, overview);

      // The seeded units, each followed by those under it.
      const health = 'Dinas Kesehatan';
      const service = `${health} / Bidang Pelayanan`;
      const referral = `${service} / Seksi Rujukan`;
      const resources = `${health} / Bidang Sumber Daya`;
      const education = 'Dinas Pendidikan';
      const ours = [health, service, referral, resources, education];
      const order = await page.locator('#overview-units tbody tr').evaluateAll((trs) => trs.map((r) => r.dataset.unit));
      assert.deepEqual(order.filter((u) => ours.includes(u)), ours);
      // Agencies open and their divisions closed at first: the section under a division is out of sight.
      const toggle = (unit) => page.locator(`#overview-units .tree-toggle[data-unit="${unit}"]`);
      assert.equal(await toggle(health).getAttribute('aria-expanded'), 'true');
      assert.equal(await toggle(service).getAttribute('aria-expanded'), 'false');
      assert.deepEqual((await visibleUnits(page)).filter((u) => ours.includes(u)), [health, service, resources, education]);
      assert.equal(await toggle(service).getAttribute('aria-controls'), await page.locator(`#overview-units tr[data-unit="${referral}"]`).getAttribute('id'));

      // By keyboard: close every group, then open the health agency and its service division.
      await page.focus('#overview-all');
      await page.keyboard.press('Tab');
      assert.equal(await focused(page), 'overview-expand-all');
      await page.keyboard.press('Tab');
      assert.equal(await focused(page), 'overview-collapse-all');
      await page.keyboard.press('Enter');
      assert.deepEqual(await visibleUnits(page), overview.units.filter((u) => u.depth === 0).map((u) => u.unit));
      for (let i = 0; i < overview.units.length; i += 1) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(() => document.activeElement.dataset.unit) === health) break;
        assert.equal(await page.evaluate(() => document.activeElement.className), 'tree-toggle', 'Tab moves from group to group');
      }
      assert.equal(await page.evaluate(() => document.activeElement.dataset.unit), health);
      assert.equal(await toggle(health).getAttribute('aria-expanded'), 'false');
      await page.keyboard.press('Enter');
      assert.equal(await toggle(health).getAttribute('aria-expanded'), 'true');
      assert.deepEqual((await visibleUnits(page)).filter((u) => ours.includes(u)), [health, service, resources, education]);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.dataset.unit), service);
      await page.keyboard.press('Space');
      assert.equal(await toggle(service).getAttribute('aria-expanded'), 'true');
      assert.deepEqual((await visibleUnits(page)).filter((u) => ours.includes(u)), ours);
      await expectAccessible(page, 'the organisation overview with the unit hierarchy opened by keyboard');
      await page.keyboard.press('Shift+Tab');
      assert.equal(await page.evaluate(() => document.activeElement.dataset.unit), health);
      await page.keyboard.press('Enter');
      assert.deepEqual((await visibleUnits(page)).filter((u) => ours.includes(u)), [health, education]);
      assert.equal(await page.evaluate(() => document.activeElement.dataset.unit), health, 'focus stays on the group closed');

      // English: the same figures in English numbers, the parents named in English words.
      await page.click('[data-lang-toggle]');
      assert.equal(await page.locator('#overview-title').textContent(), 'Organisation overview');
      assert.equal(await page.locator('#overview-status').textContent(),
        `Overview of all years: ${overview.campaigns.length} campaigns, ${overview.units.length} units.`);
      await expectOverview(page, overview, 'en');
      assert.deepEqual((await visibleUnits(page)).filter((u) => ours.includes(u)), [health, education], 'groups stay as they were');
      await expectAccessible(page, 'the organisation overview in English');
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    test('the overview reads a year range, refuses one that ends before it starts, and says when a range has no campaign or no result', async () => {
      const [oldest, unsat, middle, newest] = made;
      const page = await signedIn(DEMO.hr);

      await page.fill('#overview-from', String(middle.year));
      await page.fill('#overview-to', String(newest.year));
      await page.press('#overview-to', 'Enter');
      await page.locator('#overview-status').filter({ hasText: `Ringkasan ${middle.year}–${newest.year}:` }).waitFor();
      const ranged = await get(`/api/v1/competency-overview?from_year=${middle.year}&to_year=${newest.year}`);
      assert.ok(ranged.years.every((y) => y >= middle.year && y <= newest.year));
      assert.ok(!ranged.campaigns.some((c) => c.campaign === oldest.id));
      await expectOverview(page, ranged);

      // One year: no trend column.
      await page.fill('#overview-from', String(newest.year));
      await page.press('#overview-from', 'Enter');
      await page.locator('#overview-status').filter({ hasText: `Ringkasan ${newest.year}:` }).waitFor();
      const single = await get(`/api/v1/competency-overview?from_year=${newest.year}&to_year=${newest.year}`);
      await expectOverview(page, single);

      // A range backwards is caught at its field, in the page's words, as the API would refuse it.
      await page.fill('#overview-from', String(newest.year));
      await page.fill('#overview-to', String(oldest.year));
      await page.click('#overview-submit');
      await page.locator('#overview-to-error').waitFor();
      assert.equal(await page.locator('#overview-to-error').textContent(), 'Tahun akhir tidak boleh sebelum tahun awal.');
      assert.equal(await page.locator('#overview-to').getAttribute('aria-invalid'), 'true');
      assert.equal(await focused(page), 'overview-to');
      const refused = await apiCall(env.base, hr, 'GET', `/api/v1/competency-overview?from_year=${newest.year}&to_year=${oldest.year}`);
      assert.deepEqual([refused.status, refused.json.code, refused.json.errors[0].field], [400, 'invalid_query', 'to_year']);
      await expectOverview(page, single); // the last answer stays
      await expectAccessible(page, 'a year range that ends before it starts');

      // No campaign closes in a range far ahead.
      await page.fill('#overview-from', '2090');
      await page.fill('#overview-to', '2091');
      await page.click('#overview-submit');
      await page.locator('#overview-empty').waitFor();
      assert.equal(await page.locator('#overview-to').getAttribute('aria-invalid'), null);
      assert.deepEqual((await get('/api/v1/competency-overview?from_year=2090&to_year=2091')).campaigns, []);
      assert.equal(await page.locator('#overview-empty').textContent(), 'Tidak ada kampanye yang ditutup pada 2090–2091.');
      assert.equal(await page.locator('#overview-units').count(), 0);

      // The year whose campaign nobody sat: the campaign is listed, with no result yet.
      await page.fill('#overview-from', String(unsat.year));
      await page.fill('#overview-to', String(unsat.year));
      await page.click('#overview-submit');
      await page.locator('#overview-no-results').waitFor();
      const empty = await get(`/api/v1/competency-overview?from_year=${unsat.year}&to_year=${unsat.year}`);
      assert.deepEqual(empty.years, []);
      assert.equal(await page.locator('#overview-no-results').textContent(),
        `Kampanye pada ${unsat.year} belum punya hasil kompetensi: belum ada peserta yang selesai dinilai.`);
      assert.deepEqual(await cellTexts(page.locator('#overview-campaigns tbody tr')), empty.campaigns.map((c) => [c.name, String(c.year), String(c.assessed)]));
      assert.ok(empty.campaigns.some((c) => c.campaign === unsat.id && c.assessed === 0));
      await expectAccessible(page, 'a year range whose campaign has no result yet');

      // Every year again.
      await page.click('#overview-all');
      await page.locator('#overview-status').filter({ hasText: 'Ringkasan semua tahun:' }).waitFor();
      assert.deepEqual([await page.inputValue('#overview-from'), await page.inputValue('#overview-to')], ['', '']);
      await expectOverview(page, await get('/api/v1/competency-overview'));
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    test('the overview says it is loading, and a request that fails says so and can be made again', async () => {
      const page = await newPage(env.browser, env.base);
      await page.goto('/login');
      await signIn(page, DEMO.hr);
      let open;
      const gate = new Promise((resolve) => {
        open = resolve;
      });
      let offline = true;
      await page.route('**/api/v1/competency-overview**', async (route) => {
        await gate;
        if (offline) await route.abort('internetdisconnected');
        else await route.continue();
      });
      await page.goto('/people');
      await page.locator('#overview-status').filter({ hasText: 'Memuat ringkasan organisasi…' }).waitFor();
      assert.equal(await page.locator('#overview-result').getAttribute('aria-busy'), 'true');
      open();
      const error = page.locator('#overview-result .overview-error');
      await error.waitFor();
      assert.equal(await error.locator('.error-text').textContent(), 'Server tidak dapat dihubungi. Periksa koneksi Anda.');
      assert.equal(await error.locator('.code').textContent(), '(network)');
      assert.equal(await page.locator('#overview-status').textContent(), 'Ringkasan organisasi tidak dapat dimuat.');
      assert.equal(await page.locator('#overview-result').getAttribute('aria-busy'), null);
      await expectAccessible(page, 'an overview that could not be loaded');
      offline = false;
      await page.click('#overview-all');
      await page.locator('#overview-units').waitFor();
      assert.equal(await error.count(), 0);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    test('on a phone the history and the overview fit the screen, and the wide unit table scrolls as a named region the keyboard reaches', async () => {
      const page = await signedIn(DEMO.hr, { width: 390, height: 844 });
      await showHistory(page, RINA);
      await page.locator('#overview-units').waitFor();
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page itself never scrolls sideways');
      const frame = page.locator('.unit-tree-wrap');
      await page.waitForFunction(() => document.querySelector('.unit-tree-wrap').getAttribute('role') === 'region');
      assert.equal(await frame.getAttribute('tabindex'), '0');
      assert.equal(await frame.getAttribute('aria-labelledby'), 'overview-units-title');
      await frame.focus();
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() => document.querySelector('.unit-tree-wrap').scrollLeft > 0);
      // The history's tables fit, so their frames stay out of the tab order.
      assert.deepEqual(await page.locator('#lookup-history .table-wrap').evaluateAll((fs) => fs.map((f) => f.getAttribute('tabindex'))), [null, null, null]);
      await expectAccessible(page, 'the competency history and the overview on a phone');
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    test('assessors and psychologists read the history and the overview but see no imports', async () => {
      const history = await get(`/api/v1/competency-history?nip=${RINA}`);
      for (const who of [DEMO.assessor, DEMO.psychologist]) {
        const page = await signedIn(who);
        const link = page.locator('#topnav a[href="/people"]');
        assert.equal(await link.textContent(), 'Pegawai');
        assert.equal(await page.locator('#imports').count(), 0);
        assert.equal(await page.locator('#ratings-file, #discipline-file').count(), 0);
        await showHistory(page, RINA);
        const mine = await get(`/api/v1/competency-history?nip=${RINA}`, await apiToken(env.base, who));
        assert.deepEqual(mine, history);
        for (const [i, e] of mine.entries.entries()) await expectEntry(page, i, e);
        await page.locator('#overview-units').waitFor();
        await expectAccessible(page, `the people page of ${who}`);
        assert.deepEqual(page.problems, []);
        await page.context().close();
      }
    });
  });
});
