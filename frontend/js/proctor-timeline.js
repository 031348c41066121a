// The side panel of one candidate: who, where they are now, buttons for single-candidate actions,
// and the attempt's timeline (GET /campaigns/{cid}/participants/{pid}/timeline): every event with
// its time, kind, details and the staff account that acted, and the answers per section.
import { api } from './api.js';
import { errorNotice, h } from './shell.js';
import { has, t } from './i18n.js';
import { formatDate, formatTime } from './locale.js';
import { ACTIONS } from './proctor-actions.js';
import { kindName } from './proctor-rows.js';

/** How long after a change of the candidate's row the timeline is fetched again. */
const REFRESH_AFTER_MS = 800;

/** An event's time: the clock time today, with the date on other days. */
function when(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso || '');
  const today = new Date();
  if (d.toDateString() === today.toDateString()) {
    return formatTime(d, { seconds: true });
  }
  return formatDate(iso);
}

/** An event kind in words (integrity signals and staff actions alike). */
export function kindText(kind) {
  const k = String(kind || '');
  if (has('proctor.kind.' + k)) return t('proctor.kind.' + k);
  const name = kindName(k);
  if (has('proctor.kind.' + name)) return t('proctor.kind.' + name);
  return k;
}

function seconds(n) {
  const s = Math.round(Number(n) || 0);
  if (s % 60 === 0) return t('proctor.minutes', { n: s / 60 });
  return t('proctor.seconds', { n: s });
}

/** An event's details as short "label: value" parts; known fields in words, the rest as they are. */
function details(detail) {
  if (detail === null || detail === undefined) return [];
  if (typeof detail !== 'object') return [String(detail)];
  const parts = [];
  for (const [k, v] of Object.entries(detail)) {
    if (v === null || v === undefined || v === '') continue;
    if (k === 'current_device') {
      if (v === false) parts.push(t('proctor.detail.otherDevice'));
      continue;
    }
    if (k === 'took_over') {
      if (v === true) parts.push(t('proctor.detail.tookOver'));
      continue;
    }
    if (k === 'synchronised') {
      if (v === true) parts.push(t('proctor.detail.synchronised'));
      continue;
    }
    if (k === 'deadline' && typeof v === 'object' && typeof v.to === 'string') {
      // A deadline moved by a pause: {section, from, to}.
      parts.push(`${t('proctor.detail.deadline')}: ${when(v.to)}`);
      continue;
    }
    let value;
    if (k === 'seconds' && typeof v === 'number') value = seconds(v);
    else if ((k === 'section' || k === 'position') && typeof v === 'number') value = String(v + 1);
    else if (k.endsWith('_ms') && typeof v === 'number') value = seconds(v / 1000);
    else if ((k === 'deadline' || k.endsWith('_at')) && typeof v === 'string' && !Number.isNaN(Date.parse(v))) value = when(v);
    else if (k === 'device' && typeof v === 'string') value = v.slice(0, 8);
    else if (typeof v === 'string' && has('proctor.value.' + v)) value = t('proctor.value.' + v);
    else if (typeof v === 'object') value = JSON.stringify(v);
    else value = String(v);
    const label = has('proctor.detail.' + k) ? t('proctor.detail.' + k) : k;
    parts.push(`${label}: ${value}`);
  }
  return parts;
}

/**
 * The panel. me: the signed-in account; campaignId(): the campaign of the session watched;
 * rowOf(pid): the candidate's live row; stateBadge(row): a badge node; onAction(action, [pid], opener).
 */
export function timelinePanel({ panel, me, campaignId, rowOf, stateBadge, onAction, onClose }) {
  let pid = null;
  let data = null; // the Timeline, or {error}
  let loading = false;
  let timer = null;
  let seq = 0;

  function actor(id) {
    if (!id) return null;
    if (me && id === me.id) return t('proctor.actor.you');
    return h('span', { class: 'mono', title: id }, id.slice(0, 8));
  }

  function render() {
    if (!pid) return;
    const row = rowOf(pid);
    const name = row ? row.name : '';
    const head = h('div', { class: 'pv-panel-head' },
      h('div', {},
        h('h2', { id: 'timeline-title' }, name || t('proctor.timeline.title')),
        row ? h('p', { class: 'muted small mono' }, row.nip) : null,
        row ? h('p', {}, stateBadge(row)) : null),
      h('button', { type: 'button', class: 'btn btn-small', id: 'timeline-close', 'aria-label': t('proctor.timeline.close'), onclick: close }, '×'));
    const actions = h('div', { class: 'pv-panel-actions btn-row', role: 'group', 'aria-label': t('proctor.timeline.actions') },
      ACTIONS.map((a) => h('button', {
        type: 'button', class: 'btn btn-small' + (a === 'terminate' ? ' btn-danger' : ''), dataset: { action: a },
        onclick: (e) => onAction(a, [pid], e.currentTarget),
      }, t('proctor.action.' + a))));
    let body;
    if (!data) {
      body = h('p', { class: 'muted' }, t('loading'));
    } else if (data.error) {
      body = errorNotice(data.error);
    } else {
      const events = Array.isArray(data.events) ? data.events : [];
      const answers = Array.isArray(data.answers) ? data.answers : [];
      body = [
        h('h3', {}, t('proctor.timeline.events')),
        events.length === 0
          ? h('p', { class: 'muted', id: 'timeline-empty' }, t(data.attempt ? 'proctor.timeline.none' : 'proctor.timeline.notArrived'))
          : h('ol', { class: 'pv-events', id: 'timeline-events' }, events.slice().reverse().map((e) => {
            const parts = details(e.detail);
            const who = actor(e.actor);
            return h('li', { dataset: { kind: e.kind } },
              h('time', { datetime: e.at, class: 'pv-event-time' }, when(e.at)),
              h('span', { class: 'pv-event-kind' + (String(e.kind).startsWith('integrity.') ? ' is-integrity' : '') }, kindText(e.kind)),
              parts.length ? h('span', { class: 'pv-event-detail' }, parts.join(' · ')) : null,
              who ? h('span', { class: 'pv-event-actor small muted' }, t('proctor.timeline.by'), ' ', who) : null);
          })),
        h('h3', {}, t('proctor.timeline.answers')),
        answers.length === 0
          ? h('p', { class: 'muted' }, t('proctor.timeline.noAnswers'))
          : h('table', { class: 'pv-answers', id: 'timeline-answers' },
            h('thead', {}, h('tr', {},
              h('th', { scope: 'col' }, t('proctor.col.section')),
              h('th', { scope: 'col', class: 'num' }, t('proctor.timeline.count')),
              h('th', { scope: 'col' }, t('proctor.timeline.last')))),
            h('tbody', {}, answers.map((a) => h('tr', { dataset: { section: String(a.section) } },
              h('td', {}, t('proctor.section.n', { n: a.section + 1 })),
              h('td', { class: 'num' }, String(a.count ?? a.answers ?? 0)),
              h('td', {}, a.last_at ? when(a.last_at) : '–'))))),
      ];
    }
    const keep = document.activeElement && panel.contains(document.activeElement) ? document.activeElement : null;
    const keepAction = keep && keep.dataset ? keep.dataset.action : null;
    const keepId = keep ? keep.id : null;
    panel.replaceChildren(head, actions, h('div', { class: 'pv-panel-body', 'aria-busy': loading ? 'true' : 'false' }, body));
    panel.dataset.participant = pid;
    if (keepAction) panel.querySelector(`[data-action="${keepAction}"]`)?.focus();
    else if (keepId && document.getElementById(keepId)) document.getElementById(keepId).focus();
  }

  async function load() {
    const id = pid;
    const mine = ++seq;
    loading = true;
    try {
      const tl = await api(`/api/v1/campaigns/${encodeURIComponent(campaignId())}/participants/${encodeURIComponent(id)}/timeline`);
      if (mine !== seq || id !== pid) return;
      data = tl;
    } catch (err) {
      if (mine !== seq || id !== pid) return;
      data = { error: err };
    } finally {
      if (mine === seq) loading = false;
    }
    render();
  }

  function open(participant) {
    if (pid !== participant) data = null;
    pid = participant;
    panel.hidden = false;
    render();
    load();
    panel.focus();
  }

  function close() {
    const was = pid;
    pid = null;
    data = null;
    seq += 1;
    clearTimeout(timer);
    panel.hidden = true;
    panel.replaceChildren();
    delete panel.dataset.participant;
    if (onClose) onClose(was);
  }

  return {
    open,
    close,
    render,
    current: () => pid,
    /** The candidate's row changed: redraw now, fetch the timeline again shortly (changes come in bursts). */
    changed(participants) {
      if (!pid || !participants.includes(pid)) return;
      render();
      clearTimeout(timer);
      timer = setTimeout(load, REFRESH_AFTER_MS);
    },
    /** Fetches again now (after an action). */
    reload() {
      if (pid) load();
    },
  };
}
