// Participants and their access codes: issue codes to everyone without one, reissue one code, and
// show freshly issued codes once (CSV download or printable cards), guarding against losing them.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatDate } from './locale.js';
import { ok, state, status, table } from './campaigns-shared.js';
import { cardsKey, codesCsv, saveFile, slug } from './campaigns-csv.js';
import { refreshPeople, sessionName } from './campaigns-detail.js';

export function renderParticipants() {
  const people = state.participants;
  const without = people.filter((p) => !p.has_access_code).length;
  const rows = people.map((p) => h('tr', { dataset: { id: p.id, nip: p.nip, code: p.has_access_code ? 'yes' : 'no' } },
    h('td', { class: 'c-pname' }, h('strong', {}, p.name)),
    h('td', { class: 'c-nip mono' }, p.nip),
    h('td', { class: 'c-edu' }, p.education),
    h('td', { class: 'c-level' }, p.job_level),
    h('td', { class: 'c-unit' }, p.unit || '–'),
    h('td', { class: 'c-session' }, sessionName(p.session) || '–'),
    h('td', { class: 'c-code' }, p.has_access_code
      ? [h('span', { class: 'badge badge-ok' }, t('campaigns.yes')), ' ', h('span', { class: 'small muted' }, formatDate(p.code_issued_at))]
      : h('span', { class: 'badge badge-muted' }, t('campaigns.no'))),
    h('td', { class: 'c-action' }, h('button', {
      type: 'button', class: 'btn btn-small reissue-code', 'aria-label': `${t(p.has_access_code ? 'campaigns.reissue' : 'campaigns.issueOne')}: ${p.name}`,
      onclick: () => askReissue(p),
    }, t(p.has_access_code ? 'campaigns.reissue' : 'campaigns.issueOne')))));
  $('#participants').replaceChildren(
    h('div', { class: 'toolbar' },
      h('h3', { id: 'participants-title' }, t('campaigns.participants.title')),
      h('span', { class: 'muted', id: 'participants-count' }, t('campaigns.participants.summary', { n: people.length, without })),
      h('button', { type: 'button', class: 'btn btn-primary', id: 'issue-codes', disabled: without === 0, onclick: issueCodes },
        t('campaigns.codes.issue', { n: without }))),
    h('div', { id: 'codes-panel', 'aria-live': 'polite' }),
    people.length === 0
      ? h('p', { class: 'muted', id: 'participants-empty' }, t('campaigns.participants.none'))
      : table([[t('campaigns.col.name')], [t('campaigns.p.nip')], [t('campaigns.p.education')], [t('campaigns.p.jobLevel')], [t('campaigns.p.unit')], [t('campaigns.p.session')], [t('campaigns.p.code')], [t('campaigns.p.action')]],
        rows, { id: 'participant-table' }));
  renderCodes();
}

export function renderCodes() {
  const panel = $('#codes-panel');
  if (!panel) return;
  const issued = state.issued;
  if (!issued) {
    panel.replaceChildren();
    return;
  }
  panel.replaceChildren(h('div', { class: 'cmp-codes', id: 'issued-codes' },
    h('div', { class: 'notice notice-warn', role: 'alert' },
      h('p', {}, h('strong', {}, t('campaigns.codes.onceTitle', { n: issued.codes.length }))),
      h('p', {}, t('campaigns.codes.once'))),
    h('div', { class: 'btn-row' },
      h('button', { type: 'button', class: 'btn btn-primary', id: 'codes-csv', onclick: downloadCodes }, t('campaigns.codes.csv')),
      h('button', { type: 'button', class: 'btn btn-primary', id: 'codes-cards', onclick: openCards }, t('campaigns.codes.cards')),
      h('button', { type: 'button', class: 'btn', id: 'codes-close', onclick: () => guardCodes(() => { state.issued = null; renderCodes(); $('#issue-codes').focus(); }) }, t('bank.close')),
      issued.saved ? h('span', { class: 'badge badge-ok', id: 'codes-saved' }, t('campaigns.codes.saved')) : null),
    table([[t('campaigns.p.nip')], [t('campaigns.col.name')], [t('campaigns.p.session')], [t('campaigns.codes.code')]],
      issued.codes.map((c) => h('tr', { dataset: { nip: c.nip, replaced: c.replaced ? 'true' : null } },
        h('td', { class: 'mono c-nip' }, c.nip), h('td', { class: 'c-pname' }, c.name), h('td', { class: 'c-session' }, c.session || '–'),
        h('td', { class: 'cmp-code-cell' }, c.replaced
          ? [h('del', {}, c.code), ' ', h('span', { class: 'badge badge-danger' }, t('campaigns.codes.replaced'))]
          : c.code))), { id: 'codes-table' })));
}

async function issueCodes() {
  const btn = $('#issue-codes');
  btn.disabled = true;
  const campaign = state.detail;
  try {
    const out = await api(`/api/v1/campaigns/${campaign.id}/access-codes`, { method: 'POST' });
    if (out.codes.length === 0) {
      status(ok(t('campaigns.codes.noneIssued')));
    } else {
      state.issued = { campaign: { id: campaign.id, name: campaign.name }, codes: out.codes, issuedAt: new Date().toISOString(), saved: false };
    }
    await refreshPeople();
    const first = $('#codes-csv');
    if (first) first.focus();
  } catch (err) {
    status(errorNotice(err));
    btn.disabled = false;
  }
}

function markSaved() {
  if (state.issued && !state.issued.saved) {
    state.issued.saved = true;
    renderCodes();
  }
}

function downloadCodes() {
  const issued = state.issued;
  if (!issued) return;
  saveFile(`kode-akses-${slug(issued.campaign.name)}.csv`, codesCsv(issued.codes));
  markSaved();
  $('#codes-csv').focus();
}

function openCards() {
  const issued = state.issued;
  if (!issued) return;
  sessionStorage.setItem(cardsKey(issued.campaign.id), JSON.stringify({
    campaign: issued.campaign, issued_at: issued.issuedAt, codes: issued.codes,
  }));
  // Not "noopener": the new tab must receive a copy of this tab's sessionStorage.
  window.open('/cards?campaign=' + encodeURIComponent(issued.campaign.id), '_blank');
  markSaved();
  $('#codes-cards').focus();
}

/** Runs `then` at once, or after the user agrees to lose codes that were neither downloaded nor printed. */
export function guardCodes(then) {
  if (!state.issued || state.issued.saved) {
    then();
    return;
  }
  const dialog = $('#discard-dialog');
  dialog.returnValue = '';
  dialog.onclose = () => {
    dialog.onclose = null;
    if (dialog.returnValue === 'discard') {
      state.issued = null;
      renderCodes();
      then();
    } else {
      const b = $('#codes-csv');
      if (b) b.focus();
    }
  };
  dialog.showModal();
  $('#discard-cancel').focus();
}

function askReissue(p) {
  state.reissue = p;
  $('#reissue-body').textContent = t(p.has_access_code ? 'campaigns.reissue.body' : 'campaigns.reissue.bodyNew', { name: p.name, nip: p.nip });
  const dialog = $('#reissue-dialog');
  dialog.returnValue = '';
  dialog.showModal();
  $('#reissue-cancel').focus();
}

export async function reissue() {
  const p = state.reissue;
  if (!p || !state.detail) return;
  try {
    const code = await api(`/api/v1/campaigns/${state.detail.id}/participants/${p.id}/access-code`, { method: 'POST' });
    // A code shown in the issued list above is dead now: say so there.
    const listed = state.issued && state.issued.codes.find((c) => c.participant === p.id);
    if (listed) listed.replaced = true;
    $('#code-who').textContent = t('campaigns.code.who', { name: code.name, nip: code.nip, session: code.session || '–' });
    $('#code-value').textContent = code.code;
    const dialog = $('#code-dialog');
    dialog.showModal();
    $('#code-close').focus();
    await refreshPeople();
  } catch (err) {
    status(errorNotice(err));
  }
}
