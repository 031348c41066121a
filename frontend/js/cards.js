// Printable access-code cards: the codes just issued on /campaigns, handed over in this tab's
// sessionStorage (never sent anywhere), one card per participant, eight to an A4 sheet in print.
import { $, h, startPage } from './shell.js';
import { t, tIn } from './i18n.js';
import { formatDate } from './locale.js';
import { cardsKey } from './campaigns-csv.js';

const PER_SHEET = 8;

const me = await startPage({ roles: ['admin', 'hr'] });

const params = new URLSearchParams(location.search);
const campaignId = params.get('campaign') || '';
const key = cardsKey(campaignId);

function load() {
  try {
    const data = JSON.parse(sessionStorage.getItem(key) || 'null');
    return data && Array.isArray(data.codes) ? data : null;
  } catch {
    return null;
  }
}

let cardLang = 'id';

function card(data, c) {
  const k = (name) => tIn(cardLang, `cards.card.${name}`);
  const url = location.origin + '/take';
  return h('article', { class: 'access-card', dataset: { nip: c.nip } },
    h('p', { class: 'access-card-campaign' }, data.campaign.name),
    h('p', { class: 'access-card-name' }, c.name),
    h('dl', { class: 'access-card-facts' },
      h('dt', {}, 'NIP'), h('dd', { class: 'mono' }, c.nip),
      h('dt', {}, k('session')), h('dd', {}, c.session || '–')),
    h('p', { class: 'access-card-label' }, k('code')),
    h('p', { class: 'access-card-code' }, c.code),
    h('ol', { class: 'access-card-steps' },
      h('li', {}, k('step1'), ' ', h('span', { class: 'access-card-url' }, url)),
      h('li', {}, k('step2')),
      h('li', {}, k('step3'))));
}

function render() {
  const data = load();
  const box = $('#cards');
  $('#print-cards').disabled = !data;
  $('#clear-cards').disabled = !data;
  if (!data) {
    $('#cards-intro').textContent = '';
    box.replaceChildren(h('div', { class: 'notice notice-warn', id: 'cards-none', role: 'alert' },
      h('p', {}, t('cards.none')),
      h('p', {}, h('a', { href: '/campaigns' + (campaignId ? '#campaign=' + encodeURIComponent(campaignId) : '') }, t('cards.back')))));
    return;
  }
  $('#cards-intro').textContent = t('cards.intro', { n: data.codes.length, campaign: data.campaign.name, when: formatDate(data.issued_at) });
  const sheets = [];
  for (let i = 0; i < data.codes.length; i += PER_SHEET) {
    sheets.push(h('div', { class: 'cards-sheet' }, data.codes.slice(i, i + PER_SHEET).map((c) => card(data, c))));
  }
  box.replaceChildren(
    h('div', { class: 'notice notice-warn cards-warning' }, h('p', {}, t('cards.warning'))),
    ...sheets);
}

function offerClear() {
  if (!load()) return;
  $('#cards-status').replaceChildren(h('div', { class: 'notice notice-info', id: 'cards-after-print', role: 'status' },
    h('p', {}, t('cards.afterPrint')),
    h('div', { class: 'btn-row' },
      h('button', { type: 'button', class: 'btn btn-danger', id: 'clear-after-print', onclick: clear }, t('cards.clear')),
      h('button', { type: 'button', class: 'btn', onclick: () => $('#cards-status').replaceChildren() }, t('cards.keep')))));
  const b = $('#clear-after-print');
  if (b) b.focus();
}

function clear() {
  sessionStorage.removeItem(key);
  render();
  $('#cards-status').replaceChildren(h('div', { class: 'notice notice-ok', id: 'cards-cleared', role: 'status' }, h('p', {}, t('cards.cleared'))));
}

if (me) {
  $('#print-cards').addEventListener('click', () => window.print());
  $('#clear-cards').addEventListener('click', clear);
  $('#card-lang').addEventListener('change', (e) => {
    cardLang = e.target.value === 'en' ? 'en' : 'id';
    render();
  });
  window.addEventListener('afterprint', offerClear);
  document.addEventListener('langchange', render);
  render();
}
