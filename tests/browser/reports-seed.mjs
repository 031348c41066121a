// Campaigns with reports to release, built through the API as HR, candidates and a psychologist
// build them (a helper module, not a test file): a campaign open now with its participants
// enrolled and their access codes, some of whom take the one short SJT section and finish, so
// they have competency results to report.
import assert from 'node:assert/strict';
import { apiCall } from './server.mjs';

/** The participants a campaign enrols unless told otherwise: [nip, name]. */
export const PEOPLE = [
  ['198708172011012003', 'Rina Marlina'],
  ['199202022016031003', 'Dedi Kurniawan'],
  ['199001012015032002', 'Citra Lestari'],
];

/** The birth date a NIP carries (its first eight digits). */
const birthOf = (nip) => `${nip.slice(0, 4)}-${nip.slice(4, 6)}-${nip.slice(6, 8)}`;

async function ok(call, status = 200) {
  const res = await call;
  assert.equal(res.status, status, res.text);
  return res.json;
}

/**
 * A campaign named `name`, open now, of one SJT section, with `people` ([nip, name]) enrolled by
 * HR (`hr`: a bearer token) and their access codes issued; the people named in `taking` take the
 * test and finish. Returns {id, name, people: {name: id}, codes: {nip: code}}.
 */
export async function reportCampaign(base, hr, name, { people = PEOPLE, taking = [] } = {}) {
  const battery = await ok(apiCall(base, hr, 'POST', '/api/v1/batteries', {
    code: 'RP-' + Math.random().toString(36).slice(2, 8).toUpperCase(), name: { id: 'Tes situasional' },
    sections: [{ instrument: 'SJT-ASN', version: 1, title: { id: 'SJT' }, time_limit_seconds: 3600, item_order: 'fixed', shuffle_options: true, navigation: 'free' }],
  }), 201);
  const now = Date.now();
  const campaign = await ok(apiCall(base, hr, 'POST', '/api/v1/campaigns', {
    name, battery: battery.id, opens_at: new Date(now - 3_600_000).toISOString(), closes_at: new Date(now + 7 * 86_400_000).toISOString(),
    norm_rule: { default_group: 'umum', rules: [] },
  }), 201);
  const csv = 'nip,name,birth_date,education,job_level\n' + people.map(([nip, who]) => `${nip},${who},${birthOf(nip)},S1,Pengawas`).join('\n') + '\n';
  const enrol = await fetch(`${base}/api/v1/campaigns/${campaign.id}/participants/import`, {
    method: 'POST', headers: { authorization: `Bearer ${hr}`, 'content-type': 'text/csv' }, body: csv,
  });
  assert.equal(enrol.status, 201, await enrol.text());
  const issued = await ok(apiCall(base, hr, 'POST', `/api/v1/campaigns/${campaign.id}/access-codes`));
  const codes = Object.fromEntries(issued.codes.map((c) => [c.nip, c.code]));
  const list = await ok(apiCall(base, hr, 'GET', `/api/v1/campaigns/${campaign.id}/participants`));
  for (const who of taking) {
    const [nip] = people.find(([, n]) => n === who);
    await takeSjt(base, codes[nip], nip);
  }
  return { id: campaign.id, name, people: Object.fromEntries(list.participants.map((p) => [p.name, p.id])), codes };
}

/** Signs a participant in, accepts, answers every SJT item with the first option shown and finishes. */
export async function takeSjt(base, code, nip) {
  const login = await fetch(`${base}/api/v1/candidate/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, nip }) });
  const text = await login.text();
  assert.equal(login.status, 200, text);
  const { token } = JSON.parse(text);
  const call = (method, url, body) => ok(apiCall(base, token, method, url, body));
  await call('POST', '/api/v1/candidate/consent', { accept: true });
  const section = await call('POST', '/api/v1/candidate/sections/0/start');
  for (const [i, item] of section.items.entries()) {
    await call('PUT', '/api/v1/candidate/answers', { section: 0, item: item.id, response: { choice: item.options[0].id }, seq: i + 1 });
  }
  await call('POST', '/api/v1/candidate/finish');
}

/** Releases reports of campaign `c` as the psychologist (`psy`: a bearer token); returns the outcome. */
export function release(base, psy, c, body) {
  return ok(apiCall(base, psy, 'POST', `/api/v1/campaigns/${c.id}/reports/release`, body));
}
