// An assessment centre built through the API as HR and an administrator build one (a helper module,
// not a test file): a campaign open now with participants in two units, its exercises, and
// assessor accounts with units of their own; assignments and submitted sheets on request.
import assert from 'node:assert/strict';
import { apiCall, apiToken } from './server.mjs';

/** The assessors every centre uses: [name, unit]; Tiga works in the second participants' unit. */
export const ASSESSORS = [['Asesor Satu', 'Inspektorat'], ['Asesor Dua', 'Inspektorat'], ['Asesor Tiga', 'BKPSDM']];
/** Their password. */
export const ASSESSOR_PASSWORD = 'asesor-browser-tests';

/** The participants of a centre: [nip, name, unit]. */
export const PEOPLE = [
  ['198708172011012003', 'Rina Marlina', 'Dinas Kesehatan'],
  ['199202022016031003', 'Dedi Kurniawan', 'Dinas Kesehatan'],
  ['199001012015032002', 'Citra Lestari', 'BKPSDM'],
  ['198604042011041005', 'Fajar Nugraha', 'BKPSDM'],
];

/** The exercises a centre lists unless asked for none. */
export const EXERCISES = [
  { code: 'interview', name: 'Wawancara berbasis kompetensi', competencies: ['INT', 'KOM'] },
  { code: 'lgd', name: 'Diskusi kelompok tanpa pemimpin', competencies: ['KS', 'KOM'] },
];

async function ok(call, status = 200) {
  const res = await call;
  assert.equal(res.status, status, res.text);
  return res.json;
}

/** The birth date a NIP carries (its first eight digits). */
const birthOf = (nip) => `${nip.slice(0, 4)}-${nip.slice(4, 6)}-${nip.slice(6, 8)}`;

let made = null; // the assessors, created once per server

/** The three assessor accounts (created by the administrator the first time): [{name, email, id, token}]. */
export async function assessors(base) {
  if (made && made.base === base) return made.list;
  const admin = await apiToken(base, 'admin@demo.meritest.id');
  const list = [];
  for (const [name, unit] of ASSESSORS) {
    const email = `${name.toLowerCase().replace(/\s+/g, '.')}@asesor.demo.meritest.id`;
    const created = await ok(apiCall(base, admin, 'POST', '/api/v1/accounts', { email, name, role: 'assessor', password: ASSESSOR_PASSWORD, unit }), 201);
    list.push({ name, email, id: created.id, token: await apiToken(base, email, ASSESSOR_PASSWORD) });
  }
  made = { base, list };
  return list;
}

/**
 * A campaign named `name`, open now, with the PEOPLE enrolled and (unless `exercises` is false)
 * the EXERCISES listed, made by HR (`hr`: a bearer token). Returns {id, name, people: {name: id}}.
 */
export async function centre(base, hr, name, { exercises = true } = {}) {
  const battery = await ok(apiCall(base, hr, 'POST', '/api/v1/batteries', {
    code: 'AC-' + Math.random().toString(36).slice(2, 8).toUpperCase(), name: { id: 'Tes situasional' },
    sections: [{ instrument: 'SJT-ASN', version: 1, title: { id: 'SJT' }, time_limit_seconds: 3600, item_order: 'fixed', shuffle_options: true, navigation: 'free' }],
  }), 201);
  const now = Date.now();
  const campaign = await ok(apiCall(base, hr, 'POST', '/api/v1/campaigns', {
    name, battery: battery.id, opens_at: new Date(now - 3_600_000).toISOString(), closes_at: new Date(now + 7 * 86_400_000).toISOString(),
    norm_rule: { default_group: 'umum', rules: [] },
  }), 201);
  const csv = 'nip,name,birth_date,education,job_level,unit,position\n'
    + PEOPLE.map(([nip, who, unit]) => `${nip},${who},${birthOf(nip)},S1,Pengawas,${unit},Analis Kebijakan`).join('\n') + '\n';
  const res = await fetch(`${base}/api/v1/campaigns/${campaign.id}/participants/import`, {
    method: 'POST', headers: { authorization: `Bearer ${hr}`, 'content-type': 'text/csv' }, body: csv,
  });
  assert.equal(res.status, 201, await res.text());
  const list = await ok(apiCall(base, hr, 'GET', `/api/v1/campaigns/${campaign.id}/participants`));
  const people = Object.fromEntries(list.participants.map((p) => [p.name, p.id]));
  if (exercises) await ok(apiCall(base, hr, 'PUT', `/api/v1/campaigns/${campaign.id}/exercises`, { exercises: EXERCISES }));
  return { id: campaign.id, name, people };
}

/**
 * Assigns, as HR, each of `pairs` ([participant name, exercise, assessor, lead]) in campaign `c`;
 * returns the assignment ids in the same order.
 */
export async function assign(base, hr, c, pairs) {
  await ok(apiCall(base, hr, 'POST', `/api/v1/campaigns/${c.id}/assessor-assignments`, {
    assignments: pairs.map(([who, exercise, assessor, lead = false]) => ({ participant: c.people[who], exercise, assessor: assessor.id, lead })),
    allow_same_unit: true,
  }), 201);
  const list = (await ok(apiCall(base, hr, 'GET', `/api/v1/campaigns/${c.id}/assessor-assignments`))).assignments;
  return pairs.map(([who, exercise, assessor]) => list.find((a) => a.participant.id === c.people[who] && a.exercise === exercise && a.assessor.id === assessor.id).id);
}

/** Saves and submits `levels` ({CODE: level}) on an assessor's sheet, each with its evidence. */
export async function rate(base, assessor, assignment, levels) {
  const ratings = Object.fromEntries(Object.entries(levels).map(([code, level]) => [code, { level, evidence: `${assessor.name} mengamati ${code} pada level ${level}` }]));
  await ok(apiCall(base, assessor.token, 'PUT', `/api/v1/assessor/assignments/${assignment}/ratings`, { ratings }));
  return ok(apiCall(base, assessor.token, 'POST', `/api/v1/assessor/assignments/${assignment}/submit`, {}));
}
