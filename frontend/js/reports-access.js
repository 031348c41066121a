// Whether the campaign's participants may download their own released report from the candidate
// page (/take): HR and admin switch it (audited by the server), psychologists read it.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { campaignPath, manages, ok, state } from './reports-state.js';

/** Draws the section into #access-body. Returns {render}. */
export function accessPanel() {
  let notice = null;
  let busy = false;

  function status(view) {
    notice = view;
    $('#access-status').replaceChildren(...(view ? [view()] : []));
  }

  async function save(box) {
    if (busy) return;
    busy = true;
    const wanted = box.checked;
    box.disabled = true;
    try {
      const answer = await api(campaignPath('/report-settings'), { method: 'PUT', body: { participants_may_download: wanted } });
      state.list.participants_may_download = answer.participants_may_download;
      status(() => ok(t(answer.participants_may_download ? 'reports.access.savedOn' : 'reports.access.savedOff'), 'access-saved'));
    } catch (err) {
      box.checked = !wanted;
      status(() => errorNotice(err, 'access-error'));
    } finally {
      busy = false;
      box.disabled = false;
      box.focus();
    }
  }

  function render() {
    const body = $('#access-body');
    if (!state.list) {
      body.replaceChildren(h('p', { class: 'muted' }, t('loading')));
      return;
    }
    const allowed = state.list.participants_may_download;
    if (!manages()) {
      body.replaceChildren(h('p', { id: 'access-text' }, t(allowed ? 'reports.access.readOn' : 'reports.access.readOff')));
    } else {
      body.replaceChildren(
        h('label', { class: 'switch', for: 'participants-may-download' },
          h('input', { type: 'checkbox', id: 'participants-may-download', checked: allowed, 'aria-describedby': 'access-hint', onchange: (e) => save(e.target) }),
          h('span', {}, t('reports.access.toggle'))),
        h('p', { class: 'hint', id: 'access-hint' }, t('reports.access.hint')));
    }
    if (notice) status(notice);
  }

  return { render };
}
