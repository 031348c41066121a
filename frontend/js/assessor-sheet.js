// One sheet of the assessor: who is rated in which exercise, and per competency the five levels as
// radio buttons (each with its description; its indicators open on demand) and the behaviour
// observed. The draft is saved as the assessor writes (assessor-autosave), based on the revision
// last seen: a sheet saved elsewhere meanwhile is loaded again and the assessor told, a sheet
// locked meanwhile is shown locked. Submitting asks first; a refusal names each field and the page
// shows the words at that field. A submitted sheet is read-only, and the other assessors' ratings
// of the participant appear once theirs are submitted too.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t, tx } from './i18n.js';
import { formatDate, formatTime } from './locale.js';
import { autosaver } from './assessor-autosave.js';
import { statusBadge } from './assessor-list.js';

const MAX_EVIDENCE = 4000;

/** The draft as the API takes it: only competencies with a level or some evidence. */
function draftOf(local, competencies) {
  const ratings = {};
  for (const c of competencies) {
    const r = local[c.code];
    if (!r) continue;
    if (r.level != null || (r.evidence || '').trim() !== '') ratings[c.code] = { level: r.level ?? null, evidence: r.evidence || '' };
  }
  return ratings;
}

/** The element of a field path the API names: `ratings.INT.level` → the INT radio group. */
function fieldOf(field) {
  const m = /^ratings\.([^.]+)(?:\.(level|evidence))?$/.exec(field || '');
  if (!m) return null;
  return { code: m[1], part: m[2] || 'level' };
}

/**
 * Draws a sheet into #sheet. `back()` returns to the list; `changed()` runs when a sheet's status
 * changed (to refresh the list); `integrate(assignment, button)` opens the participant's panel
 * integration for their lead assessor. Returns {open, close, render}.
 */
export function sheetPanel({ back, changed, integrate }) {
  let ws = null; // the workspace as the server last gave it
  let local = {}; // the ratings as the page shows them, by code
  let errors = {}; // `${code}.${part}` → text shown at that field
  let notice = null; // () => node above the sheet
  let saveState = null; // 'saving' | 'saved' | 'offline' | null
  let saver = null;
  let openedId = null;

  const sheet = () => $('#sheet');
  const editable = () => ws && ws.assignment.status !== 'submitted';

  function copyRatings(ratings) {
    const out = {};
    for (const [code, r] of Object.entries(ratings || {})) out[code] = { level: r.level ?? null, evidence: r.evidence || '' };
    return out;
  }

  function saveText() {
    if (saveState === 'saving') return t('assessor.save.saving');
    if (saveState === 'offline') return t('assessor.save.offline');
    if (saveState === 'invalid') return t('assessor.save.notSaved');
    if (ws && ws.assignment.saved_at && editable()) return t('assessor.save.saved', { time: formatTime(ws.assignment.saved_at) });
    return '';
  }

  function showSaveState(next) {
    saveState = next;
    const el = $('#save-status');
    if (!el) return;
    el.dataset.state = next && next !== 'saved' ? next : ws && ws.assignment.saved_at ? 'saved' : 'idle';
    el.textContent = saveText();
  }

  function setNotice(view, focus = false) {
    notice = view;
    const box = $('#sheet-notice');
    if (box) box.replaceChildren(...(notice ? [notice()] : []));
    if (focus && box && box.firstElementChild) {
      box.firstElementChild.tabIndex = -1;
      box.firstElementChild.focus();
    }
  }

  function startSaver() {
    if (saver) saver.stop();
    saver = null;
    if (!editable()) return;
    const id = ws.assignment.id;
    saver = autosaver({
      payload: () => draftOf(local, ws.competencies),
      send: (ratings) => api(`/api/v1/assessor/assignments/${encodeURIComponent(id)}/ratings`, {
        method: 'PUT', body: { ratings, revision: ws.assignment.revision },
      }),
      saved: (answer) => {
        // Only the sheet's bookkeeping is taken: the text being typed stays as the page has it.
        ws.assignment = answer.assignment;
        ws.others = answer.others;
        $('#sheet-status')?.replaceWith(statusBadge(ws.assignment, 'sheet-status'));
        clearSaveErrors();
      },
      failed: (err) => refused(err, 'save'),
      state: showSaveState,
    });
  }

  async function fetchSheet(id) {
    return api(`/api/v1/assessor/assignments/${encodeURIComponent(id)}`);
  }

  /** Loads the sheet again from the server (after a stale or locked answer); the page's draft goes. */
  async function reload() {
    try {
      ws = await fetchSheet(ws.assignment.id);
      local = copyRatings(ws.assignment.ratings);
      errors = {};
      saveState = null;
      startSaver();
      render();
    } catch (err) {
      setNotice(() => errorNotice(err, 'sheet-error'), true);
    }
  }

  function clearSaveErrors() {
    let any = false;
    for (const k of Object.keys(errors)) {
      if (errors[k].from === 'save') {
        delete errors[k];
        any = true;
      }
    }
    if (any) applyErrors();
  }

  /** An answer that refused a save or a submission. */
  async function refused(err, from) {
    if (err.code === 'stale_revision') {
      await reload();
      setNotice(() => h('div', { class: 'notice notice-warn', role: 'alert', id: 'sheet-stale' }, h('p', {}, t('assessor.stale'))), true);
      return;
    }
    if (err.code === 'rating_locked') {
      await reload();
      changed();
      setNotice(() => h('div', { class: 'notice notice-warn', role: 'alert', id: 'sheet-locked-elsewhere' }, h('p', {}, t('assessor.lockedElsewhere'))), true);
      return;
    }
    if (err.code === 'invalid_rating' && Array.isArray(err.errors) && err.errors.length) {
      errors = Object.fromEntries(Object.entries(errors).filter(([, e]) => e.from !== from));
      for (const e of err.errors) {
        const f = fieldOf(e.field);
        if (!f) continue;
        // A submission refused for a missing level or missing evidence says so in the page's
        // words; anything else (a draft too long) in the API's.
        const key = from === 'submit' ? `assessor.err.${f.part}` : null;
        errors[`${f.code}.${f.part}`] = { from, key, message: e.message };
      }
      applyErrors();
      setNotice(() => h('div', { class: 'notice notice-error', role: 'alert', id: 'sheet-invalid', dataset: { code: err.code } },
        h('p', {}, t(from === 'submit' ? 'assessor.submit.invalid' : 'assessor.save.invalid', { n: err.errors.length }))));
      const first = firstInvalid();
      if (first && from === 'submit') first.focus();
      if (from === 'save') showSaveState('invalid');
      return;
    }
    setNotice(() => errorNotice(err, 'sheet-error'), from === 'submit');
    if (from === 'save') showSaveState('invalid');
  }

  function firstInvalid() {
    for (const c of ws.competencies) {
      if (errors[`${c.code}.level`]) return $(`input[name="level-${c.code}"]:checked`) || $(`#level-${c.code}-1`);
      if (errors[`${c.code}.evidence`]) return $(`#evidence-${c.code}`);
    }
    return null;
  }

  /** Shows every field error at its field (and clears the others) without drawing the sheet again. */
  function applyErrors() {
    if (!ws) return;
    for (const c of ws.competencies) {
      for (const part of ['level', 'evidence']) {
        const e = errors[`${c.code}.${part}`];
        const p = $(`#${part}-${c.code}-error`);
        if (!p) continue;
        p.textContent = e ? (e.key ? t(e.key) : e.message) : '';
        p.hidden = !e;
        const inputs = part === 'level' ? [...document.querySelectorAll(`input[name="level-${c.code}"]`)] : [$(`#evidence-${c.code}`)];
        for (const input of inputs.filter(Boolean)) {
          if (e) input.setAttribute('aria-invalid', 'true');
          else input.removeAttribute('aria-invalid');
        }
      }
    }
  }

  function levelsField(c) {
    const r = local[c.code] || {};
    const legendId = `level-${c.code}-legend`;
    return h('fieldset', { class: 'as-levels', id: `level-${c.code}`, 'aria-describedby': `level-${c.code}-error` },
      h('legend', { id: legendId }, t('assessor.sheet.level', { name: tx(c.name) })),
      h('div', { class: 'as-level-list' }, c.levels.map((l) => {
        const id = `level-${c.code}-${l.level}`;
        return h('div', { class: 'as-level' },
          h('label', { class: 'as-level-option', for: id },
            h('input', {
              type: 'radio', id, name: `level-${c.code}`, value: String(l.level), checked: r.level === l.level,
              onchange: () => {
                local[c.code] = { ...(local[c.code] || { evidence: '' }), level: l.level };
                delete errors[`${c.code}.level`];
                applyErrors();
                saver?.touch();
              },
            }),
            h('span', { class: 'as-level-n' }, t('assessor.sheet.levelN', { n: l.level })),
            h('span', { class: 'as-level-desc' }, tx(l.description))),
          l.indicators && l.indicators.length
            ? h('details', { class: 'as-indicators' },
              h('summary', {}, t('assessor.sheet.indicators', { n: l.level, count: l.indicators.length })),
              h('ul', {}, l.indicators.map((i) => h('li', {}, tx(i)))))
            : null);
      })),
      h('p', { class: 'field-error', id: `level-${c.code}-error`, hidden: true }));
  }

  function evidenceField(c) {
    const r = local[c.code] || {};
    const id = `evidence-${c.code}`;
    return h('div', { class: 'field as-evidence' },
      h('label', { for: id }, t('assessor.sheet.evidence', { name: tx(c.name) })),
      h('textarea', {
        id, rows: 5, maxlength: MAX_EVIDENCE, required: true, spellcheck: 'true',
        'aria-describedby': `${id}-hint ${id}-error`,
        value: r.evidence || '',
        oninput: (e) => {
          local[c.code] = { ...(local[c.code] || { level: null }), evidence: e.target.value };
          if (errors[`${c.code}.evidence`] && e.target.value.trim()) {
            delete errors[`${c.code}.evidence`];
            applyErrors();
          }
          saver?.touch();
        },
        onblur: () => saver?.flush(),
      }),
      h('p', { class: 'hint', id: `${id}-hint` }, t('assessor.sheet.evidenceHint', { max: MAX_EVIDENCE })),
      h('p', { class: 'field-error', id: `${id}-error`, hidden: true }));
  }

  function competencyCard(c) {
    const title = `comp-${c.code}-title`;
    const r = local[c.code] || {};
    const head = [
      h('h3', { id: title }, tx(c.name), ' ', h('span', { class: 'code-chip' }, c.code)),
      h('p', { class: 'as-definition' }, tx(c.definition)),
    ];
    if (editable()) {
      return h('section', { class: 'card as-competency', id: `comp-${c.code}`, 'aria-labelledby': title, dataset: { code: c.code } },
        head, levelsField(c), evidenceField(c));
    }
    const level = c.levels.find((l) => l.level === r.level);
    return h('section', { class: 'card as-competency is-locked', id: `comp-${c.code}`, 'aria-labelledby': title, dataset: { code: c.code } },
      head,
      h('dl', { class: 'facts as-rated' },
        h('dt', {}, t('assessor.sheet.levelShort')),
        h('dd', { class: 'as-rated-level', dataset: { level: r.level ?? '' } },
          r.level == null ? '–' : [h('strong', {}, t('assessor.sheet.levelN', { n: r.level })), level ? ` — ${tx(level.description)}` : '']),
        h('dt', {}, t('assessor.sheet.evidenceShort')),
        h('dd', { class: 'as-rated-evidence' }, r.evidence || '–')));
  }

  /** Why another sheet's ratings are not shown yet: whose submission is awaited. */
  function hiddenKey(o) {
    if (o.status === 'submitted') return 'assessor.others.afterMine';
    return editable() ? 'assessor.others.hidden' : 'assessor.others.afterTheirs';
  }

  function othersSection() {
    const others = ws.others || [];
    const names = new Map(ws.competencies.map((c) => [c.code, tx(c.name)]));
    return h('section', { class: 'card', id: 'others', 'aria-labelledby': 'others-title' },
      h('h3', { id: 'others-title' }, t('assessor.others.title')),
      others.length === 0
        ? h('p', { class: 'muted', id: 'others-none' }, t('assessor.others.none'))
        : h('ul', { class: 'as-others' }, others.map((o, i) => {
          const exercise = o.exercise === ws.assignment.exercise ? ws.exercise_name : o.exercise;
          const head = h('p', { class: 'as-other-head' },
            h('strong', {}, o.assessor.name), ' · ', exercise, ' ', statusBadge({ status: o.status, ratings: o.ratings || {} }));
          if (!o.ratings) {
            return h('li', { dataset: { assessor: o.assessor.id } }, head,
              h('p', { class: 'small muted as-other-hidden' }, t(hiddenKey(o), { name: o.assessor.name })));
          }
          const caption = `others-${i}-caption`;
          return h('li', { dataset: { assessor: o.assessor.id } }, head,
            h('div', { class: 'table-wrap' }, h('table', { class: 'as-other-ratings', 'aria-labelledby': caption },
              h('caption', { id: caption, class: 'sr-only' }, t('assessor.others.caption', { name: o.assessor.name, exercise })),
              h('thead', {}, h('tr', {},
                h('th', { scope: 'col' }, t('assessor.others.col.competency')),
                h('th', { scope: 'col', class: 'num' }, t('assessor.others.col.level')),
                h('th', { scope: 'col' }, t('assessor.others.col.evidence')))),
              h('tbody', {}, Object.entries(o.ratings).map(([code, r]) => h('tr', { dataset: { code } },
                h('th', { scope: 'row' }, names.get(code) || code),
                h('td', { class: 'num' }, r.level == null ? '–' : String(r.level)),
                h('td', {}, r.evidence || '–')))))));
        })));
  }

  function render() {
    const root = sheet();
    if (!ws) return;
    const a = ws.assignment;
    const p = a.participant;
    const focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement.id : null;
    const caret = focused && document.activeElement.tagName === 'TEXTAREA'
      ? [document.activeElement.selectionStart, document.activeElement.selectionEnd] : null;
    root.replaceChildren(...[
      h('p', { class: 'as-back' }, h('a', {
        href: '/assessor', id: 'back-to-list',
        onclick: (e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          back();
        },
      }, t('assessor.back'))),
      h('section', { class: 'card as-sheet-head', 'aria-labelledby': 'sheet-title' },
        h('p', { class: 'as-kicker' }, a.campaign_name || t('assessor.sheet.kicker')),
        h('h2', { id: 'sheet-title', tabindex: '-1' }, p.name),
        h('div', { class: 'meta' }, statusBadge(a, 'sheet-status'), a.lead ? h('span', { class: 'badge badge-info', id: 'sheet-lead' }, t('assessor.lead')) : null),
        h('dl', { class: 'facts' },
          h('dt', {}, t('assessor.sheet.exercise')), h('dd', { id: 'sheet-exercise' }, ws.exercise_name || a.exercise),
          h('dt', {}, t('assessor.sheet.nip')), h('dd', { class: 'mono', id: 'sheet-nip' }, p.nip),
          h('dt', {}, t('assessor.sheet.jobLevel')), h('dd', {}, p.job_level || '–'),
          h('dt', {}, t('assessor.sheet.position')), h('dd', {}, p.position || '–'),
          h('dt', {}, t('assessor.sheet.unit')), h('dd', {}, p.unit || '–'),
          a.status === 'submitted' ? [h('dt', {}, t('assessor.sheet.submittedAt')), h('dd', { id: 'sheet-submitted-at' }, formatDate(a.submitted_at))] : null)),
      h('div', { id: 'sheet-notice' }),
      editable()
        ? h('p', { class: 'as-instructions' }, t('assessor.sheet.instructions'))
        : h('div', { class: 'notice notice-info', id: 'sheet-locked' }, h('p', {}, t('assessor.sheet.locked', { time: formatDate(a.submitted_at) }))),
      ws.competencies.map(competencyCard),
      othersSection(),
      a.lead && a.status === 'submitted' ? h('section', { class: 'card', id: 'lead-panel', 'aria-labelledby': 'lead-panel-title' },
        h('h3', { id: 'lead-panel-title' }, t('assessment.panel.title')),
        h('p', {}, t('assessor.panel.intro')),
        h('button', { type: 'button', class: 'btn', id: 'open-integration', onclick: (e) => integrate(ws.assignment, e.currentTarget) },
          t('assessor.panel.open', { name: p.name }))) : null,
      editable()
        ? h('div', { class: 'as-bar' },
          h('p', { class: 'save-status', id: 'save-status', role: 'status' }),
          h('button', { type: 'button', class: 'btn btn-primary as-submit', id: 'submit-sheet', onclick: askSubmit }, t('assessor.submit.open')))
        : null,
    ].flat(Infinity).filter(Boolean));
    root.hidden = false;
    applyErrors();
    showSaveState(saveState);
    if (notice) setNotice(notice);
    if (focused && $('#' + focused)) {
      const el = $('#' + focused);
      el.focus();
      if (caret && el.setSelectionRange) el.setSelectionRange(caret[0], caret[1]);
    }
  }

  function askSubmit() {
    const dialog = $('#submit-dialog');
    $('#submit-text').textContent = t('assessor.submit.text', { name: ws.assignment.participant.name, exercise: ws.exercise_name || ws.assignment.exercise });
    dialog.returnValue = '';
    dialog.showModal();
    $('#submit-confirm').focus();
  }

  async function submit() {
    const button = $('#submit-sheet');
    if (button) button.disabled = true;
    setNotice(null);
    try {
      // The draft the page shows is saved first: the server submits what it has.
      if (saver && !(await saver.flush())) {
        if (button) button.disabled = false;
        return;
      }
      const answer = await api(`/api/v1/assessor/assignments/${encodeURIComponent(ws.assignment.id)}/submit`, {
        method: 'POST', body: { revision: ws.assignment.revision },
      });
      ws = answer;
      local = copyRatings(ws.assignment.ratings);
      errors = {};
      saveState = null;
      saver?.stop();
      saver = null;
      render();
      setNotice(() => h('div', { class: 'notice notice-ok', role: 'status', id: 'sheet-submitted' },
        h('p', {}, t('assessor.submit.done', { name: ws.assignment.participant.name }))));
      $('#sheet-title').focus();
      changed();
    } catch (err) {
      if ($('#submit-sheet')) $('#submit-sheet').disabled = false;
      await refused(err, 'submit');
    }
  }

  $('#submit-dialog').addEventListener('close', () => {
    const confirmed = $('#submit-dialog').returnValue === 'submit';
    if (confirmed && ws && editable()) submit();
    else $('#submit-sheet')?.focus();
  });
  $('#submit-cancel').addEventListener('click', () => $('#submit-dialog').close());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saver?.flush();
  });

  async function open(id) {
    openedId = id;
    setNotice(null);
    ws = null;
    sheet().hidden = false;
    sheet().replaceChildren(h('p', { class: 'muted', id: 'sheet-loading' }, t('loading')));
    try {
      const answer = await fetchSheet(id);
      if (openedId !== id) return;
      ws = answer;
      local = copyRatings(ws.assignment.ratings);
      errors = {};
      saveState = null;
      notice = null;
      startSaver();
      render();
      $('#sheet-title').focus();
    } catch (err) {
      if (openedId !== id) return;
      sheet().replaceChildren(
        h('p', { class: 'as-back' }, h('a', { href: '/assessor', id: 'back-to-list', onclick: (e) => { e.preventDefault(); back(); } }, t('assessor.back'))),
        errorNotice(err, 'sheet-error'));
    }
  }

  /** Saves what is pending and puts the sheet away. */
  async function close() {
    openedId = null;
    if (saver) await saver.flush();
    saver?.stop();
    saver = null;
    ws = null;
    notice = null;
    sheet().hidden = true;
    sheet().replaceChildren();
  }

  return { open, close, render };
}
