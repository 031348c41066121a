// The panel's integration of a participant's ratings into one final level per competency, in a
// modal dialog: every submitted rating side by side (exercise, assessor, level, the behaviour
// observed), their mean and the level it suggests, the level recorded so far, and a level to
// record with its reason, which the server requires where the level departs from the mean by
// more than half a level. A refusal is shown at the field it names (`levels.INT.reason` under
// Integritas's reason). The panel section lists whom to integrate: for HR and admin the
// participants with assignments, for a psychologist (who cannot list them) a search by name or NIP.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatDate, formatNumber } from './locale.js';
import { campaignPath, competencyName, exerciseName, fieldError, manages, ok, state } from './assessment-state.js';

const MAX_REASON = 1000;
const FIELD = /^levels\.([^.]+)(?:\.(level|reason))?$/;

/** Whether `level` departs from `mean` by more than half a level (then a reason is required). */
export function departs(level, mean) {
  return level != null && mean != null && Math.abs(level - mean) > 0.5 + 1e-9;
}

/**
 * Wires the dialog and draws the participants into #panel-body. Returns {open(id, opener), render,
 * renderList}.
 */
export function integrationPanel() {
  let current = null; // {id, data, error, opener}
  let form = {}; // code → {level: '' | '1'..'5', reason}
  let errors = {}; // `${code}.${part}` (part: level, reason, all) → text
  let notice = null; // () => node in the dialog
  let search = { q: '', rows: null, error: null };
  const dialog = () => $('#integration-dialog');

  function formOf(data) {
    const out = {};
    for (const c of data.competencies) {
      const recorded = c.integrated;
      const suggested = data.pending.length === 0 && c.suggested != null ? String(c.suggested) : '';
      out[c.code] = { level: recorded ? String(recorded.level) : suggested, reason: recorded?.reason || '' };
    }
    return out;
  }

  function showNotice(view, focus = false) {
    notice = view;
    const box = $('#integration-status');
    if (!box) return;
    box.replaceChildren(...(view ? [view()] : []));
    if (focus && box.firstElementChild) {
      box.firstElementChild.tabIndex = -1;
      box.firstElementChild.focus();
    }
  }

  function applyErrors() {
    if (!current?.data) return;
    for (const c of current.data.competencies) {
      fieldError(`int-${c.code}-level`, errors[`${c.code}.level`] || errors[`${c.code}.all`] || '');
      fieldError(`int-${c.code}-reason`, errors[`${c.code}.reason`] || '');
    }
  }

  /** The reason field's hint: when a reason is required for the level chosen. */
  function reasonHint(c) {
    const chosen = form[c.code].level === '' ? null : Number(form[c.code].level);
    if (c.mean == null) return t('assessment.integration.reasonHint');
    return departs(chosen, c.mean)
      ? t('assessment.integration.reasonRequired', { mean: formatNumber(c.mean, 2) })
      : t('assessment.integration.reasonOptional', { mean: formatNumber(c.mean, 2) });
  }

  function ratingsTable(c) {
    const caption = `int-${c.code}-caption`;
    if (!c.ratings.length) return h('p', { class: 'muted ac-int-none' }, t('assessment.integration.noRatings'));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'ac-int-ratings', 'aria-labelledby': caption },
      h('caption', { id: caption, class: 'sr-only' }, t('assessment.integration.ratingsCaption', { name: c.name ? tx(c.name) : competencyName(c.code) })),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('assessment.integration.col.exercise')),
        h('th', { scope: 'col' }, t('assessment.integration.col.assessor')),
        h('th', { scope: 'col', class: 'num' }, t('assessment.integration.col.level')),
        h('th', { scope: 'col' }, t('assessment.integration.col.evidence')))),
      h('tbody', {}, c.ratings.map((r) => h('tr', { dataset: { assessor: r.assessor.id, exercise: r.exercise } },
        h('td', {}, exerciseName(r.exercise)),
        h('th', { scope: 'row' }, r.assessor.name),
        h('td', { class: 'num' }, String(r.level)),
        h('td', { class: 'ac-evidence' }, r.evidence))))));
  }

  function competency(c) {
    const name = c.name ? tx(c.name) : competencyName(c.code);
    const title = `int-${c.code}-title`;
    const f = form[c.code];
    const recorded = c.integrated;
    const canRecord = c.ratings.length > 0;
    return h('section', { class: 'ac-int-comp', id: `int-${c.code}`, 'aria-labelledby': title, dataset: { code: c.code } },
      h('h3', { id: title }, name, ' ', h('span', { class: 'code-chip' }, c.code)),
      ratingsTable(c),
      canRecord ? h('p', { class: 'ac-int-mean', id: `int-${c.code}-mean` },
        t('assessment.integration.mean', { mean: formatNumber(c.mean, 2), suggested: c.suggested ?? '–', n: c.ratings.length })) : null,
      recorded ? h('p', { class: 'small ac-int-recorded', id: `int-${c.code}-recorded` }, t('assessment.integration.recorded', {
        level: recorded.level, mean: formatNumber(recorded.ratings_mean, 2), n: recorded.ratings, name: recorded.recorded_by.name, time: formatDate(recorded.recorded_at),
      }), recorded.reason ? [' ', t('assessment.integration.recordedReason', { reason: recorded.reason })] : null) : null,
      canRecord ? h('div', { class: 'ac-int-fields' },
        h('div', { class: 'field' },
          h('label', { for: `int-${c.code}-level` }, t('assessment.integration.level', { name })),
          h('select', {
            id: `int-${c.code}-level`, 'aria-describedby': `int-${c.code}-level-error`,
            onchange: (e) => {
              f.level = e.target.value;
              delete errors[`${c.code}.level`];
              delete errors[`${c.code}.all`];
              applyErrors();
              $(`#int-${c.code}-reason-hint`).textContent = reasonHint(c);
            },
          },
          h('option', { value: '', selected: f.level === '' }, t('assessment.integration.noLevel')),
          [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n), selected: f.level === String(n) }, t('assessment.integration.levelOption', { n })))),
          h('p', { class: 'field-error', id: `int-${c.code}-level-error`, hidden: true })),
        h('div', { class: 'field' },
          h('label', { for: `int-${c.code}-reason` }, t('assessment.integration.reason', { name })),
          h('textarea', {
            id: `int-${c.code}-reason`, rows: 2, maxlength: MAX_REASON, value: f.reason,
            'aria-describedby': `int-${c.code}-reason-hint int-${c.code}-reason-error`,
            oninput: (e) => {
              f.reason = e.target.value;
              if (errors[`${c.code}.reason`] && e.target.value.trim()) {
                delete errors[`${c.code}.reason`];
                applyErrors();
              }
            },
          }),
          h('p', { class: 'hint', id: `int-${c.code}-reason-hint` }, reasonHint(c)),
          h('p', { class: 'field-error', id: `int-${c.code}-reason-error`, hidden: true }))) : null);
  }

  function render() {
    if (!current || !dialog().open) return;
    const title = $('#integration-title');
    const body = $('#integration-body');
    if (current.error) {
      title.textContent = t('assessment.integration.title');
      body.replaceChildren(errorNotice(current.error, 'integration-load-error'));
      return;
    }
    const d = current.data;
    if (!d) return;
    const p = d.participant;
    title.textContent = t('assessment.integration.titleFor', { name: p.name });
    const focused = document.activeElement && body.contains(document.activeElement) ? document.activeElement.id : null;
    body.replaceChildren(...[
      h('p', { class: 'small muted', id: 'integration-facts' }, [p.nip, p.job_level, p.position, p.unit].filter(Boolean).join(' · ')),
      d.pending.length ? h('div', { class: 'notice notice-warn', id: 'integration-pending' },
        h('p', {}, t('assessment.integration.pending', { n: d.pending.length })),
        h('ul', {}, d.pending.map((s) => h('li', {}, t('assessment.integration.pendingSheet', { name: s.assessor.name, exercise: exerciseName(s.exercise) }))))) : null,
      h('form', { id: 'integration-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); save(); } },
        d.competencies.length
          ? d.competencies.map(competency)
          : h('p', { class: 'muted', id: 'integration-none' }, t('assessment.integration.none')),
        h('div', { id: 'integration-status' }),
        h('div', { class: 'btn-row ac-dialog-buttons' },
          h('button', { type: 'button', class: 'btn', id: 'integration-cancel', onclick: () => dialog().close() }, t('assessment.integration.close')),
          d.competencies.some((c) => c.ratings.length)
            ? h('button', { type: 'submit', class: 'btn btn-primary', id: 'integration-save' }, t('assessment.integration.save'))
            : null)),
    ].filter(Boolean));
    applyErrors();
    if (notice) showNotice(notice);
    if (focused && $('#' + focused)) $('#' + focused).focus();
  }

  /** The levels to record: every competency with a level chosen that differs from what is recorded. */
  function levels() {
    const out = {};
    for (const c of current.data.competencies) {
      const f = form[c.code];
      if (!f || f.level === '') continue;
      const level = Number(f.level);
      const reason = f.reason.trim();
      const recorded = c.integrated;
      if (recorded && recorded.level === level && (recorded.reason || '') === reason) continue;
      out[c.code] = reason ? { level, reason } : { level };
    }
    return out;
  }

  async function save() {
    const body = { levels: levels() };
    errors = {};
    applyErrors();
    if (!Object.keys(body.levels).length) {
      showNotice(() => h('div', { class: 'notice notice-info', role: 'status', id: 'integration-unchanged' }, h('p', {}, t('assessment.integration.unchanged'))), true);
      return;
    }
    const button = $('#integration-save');
    button.disabled = true;
    const id = current.id;
    try {
      const answer = await api(campaignPath(`/participants/${encodeURIComponent(id)}/integration`), { method: 'PUT', body });
      if (current?.id !== id) return;
      current.data = answer;
      form = formOf(answer);
      errors = {};
      notice = null;
      render();
      showNotice(() => ok(t('assessment.integration.saved', { n: Object.keys(body.levels).length }), 'integration-saved'), true);
    } catch (err) {
      if (current?.id !== id) return;
      let first = null;
      let general = [];
      for (const e of err.errors || []) {
        const m = FIELD.exec(e.field || '');
        const c = m && current.data.competencies.find((x) => x.code === m[1]);
        if (!c || !$(`#int-${c.code}-level`)) {
          general.push(e);
          continue;
        }
        const part = m[2] || 'all';
        errors[`${c.code}.${part}`] = part === 'reason'
          ? t('assessment.integration.err.reason', { mean: formatNumber(c.mean, 2) })
          : part === 'level' ? t('assessment.integration.err.level') : e.message;
        first = first || $(`#int-${c.code}-${part === 'reason' ? 'reason' : 'level'}`);
      }
      applyErrors();
      showNotice(() => (err.code === 'invalid_integration'
        ? h('div', { class: 'notice notice-error', role: 'alert', id: 'integration-invalid', dataset: { code: err.code } },
          h('p', {}, t('assessment.integration.invalid', { n: (err.errors || []).length })),
          general.length ? h('ul', {}, general.map((e) => h('li', {}, e.message))) : null)
        : errorNotice(err, 'integration-error')));
      if (first) first.focus();
      button.disabled = false;
    }
  }

  /** Opens participant `id`'s integration; focus returns to `opener` when the dialog closes. */
  async function open(id, opener = null) {
    current = { id, data: null, error: null, opener };
    form = {};
    errors = {};
    notice = null;
    $('#integration-title').textContent = t('assessment.integration.title');
    $('#integration-body').replaceChildren(h('p', { class: 'muted', id: 'integration-loading' }, t('loading')));
    if (!dialog().open) dialog().showModal();
    $('#integration-title').focus();
    try {
      const data = await api(campaignPath(`/participants/${encodeURIComponent(id)}/integration`));
      if (current?.id !== id) return;
      current.data = data;
      form = formOf(data);
    } catch (err) {
      if (current?.id !== id) return;
      current.error = err;
    }
    render();
    $('#integration-title').focus();
  }

  dialog().addEventListener('close', () => {
    const back = current?.opener;
    current = null;
    if (back && back.isConnected) back.focus();
  });
  $('#integration-close').addEventListener('click', () => dialog().close());

  // ---- The participants to integrate ----

  /** HR and admin: everyone with an assignment, with how many of their sheets are in. */
  function assigned() {
    const people = new Map();
    for (const a of state.assignments || []) {
      const p = people.get(a.participant.id) || { participant: a.participant, n: 0, submitted: 0 };
      p.n += 1;
      if (a.status === 'submitted') p.submitted += 1;
      people.set(a.participant.id, p);
    }
    return [...people.values()].sort((a, b) => a.participant.name.localeCompare(b.participant.name) || a.participant.nip.localeCompare(b.participant.nip));
  }

  function openButton(p) {
    return h('button', {
      type: 'button', class: 'btn btn-small ac-integrate', dataset: { participant: p.id },
      'aria-label': t('assessment.panel.openLabel', { name: p.name }), onclick: (e) => open(p.id, e.currentTarget),
    }, t('assessment.panel.open'));
  }

  function peopleTable(rows, withSheets) {
    return h('div', { class: 'table-wrap' }, h('table', { id: 'panel-table', 'aria-labelledby': 'panel-title' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('assessment.panel.col.participant')),
        h('th', { scope: 'col' }, t('assessment.panel.col.unit')),
        withSheets ? h('th', { scope: 'col' }, t('assessment.panel.col.sheets')) : null,
        h('th', { scope: 'col' }, t('assessment.panel.col.actions')))),
      h('tbody', {}, rows.map((r) => h('tr', { dataset: { participant: r.participant.id } },
        h('th', { scope: 'row' }, r.participant.name, ' ', h('span', { class: 'small muted mono' }, r.participant.nip)),
        h('td', {}, r.participant.unit || '–'),
        withSheets ? h('td', {}, t('assessment.panel.sheets', { submitted: r.submitted, n: r.n })) : null,
        h('td', {}, openButton(r.participant)))))));
  }

  async function find() {
    const q = $('#panel-q').value.trim();
    search = { q, rows: null, error: null };
    renderList();
    try {
      const page = await api(campaignPath('/competencies/participants'), { query: { q, per_page: 25, sort: 'name' } });
      search.rows = page.rows.map((r) => ({ participant: { id: r.participant, nip: r.nip, name: r.name, unit: r.unit } }));
      search.total = page.total;
    } catch (err) {
      search.error = err;
    }
    renderList();
  }

  function renderList() {
    const body = $('#panel-body');
    if (manages()) {
      const rows = assigned();
      body.replaceChildren(
        h('p', {}, t('assessment.panel.intro')),
        state.assignments == null
          ? h('p', { class: 'muted' }, t('loading'))
          : rows.length ? peopleTable(rows, true) : h('p', { class: 'muted', id: 'panel-none' }, t('assessment.panel.none')));
      return;
    }
    const focused = document.activeElement && document.activeElement.id === 'panel-q';
    body.replaceChildren(
      h('p', {}, t('assessment.panel.introReader')),
      h('form', { id: 'panel-search', class: 'inline-form', role: 'search', novalidate: true, onsubmit: (e) => { e.preventDefault(); find(); } },
        h('div', { class: 'field' },
          h('label', { for: 'panel-q' }, t('assessment.panel.q')),
          h('input', { type: 'search', id: 'panel-q', value: search.q, autocomplete: 'off', spellcheck: 'false', maxlength: 100 })),
        h('button', { type: 'submit', class: 'btn btn-primary', id: 'panel-find' }, t('assessment.panel.find'))),
      h('div', { id: 'panel-result', class: 'mt', 'aria-live': 'polite' },
        search.error ? errorNotice(search.error, 'panel-error')
          : search.rows == null ? (search.q ? h('p', { class: 'muted' }, t('loading')) : null)
            : search.rows.length ? [h('p', { class: 'small', id: 'panel-found' }, t('assessment.panel.found', { n: search.rows.length, total: search.total })), peopleTable(search.rows, false)]
              : h('p', { class: 'muted', id: 'panel-none' }, t('assessment.panel.notFound'))));
    if (focused) $('#panel-q').focus();
  }

  return { open, render, renderList };
}
