// Competency results across years for the people page (a helper module, not a test file), built
// through the API as HR and candidates build them: three campaigns of the demo's situational
// judgement test whose sessions lie four years back, two years back and now, participants in units
// of up to three levels taking the test through the candidate API, SKP ratings and discipline
// records imported so most have an IP ASN, and the past campaigns' windows closed in the year they
// were held (allowed once nobody is left unfinished), so the overview reads three years and the
// oldest result has passed its three years of validity. A fourth campaign, three years back, has
// participants but no results.
import { apiCall } from './server.mjs';

const DAY = 86_400_000;

/** The participant whose history the tests read: in each campaign with results, moving unit once. */
export const RINA = '198708172011012003';

/** Everyone: [nip, name, birth date, education]. */
const PEOPLE = {
  [RINA]: ['Rina Marlina', '1987-08-17', 'S2'],
  '199001012015032002': ['Citra Lestari', '1990-01-01', 'S1'],
  '199202022016031003': ['Dedi Kurniawan', '1992-02-02', 'S1'],
  '198807072012072004': ['Euis Rahayu', '1988-07-07', 'S2'],
  '198604042011041005': ['Fajar Nugraha', '1986-04-04', 'S1'],
  '199105052017052006': ['Gita Permata', '1991-05-05', 'D3'],
};

const HEALTH = 'Dinas Kesehatan';
const SERVICE = 'Dinas Kesehatan / Bidang Pelayanan';
const REFERRAL = 'Dinas Kesehatan / Bidang Pelayanan / Seksi Rujukan';
const RESOURCES = 'Dinas Kesehatan / Bidang Sumber Daya';
const EDUCATION = 'Dinas Pendidikan';

/**
 * The four campaigns: how many years back their session lies, and who sits them in which unit
 * with the option they choose on every item (by position; options are shuffled per attempt, so
 * levels differ between people). Gita never signs in to the one two years back; nobody sits the one
 * three years back.
 */
const CAMPAIGNS = [
  { name: 'Pemetaan Kompetensi Pengawas (lama)', yearsBack: 4, people: [
    [RINA, SERVICE, 0], ['199001012015032002', SERVICE, 1], ['199202022016031003', EDUCATION, 2],
  ] },
  { name: 'Pemetaan Kompetensi Pengawas (tertunda)', yearsBack: 3, people: [
    ['199001012015032002', SERVICE, null], ['198604042011041005', HEALTH, null],
  ] },
  { name: 'Pemetaan Kompetensi Pengawas (tengah)', yearsBack: 2, people: [
    [RINA, SERVICE, 1], ['199202022016031003', RESOURCES, 3], ['198807072012072004', REFERRAL, 0],
    ['199105052017052006', EDUCATION, null],
  ] },
  { name: 'Pemetaan Kompetensi Pengawas (kini)', yearsBack: 0, people: [
    [RINA, RESOURCES, 2], ['199001012015032002', REFERRAL, 3], ['198807072012072004', REFERRAL, 1],
    ['198604042011041005', HEALTH, 0], ['199105052017052006', EDUCATION, 2],
  ] },
];

async function ok(call, status = 200) {
  const res = await call;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res.json;
}

async function csv(base, token, url, text) {
  const res = await fetch(base + url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: text });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`${url}: ${res.status} ${body}`);
  return JSON.parse(body);
}

/** Signs in with an access code, takes the one section choosing option `pick` of each item, and finishes. */
async function take(base, code, nip, pick) {
  const login = await fetch(base + '/api/v1/candidate/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, nip }) });
  if (login.status !== 200) throw new Error(`candidate sign-in of ${nip}: ${login.status} ${await login.text()}`);
  const token = (await login.json()).token;
  await ok(apiCall(base, token, 'POST', '/api/v1/candidate/consent', { accept: true }));
  const section = await ok(apiCall(base, token, 'POST', '/api/v1/candidate/sections/0/start'));
  for (const [i, item] of section.items.entries()) {
    const choice = item.options[(pick + (i % 3 === 0 ? 1 : 0)) % item.options.length].id;
    await ok(apiCall(base, token, 'PUT', '/api/v1/candidate/answers', { section: 0, item: item.id, response: { choice }, seq: i + 1 }));
  }
  await ok(apiCall(base, token, 'POST', '/api/v1/candidate/finish'));
}

/** A year `n` years before `now`, same day and time (29 February becomes 28 February). */
function yearsBefore(now, n) {
  const d = new Date(now);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCFullYear(d.getUTCFullYear() - n);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

/**
 * Builds the four campaigns as HR (`hr`: a bearer token). Returns their ids, names and years,
 * oldest first, and whether anyone took it: [{id, name, year, taken}].
 */
export async function seedHistory(base, hr) {
  const proctors = await ok(apiCall(base, hr, 'GET', '/api/v1/proctors'));
  const battery = await ok(apiCall(base, hr, 'POST', '/api/v1/batteries', {
    code: 'RIWAYAT-' + Math.random().toString(36).slice(2, 8).toUpperCase(),
    name: { id: 'Kompetensi manajerial dan sosial kultural', en: 'Managerial and socio-cultural competencies' },
    sections: [{ instrument: 'SJT-ASN', version: 1, title: { id: 'SJT-ASN' }, time_limit_seconds: 3600, item_order: 'fixed', shuffle_options: true, navigation: 'free' }],
  }), 201);
  const now = Date.now();
  const made = [];
  for (const c of CAMPAIGNS) {
    const held = yearsBefore(now, c.yearsBack);
    const campaign = await ok(apiCall(base, hr, 'POST', '/api/v1/campaigns', {
      name: c.name, battery: battery.id,
      opens_at: new Date(held - 3_600_000).toISOString(),
      closes_at: new Date(now + DAY).toISOString(),
      norm_rule: { default_group: 'umum', rules: [] },
      sessions: [{ name: 'Sesi 1', room: 'Lab A', starts_at: new Date(held - 1_800_000).toISOString(), capacity: 100, proctor: proctors.proctors[0]?.id }],
    }), 201);
    const rows = c.people.map(([nip, unit]) => {
      const [name, birth, education] = PEOPLE[nip];
      return [nip, name, birth, education, 'Pengawas', unit, 'Analis Kebijakan', 'Sesi 1'].join(',');
    });
    await csv(base, hr, `/api/v1/campaigns/${campaign.id}/participants/import`,
      'nip,name,birth_date,education,job_level,unit,position,session\n' + rows.join('\n') + '\n');
    const codes = await ok(apiCall(base, hr, 'POST', `/api/v1/campaigns/${campaign.id}/access-codes`));
    const codeOf = Object.fromEntries(codes.codes.map((x) => [x.nip, x.code]));
    for (const [nip, , pick] of c.people) if (pick !== null) await take(base, codeOf[nip], nip, pick);
    if (c.yearsBack > 0) {
      // Everyone has finished: the window may now close in the year the campaign was held.
      await ok(apiCall(base, hr, 'PATCH', `/api/v1/campaigns/${campaign.id}`, { closes_at: new Date(held + DAY).toISOString() }));
    }
    const view = await ok(apiCall(base, hr, 'GET', `/api/v1/campaigns/${campaign.id}`));
    made.push({ id: campaign.id, name: c.name, year: new Date(view.closes_at).getUTCFullYear(), taken: c.people.some(([, , pick]) => pick !== null) });
  }

  // SKP ratings and discipline records of each campaign's year for most takers, so they have an
  // IP ASN; Dedi has none in the oldest year, so that year counts a JPM without an IP ASN.
  let skp = 'nip,year,rating\n';
  let discipline = 'nip,year,level\n';
  const ratings = ['Sangat Baik', 'Baik', 'Butuh Perbaikan'];
  for (const [i, c] of CAMPAIGNS.entries()) {
    const year = made[i].year;
    for (const [j, [nip, , pick]] of c.people.entries()) {
      if (pick === null || (i === 0 && nip === '199202022016031003')) continue;
      skp += `${nip},${year},${ratings[(i + j) % ratings.length]}\n`;
      discipline += `${nip},${year},${(i + j) % 4 === 3 ? 'ringan' : 'tidak ada'}\n`;
    }
  }
  await csv(base, hr, '/api/v1/performance-ratings/import', skp);
  await csv(base, hr, '/api/v1/discipline-records/import', discipline);
  return made;
}
