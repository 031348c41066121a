// The campaign's summary for leadership: its draft in either language, and the versions a
// psychologist released (with the reports, as the release dialog offers), each downloadable and
// checked against its recorded SHA-256.
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { campaignPath, download, downloaded, languageName, mayRelease, state } from './reports-state.js';
import { versionsTable } from './reports-versions.js';

/** Draws the section into #summary-body. Returns {render}. */
export function summaryPanel() {
  let notice = null;

  function status(view) {
    notice = view;
    $('#summary-status').replaceChildren(...(view ? [view()] : []));
  }

  async function draft(language, button) {
    button.disabled = true;
    try {
      const got = await download(campaignPath('/summary-report'), { query: { language }, name: `draf-ringkasan-${language}.pdf` });
      status(() => downloaded(got, 'summary-draft-downloaded'));
    } catch (err) {
      status(() => errorNotice(err, 'summary-draft-error'));
    } finally {
      button.disabled = false;
    }
  }

  function render() {
    const body = $('#summary-body');
    if (!state.list) {
      body.replaceChildren(h('p', { class: 'muted' }, t('loading')));
      return;
    }
    const versions = state.list.summary;
    body.replaceChildren(
      h('p', {}, t('reports.summary.intro')),
      h('div', { class: 'btn-row rp-summary-drafts' }, ['id', 'en'].map((language) => h('button', {
        type: 'button', class: 'btn rp-summary-draft', id: `summary-draft-${language}`, dataset: { language },
        onclick: (e) => draft(language, e.currentTarget),
      }, t('reports.summary.draft', { language: languageName(language) })))),
      h('h3', { id: 'summary-versions-title' }, t('reports.summary.versions')),
      versions.length
        ? versionsTable(versions, { id: 'summary-versions', report: state.campaignId, who: t('reports.summary.who'), status })
        : h('p', { class: 'muted', id: 'summary-none' }, t(mayRelease() ? 'reports.summary.noneRelease' : 'reports.summary.none')));
    if (notice) status(notice);
  }

  return { render };
}
