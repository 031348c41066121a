// One participant's profile in a modal dialog: competency levels against the standard (a chart and
// a table), the evidence behind each level (the scale scores, their values, the cut that applied,
// the mapping's version), overrides (set or removed with a reason by admin and HR; the computed
// level stays beside them), the 9-box with its bases or why it is not placed, IP ASN with its four
// dimensions or what is missing, ranks, development needs with their routes, and every scale
// score with its norm table. The dialog keeps focus inside while open and gives it back to the
// button that opened it.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { has, t, tx } from './i18n.js';
import { formatCount, formatDate, formatNumber } from './locale.js';
import { chartId, levelBars, legend } from './charts.js';
import { nineBoxGrid } from './results-charts.js';
import { boxText, competencyName, mayOverride, percent, schemeName, signed, state, writeAddress } from './results-state.js';

let current = null; // {id, data, error}
let opener = null;
let editing = null; // competency code whose override form is open
let onChanged = async () => {};
let announce = '';

const dialog = () => $('#profile-dialog');

/** Wires the dialog once; `changed()` runs after an override was saved (to refresh the rest). */
export function initProfile({ changed }) {
  onChanged = changed;
  $('#profile-close').addEventListener('click', () => dialog().close());
  // With the dialog open, the printout is the profile alone (app.css, @media print).
  $('#profile-print').addEventListener('click', () => window.print());
  dialog().addEventListener('close', () => {
    const id = current?.id;
    current = null;
    editing = null;
    writeAddress({ participant: null });
    const back = (opener && opener.isConnected ? opener : null) || (id && $(`button.rs-open[data-participant="${id}"]`));
    opener = null;
    // The name that opened the dialog, or (when the table no longer lists that person) the table.
    (back || $('#table-wrap'))?.focus();
  });
}

/** Whether the dialog shows a participant now. */
export function profileOpen() {
  return dialog().open;
}

/** Closes the dialog (the address no longer names a participant). */
export function closeProfile() {
  if (dialog().open) dialog().close();
}

/** Opens the profile of participant `id`; `from` is the button to give focus back to. */
export async function openProfile(id, from = null, { push = false } = {}) {
  opener = from;
  editing = null;
  announce = '';
  current = { id, data: null, error: null };
  writeAddress({ push, participant: id });
  $('#profile-title').textContent = t('results.profile.loading');
  $('#profile-body').replaceChildren(h('p', { class: 'muted rs-loading', id: 'profile-loading' }, t('results.profile.loading')));
  if (!dialog().open) dialog().showModal();
  $('#profile-title').focus();
  await loadProfile(id);
  if (current?.id === id) $('#profile-title').focus();
}

async function loadProfile(id) {
  try {
    const data = await api(`/api/v1/campaigns/${state.campaignId}/competencies/participants/${encodeURIComponent(id)}`);
    if (current?.id !== id) return;
    current.data = data;
    current.error = null;
  } catch (err) {
    if (current?.id !== id) return;
    current.error = err;
  }
  renderProfile();
}

/** Draws the open profile again (after loading, or in the new language). */
export function renderProfile() {
  if (!current || !dialog().open) return;
  if (current.error) {
    $('#profile-title').textContent = t('results.profile.title');
    $('#profile-body').replaceChildren(errorNotice(current.error, 'profile-error'));
    return;
  }
  const p = current.data;
  if (!p) return;
  $('#profile-title').textContent = p.name;
  $('#profile-body').replaceChildren(
    h('p', { class: 'sr-only', id: 'profile-announce', role: 'status' }, announce),
    facts(p),
    levelsSection(p),
    nineBoxSection(p),
    ipAsnSection(p),
    developmentSection(p),
    scoresSection(p),
    h('p', { class: 'small muted', id: 'profile-rules' }, t('results.profile.rules', {
      mapping: p.rules.evidence_mapping, jpm: p.rules.jpm, schemes: p.rules.category_schemes, nine: p.rules.nine_box,
      ip: p.rules.ip_asn, development: p.rules.development, year: p.rules.performance_year,
    })));
}

function section(id, title, ...children) {
  return h('section', { class: 'rs-profile-section', id, 'aria-labelledby': id + '-title' }, h('h3', { id: id + '-title' }, title), ...children);
}

function statusText(s) {
  return has('results.status.' + s) ? t('results.status.' + s) : s;
}

function facts(p) {
  const standard = p.standard
    ? t('results.profile.standardText', { level: p.standard.job_level, position: p.standard.position || t('results.profile.anyPosition'), version: p.standard.version })
    : t('results.profile.noStandard');
  const jpm = p.jpm?.jpm;
  let jpmText;
  if (jpm?.status === 'complete') {
    jpmText = [h('strong', { id: 'profile-jpm' }, percent(jpm.percent)), ' ',
      h('span', { class: 'small muted' }, t('results.profile.jpmSums', { counted: jpm.sum_counted, required: jpm.sum_required })),
      jpm.capped_at_100 ? h('span', { class: 'small muted' }, ' ', t('results.profile.capped')) : null];
  } else if (jpm?.status === 'incomplete') {
    jpmText = h('span', { id: 'profile-jpm' }, t('results.profile.jpmIncomplete', { list: jpm.missing.map(competencyName).join(', ') }));
  } else {
    jpmText = h('span', { id: 'profile-jpm' }, t('results.noJpm.' + (p.no_jpm || 'no_scores')));
  }
  const rank = (r) => (r == null ? '–' : formatCount(r));
  return h('dl', { class: 'facts rs-facts', id: 'profile-facts' },
    h('dt', {}, t('results.col.nip')), h('dd', { class: 'mono', id: 'profile-nip' }, p.nip),
    h('dt', {}, t('results.profile.education')), h('dd', {}, p.education || '–'),
    h('dt', {}, t('results.col.jobLevel')), h('dd', {}, [p.job_level, p.position].filter(Boolean).join(' · ')),
    h('dt', {}, t('results.col.unit')), h('dd', {}, p.unit || '–'),
    h('dt', {}, t('results.col.status')), h('dd', {}, statusText(p.status)),
    h('dt', {}, t('results.profile.standard')), h('dd', { id: 'profile-standard' }, standard),
    h('dt', {}, t('results.col.jpm')), h('dd', {}, jpmText),
    h('dt', {}, t('results.col.category')), h('dd', { id: 'profile-categories' }, p.categories.length
      ? p.categories.map((c, i) => [i ? ' · ' : '', t('results.profile.categoryIn', { category: c.category, scheme: schemeName(c.scheme) })])
      : '–'),
    h('dt', {}, t('results.profile.ranks')), h('dd', { id: 'profile-ranks' }, t('results.profile.ranksText', {
      campaign: rank(p.ranks.campaign), position: rank(p.ranks.position), unit: rank(p.ranks.unit),
    })),
    h('dt', {}, t('results.profile.flags')), h('dd', {},
      p.fast_track ? h('span', { class: 'badge badge-info' }, t('results.badge.fast')) : null, ' ',
      p.nine_box?.outcome?.talent_pool ? h('span', { class: 'badge badge-ok' }, t('results.badge.pool')) : null,
      !p.fast_track && !p.nine_box?.outcome?.talent_pool ? '–' : null));
}

/** The words of one piece of evidence: "SJT-ASN · INTEGRITAS, T, weight 1: 44.67". */
function sourceText(s) {
  const src = s.source;
  const value = s.score == null ? t('results.evidence.missing') : formatNumber(s.score, 2);
  if (src.kind === 'assessor_rating') return t('results.evidence.rating', { exercise: src.exercise, weight: formatNumber(src.weight, 2), value });
  if (src.kind === 'assessor_panel') return t('results.evidence.panel', { weight: formatNumber(src.weight, 2), value });
  return t('results.evidence.scale', {
    instrument: src.instrument, scale: src.scale, score: t('results.score.' + src.score), weight: formatNumber(src.weight, 2), value,
  });
}

function cutText(cut) {
  if (cut.from == null) return t('results.evidence.cutBelow', { level: cut.level, to: formatNumber(cut.to, 2) });
  if (cut.to == null) return t('results.evidence.cutFrom', { level: cut.level, from: formatNumber(cut.from, 2) });
  return t('results.evidence.cutBetween', { level: cut.level, from: formatNumber(cut.from, 2), to: formatNumber(cut.to, 2) });
}

function evidence(l) {
  const c = l.computed;
  const o = c.outcome;
  let outcome;
  if (o.status === 'assigned') outcome = t('results.evidence.assigned', { combined: formatNumber(o.combined, 2), cut: cutText(o.cut) });
  else if (o.status === 'combined') {
    // Test evidence and assessor evidence side by side, then what they make together.
    outcome = [
      o.test ? t('results.evidence.testPart', { combined: formatNumber(o.test.combined, 2), level: o.test.level }) : t('results.evidence.noTestPart'),
      ' ',
      o.assessor != null ? t('results.evidence.assessorPart', { value: formatNumber(o.assessor, 2) }) : t('results.evidence.noAssessorPart'),
      ' ',
      t('results.evidence.combinedLevel', { combined: formatNumber(o.combined, 2), level: o.level }),
    ].join('');
  } else if (o.status === 'missing_evidence') outcome = t('results.evidence.missingEvidence', { present: o.present, required: o.required });
  else outcome = t('results.evidence.outside', { combined: formatNumber(o.combined, 2) });
  return h('div', { class: 'rs-evidence' },
    h('ul', { class: 'rs-sources' }, c.sources.map((s) => h('li', {}, sourceText(s)))),
    h('p', { class: 'rs-outcome' }, outcome, ' ', h('span', { class: 'muted' }, t('results.evidence.version', { v: c.mapping_version }))));
}

function who(by) {
  return state.me && by === state.me.id ? t('results.override.you') : t('results.override.someone', { id: String(by).slice(-8) });
}

function levelsSection(p) {
  if (p.levels.length === 0) return section('profile-levels', t('results.profile.levels'), h('p', { class: 'muted' }, t('results.profile.noLevels')));
  const required = p.standard?.required || {};
  const gapOf = Object.fromEntries((p.jpm?.competencies || []).map((c) => [c.competency, c.gap]));
  const rows = p.levels.map((l) => {
    const code = l.computed.competency;
    const o = l.computed.outcome;
    const computed = o.status === 'assigned' || o.status === 'combined' ? o.level : null;
    const effective = l.override ? l.override.level : computed;
    return { code, computed, effective, required: required[code] ?? null, gap: gapOf[code] ?? null, l };
  });
  const title = t('results.profile.levelsChart', { name: p.name });
  const below = rows.filter((r) => r.gap != null && r.gap < 0).map((r) => competencyName(r.code));
  const desc = rows.some((r) => r.required != null)
    ? (below.length ? t('results.profile.levelsDescBelow', { list: below.join(', ') }) : t('results.profile.levelsDescMeets'))
    : t('results.profile.levelsDescNoStandard');
  const chart = levelBars({
    id: chartId('person'), title, desc, format: (v) => formatNumber(v, 0),
    words: { achieved: t('results.profile.level'), required: t('results.profile.required'), below: t('results.profile.belowStandard'), none: t('results.profile.noLevel') },
    rows: rows.map((r) => ({ key: r.code, label: competencyName(r.code), achieved: r.effective, required: r.required,
      note: r.l.override ? t('results.override.chartNote', { computed: r.computed ?? '–' }) : null })),
  });
  const canEdit = mayOverride();
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'rs-levels', id: 'profile-level-table' },
    h('caption', { class: 'sr-only' }, t('results.profile.levels')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('results.dev.competency')),
      h('th', { scope: 'col', class: 'num' }, t('results.profile.level')),
      h('th', { scope: 'col', class: 'num' }, t('results.profile.required')),
      h('th', { scope: 'col', class: 'num' }, t('results.profile.gap')),
      h('th', { scope: 'col' }, t('results.profile.evidence')))),
    h('tbody', {}, rows.flatMap((r) => {
      const o = r.l.override;
      const lines = [h('tr', { class: 'rs-level-row' + (r.gap != null && r.gap < 0 ? ' is-below' : ''), dataset: { code: r.code } },
        h('th', { scope: 'row' }, competencyName(r.code), ' ', h('span', { class: 'muted small mono' }, r.code)),
        h('td', { class: 'num rs-effective' }, r.effective == null ? '–' : String(r.effective), o ? h('span', { class: 'rs-sub' }, t('results.override.computedWas', { level: r.computed ?? '–' })) : null),
        h('td', { class: 'num rs-required' }, r.required == null ? '–' : String(r.required)),
        h('td', { class: 'num rs-gap-cell' }, signed(r.gap)),
        h('td', { class: 'rs-evidence-cell' }, evidence(r.l),
          o ? h('p', { class: 'rs-override-note' }, h('span', { class: 'badge badge-warn' }, t('results.override.badge')), ' ',
            t('results.override.note', { level: o.level, who: who(o.by), at: formatDate(o.at), reason: o.reason })) : null,
          canEdit ? h('div', { class: 'btn-row rs-override-actions' },
            h('button', {
              type: 'button', class: 'btn btn-small rs-override-open', 'aria-expanded': editing === r.code ? 'true' : 'false',
              'aria-controls': `override-${r.code}`, 'aria-label': t(o ? 'results.override.changeLabel' : 'results.override.setLabel', { competency: competencyName(r.code) }),
              onclick: () => toggleEdit(r.code),
            }, t(o ? 'results.override.change' : 'results.override.set'))) : null))];
      if (canEdit && editing === r.code) lines.push(h('tr', { class: 'rs-override-row' }, h('td', { colspan: '5' }, overrideForm(p, r))));
      return lines;
    }))));
  return section('profile-levels', t('results.profile.levels'), h('div', { class: 'chart-wrap' }, chart),
    legend([
      { className: 'chart-swatch-achieved', label: t('results.profile.level') },
      { className: 'chart-swatch-below', label: t('results.profile.belowStandard') },
      { className: 'chart-swatch-required', label: t('results.profile.required') },
    ]),
    h('p', { class: 'small muted' }, desc), table);
}

function toggleEdit(code) {
  editing = editing === code ? null : code;
  renderProfile();
  const target = editing ? $(`#override-${code} select`) : $(`tr.rs-level-row[data-code="${code}"] .rs-override-open`);
  if (target) target.focus();
}

function overrideForm(p, r) {
  const o = r.l.override;
  const id = `override-${r.code}`;
  const errors = h('div', { class: 'rs-override-errors', 'aria-live': 'polite' });
  const level = h('select', { id: id + '-level', name: 'level' },
    [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n), selected: (o ? o.level : r.effective ?? r.computed) === n }, t('results.override.levelOption', { n }))));
  const reason = h('textarea', { id: id + '-reason', name: 'reason', maxlength: '1000', required: true, rows: '2', 'aria-describedby': id + '-hint' });
  const send = async (value) => {
    errors.replaceChildren();
    const text = reason.value.trim();
    if (!text) {
      reason.setAttribute('aria-invalid', 'true');
      errors.replaceChildren(h('p', { class: 'field-error', id: id + '-missing' }, t('results.override.reasonNeeded')));
      reason.focus();
      return;
    }
    try {
      await api(`/api/v1/campaigns/${state.campaignId}/participants/${p.participant}/competencies/${encodeURIComponent(r.code)}/override`,
        { method: 'PUT', body: { level: value, reason: text } });
      editing = null;
      announce = value == null
        ? t('results.override.removed', { competency: competencyName(r.code) })
        : t('results.override.saved', { competency: competencyName(r.code), level: value });
      await loadProfile(p.participant);
      const btn = $(`tr.rs-level-row[data-code="${r.code}"] .rs-override-open`);
      if (btn) btn.focus();
      await onChanged();
    } catch (err) {
      const box = errorNotice(err, 'override-error');
      if (err.errors?.length) box.append(h('ul', { class: 'small' }, err.errors.map((e) => h('li', {}, h('code', {}, e.field), ': ', e.message))));
      errors.replaceChildren(box);
    }
  };
  return h('form', {
    class: 'rs-override-form', id, novalidate: true,
    onsubmit: (e) => { e.preventDefault(); send(Number(level.value)); },
  },
  h('p', { class: 'small' }, t('results.override.intro', { competency: competencyName(r.code), computed: r.computed ?? '–' })),
  h('div', { class: 'rs-override-fields' },
    h('div', { class: 'field' }, h('label', { for: id + '-level' }, t('results.override.level')), level),
    h('div', { class: 'field rs-grow' }, h('label', { for: id + '-reason' }, t('results.override.reason')), reason,
      h('p', { class: 'hint', id: id + '-hint' }, t('results.override.reasonHint')))),
  errors,
  h('div', { class: 'btn-row' },
    h('button', { type: 'submit', class: 'btn btn-primary btn-small', id: id + '-save' }, t('results.override.save')),
    o ? h('button', { type: 'button', class: 'btn btn-danger btn-small', id: id + '-remove', onclick: () => send(null) }, t('results.override.remove')) : null,
    h('button', { type: 'button', class: 'btn btn-small', id: id + '-cancel', onclick: () => toggleEdit(r.code) }, t('results.override.cancel'))));
}

function nineBoxSection(p) {
  const nb = p.nine_box;
  if (!nb) return section('profile-nine', t('results.nine.title'), h('p', { class: 'muted' }, t('results.profile.noNineBox')));
  const o = nb.outcome;
  const placed = o.status === 'placed';
  const head = placed
    ? h('p', { id: 'profile-box' }, h('strong', {}, boxText(o.box_number)), o.talent_pool ? [' ', h('span', { class: 'badge badge-ok' }, t('results.badge.pool'))] : null)
    : h('div', { id: 'profile-box' }, h('p', {}, t('results.profile.notPlaced')),
      h('ul', { id: 'profile-not-placed' }, o.reasons.map((r) => h('li', { dataset: { reason: r.reason } }, reasonText(r)))));
  const bases = [];
  if (nb.performance) {
    bases.push(h('li', { id: 'basis-performance' }, t('results.profile.performanceBasis', {
      ratings: nb.performance.ratings.map((r) => t('results.profile.rating', { year: r.year, predicate: t('results.predicate.' + r.predicate) })).join('; '),
      level: t('results.performance.' + nb.performance.level),
    })));
  }
  if (nb.potential) {
    const pot = nb.potential;
    bases.push(h('li', { id: 'basis-potential' }, t('results.profile.potentialBasis', {
      jpm: percent(pot.jpm), counted: formatNumber(pot.jpm_counted, 2),
      cognitive: pot.cognitive.map((c) => `${c.source.instrument} · ${c.source.scale} ${t('results.score.' + c.source.score)} ${formatNumber(c.score, 2)}`).join('; '),
      mean: formatNumber(pot.cognitive_mean, 2), score: formatNumber(pot.score, 2), level: t('results.potential.' + pot.level),
    })));
  }
  const grid = placed ? nineBoxGrid({
    compact: true, highlight: o.box_number, title: t('results.profile.boxPicture'), desc: boxText(o.box_number),
  }) : null;
  return section('profile-nine', t('results.nine.title'),
    h('div', { class: 'rs-profile-nine' },
      h('div', {}, head, bases.length ? h('ul', { class: 'rs-bases' }, bases) : null,
        h('p', { class: 'small muted' }, t('results.profile.nineVersion', { v: nb.rule_version }))),
      grid ? h('div', { class: 'chart-wrap rs-mini-grid' }, grid) : null));
}

function reasonText(r) {
  if (r.reason === 'no_cognitive_score') return t('results.notPlaced.no_cognitive_score', { instrument: r.instrument, scale: r.scale });
  if (r.reason === 'potential_outside_cuts') return t('results.notPlaced.potential_outside_cuts', { score: formatNumber(r.score, 2) });
  return has('results.notPlaced.' + r.reason) ? t('results.notPlaced.' + r.reason) : r.reason;
}

function ipAsnSection(p) {
  const ip = p.ip_asn;
  if (!ip) {
    return section('profile-ip', t('results.ip.title'), h('p', { id: 'profile-ip-missing' },
      p.no_ip_asn.length
        ? t('results.ip.missing', { list: p.no_ip_asn.map((m) => t('results.ip.input.' + m)).join(', ') })
        : t('results.ip.none')));
  }
  const dims = ['qualification', 'competency', 'performance', 'discipline'];
  return section('profile-ip', t('results.ip.title'), h('div', { class: 'table-wrap' }, h('table', { id: 'profile-ip-table', class: 'rs-compact' },
    h('caption', { class: 'sr-only' }, t('results.ip.title')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('results.ip.dimension')), h('th', { scope: 'col', class: 'num' }, t('results.ip.points')))),
    h('tbody', {}, dims.map((d) => h('tr', { dataset: { dimension: d } }, h('th', { scope: 'row' }, t('results.ip.' + d)), h('td', { class: 'num' }, formatNumber(ip[d], 2))))),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('results.ip.total')),
      h('td', { class: 'num', id: 'profile-ip-total' }, h('strong', {}, formatNumber(ip.total, 2)), ip.category ? [' ', h('span', { class: 'badge' }, ip.category)] : null))))),
  h('p', { class: 'small muted' }, t('results.ip.version', { v: ip.rule_version })));
}

function developmentSection(p) {
  const needs = p.development?.needs || [];
  return section('profile-development', t('results.profile.development'), needs.length === 0
    ? h('p', { class: 'muted', id: 'profile-no-needs' }, p.jpm ? t('results.profile.noNeeds') : t('results.profile.noNeedsNoJpm'))
    : h('div', { class: 'table-wrap' }, h('table', { id: 'profile-needs', class: 'rs-compact' },
      h('caption', { class: 'sr-only' }, t('results.profile.development')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('results.dev.competency')),
        h('th', { scope: 'col', class: 'num' }, t('results.profile.required')),
        h('th', { scope: 'col', class: 'num' }, t('results.profile.level')),
        h('th', { scope: 'col', class: 'num' }, t('results.profile.shortfall')),
        h('th', { scope: 'col' }, t('results.profile.route')))),
      h('tbody', {}, needs.map((n) => h('tr', { dataset: { code: n.competency } },
        h('th', { scope: 'row' }, competencyName(n.competency)),
        h('td', { class: 'num' }, String(n.required)),
        h('td', { class: 'num' }, String(n.achieved)),
        h('td', { class: 'num' }, String(n.shortfall)),
        h('td', {}, n.route ? t('results.route.' + n.route) : '–')))))));
}

function scoresSection(p) {
  return section('profile-scores', t('results.profile.scores'), p.scores.length === 0
    ? h('p', { class: 'muted' }, t('results.profile.noScores'))
    : h('div', { class: 'table-wrap' }, h('table', { id: 'profile-score-table', class: 'rs-compact' },
      h('caption', { class: 'sr-only' }, t('results.profile.scores')),
      h('thead', {}, h('tr', {}, [
        [t('campaigns.results.instrument')], [t('campaigns.results.scale')], [t('campaigns.results.raw'), 'num'], ['PR', 'num'], ['T', 'num'],
        [t('campaigns.results.stanine'), 'num'], [t('results.profile.normTable')], [t('results.profile.scoring')],
      ].map(([label, cls]) => h('th', { scope: 'col', class: cls || null }, label)))),
      h('tbody', {}, p.scores.map((s) => h('tr', { dataset: { instrument: s.instrument, scale: s.scale } },
        h('td', { class: 'mono' }, `${s.instrument} v${s.instrument_version}`),
        h('td', { class: 'mono' }, s.scale),
        h('td', { class: 'num' }, formatNumber(s.raw, 2)),
        h('td', { class: 'num' }, formatNumber(s.pr, 1)),
        h('td', { class: 'num' }, formatNumber(s.t, 1)),
        h('td', { class: 'num' }, s.stanine == null ? '–' : String(s.stanine)),
        h('td', {}, s.norm_table_name ? tx(s.norm_table_name) : (s.norm_group || '–'),
          s.norm_group ? h('span', { class: 'rs-sub mono' }, s.norm_group) : null,
          s.illustrative ? [' ', h('span', { class: 'badge badge-warn' }, t('bank.norms.illustrative'))] : null),
        h('td', { class: 'small mono' }, s.scoring_version || '–')))))));
}
