// The assessor's own assignments, grouped by campaign in the order the API gives them (oldest
// first): each one a large link to its sheet with the participant, the exercise and the sheet's
// status in words (not rated yet, draft, submitted).
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatDate } from './locale.js';

/** A sheet's status: submitted, a draft with something in it, or nothing rated yet. */
export function sheetState(a) {
  if (a.status === 'submitted') return 'submitted';
  return a.saved_at || Object.keys(a.ratings || {}).length ? 'draft' : 'new';
}

const BADGE = { submitted: 'badge-ok', draft: 'badge-warn', new: 'badge-muted' };

/** The badge of a sheet's status. */
export function statusBadge(a, id = null) {
  const s = sheetState(a);
  return h('span', { class: 'badge ' + BADGE[s], id, dataset: { status: s } }, t('assessor.status.' + s));
}

/**
 * Draws the list into #list-body. `open(id)` opens a sheet (a link's own href says the same, for a
 * new tab). Returns {load, render}.
 */
export function listPanel({ open }) {
  let data = null; // the assignments
  let failure = null;

  function groups() {
    const out = new Map();
    for (const a of data) {
      if (!out.has(a.campaign)) out.set(a.campaign, { name: a.campaign_name, items: [] });
      out.get(a.campaign).items.push(a);
    }
    return [...out.entries()];
  }

  function item(a) {
    const when = a.status === 'submitted'
      ? t('assessor.list.submittedAt', { time: formatDate(a.submitted_at) })
      : a.saved_at ? t('assessor.list.savedAt', { time: formatDate(a.saved_at) }) : null;
    const href = '/assessor?assignment=' + encodeURIComponent(a.id);
    return h('li', { dataset: { assignment: a.id, status: sheetState(a) } },
      h('a', {
        class: 'as-assignment', href,
        onclick: (e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          open(a.id);
        },
      },
      h('span', { class: 'as-assignment-main' },
        h('span', { class: 'as-assignment-name' }, a.participant.name),
        h('span', { class: 'as-assignment-nip mono' }, a.participant.nip),
        h('span', { class: 'as-assignment-exercise' }, a.exercise_name || a.exercise)),
      h('span', { class: 'as-assignment-side' },
        statusBadge(a),
        a.lead ? h('span', { class: 'badge badge-info' }, t('assessor.lead')) : null,
        when ? h('span', { class: 'small muted' }, when) : null)));
  }

  function render() {
    const body = $('#list-body');
    if (failure) {
      body.replaceChildren(errorNotice(failure, 'list-error'));
      return;
    }
    if (!data) {
      body.replaceChildren(h('p', { class: 'muted' }, t('loading')));
      return;
    }
    if (!data.length) {
      body.replaceChildren(h('p', { class: 'notice notice-info', id: 'list-empty' }, t('assessor.list.empty')));
      return;
    }
    body.replaceChildren(...groups().map(([campaign, g], i) => {
      const done = g.items.filter((a) => a.status === 'submitted').length;
      const title = `list-campaign-${i}`;
      return h('section', { class: 'as-campaign', dataset: { campaign }, 'aria-labelledby': title },
        h('div', { class: 'as-campaign-head' },
          h('h3', { id: title }, g.name),
          h('span', { class: 'small muted as-campaign-count' }, t('assessor.list.progress', { done, n: g.items.length }))),
        h('ul', { class: 'as-assignments' }, g.items.map(item)));
    }));
  }

  async function load() {
    try {
      data = (await api('/api/v1/assessor/assignments')).assignments;
      failure = null;
    } catch (err) {
      failure = err;
    }
    render();
  }

  return { load, render };
}
