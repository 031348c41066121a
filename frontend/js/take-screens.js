// The candidate page's screens around the sections: sign-in with an access code, routing to
// wherever the attempt is, consent, the list of sections (with the lobby), finishing, the end (with
// scores when the campaign shows them), the expired notice, and signing out.
import { $, h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatDateInZone, formatNumber } from './locale.js';
import { candidateBlobUrl, candidateSession, capi, clearCandidate, isSessionOver, rememberAttempt, saveCandidate } from './take-api.js';
import { POS_KEY, S, clearSnapshot, ensureQueue, errorBox, forgetImages, minutes, readSnapshot, show } from './take-state.js';
import { stopClock } from './take-clock.js';
import { clearMessages, ensureStream, enterPause, leavePauseQuietly, lobbyState, lobbyWaiting, showMessages, stateOfAttempt, stopStream, terminated } from './take-proctor.js';
import { enterSection, openSection, showSectionPhase } from './take-section.js';

// ---------------------------------------------------------------- sign-in

export function loginScreen() {
  const prev = {
    code: $('#code') ? $('#code').value : '',
    nip: $('#nip') ? $('#nip').value : '',
    birth: $('#birth') ? $('#birth').value : '',
    factor: (document.querySelector('input[name="factor"]:checked') || {}).value || 'nip',
  };
  const notice = S.notice && S.notice.key.startsWith('take.login')
    ? h('div', { class: `notice notice-${S.notice.kind}`, role: 'status' }, h('p', {}, t(S.notice.key)))
    : null;
  const codeField = h('div', { class: 'field' },
    h('label', { for: 'code' }, t('take.login.code')),
    h('input', {
      id: 'code', name: 'code', type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
      required: true, 'aria-describedby': 'code-hint', class: 'take-code', value: prev.code, maxlength: '20',
    }),
    h('p', { class: 'hint', id: 'code-hint' }, t('take.login.code.hint'), ' ', h('span', { class: 'nowrap take-code-example' }, t('take.login.code.example'))));
  const chooser = h('fieldset', { class: 'take-choose' },
    h('legend', {}, t('take.login.factor')),
    h('div', { class: 'take-seg-row' },
      h('label', { class: 'take-seg' }, h('input', { type: 'radio', name: 'factor', value: 'nip', checked: prev.factor === 'nip' }), h('span', {}, t('take.login.byNip'))),
      h('label', { class: 'take-seg' }, h('input', { type: 'radio', name: 'factor', value: 'birth', checked: prev.factor === 'birth' }), h('span', {}, t('take.login.byBirth')))));
  const nipField = h('div', { class: 'field', id: 'nip-field', hidden: prev.factor !== 'nip' },
    h('label', { for: 'nip' }, t('take.login.nip')),
    h('input', { id: 'nip', name: 'nip', type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'nip-hint', value: prev.nip, maxlength: '24' }),
    h('p', { class: 'hint', id: 'nip-hint' }, t('take.login.nip.hint')));
  const birthField = h('div', { class: 'field', id: 'birth-field', hidden: prev.factor !== 'birth' },
    h('label', { for: 'birth' }, t('take.login.birth')),
    h('input', { id: 'birth', name: 'birth', type: 'date', autocomplete: 'bday', value: prev.birth, min: '1940-01-01', max: '2015-12-31' }));
  const errorRegion = h('div', { id: 'take-login-error', 'aria-live': 'assertive' }, S.loginError ? errorBox(S.loginError, 'take-login-error') : null);
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', id: 'take-login-submit' }, t('take.login.submit'));
  const form = h('form', { id: 'take-login', class: 'card take-card', novalidate: true }, codeField, chooser, nipField, birthField, errorRegion, submit);
  chooser.addEventListener('change', () => {
    const f = form.querySelector('input[name="factor"]:checked').value;
    nipField.hidden = f !== 'nip';
    birthField.hidden = f !== 'birth';
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    signIn(form);
  });
  return h('section', { class: 'take-screen take-narrow', id: 'login' },
    h('h1', {}, t('take.login.title')),
    h('p', { class: 'muted' }, t('take.login.intro')),
    notice,
    form,
    h('p', { class: 'small muted' }, t('take.login.staff'), ' ', h('a', { href: '/login' }, t('take.login.staffLink'))));
}

function normaliseCode(raw) {
  const c = raw.toUpperCase().replace(/[\s_]+/g, '').replace(/[–—]/g, '-');
  if (/^[A-Z0-9]{10}$/.test(c)) return c.slice(0, 5) + '-' + c.slice(5);
  return c;
}

function fieldError(input, key) {
  input.setAttribute('aria-invalid', 'true');
  const id = input.id + '-error';
  let p = document.getElementById(id);
  if (!p) {
    p = h('p', { class: 'field-error', id });
    input.after(p);
  }
  p.textContent = t(key);
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
}

function clearFieldErrors(form) {
  for (const p of form.querySelectorAll('.field-error')) p.remove();
  for (const i of form.querySelectorAll('[aria-invalid]')) {
    i.removeAttribute('aria-invalid');
    const d = (i.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.endsWith('-error')).join(' ');
    if (d) i.setAttribute('aria-describedby', d);
  }
}

async function signIn(form) {
  const errorRegion = $('#take-login-error');
  S.loginError = null;
  errorRegion.replaceChildren();
  clearFieldErrors(form);
  const codeInput = $('#code');
  const code = normaliseCode(codeInput.value);
  const factor = form.querySelector('input[name="factor"]:checked').value;
  const body = { code };
  let bad = null;
  if (!code) {
    fieldError(codeInput, 'take.login.code.missing');
    bad = bad || codeInput;
  }
  if (factor === 'nip') {
    const nipInput = $('#nip');
    const nip = nipInput.value.replace(/[\s.\-]/g, '');
    if (!/^\d{18}$/.test(nip)) {
      fieldError(nipInput, 'take.login.nip.invalid');
      bad = bad || nipInput;
    }
    body.nip = nip;
  } else {
    const birthInput = $('#birth');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(birthInput.value)) {
      fieldError(birthInput, 'take.login.birth.missing');
      bad = bad || birthInput;
    }
    body.birth_date = birthInput.value;
  }
  if (bad) {
    bad.focus();
    return;
  }
  const submit = $('#take-login-submit');
  submit.disabled = true;
  submit.textContent = t('take.login.busy');
  try {
    const outcome = await capi('/api/v1/candidate/login', { method: 'POST', body, auth: false });
    saveCandidate(outcome);
    S.notice = null;
    S.loginError = null;
    S.stopped = false;
    S.attempt = outcome.attempt || null;
    await route();
  } catch (err) {
    S.loginError = err;
    $('#take-login-error').replaceChildren(errorBox(err, 'take-login-error'));
    submit.disabled = false;
    submit.textContent = t('take.login.submit');
  }
}

// ---------------------------------------------------------------- routing

export async function loadAttempt() {
  S.attempt = await capi('/api/v1/candidate/attempt');
  rememberAttempt(S.attempt);
  return S.attempt;
}

/** Shows whatever the attempt is at: consent, an open section, the list, or the end. */
export async function route() {
  if (!candidateSession()) {
    // Nobody is signed in on this tab: whatever an earlier candidate left (figures kept for a
    // reload without the network) goes.
    clearSnapshot();
    show(loginScreen, { focus: false });
    const c = $('#code');
    if (c) c.focus();
    return;
  }
  let offlineSection = null;
  try {
    if (!S.attempt) await loadAttempt();
  } catch (err) {
    if (isSessionOver(err)) return; // onSessionLost took over
    // No network at a reload: carry on from what the page last saw; the server's state replaces
    // it as soon as the network is back (take-clock.js polls while the live line is down).
    const snap = err.status === 0 ? readSnapshot(candidateSession().attempt) : null;
    if (!snap) {
      show(() => h('section', { class: 'take-screen' }, h('h1', {}, t('take.title')), errorBox(err),
        h('p', {}, h('button', { type: 'button', class: 'btn btn-primary', onclick: () => route() }, t('take.retry')))));
      return;
    }
    S.attempt = snap.attempt;
    offlineSection = snap.section && snap.section.status === 'open' ? snap.section : null;
  }
  rememberAttempt(S.attempt);
  const a = S.attempt;
  if (a.status === 'terminated') return terminated();
  ensureQueue();
  if (endIfOver()) return;
  S.live = stateOfAttempt(a);
  ensureStream();
  showMessages(S.live.messages);
  if (S.live.paused) enterPause(S.live.remaining_ms);
  if (a.consent_required) return show(consentScreen);
  const open = (a.sections || []).find((s) => s.status === 'open');
  if (open && offlineSection && offlineSection.position === open.position) {
    enterSection(offlineSection, { resume: true });
    return showSectionPhase();
  }
  if (open) return openSection(open.position, { resume: true });
  return show(sectionsScreen);
}

/** The page leaves the section it showed: its clock, images and remembered place go. */
export function clearSection() {
  S.section = null;
  S.phase = null;
  S.current = null;
  S.timeUp = false;
  S.closing = false;
  stopClock();
  forgetImages();
  sessionStorage.removeItem(POS_KEY);
}

/**
 * When the attempt the page holds is over (finished, or expired because the campaign closed),
 * leaves whatever section it showed and shows the end or the expired notice; says whether it did.
 */
export function endIfOver() {
  const a = S.attempt;
  if (!a || (a.status !== 'finished' && a.status !== 'expired')) return false;
  clearSection();
  S.notice = null;
  ended(a.status === 'finished' ? endScreen : expiredScreen);
  return true;
}

/** Shows the end (or the expired notice): nothing more can happen, so the live line closes. */
export function ended(screen) {
  stopStream();
  leavePauseQuietly();
  clearSnapshot();
  show(screen);
  clearSnapshot(); // show() keeps one; nothing more can happen to the attempt
}

// ---------------------------------------------------------------- consent

function consentScreen() {
  const a = S.attempt;
  const org = (a.organisation && a.organisation.name) || '';
  const campaign = (a.campaign && a.campaign.name) || '';
  const p = a.participant || {};
  const err = h('div', { id: 'consent-error', 'aria-live': 'assertive' });
  const agree = h('button', { type: 'button', class: 'btn btn-primary btn-block', id: 'consent-accept' }, t('take.consent.accept'));
  agree.addEventListener('click', async () => {
    agree.disabled = true;
    err.replaceChildren();
    try {
      S.attempt = await capi('/api/v1/candidate/consent', { method: 'POST', body: { accept: true } });
      show(sectionsScreen);
    } catch (e) {
      agree.disabled = false;
      err.replaceChildren(errorBox(e));
    }
  });
  return h('section', { class: 'take-screen take-narrow', id: 'consent' },
    h('h1', {}, t('take.consent.title')),
    h('p', { class: 'take-identity' }, t('take.consent.you', { name: p.name || '', nip: p.nip || '' })),
    h('div', { class: 'card take-card' },
      h('h2', {}, t('take.consent.purpose.title')),
      h('p', {}, t('take.consent.purpose', { org, campaign })),
      h('h2', {}, t('take.consent.kept.title')),
      h('p', {}, t('take.consent.kept')),
      h('p', { id: 'consent-retention' }, retentionText(a.campaign, org)),
      h('p', {}, t('take.consent.law')),
      h('h2', {}, t('take.consent.contact.title')),
      contactParagraph(a.campaign, org),
      err,
      agree,
      h('p', { class: 'small muted take-consent-no' }, t('take.consent.no'))));
}

/** How long the answers are kept: the campaign's setting, else who decides it. */
function retentionText(campaign, org) {
  const months = campaign && campaign.retention_months;
  if (!months) return t('take.consent.retention.unset', { org });
  return months % 12 === 0
    ? t('take.consent.retention.years', { n: months / 12 })
    : t('take.consent.retention.months', { n: months });
}

/** Whom to ask about one's data: the campaign's contact (an e-mail address becomes a link), else the organiser. */
function contactParagraph(campaign, org) {
  const contact = campaign && campaign.data_contact ? String(campaign.data_contact).trim() : '';
  if (!contact) return h('p', { id: 'consent-contact' }, t('take.consent.contact', { org }));
  const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact);
  return h('p', { id: 'consent-contact' }, t('take.consent.contactAt', { org }), ' ',
    email ? h('a', { href: 'mailto:' + contact }, contact) : h('strong', {}, contact));
}

/** The campaign's time zone for its times ({code, iana}), or null. */
export function campaignZone(campaign) {
  return campaign && campaign.time_zone && campaign.time_zone_iana ? { code: campaign.time_zone, iana: campaign.time_zone_iana } : null;
}

// ---------------------------------------------------------------- the list of sections

function statusBadge(s) {
  if (s.status === 'open') return h('span', { class: 'badge badge-info' }, t('take.status.open'));
  if (s.status === 'closed') {
    return s.closed_reason === 'timeout'
      ? h('span', { class: 'badge badge-warn' }, t('take.status.timeout'))
      : h('span', { class: 'badge badge-ok' }, t('take.status.done'));
  }
  return h('span', { class: 'badge badge-muted' }, t('take.status.pending'));
}

export function sectionsScreen() {
  const a = S.attempt;
  const sections = a.sections || [];
  const current = sections.find((s) => s.status !== 'closed');
  const notice = S.notice && !S.notice.key.startsWith('take.login')
    ? h('div', { class: `notice notice-${S.notice.kind}`, role: 'status', id: 'sections-notice' }, h('p', {}, t(S.notice.key, S.notice.vars)))
    : null;
  const waiting = lobbyWaiting();
  const list = h('ol', { class: 'take-sections', id: 'section-list' }, sections.map((s) => {
    const isCurrent = current && s.position === current.position;
    const action = isCurrent && !waiting
      ? h('button', {
        type: 'button', class: 'btn btn-primary', dataset: { action: 'open' },
        onclick: () => openSection(s.position, { resume: s.status === 'open' }),
      }, s.status === 'open' ? t('take.sections.resume') : t('take.sections.open'))
      : null;
    return h('li', { class: 'take-section' + (isCurrent ? ' is-current' : ''), dataset: { position: String(s.position), status: s.status, reason: s.closed_reason || '' } },
      h('div', { class: 'take-section-main' },
        h('span', { class: 'take-section-no', 'aria-hidden': 'true' }, String(s.position + 1)),
        h('div', {},
          h('h2', { class: 'take-section-title' }, tx(s.title)),
          h('p', { class: 'small muted' }, t('take.sections.meta', { items: s.item_count ?? '–', time: minutes(s.time_limit_seconds) })))),
      h('div', { class: 'take-section-end' }, statusBadge(s), action));
  }));
  const allDone = sections.length > 0 && !current;
  const finishErr = h('div', { id: 'finish-error', 'aria-live': 'assertive' });
  const finish = allDone ? h('div', { class: 'card take-card take-finish' },
    h('h2', {}, t('take.finish.title')),
    h('p', {}, t('take.finish.body')),
    finishErr,
    h('button', { type: 'button', class: 'btn btn-primary btn-block', id: 'finish-test', onclick: (e) => finishTest(e.currentTarget, finishErr) }, t('take.finish.button'))) : null;
  return h('section', { class: 'take-screen', id: 'sections' },
    h('h1', {}, t('take.sections.title')),
    h('p', { class: 'muted' }, [a.campaign && a.campaign.name, a.organisation && a.organisation.name].filter(Boolean).join(' · ')),
    notice,
    waiting && current ? lobbyPanel() : null,
    list,
    finish,
    !allDone && a.campaign && a.campaign.closes_at ? h('p', { class: 'small muted', id: 'campaign-closes' }, t('take.sections.closes', { when: formatDateInZone(a.campaign.closes_at, campaignZone(a.campaign)) })) : null);
}

/** The lobby: waiting to be admitted, or admitted and waiting for the proctor to start. */
function lobbyPanel() {
  const lobby = lobbyState() || {};
  const step = lobby.admitted ? 'admitted' : 'waiting';
  return h('div', { class: 'card take-card take-lobby', id: 'lobby-wait', role: 'status', 'aria-live': 'polite', dataset: { step } },
    h('h2', {}, h('span', { class: 'take-lobby-dot', 'aria-hidden': 'true' }), t('take.lobby.title')),
    h('p', { class: 'take-lobby-step' }, t(lobby.admitted ? 'take.lobby.admitted' : 'take.lobby.notAdmitted')),
    h('p', { class: 'small muted' }, t('take.lobby.hint')));
}

async function finishTest(button, errBox) {
  button.disabled = true;
  errBox.replaceChildren();
  try {
    S.attempt = await capi('/api/v1/candidate/finish', { method: 'POST' });
    S.notice = null;
    sessionStorage.removeItem(POS_KEY);
    ended(endScreen);
  } catch (err) {
    button.disabled = false;
    errBox.replaceChildren(errorBox(err));
  }
}

// ---------------------------------------------------------------- the end

export function endScreen() {
  const a = S.attempt;
  const org = (a.organisation && a.organisation.name) || '';
  const scores = Array.isArray(a.scores) ? a.scores : null;
  let table = null;
  if (scores && scores.length) {
    const illustrative = scores.some((s) => s.illustrative);
    table = h('section', { class: 'card take-card', 'aria-labelledby': 'scores-title' },
      h('h2', { id: 'scores-title' }, t('take.scores.title')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'take-scores', id: 'scores' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('take.scores.scale')),
          h('th', { scope: 'col', class: 'num' }, t('take.scores.raw')),
          h('th', { scope: 'col', class: 'num' }, t('take.scores.pr')),
          h('th', { scope: 'col', class: 'num' }, t('take.scores.t')),
          h('th', { scope: 'col', class: 'num' }, t('take.scores.stanine')),
          h('th', { scope: 'col', class: 'num' }, t('take.scores.sten')))),
        h('tbody', {}, scores.map((s) => h('tr', { dataset: { scale: s.scale, instrument: s.instrument } },
          h('th', { scope: 'row' }, tx(s.scale_name) || s.scale, s.illustrative ? h('span', { class: 'take-illustrative', 'aria-label': t('take.scores.illustrative') }, ' *') : null),
          h('td', { class: 'num', dataset: { label: t('take.scores.rawShort') } }, formatNumber(s.raw, 2)),
          h('td', { class: 'num', dataset: { label: t('take.scores.pr') } }, formatNumber(s.pr, 1)),
          h('td', { class: 'num', dataset: { label: t('take.scores.t') } }, formatNumber(s.t, 1)),
          h('td', { class: 'num', dataset: { label: t('take.scores.stanine') } }, formatNumber(s.stanine, 0)),
          h('td', { class: 'num', dataset: { label: t('take.scores.sten') } }, formatNumber(s.sten, 0))))))),
      h('p', { class: 'small muted' }, t('take.scores.explain')),
      illustrative ? h('p', { class: 'small notice notice-warn' }, '* ', t('take.scores.illustrativeNote')) : null);
  }
  const out = h('button', { type: 'button', class: 'btn', id: 'end-signout', onclick: signOut }, t('nav.signout'));
  const report = h('div', { id: 'end-report' });
  offerReport(report);
  return h('section', { class: 'take-screen', id: 'end' },
    h('h1', {}, t('take.end.title')),
    h('div', { class: 'notice notice-ok', role: 'status' }, h('p', {}, t('take.end.body', { name: (a.participant && a.participant.name) || '' }))),
    table,
    !table ? h('p', {}, t('take.end.noScores', { org })) : null,
    report,
    h('p', {}, out));
}

/**
 * Offers the participant's own released report, where their campaign lets participants download
 * it (UU 27/2022): the server answers 404 otherwise, and then nothing is shown.
 */
async function offerReport(slot) {
  let url;
  try {
    url = await candidateBlobUrl('/api/v1/candidate/report');
  } catch {
    return;
  }
  slot.replaceChildren(h('section', { class: 'card take-card', 'aria-labelledby': 'report-title' },
    h('h2', { id: 'report-title' }, t('take.report.title')),
    h('p', {}, t('take.report.body')),
    h('p', {}, h('a', { class: 'btn btn-primary', id: 'report-download', href: url, download: 'laporan-hasil.pdf' }, t('take.report.download')))));
}

function expiredScreen() {
  const org = (S.attempt.organisation && S.attempt.organisation.name) || '';
  return h('section', { class: 'take-screen take-narrow', id: 'expired' },
    h('h1', {}, t('take.expired.title')),
    h('div', { class: 'notice notice-warn', role: 'status' }, h('p', {}, t('take.expired.body', { org }))),
    h('p', {}, h('button', { type: 'button', class: 'btn', onclick: signOut }, t('nav.signout'))));
}

export function signOut() {
  if (S.queue && !S.queue.stopped && S.queue.pendingFor() > 0) {
    const el = $('#save-status');
    el.textContent = t('take.save.waitBeforeLeaving');
    return;
  }
  stopStream();
  leavePauseQuietly();
  clearMessages();
  S.live = null;
  S.dismissed = new Set();
  clearCandidate();
  clearSnapshot();
  sessionStorage.removeItem(POS_KEY);
  S.attempt = null;
  S.section = null;
  S.notice = { kind: 'ok', key: 'take.login.signedOut' };
  stopClock();
  show(loginScreen);
}
