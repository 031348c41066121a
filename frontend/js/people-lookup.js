// A person's yearly records by NIP: SKP ratings and discipline records, newest year first.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatDate } from './locale.js';

/** A coded value in the page language; '–' for none. */
function label(prefix, code) {
  return code == null ? '–' : t(prefix + code);
}

/** A table of `rows` under heading `headingId`, with the i18n keys of its column heads. */
function table(id, headingId, heads, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { id, 'aria-labelledby': headingId },
    h('thead', {}, h('tr', {}, heads.map((key) => h('th', { scope: 'col' }, t(key))))),
    h('tbody', {}, rows)));
}

function ratingsPart(ratings) {
  const title = h('h3', { id: 'lookup-ratings-title' }, t('people.lookup.ratings'));
  if (!ratings.length) return [title, h('p', { class: 'muted', id: 'lookup-ratings-none' }, t('people.lookup.noRatings'))];
  return [title, table('lookup-ratings', 'lookup-ratings-title',
    ['people.lookup.col.year', 'people.lookup.col.predicate', 'people.lookup.col.work_results', 'people.lookup.col.work_behaviour', 'people.lookup.col.imported'],
    ratings.map((r) => h('tr', { dataset: { year: r.year } },
      h('td', { class: 'num' }, String(r.year)),
      h('td', {}, label('people.predicate.', r.predicate)),
      h('td', {}, label('people.expectation.', r.work_results)),
      h('td', {}, label('people.expectation.', r.work_behaviour)),
      h('td', {}, formatDate(r.imported_at)))))];
}

function disciplinePart(records) {
  const title = h('h3', { id: 'lookup-discipline-title' }, t('people.lookup.discipline'));
  if (!records.length) return [title, h('p', { class: 'muted', id: 'lookup-discipline-none' }, t('people.lookup.noDiscipline'))];
  return [title, table('lookup-discipline', 'lookup-discipline-title',
    ['people.lookup.col.year', 'people.lookup.col.level', 'people.lookup.col.note', 'people.lookup.col.imported'],
    records.map((r) => h('tr', { dataset: { year: r.year } },
      h('td', { class: 'num' }, String(r.year)),
      h('td', {}, label('people.level.', r.level)),
      h('td', {}, r.note || '–'),
      h('td', {}, formatDate(r.imported_at)))))];
}

/**
 * Wires the NIP form. Returns {render, refresh}: render draws the last answer again (on a language
 * change), refresh asks again for the NIP shown (after an import).
 */
export function lookupPanel() {
  let view = null;
  let shown = null; // the NIP whose records are on the page

  function show(next) {
    view = next;
    $('#lookup-result').replaceChildren(...(view ? [view()].flat(Infinity) : []).filter(Boolean));
  }

  async function load(nip) {
    show(() => h('p', { class: 'muted' }, t('loading')));
    try {
      const [ratings, discipline] = await Promise.all([
        api('/api/v1/performance-ratings', { query: { nip } }),
        api('/api/v1/discipline-records', { query: { nip } }),
      ]);
      shown = ratings.nip;
      show(() => [
        h('p', { id: 'lookup-for', class: 'mt' }, t('people.lookup.for', { nip: ratings.nip })),
        ratingsPart(ratings.ratings),
        disciplinePart(discipline.records),
      ]);
    } catch (err) {
      shown = null;
      show(() => errorNotice(err, 'lookup-error'));
    }
  }

  $('#lookup-form').addEventListener('submit', (e) => {
    e.preventDefault();
    load($('#lookup-nip').value.trim());
  });

  return {
    render: () => show(view),
    refresh: async () => {
      if (shown) await load(shown);
    },
  };
}
