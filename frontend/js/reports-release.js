// Releasing reports (psychologists): the participants ticked in the table, or everyone with
// results, the campaign summary if wanted, in Indonesian or English, confirmed in a dialog that
// names the licence number (SIPP) the reports are signed with. A psychologist whose account has no
// licence number is told so instead of being offered the button. What the release did (new
// versions, reports unchanged since their last version, participants without results) is
// announced in the section's status region. HR and admin read how releasing works.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatCount } from './locale.js';
import { campaignPath, licence, releases, state } from './reports-state.js';

/**
 * Draws the section into #release-body and wires the dialog. `released()` runs (and is awaited)
 * after a release, before its outcome is shown. Returns {render, selectionChanged}.
 */
export function releasePanel({ released }) {
  let outcome = null; // {answer, names} of the last release
  let busy = false;
  let opener = null;
  const dialog = $('#release-dialog');

  const ready = () => (state.list ? state.list.reports.filter((r) => r.ready) : []);
  const chosen = () => ready().filter((r) => state.selected.has(r.participant));

  function render() {
    const body = $('#release-body');
    if (!releases()) {
      body.replaceChildren(h('p', { id: 'release-info' }, t('reports.release.info')));
      renderOutcome();
      return;
    }
    if (!licence()) {
      body.replaceChildren(h('div', { class: 'notice notice-warn', id: 'licence-missing' },
        h('p', {}, t('reports.release.noLicence')),
        h('p', {}, t('reports.release.noLicenceDrafts'))));
      renderOutcome();
      return;
    }
    body.replaceChildren(
      h('p', { id: 'release-signer' }, t('reports.release.signer', { name: state.me.name, licence: licence() })),
      h('p', { id: 'release-selection' }),
      h('div', { class: 'btn-row' },
        h('button', { type: 'button', class: 'btn btn-primary', id: 'release-open', 'aria-haspopup': 'dialog', onclick: (e) => open(e.currentTarget) }, t('reports.release.open'))));
    selectionChanged();
    renderOutcome();
  }

  function selectionChanged() {
    const p = $('#release-selection');
    if (p) p.textContent = t('reports.release.selection', { n: formatCount(chosen().length), ready: formatCount(ready().length) });
    if (dialog.open) fillDialog(false);
  }

  /** The dialog's words and choices for the current selection (`reset`: the defaults too). */
  function fillDialog(reset) {
    const n = chosen().length;
    const selected = $('#release-selected');
    $('#release-selected-label').textContent = t('reports.release.whichSelected', { n: formatCount(n) });
    $('#release-all-label').textContent = t('reports.release.whichAll', { n: formatCount(ready().length) });
    selected.disabled = n === 0;
    if (reset || (n === 0 && selected.checked)) {
      selected.checked = n > 0;
      $('#release-all').checked = n === 0;
    }
    $('#release-confirm').textContent = t('reports.release.confirm', { name: state.me.name, licence: licence() });
    $('#release-submit').textContent = t('reports.release.submit');
  }

  function open(button) {
    opener = button;
    $('#release-form').reset();
    $('#release-error').replaceChildren();
    $('#release-submit').disabled = false;
    fillDialog(true);
    dialog.showModal();
    ($('#release-selected').checked ? $('#release-selected') : $('#release-all')).focus();
  }

  function renderOutcome() {
    const box = $('#release-outcome');
    if (!outcome) {
      box.replaceChildren();
      return;
    }
    const { answer, names } = outcome;
    const name = (id) => names.get(id) || id;
    const individual = answer.released.filter((r) => r.kind === 'individual');
    const fresh = individual.filter((r) => r.new_version);
    const same = individual.filter((r) => !r.new_version);
    const summary = answer.released.find((r) => r.kind === 'campaign_summary');
    const parts = [];
    if (fresh.length) {
      parts.push(h('p', { id: 'release-new' }, t('reports.release.outcome.new', { n: formatCount(fresh.length) })),
        h('ul', { class: 'rp-outcome-list', id: 'release-new-list' }, fresh.map((r) => h('li', { dataset: { participant: r.report } },
          t('reports.release.outcome.item', { name: name(r.report), v: r.version }), ' ',
          h('span', { class: 'small' }, t('reports.release.outcome.hash')), ' ', h('code', { class: 'rp-hash' }, r.content_hash)))));
    }
    if (same.length) {
      parts.push(h('p', { id: 'release-unchanged' }, t('reports.release.outcome.unchanged', { n: formatCount(same.length) })),
        h('ul', { class: 'rp-outcome-list', id: 'release-unchanged-list' }, same.map((r) => h('li', { dataset: { participant: r.report } },
          t('reports.release.outcome.kept', { name: name(r.report), v: r.version })))));
    }
    if (summary) {
      parts.push(h('p', { id: 'release-summary-outcome' }, t(summary.new_version ? 'reports.release.outcome.summaryNew' : 'reports.release.outcome.summaryKept', { v: summary.version })));
    }
    if (answer.not_ready.length) {
      parts.push(h('p', { id: 'release-not-ready' }, t('reports.release.outcome.notReady', {
        n: formatCount(answer.not_ready.length), names: answer.not_ready.map(name).join(', '),
      })));
    }
    if (!answer.released.length) parts.push(h('p', { id: 'release-nothing' }, t('reports.release.outcome.nothing')));
    box.replaceChildren(h('div', { class: 'notice ' + (fresh.length || summary?.new_version ? 'notice-ok' : 'notice-info'), id: 'release-done' }, ...parts));
  }

  $('#release-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const which = $('#release-selected').checked ? 'selected' : 'all';
    const summary = $('#release-summary').checked;
    const language = $('#release-lang-en').checked ? 'en' : 'id';
    const participants = which === 'selected' ? chosen().map((r) => r.participant) : undefined;
    if (which === 'all' && ready().length === 0 && !summary) {
      $('#release-error').replaceChildren(h('div', { class: 'notice notice-error', role: 'alert', id: 'release-none-ready' }, h('p', {}, t('reports.release.noneReady'))));
      return;
    }
    busy = true;
    $('#release-submit').disabled = true;
    $('#release-error').replaceChildren(h('p', { class: 'muted', id: 'release-busy' }, t('reports.release.busy')));
    // Names are kept from before the release: the outcome names whom it was for.
    const names = new Map((state.list?.reports || []).map((r) => [r.participant, r.name]));
    try {
      const answer = await api(campaignPath('/reports/release'), { method: 'POST', body: { participants, language, summary } });
      outcome = { answer, names };
      dialog.close();
      await released();
      renderOutcome();
    } catch (err) {
      $('#release-error').replaceChildren(errorNotice(err, 'release-refused'));
      $('#release-submit').disabled = false;
    } finally {
      busy = false;
    }
  });
  $('#release-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    const back = opener && opener.isConnected ? opener : $('#release-open');
    opener = null;
    back?.focus();
  });

  return { render, selectionChanged };
}
