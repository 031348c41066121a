// Live proctoring (/proctor) for proctors, HR and admins: pick a session, watch its candidates
// live (a fetch-read event stream that reconnects by itself), see who is present, where they
// are, how far, how much time is left, when they were last seen and what integrity events they
// caused; filter, search, sort; act on one, several or all candidates (each action with a
// reason); and read one candidate's timeline in a side panel. The table draws only the rows in
// view, so a room of thousands stays smooth.
import { clearSession, getToken, loginUrl, api } from './api.js';
import { $, errorNotice, h, startPage } from './shell.js';
import { t } from './i18n.js';
import { clockText, formatCount, formatDate, formatFixed, locale } from './locale.js';
import { LiveStream } from './proctor-feed.js';
import { Room, STATES, agoParts, kindName } from './proctor-rows.js';
import { VirtualTable } from './proctor-table.js';
import { ACTIONS, ROOM_ACTIONS, actionDialog, outcomeNotice } from './proctor-actions.js';
import { kindText, timelinePanel } from './proctor-timeline.js';

/** Height of every table row in px (app.css .pv-row uses the same). */
const ROW_HEIGHT = 52;
const COLUMNS = 9;
const STATE_BADGE = {
  not_arrived: 'badge-muted', lobby: 'badge-info', in_section: 'badge-ok', paused: 'badge-warn',
  finished: 'badge-ok', expired: 'badge-muted', terminated: 'badge-danger',
};
/** Sorts that start with the largest value (what a proctor looks for first). */
const DESCENDING_FIRST = new Set(['integrity']);

const me = await startPage({ roles: ['admin', 'hr', 'proctor'] });

const state = {
  sessions: [],
  sid: null,
  room: new Room(),
  stream: null,
  live: { status: 'idle', info: {} },
  filter: { state: 'all', flagged: false, search: '' },
  sort: { key: 'name', dir: 1 },
  selected: new Set(),
  view: [], // the rows shown, filtered and sorted
  lastOutcome: null, // {request, outcome}, re-drawn on a language switch
  frame: 0,
  langVersion: 0,
};

// ---------------------------------------------------------------- words

function stateText(s) {
  return t('proctor.state.' + s);
}

/** The state badge of a row; "disconnected" wins over the state it is derived from. */
function stateBadge(row, now = state.room.now()) {
  if (state.room.isDisconnected(row, now)) {
    return h('span', { class: 'badge badge-danger pv-badge', dataset: { state: 'disconnected' }, title: t('proctor.state.disconnectedOf', { state: stateText(row.state) }) },
      t('proctor.state.disconnected'));
  }
  return h('span', { class: 'badge pv-badge ' + (STATE_BADGE[row.state] || ''), dataset: { state: row.state } }, stateText(row.state));
}

function nameOf(participant) {
  const row = state.room.get(participant);
  return row ? `${row.name} (${row.nip})` : participant;
}

/** Who an action is for, in words. */
function describe(participants) {
  if (!participants) return t('proctor.target.room', { n: formatCount(state.room.rows.size) });
  if (participants.length === 1) {
    const row = state.room.get(participants[0]);
    return t('proctor.target.one', { name: row ? row.name : participants[0], nip: row ? row.nip : '' });
  }
  const names = participants.slice(0, 3).map((p) => (state.room.get(p) || { name: p }).name);
  const more = participants.length - names.length;
  return t(more > 0 ? 'proctor.target.manyMore' : 'proctor.target.many', { n: participants.length, names: names.join(', '), more });
}

// ---------------------------------------------------------------- sessions

function sessionLabel(s) {
  const parts = [s.campaign && s.campaign.name, s.name].filter(Boolean).join(' · ');
  return s.room ? `${parts} (${s.room})` : parts;
}

function renderSessionOptions() {
  const select = $('#session-select');
  const options = [h('option', { value: '' }, t('proctor.session.choose'))];
  for (const s of state.sessions) options.push(h('option', { value: s.id }, `${sessionLabel(s)} · ${t('proctor.session.count', { n: s.participant_count ?? 0 })}`));
  if (state.sid && !state.sessions.some((s) => s.id === state.sid)) {
    options.push(h('option', { value: state.sid }, state.room.session ? sessionLabel(state.room.session) : state.sid));
  }
  select.replaceChildren(...options);
  select.value = state.sid || '';
}

async function loadSessions() {
  try {
    const data = await api('/api/v1/proctoring/sessions');
    state.sessions = Array.isArray(data.sessions) ? data.sessions : [];
  } catch (err) {
    $('#proctor-status').replaceChildren(errorNotice(err));
    state.sessions = [];
  }
  renderSessionOptions();
  if (state.sessions.length === 0 && !state.sid) {
    $('#proctor-status').replaceChildren(h('div', { class: 'notice notice-info', id: 'no-sessions' }, h('p', {}, t('proctor.session.none'))));
  }
}

function sessionInfo() {
  return state.room.session || state.sessions.find((s) => s.id === state.sid) || null;
}

function renderSession() {
  const s = sessionInfo();
  if (!s) {
    $('#room-title').textContent = t('proctor.session.loading');
    $('#session-meta').textContent = '';
    $('#start-session').hidden = true;
    return;
  }
  $('#room-title').textContent = sessionLabel(s);
  const meta = [];
  if (s.starts_at) meta.push(t('proctor.session.startsAt', { when: formatDate(s.starts_at) }));
  if (s.campaign && s.campaign.lobby) {
    meta.push(s.started_at ? t('proctor.session.startedAt', { when: formatDate(s.started_at) }) : t('proctor.session.notStarted'));
  }
  $('#session-meta').textContent = meta.join(' · ');
  $('#start-session').hidden = !(s.campaign && s.campaign.lobby && !s.started_at);
}

function selectSession(sid) {
  if (sid === state.sid) return;
  if (state.stream) state.stream.stop();
  state.stream = null;
  state.sid = sid || null;
  state.room = new Room();
  state.selected.clear();
  state.lastOutcome = null;
  $('#action-result').replaceChildren();
  panel.close();
  const url = new URL(location.href);
  if (state.sid) url.searchParams.set('session', state.sid);
  else url.searchParams.delete('session');
  history.replaceState(null, '', url.pathname + url.search + url.hash);
  $('#room').hidden = !state.sid;
  renderSession();
  refresh();
  if (!state.sid) {
    setLive('idle');
    return;
  }
  $('#proctor-status').replaceChildren();
  connect();
}

// ---------------------------------------------------------------- the live feed

function setLive(status, info = {}) {
  state.live = { status, info };
  const el = $('#live-status');
  el.dataset.state = status;
  let text = '';
  if (status === 'connecting') text = t('proctor.live.connecting');
  else if (status === 'live') text = t('proctor.live.live');
  else if (status === 'reconnecting') text = info.inMs ? t('proctor.live.reconnectingIn', { n: Math.ceil(info.inMs / 1000) }) : t('proctor.live.reconnecting');
  else if (status === 'stopped') text = t('proctor.live.stopped');
  if (el.textContent !== text) el.textContent = text;
}

function connect() {
  const sid = state.sid;
  const stream = new LiveStream({
    url: `/api/v1/proctoring/sessions/${encodeURIComponent(sid)}/live`,
    headers: () => {
      const token = getToken();
      return token ? { Authorization: 'Bearer ' + token } : {};
    },
    onStatus: (status, info) => {
      if (state.stream === stream) setLive(status, info);
    },
    onHttpError: (status, body) => {
      if (status === 401) {
        clearSession();
        location.assign(loginUrl('expired'));
        return 'stop';
      }
      if (status === 403 || status === 404 || status === 422) {
        const err = body && body.code ? body : { code: 'http_' + status, message: String(status) };
        $('#proctor-status').replaceChildren(errorNotice(err, 'live-error'));
        return 'stop';
      }
      return 'retry';
    },
    onEvent: (name, data) => {
      if (state.stream !== stream) return;
      onFeed(name, data);
    },
  });
  state.stream = stream;
  stream.start();
}

function onFeed(name, data) {
  const room = state.room;
  if (name === 'snapshot') {
    room.snapshot(data);
    for (const p of [...state.selected]) if (!room.rows.has(p)) state.selected.delete(p);
    renderSession();
    renderSessionOptions();
    const open = panel.current();
    if (open) panel.changed([open]);
  } else if (name === 'rows') {
    const changed = room.update(data);
    panel.changed(changed);
  } else if (name === 'progress') {
    panel.changed(room.progress(data));
  } else if (name === 'seen') {
    room.seen(data);
  } else {
    return;
  }
  schedule();
}

// ---------------------------------------------------------------- drawing

/** Redraws once at the next animation frame, however many changes came before it. */
function schedule() {
  if (state.frame) return;
  state.frame = requestAnimationFrame(() => {
    state.frame = 0;
    refresh();
  });
}

function refresh() {
  const now = state.room.now();
  state.view = state.sid ? state.room.view(state.filter, state.sort, now) : [];
  table.rows = state.view;
  table.render();
  renderCounters(now);
  renderSelection();
  const total = state.room.rows.size;
  $('#shown-count').textContent = t('proctor.shown', { n: formatCount(state.view.length), total: formatCount(total) });
  const empty = $('#room-empty');
  const loaded = state.room.version > 0;
  empty.hidden = !loaded || state.view.length > 0;
  if (!empty.hidden) empty.textContent = total === 0 ? t('proctor.empty.room') : t('proctor.empty.filter');
}

function renderCounters(now) {
  const c = state.room.counters(now);
  const list = $('#counters');
  const tiles = [['total', 'all'], ...STATES.map((s) => [s, s]), ['flagged', 'flagged'], ['disconnected', 'disconnected']];
  if (list.childElementCount !== tiles.length || list.dataset.lang !== String(state.langVersion)) {
    list.dataset.lang = String(state.langVersion);
    list.replaceChildren(...tiles.map(([key, filter]) => h('li', { dataset: { counter: key } },
      h('button', {
        type: 'button', class: 'pv-counter', dataset: { filter },
        onclick: () => applyCounterFilter(filter),
      }, h('span', { class: 'pv-count' }, '0'), h('span', { class: 'pv-count-label' }, t('proctor.count.' + key))))));
  }
  for (const [key, filter] of tiles) {
    const li = list.querySelector(`li[data-counter="${key}"]`);
    const n = formatCount(c[key]);
    const num = li.querySelector('.pv-count');
    if (num.textContent !== n) num.textContent = n;
    const pressed = filter === 'flagged' ? state.filter.flagged && state.filter.state === 'all' : filter === state.filter.state && !(filter === 'all' && state.filter.flagged);
    const btn = li.querySelector('button');
    if (btn.getAttribute('aria-pressed') !== String(pressed)) btn.setAttribute('aria-pressed', String(pressed));
    li.classList.toggle('is-alert', (key === 'disconnected' || key === 'flagged' || key === 'paused') && c[key] > 0);
  }
}

function applyCounterFilter(filter) {
  if (filter === 'flagged') {
    state.filter.state = 'all';
    state.filter.flagged = !state.filter.flagged;
  } else {
    state.filter.state = filter;
    state.filter.flagged = false;
  }
  $('#filter-state').value = state.filter.state;
  $('#filter-flagged').checked = state.filter.flagged;
  table.scroller.scrollTop = 0;
  refresh();
}

function renderFilterOptions() {
  const select = $('#filter-state');
  select.replaceChildren(
    h('option', { value: 'all' }, t('proctor.filter.all')),
    ...STATES.map((s) => h('option', { value: s }, stateText(s))),
    h('option', { value: 'disconnected' }, t('proctor.state.disconnected')));
  select.value = state.filter.state;
}

function renderSortHeaders() {
  for (const th of document.querySelectorAll('#room-table th[data-sort]')) {
    const on = th.dataset.sort === state.sort.key;
    if (on) th.setAttribute('aria-sort', state.sort.dir > 0 ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
    th.querySelector('.pv-sort').dataset.dir = on ? (state.sort.dir > 0 ? 'asc' : 'desc') : '';
  }
}

function renderSelection() {
  const n = state.selected.size;
  $('#selected-count').textContent = t('proctor.selected', { n: formatCount(n) });
  $('#clear-selection').disabled = n === 0;
  for (const b of document.querySelectorAll('#bulk-actions button')) b.disabled = n === 0;
  const all = $('#select-all');
  let chosen = 0;
  for (const r of state.view) if (state.selected.has(r.participant)) chosen += 1;
  all.checked = state.view.length > 0 && chosen === state.view.length;
  all.indeterminate = chosen > 0 && chosen < state.view.length;
  all.disabled = state.view.length === 0;
}

function renderBulkButtons() {
  $('#bulk-actions').replaceChildren(...ACTIONS.map((a) => h('button', {
    type: 'button', class: 'btn btn-small' + (a === 'terminate' ? ' btn-danger' : ''), dataset: { action: a },
    disabled: state.selected.size === 0,
    onclick: (e) => dialog.open(a, [...state.selected], e.currentTarget),
  }, t('proctor.action.' + a))));
}

// ---------------------------------------------------------------- the rows

function createRow() {
  const check = h('input', { type: 'checkbox', class: 'pv-select' });
  const name = h('span', { class: 'pv-name-text' });
  const nip = h('span', { class: 'pv-nip mono' });
  // The space keeps name and NIP two words in the button's text (the two lines are blocks, so it
  // shows nowhere); without it the text reads "Budi Santoso198503…", which its label cannot contain.
  const open = h('button', { type: 'button', class: 'pv-open' }, name, ' ', nip);
  const badge = h('span', { class: 'badge pv-badge' });
  const section = h('span');
  const progressText = h('span', { class: 'pv-progress-text' });
  const fill = h('span', { class: 'pv-bar-fill' });
  const bar = h('span', { class: 'pv-bar', 'aria-hidden': 'true' }, fill);
  const time = h('span', { class: 'pv-time-text' });
  const seen = h('span');
  const integrity = h('span', { class: 'pv-integrity-count' });
  const irregular = h('span');
  const tr = h('tr', { class: 'pv-row' },
    h('td', { class: 'pv-check' }, check),
    h('td', { class: 'pv-name' }, open),
    h('td', { class: 'pv-state' }, badge),
    h('td', { class: 'pv-section' }, section),
    h('td', { class: 'pv-progress' }, progressText, bar),
    h('td', { class: 'pv-time num' }, time),
    h('td', { class: 'pv-seen' }, seen),
    h('td', { class: 'pv-integrity num' }, integrity),
    h('td', { class: 'pv-irregular' }, irregular));
  tr._cells = { check, name, nip, open, badge, section, progressText, fill, time, seen, integrity, irregular };
  tr._v = {};
  return tr;
}

/** Sets a property only when it changed (the table redraws every second). */
function put(tr, key, value, apply) {
  if (tr._v[key] === value) return;
  tr._v[key] = value;
  apply(value);
}

function updateRow(tr, row) {
  const c = tr._cells;
  const room = state.room;
  const now = room.now();
  const lv = state.langVersion;
  const disconnected = room.isDisconnected(row, now);
  put(tr, 'participant', row.participant, (v) => { tr.dataset.participant = v; });
  put(tr, 'state', row.state, (v) => { tr.dataset.state = v; });
  put(tr, 'disconnected', disconnected, (v) => { tr.dataset.disconnected = String(v); });
  put(tr, 'flagged', Room.flagged(row), (v) => { tr.dataset.flagged = String(v); });
  const selected = state.selected.has(row.participant);
  if (c.check.checked !== selected) c.check.checked = selected;
  put(tr, 'selected', selected, (v) => tr.classList.toggle('is-selected', v));
  put(tr, 'open', panel.current() === row.participant, (v) => tr.classList.toggle('is-open', v));
  put(tr, 'checkLabel', `${lv}|${row.name}`, () => c.check.setAttribute('aria-label', t('proctor.select.one', { name: row.name })));
  put(tr, 'name', row.name, (v) => { c.name.textContent = v; });
  put(tr, 'nip', row.nip, (v) => { c.nip.textContent = v; });
  // The name begins with the name and NIP the button shows, then says what it does (WCAG 2.5.3).
  put(tr, 'openLabel', `${lv}|${row.name}|${row.nip}`, () => c.open.setAttribute('aria-label', t('proctor.timeline.open', { name: row.name, nip: row.nip })));

  const badgeKey = disconnected ? 'disconnected' : row.state;
  put(tr, 'badge', `${lv}|${badgeKey}|${row.state}`, () => {
    c.badge.className = 'badge pv-badge ' + (disconnected ? 'badge-danger' : STATE_BADGE[row.state] || '');
    c.badge.dataset.state = badgeKey;
    c.badge.textContent = disconnected ? t('proctor.state.disconnected') : stateText(row.state);
    if (disconnected) c.badge.title = t('proctor.state.disconnectedOf', { state: stateText(row.state) });
    else c.badge.removeAttribute('title');
  });

  const sectionText = typeof row.section === 'number'
    ? t('proctor.section.of', { n: row.section + 1, m: row.section_count })
    : row.section_count ? t('proctor.section.none', { m: row.section_count }) : '–';
  put(tr, 'section', sectionText, (v) => { c.section.textContent = v; });

  const total = row.total || 0;
  const answered = row.answered || 0;
  // An adaptive section gives at most `total` items and stops once its SE is small enough: the
  // proctor sees the items answered of that most, and the SE after the last answer.
  const progressText = row.adaptive
    ? t('proctor.progress.adaptive', { n: answered, max: total, se: typeof row.se === 'number' ? formatFixed(row.se, 2) : '–' })
    : `${answered}/${total}`;
  put(tr, 'progress', `${lv}|${progressText}`, () => { c.progressText.textContent = progressText; });
  put(tr, 'bar', total ? Math.min(100, Math.round((100 * answered) / total)) : 0, (v) => { c.fill.style.width = v + '%'; });

  const left = room.timeLeft(row, now);
  const paused = row.state === 'paused';
  const timeText = left === null ? '–' : clockText(left);
  put(tr, 'time', timeText, (v) => { c.time.textContent = v; });
  put(tr, 'timeFrozen', `${lv}|${paused && left !== null}`, () => {
    c.time.classList.toggle('is-frozen', paused && left !== null);
    if (paused && left !== null) c.time.title = t('proctor.time.frozen');
    else c.time.removeAttribute('title');
  });
  put(tr, 'timeLow', left !== null && !paused && left <= 60_000, (v) => c.time.classList.toggle('is-low', v));

  let seenText = '–';
  let seenTitle = '';
  if (typeof row.last_seen_ms === 'number') {
    const a = agoParts(now - row.last_seen_ms);
    seenText = t(a.key, { n: a.n });
    seenTitle = new Date(row.last_seen_ms).toLocaleString(locale());
  }
  put(tr, 'seen', `${lv}|${seenText}`, () => { c.seen.textContent = seenText; });
  put(tr, 'seenTitle', seenTitle, (v) => { if (v) c.seen.title = v; else c.seen.removeAttribute('title'); });

  const kinds = Object.entries(row.integrity_by_kind || {}).filter(([, n]) => n > 0)
    .map(([k, n]) => `${kindText(kindName(k))}: ${n}`).join(', ');
  put(tr, 'integrity', `${lv}|${row.integrity || 0}|${kinds}`, () => {
    c.integrity.textContent = String(row.integrity || 0);
    c.integrity.classList.toggle('is-some', (row.integrity || 0) > 0);
    if (kinds) c.integrity.title = kinds;
    else c.integrity.removeAttribute('title');
    if (kinds) c.integrity.setAttribute('aria-label', `${row.integrity}: ${kinds}`);
    else c.integrity.removeAttribute('aria-label');
  });
  put(tr, 'irregular', `${lv}|${!!row.irregular}`, () => {
    c.irregular.className = row.irregular ? 'badge badge-danger' : 'muted';
    c.irregular.textContent = row.irregular ? t('proctor.irregular.yes') : '–';
  });
}

// ---------------------------------------------------------------- wiring

const table = new VirtualTable({
  scroller: $('#room-scroll'),
  table: $('#room-table'),
  tbody: $('#room-rows'),
  rowHeight: ROW_HEIGHT,
  columns: COLUMNS,
  key: (row) => row.participant,
  createRow,
  updateRow,
});

const panel = timelinePanel({
  panel: $('#timeline-panel'),
  me,
  campaignId: () => (sessionInfo() && sessionInfo().campaign ? sessionInfo().campaign.id : ''),
  rowOf: (pid) => state.room.get(pid),
  stateBadge: (row) => stateBadge(row),
  onAction: (action, participants, opener) => dialog.open(action, participants, opener),
  onClose: (pid) => {
    refresh();
    const tr = pid && table.rowElement(pid);
    if (tr) tr.querySelector('.pv-open').focus();
  },
});

const dialog = actionDialog({
  sessionId: () => state.sid,
  describe,
  onDone: (request, outcome) => {
    state.lastOutcome = { request, outcome };
    renderOutcome();
    if (request.action === 'start' && outcome) {
      const s = sessionInfo();
      if (s) s.started_at = outcome.started_at || new Date().toISOString();
      renderSession();
    }
    panel.reload();
  },
});

function renderOutcome() {
  const o = state.lastOutcome;
  $('#action-result').replaceChildren(o ? outcomeNotice(o.request, o.outcome, nameOf) : '');
}

function openPanel(pid) {
  panel.open(pid);
  refresh();
}

function wire() {
  $('#session-select').addEventListener('change', (e) => selectSession(e.target.value));
  $('#filter-state').addEventListener('change', (e) => {
    state.filter.state = e.target.value;
    table.scroller.scrollTop = 0;
    refresh();
  });
  $('#filter-flagged').addEventListener('change', (e) => {
    state.filter.flagged = e.target.checked;
    table.scroller.scrollTop = 0;
    refresh();
  });
  $('#filter-search').addEventListener('input', (e) => {
    state.filter.search = e.target.value;
    table.scroller.scrollTop = 0;
    schedule();
  });
  for (const th of document.querySelectorAll('#room-table th[data-sort]')) {
    th.querySelector('.pv-sort').addEventListener('click', () => {
      const key = th.dataset.sort;
      if (state.sort.key === key) state.sort.dir = -state.sort.dir;
      else state.sort = { key, dir: DESCENDING_FIRST.has(key) ? -1 : 1 };
      renderSortHeaders();
      refresh();
    });
  }
  $('#select-all').addEventListener('change', () => {
    const allChosen = state.view.length > 0 && state.view.every((r) => state.selected.has(r.participant));
    for (const r of state.view) {
      if (allChosen) state.selected.delete(r.participant);
      else state.selected.add(r.participant);
    }
    refresh();
  });
  $('#clear-selection').addEventListener('click', () => {
    state.selected.clear();
    refresh();
    $('#select-all').focus();
  });
  const rows = $('#room-rows');
  rows.addEventListener('change', (e) => {
    const box = e.target.closest('input.pv-select');
    if (!box) return;
    const pid = box.closest('tr').dataset.participant;
    if (box.checked) state.selected.add(pid);
    else state.selected.delete(pid);
    refresh();
  });
  rows.addEventListener('click', (e) => {
    if (e.target.closest('input, label, .pv-check')) return;
    const tr = e.target.closest('tr.pv-row');
    if (tr && tr.dataset.participant) openPanel(tr.dataset.participant);
  });
  for (const b of document.querySelectorAll('[data-room-action]')) {
    b.addEventListener('click', (e) => dialog.open(b.dataset.roomAction, null, e.currentTarget));
  }
  $('#start-session').addEventListener('click', (e) => dialog.open('start', null, e.currentTarget));
  document.addEventListener('langchange', () => {
    state.langVersion += 1;
    renderSessionOptions();
    renderFilterOptions();
    renderBulkButtons();
    renderSession();
    renderSortHeaders();
    setLive(state.live.status, state.live.info);
    renderOutcome();
    panel.render();
    dialog.retranslate();
    refresh();
  });
  // Time left, "last seen" and "disconnected" move with the clock.
  setInterval(() => {
    if (state.sid) schedule();
  }, 1000);
}

if (me) {
  // Room-wide actions are the ones the contract allows without a list of candidates.
  for (const b of document.querySelectorAll('[data-room-action]')) if (!ROOM_ACTIONS.includes(b.dataset.roomAction)) b.remove();
  renderFilterOptions();
  renderBulkButtons();
  renderSortHeaders();
  wire();
  const wanted = new URLSearchParams(location.search).get('session');
  state.sid = null;
  await loadSessions();
  const first = wanted || (state.sessions.length === 1 ? state.sessions[0].id : null);
  if (first) selectSession(first);
  else setLive('idle');
}
