// Released versions: the table of a report's versions (language, when, by whom with their licence
// number, size, the full SHA-256 and the data versions it was built from, each with its download),
// shown for a participant in a dialog and for the campaign summary in its section. A version is
// downloaded exactly as released, and the page checks its SHA-256 against the one recorded.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatDate } from './locale.js';
import { campaignPath, download, downloaded, languageName, sizeText } from './reports-state.js';

/**
 * The versions of report `report` (a participant's id, or the campaign's for its summary), newest
 * first, as a table `id`. `who` names the report in the buttons' labels; a download's outcome goes
 * to `status(view)`.
 */
export function versionsTable(versions, { id, report, who, status }) {
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  return h('div', { class: 'table-wrap' }, h('table', { id, class: 'rp-versions' },
    h('caption', { class: 'sr-only' }, t('reports.versions.caption', { name: who })),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('reports.versions.col.version')),
      h('th', { scope: 'col' }, t('reports.versions.col.language')),
      h('th', { scope: 'col' }, t('reports.versions.col.released')),
      h('th', { scope: 'col' }, t('reports.versions.col.psychologist')),
      h('th', { scope: 'col', class: 'num' }, t('reports.versions.col.size')),
      h('th', { scope: 'col' }, t('reports.versions.col.hash')),
      h('th', { scope: 'col' }, t('reports.versions.col.file')))),
    h('tbody', {}, newestFirst.map((v) => h('tr', { dataset: { version: v.version } },
      h('th', { scope: 'row' }, t('reports.versions.number', { v: v.version })),
      h('td', {}, languageName(v.language)),
      h('td', {}, formatDate(v.released_at)),
      h('td', {}, v.psychologist, h('br'), h('span', { class: 'small muted' }, t('accounts.licence.short', { n: v.licence_number }))),
      h('td', { class: 'num' }, sizeText(v.size_bytes)),
      h('td', { class: 'rp-hash-cell' },
        h('code', { class: 'rp-hash' }, v.content_hash),
        v.data_versions && v.data_versions.length
          ? h('span', { class: 'small muted rp-data' }, t('reports.versions.data', { list: v.data_versions.map(([k, x]) => `${k} ${x}`).join(' · ') }))
          : null),
      h('td', {}, h('button', {
        type: 'button', class: 'btn btn-small rp-version-download', dataset: { version: v.version },
        'aria-label': t('reports.versions.downloadLabel', { v: v.version, name: who }),
        onclick: async (e) => {
          const button = e.currentTarget;
          button.disabled = true;
          try {
            const got = await download(campaignPath(`/reports/${encodeURIComponent(report)}/versions/${v.version}`), {
              fallback: `laporan-v${v.version}.pdf`, expect: v.content_hash,
            });
            status(() => downloaded(got, 'version-downloaded'));
          } catch (err) {
            status(() => errorNotice(err, 'version-download-error'));
          } finally {
            button.disabled = false;
          }
        },
      }, t('reports.versions.download', { v: v.version }))))))));
}

/** Wires the dialog of a participant's versions. Returns {open(row, opener), render}. */
export function versionsDialog() {
  let current = null; // {row, versions, error, opener}
  let notice = null;
  const dialog = $('#versions-dialog');

  function status(view) {
    notice = view;
    $('#versions-status').replaceChildren(...(view ? [view()] : []));
  }

  function render() {
    if (!current) return;
    const { row } = current;
    $('#versions-title').textContent = t('reports.versions.title', { name: row.name });
    const body = $('#versions-body');
    if (current.error) {
      body.replaceChildren(errorNotice(current.error, 'versions-error'));
    } else if (!current.versions) {
      body.replaceChildren(h('p', { class: 'muted' }, t('loading')));
    } else {
      body.replaceChildren(
        h('p', { class: 'small muted' }, t('reports.versions.nip', { nip: row.nip })),
        h('p', {}, t('reports.versions.intro')),
        current.versions.length
          ? versionsTable(current.versions, { id: 'versions-table', report: row.participant, who: row.name, status })
          : h('p', { class: 'muted', id: 'versions-none' }, t('reports.versions.none')));
    }
    if (notice) status(notice);
  }

  async function open(row, opener) {
    current = { row, versions: null, error: null, opener };
    status(null);
    render();
    dialog.showModal();
    $('#versions-title').focus();
    try {
      const versions = await api(campaignPath(`/reports/${encodeURIComponent(row.participant)}/versions`));
      if (current?.row !== row) return;
      current.versions = versions;
    } catch (err) {
      if (current?.row !== row) return;
      current.error = err;
    }
    render();
  }

  $('#versions-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    const opener = current?.opener;
    current = null;
    notice = null;
    // The row may have been drawn again meanwhile (a language change): its button takes the focus.
    if (opener && opener.isConnected) opener.focus();
    else if (opener?.dataset.participant) $(`button.rp-versions-open[data-participant="${opener.dataset.participant}"]`)?.focus();
  });

  return { open, render };
}
