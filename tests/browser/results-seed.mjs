// A campaign with competency results, built through the API as HR and candidates would build it
// (a helper module, not a test file): a battery of the demo's situational judgement test and its
// three ability tests, thirteen participants in three units, eleven of whom take every section through
// the candidate API, and the SKP ratings and discipline records HR imports, so that most are
// placed on the 9-box and some have an IP ASN.
import { apiCall } from './server.mjs';

/** The thirteen participants: [nip, name, birth date, education, job level, unit, position]. */
export const PEOPLE = [
  ['198503152010121001', 'Budi Santoso', '1985-03-15', 'S1', 'Pengawas', 'Dinas Kesehatan / Bidang Pelayanan', 'Analis Kebijakan'],
  ['199001012015032002', 'Citra Lestari', '1990-01-01', 'S2', 'Pengawas', 'Dinas Kesehatan / Bidang Pelayanan', 'Analis Kebijakan'],
  ['199202022016031003', 'Dedi Kurniawan', '1992-02-02', 'S1', 'Pengawas', 'Dinas Kesehatan / Bidang Sumber Daya', 'Pengelola Data'],
  ['198807072012072004', 'Euis Rahayu', '1988-07-07', 'S2', 'Pengawas', 'Dinas Kesehatan / Bidang Sumber Daya', 'Analis Kebijakan'],
  ['198604042011041005', 'Fajar Nugraha', '1986-04-04', 'S1', 'Pengawas', 'Dinas Pendidikan', 'Pengelola Data'],
  ['199105052017052006', 'Gita Permata', '1991-05-05', 'D3', 'Pengawas', 'Dinas Pendidikan', 'Pengelola Data'],
  ['198002022005021007', 'Hendra Wijaya', '1980-02-02', 'S2', 'Administrator', 'Dinas Kesehatan', 'Kepala Bidang'],
  ['197909092004092008', 'Indah Sari', '1979-09-09', 'S3', 'Administrator', 'Dinas Pendidikan', 'Kepala Bidang'],
  ['198111112006111009', 'Joko Susilo', '1981-11-11', 'S1', 'Administrator', 'Dinas Kesehatan', 'Kepala Bidang'],
  ['198212122007122010', 'Kartika Dewi', '1982-12-12', 'S2', 'Administrator', 'Dinas Pendidikan', 'Kepala Bidang'],
  ['199606062020122011', 'Nanda Pratiwi', '1996-06-06', 'D3', 'Pegawai Honorer', 'Dinas Pendidikan', 'Pengadministrasi Umum'],
  ['199303032018031011', 'Lukman Hakim', '1993-03-03', 'S1', 'Pengawas', 'Dinas Pendidikan', 'Pengelola Data'],
  ['199404042019042012', 'Maya Putri', '1994-04-04', 'S1', 'Pengawas', 'Dinas Kesehatan / Bidang Pelayanan', 'Analis Kebijakan'],
];

/** How many of PEOPLE take the test (the last two never sign in; the eleventh has a job level no standard names). */
export const TAKERS = 11;

/** The demo's situational judgement test and the three ability tests the 9-box's potential reads. */
const SECTIONS = ['SJT-ASN', 'NUM-SERIES', 'VERBAL-ID', 'FIGURAL'];

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

/**
 * How each of the eleven takers answers: `sjt` is the rank of the option chosen among an item's
 * options by weight (0: the best), `ability` the share of ability items answered right (the
 * figural test, whose options are pictures, is answered by position whoever takes it).
 */
const STYLE = [
  { sjt: 1, ability: 0.6 }, { sjt: 0, ability: 1 }, { sjt: 2, ability: 0.2 }, { sjt: 0, ability: 0.9 },
  { sjt: 1, ability: 1 }, { sjt: 3, ability: 0.1 }, { sjt: 0, ability: 0.6 }, { sjt: 0, ability: 1 },
  { sjt: 2, ability: 0.5 }, { sjt: 1, ability: 0.2 }, { sjt: 1, ability: 0.5 },
];

/** What HR's export says of each item, by its Indonesian stem: the options' weights, the key or the answer. */
async function keysOf(base, hr, instruments) {
  const list = await ok(apiCall(base, hr, 'GET', '/api/v1/instruments'));
  const keys = new Map();
  for (const code of instruments) {
    const found = list.instruments.find((i) => i.code === code);
    const doc = await ok(apiCall(base, hr, 'GET', `/api/v1/instruments/${found.id}/export`));
    for (const item of doc.items) {
      const text = (o) => o.text?.id;
      keys.set(item.stem.id, {
        answer: item.answer,
        key: item.key ? text(item.options.find((o) => o.id === item.key)) : undefined,
        weights: item.format === 'weighted_options' ? new Map(item.options.map((o) => [text(o), o.weight])) : undefined,
      });
    }
  }
  return keys;
}

/** The answer of taker `who` to the i-th item of a section. */
function response(item, who, i, keys) {
  const style = STYLE[who];
  const known = keys.get(item.stem?.id);
  const right = ((i * 7 + who * 3) % 10) < style.ability * 10;
  if (item.format === 'numeric_entry') return { value: right && known ? known.answer : -1 };
  const options = item.options;
  if (known?.weights) {
    const ranked = [...options].sort((a, b) => known.weights.get(b.text?.id) - known.weights.get(a.text?.id));
    // Now and then one step away from the usual choice, so levels are not all alike.
    const step = (i + who) % 5 === 0 ? 1 : 0;
    return { choice: ranked[Math.min(ranked.length - 1, style.sjt + step)].id };
  }
  if (known?.key) {
    const key = options.find((o) => o.text?.id === known.key);
    const wrong = options.find((o) => o.text?.id !== known.key);
    return { choice: (right ? key : wrong).id };
  }
  return { choice: options[(i + who) % options.length].id };
}

/** Signs a participant in, takes every section and finishes. */
async function take(base, code, nip, who, keys) {
  const login = await fetch(base + '/api/v1/candidate/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, nip }) });
  if (login.status !== 200) throw new Error(`candidate sign-in of ${nip}: ${login.status} ${await login.text()}`);
  const token = (await login.json()).token;
  await ok(apiCall(base, token, 'POST', '/api/v1/candidate/consent', { accept: true }));
  let seq = 0;
  for (let s = 0; s < SECTIONS.length; s++) {
    const section = await ok(apiCall(base, token, 'POST', `/api/v1/candidate/sections/${s}/start`));
    for (const [i, item] of section.items.entries()) {
      seq += 1;
      await ok(apiCall(base, token, 'PUT', '/api/v1/candidate/answers', { section: s, item: item.id, response: response(item, who, i, keys), seq }));
    }
    if (s < SECTIONS.length - 1) await ok(apiCall(base, token, 'POST', `/api/v1/candidate/sections/${s}/submit`));
  }
  await ok(apiCall(base, token, 'POST', '/api/v1/candidate/finish'));
}

/**
 * Builds the campaign as HR (`hr`: a bearer token) and returns {campaign, year, people} where
 * people maps each NIP to its participant id.
 */
export async function seedResults(base, hr, { name = 'Pemetaan kompetensi pengawas dan administrator' } = {}) {
  const me = await ok(apiCall(base, hr, 'GET', '/api/v1/proctors'));
  const battery = await ok(apiCall(base, hr, 'POST', '/api/v1/batteries', {
    code: 'HASIL-' + Math.random().toString(36).slice(2, 8).toUpperCase(),
    name: { id: 'Kompetensi dan kemampuan', en: 'Competencies and ability' },
    sections: SECTIONS.map((instrument) => ({
      instrument, version: 1, title: { id: instrument }, time_limit_seconds: 3600,
      item_order: 'fixed', shuffle_options: true, navigation: 'free',
    })),
  }), 201);
  const now = Date.now();
  const campaign = await ok(apiCall(base, hr, 'POST', '/api/v1/campaigns', {
    name, battery: battery.id,
    opens_at: new Date(now - 3_600_000).toISOString(),
    closes_at: new Date(now + 86_400_000).toISOString(),
    norm_rule: { default_group: 'umum', rules: [] },
    sessions: [{ name: 'Sesi 1', room: 'Lab A', starts_at: new Date(now - 1_800_000).toISOString(), capacity: 100, proctor: me.proctors[0]?.id }],
  }), 201);
  const year = new Date(campaign.closes_at).getUTCFullYear();
  const rows = PEOPLE.map((p) => [...p, 'Sesi 1'].join(','));
  await csv(base, hr, `/api/v1/campaigns/${campaign.id}/participants/import`,
    'nip,name,birth_date,education,job_level,unit,position,session\n' + rows.join('\n') + '\n');
  const codes = await ok(apiCall(base, hr, 'POST', `/api/v1/campaigns/${campaign.id}/access-codes`));
  const codeOf = Object.fromEntries(codes.codes.map((c) => [c.nip, c.code]));
  const keys = await keysOf(base, hr, ['SJT-ASN', 'NUM-SERIES', 'VERBAL-ID']);
  for (const [who, [nip]] of PEOPLE.slice(0, TAKERS).entries()) await take(base, codeOf[nip], nip, who, keys);

  // SKP ratings (the year before, the closing year) for nine of the eleven takers: one of them has
  // the closing year only, the other two none; and a discipline record for six.
  const skpOf = [['Baik', 'Baik'], ['Sangat Baik', 'Sangat Baik'], ['Baik', 'Butuh Perbaikan'], ['Sangat Baik', 'Sangat Baik'],
    ['Sangat Baik', 'Baik'], ['Kurang', 'Baik'], ['Sangat Baik', 'Sangat Baik'], ['Baik', 'Sangat Baik'], [null, 'Baik']];
  let skp = 'nip,year,rating\n';
  for (const [i, [before, last]] of skpOf.entries()) {
    const nip = PEOPLE[i][0];
    if (before) skp += `${nip},${year - 1},${before}\n`;
    skp += `${nip},${year},${last}\n`;
  }
  await csv(base, hr, '/api/v1/performance-ratings/import', skp);
  let discipline = 'nip,year,level\n';
  for (const [i, [nip]] of PEOPLE.slice(0, 6).entries()) discipline += `${nip},${year - 1},${i === 3 ? 'light' : 'none'}\n`;
  await csv(base, hr, '/api/v1/discipline-records/import', discipline);

  const list = await ok(apiCall(base, hr, 'GET', `/api/v1/campaigns/${campaign.id}/participants`));
  const people = Object.fromEntries(list.participants.map((p) => [p.nip, p.id]));
  return { campaign: campaign.id, year, people };
}
