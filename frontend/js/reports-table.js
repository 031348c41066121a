// The campaign's participants and their reports: whether there are results to report, the latest
// released version (when, by which psychologist, its short hash), a draft in either language, the
// dialog of every released version, and the ZIP of the latest versions. A psychologist ticks the
// participants whose reports to release. The list is filtered by name or NIP in the page and
// drawn a hundred rows at a time.
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatCount, formatDate } from './locale.js';
import { campaignPath, download, downloaded, languageName, mayRelease, shortHash, state } from './reports-state.js';

const PAGE = 100;
const LANGUAGES = ['id', 'en'];

/** Text folded for matching: lower case, without accents, spaces squeezed. */
const fold = (s) => String(s || '').toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, ' ').trim();

/**
 * Draws the table into #participants-body. `openVersions(row, opener)` shows a participant's
 * versions; `selectionChanged()` runs when the ticked participants change. Returns {render,
 * renderRows}.
 */
export function reportsTable({ openVersions, selectionChanged }) {
  let query = '';
  let shown = PAGE;
  let notice = null;

  function status(view) {
    notice = view;
    $('#download-status').replaceChildren(...(view ? [view()] : []));
  }

  function matches() {
    const rows = state.list ? state.list.reports : [];
    const q = fold(query);
    if (!q) return rows;
    const digits = q.replace(/\s/g, '');
    return rows.filter((r) => fold(r.name).includes(q) || (/^\d+$/.test(digits) && r.nip.includes(digits)));
  }

  async function draft(row, language, button) {
    button.disabled = true;
    try {
      const got = await download(campaignPath(`/reports/${encodeURIComponent(row.participant)}/draft`), {
        query: { language }, name: `draf-laporan-${row.nip}-${language}.pdf`,
      });
      status(() => downloaded(got, 'draft-downloaded'));
    } catch (err) {
      status(() => errorNotice(err, 'draft-error'));
    } finally {
      button.disabled = false;
    }
  }

  async function zip(button) {
    button.disabled = true;
    try {
      const got = await download(campaignPath('/reports.zip'), { accept: 'application/zip', fallback: 'laporan.zip' });
      status(() => downloaded(got, 'zip-downloaded'));
    } catch (err) {
      status(() => errorNotice(err, 'zip-error'));
    } finally {
      button.disabled = false;
    }
  }

  function select(id, on) {
    if (on) state.selected.add(id);
    else state.selected.delete(id);
    selectionChanged();
  }

  /** The head checkbox: ticks every row shown that can be released. */
  function headCheck(visible) {
    const ready = visible.filter((r) => r.ready);
    const ticked = ready.filter((r) => state.selected.has(r.participant)).length;
    const box = h('input', {
      type: 'checkbox', id: 'select-all', disabled: ready.length === 0, checked: ready.length > 0 && ticked === ready.length,
      'aria-label': t('reports.table.selectAll'),
      onchange: (e) => {
        for (const r of ready) {
          if (e.target.checked) state.selected.add(r.participant);
          else state.selected.delete(r.participant);
        }
        renderRows();
        selectionChanged();
        $('#select-all')?.focus();
      },
    });
    box.indeterminate = ticked > 0 && ticked < ready.length;
    return box;
  }

  function row(r) {
    const latest = r.latest;
    return h('tr', { dataset: { participant: r.participant, nip: r.nip }, class: state.selected.has(r.participant) ? 'is-selected' : null },
      mayRelease() ? h('td', { class: 'rp-select' }, h('input', {
        type: 'checkbox', class: 'rp-pick', dataset: { participant: r.participant }, checked: state.selected.has(r.participant), disabled: !r.ready,
        'aria-label': t(r.ready ? 'reports.table.select' : 'reports.table.selectNotReady', { name: r.name }),
        onchange: (e) => {
          select(r.participant, e.target.checked);
          e.target.closest('tr').classList.toggle('is-selected', e.target.checked);
          const head = $('#select-all');
          if (head) head.replaceWith(headCheck(visibleRows()));
        },
      })) : null,
      h('th', { scope: 'row', class: 'rp-name' }, r.name),
      h('td', { class: 'mono' }, r.nip),
      h('td', {}, r.ready
        ? h('span', { class: 'badge badge-ok' }, t('reports.table.ready'))
        : h('span', { class: 'badge badge-muted' }, t('reports.table.notReady'))),
      h('td', { class: 'rp-latest' }, latest
        ? t('reports.table.latest', { v: latest.version, language: latest.language.toUpperCase() })
        : h('span', { class: 'muted' }, t('reports.table.unreleased'))),
      h('td', {}, latest ? formatDate(latest.released_at) : '–'),
      h('td', { class: 'rp-psychologist' }, latest ? [latest.psychologist, h('br'), h('span', { class: 'small muted' }, t('accounts.licence.short', { n: latest.licence_number }))] : '–'),
      h('td', {}, latest ? h('code', { class: 'rp-short-hash' }, shortHash(latest.content_hash)) : '–'),
      h('td', {}, r.ready
        ? h('div', { class: 'btn-row rp-drafts' }, LANGUAGES.map((language) => h('button', {
          type: 'button', class: 'btn btn-small rp-draft', dataset: { participant: r.participant, language },
          'aria-label': t('reports.table.draftLabel', { code: t('reports.code.' + language), name: r.name, language: languageName(language) }),
          onclick: (e) => draft(r, language, e.currentTarget),
        }, t('reports.code.' + language))))
        : h('span', { class: 'small muted' }, t('reports.table.noDraft'))),
      h('td', {}, r.versions > 0
        ? h('button', {
          type: 'button', class: 'btn btn-small rp-versions-open', dataset: { participant: r.participant },
          'aria-label': t('reports.table.versionsLabel', { n: r.versions, name: r.name }),
          onclick: (e) => openVersions(r, e.currentTarget),
        }, t('reports.table.versions', { n: r.versions }))
        : '–'));
  }

  const visibleRows = () => matches().slice(0, shown);

  /** Redraws the count and the rows (the search field keeps its focus and text). */
  function renderRows() {
    const wrap = $('#participants-rows');
    if (!wrap || !state.list) return;
    const all = state.list.reports;
    const found = matches();
    const visible = found.slice(0, shown);
    const ready = all.filter((r) => r.ready).length;
    const released = all.filter((r) => r.latest).length;
    $('#participants-count').textContent = query.trim()
      ? t('reports.table.countFiltered', { n: formatCount(found.length), total: formatCount(all.length) })
      : t('reports.table.count', { total: formatCount(all.length), ready: formatCount(ready), released: formatCount(released) });
    $('#download-zip').disabled = released === 0;
    $('#zip-hint').textContent = released === 0 ? t('reports.zip.none') : t('reports.zip.hint', { n: formatCount(released) });
    if (all.length === 0) {
      wrap.replaceChildren(h('p', { class: 'muted', id: 'participants-none' }, t('reports.table.none')));
      return;
    }
    if (found.length === 0) {
      wrap.replaceChildren(h('p', { class: 'muted', id: 'participants-nomatch' }, t('reports.table.noMatch', { q: query.trim() })));
      return;
    }
    wrap.replaceChildren(...[
      h('div', { class: 'table-wrap' }, h('table', { id: 'reports-table', 'aria-labelledby': 'participants-title' },
        h('thead', {}, h('tr', {},
          mayRelease() ? h('td', { class: 'rp-select' }, headCheck(visible)) : null,
          h('th', { scope: 'col' }, t('reports.table.col.name')),
          h('th', { scope: 'col' }, t('reports.table.col.nip')),
          h('th', { scope: 'col' }, t('reports.table.col.ready')),
          h('th', { scope: 'col' }, t('reports.table.col.latest')),
          h('th', { scope: 'col' }, t('reports.table.col.released')),
          h('th', { scope: 'col' }, t('reports.table.col.psychologist')),
          h('th', { scope: 'col' }, t('reports.table.col.hash')),
          h('th', { scope: 'col' }, t('reports.table.col.draft')),
          h('th', { scope: 'col' }, t('reports.table.col.versions')))),
        h('tbody', {}, visible.map(row)))),
      found.length > visible.length
        ? h('p', { class: 'rp-more' },
          h('button', {
            type: 'button', class: 'btn', id: 'show-more',
            onclick: () => {
              const first = visible.length;
              shown += PAGE;
              renderRows();
              $(`#reports-table tbody tr:nth-child(${first + 1}) .rp-name`)?.setAttribute('tabindex', '-1');
              $(`#reports-table tbody tr:nth-child(${first + 1}) .rp-name`)?.focus();
            },
          }, t('reports.table.more', { n: formatCount(Math.min(PAGE, found.length - visible.length)), left: formatCount(found.length - visible.length) })))
        : null].filter(Boolean));
  }

  function render() {
    const body = $('#participants-body');
    if (!state.list) {
      body.replaceChildren(h('p', { class: 'muted' }, t('loading')));
      return;
    }
    const focused = document.activeElement && document.activeElement.id === 'filter-q';
    body.replaceChildren(
      h('div', { class: 'toolbar rp-toolbar' },
        h('form', { class: 'field rp-search', role: 'search', 'aria-label': t('reports.table.search'), onsubmit: (e) => e.preventDefault() },
          h('label', { for: 'filter-q' }, t('reports.table.filter')),
          h('input', {
            type: 'search', id: 'filter-q', value: query, autocomplete: 'off', spellcheck: 'false', maxlength: 100,
            oninput: (e) => {
              query = e.target.value;
              shown = PAGE;
              renderRows();
            },
          })),
        h('div', { class: 'rp-zip' },
          h('button', { type: 'button', class: 'btn', id: 'download-zip', 'aria-describedby': 'zip-hint', onclick: (e) => zip(e.currentTarget) }, t('reports.zip.download')),
          h('p', { class: 'hint', id: 'zip-hint' }))),
      h('p', { id: 'participants-count', role: 'status' }),
      // Above the rows, where a download's outcome is seen whichever row it came from.
      h('div', { id: 'download-status', 'aria-live': 'polite' }),
      h('div', { id: 'participants-rows' }));
    renderRows();
    if (focused) $('#filter-q').focus();
    if (notice) status(notice);
  }

  return { render, renderRows };
}
