// A person by NIP: their competency results across campaigns (people-history) and their yearly
// records, SKP ratings and discipline records, newest year first.
import { api } from './api.js';
import { $, errorNotice, h } from './shell.js';
import { t } from './i18n.js';
import { formatDate } from './locale.js';
import { historyPart } from './people-history.js';
import { scrollFrame } from './people-scroll.js';

/** A coded value in the page language; '–' for none. */
function label(prefix, code) {
  return code == null ? '–' : t(prefix + code);
}

/** A table of `rows` under heading `headingId`, with the i18n keys of its column heads. */
function table(id, headingId, heads, rows) {
  return scrollFrame(h('table', { id, 'aria-labelledby': headingId },
    h('thead', {}, h('tr', {}, heads.map((key) => h('th', { scope: 'col' }, t(key))))),
    h('tbody', {}, rows)), headingId);
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

let dictionary = null;

/**
 * The competency names by code from the organisation's dictionary, asked for once; an empty map
 * when it cannot be read (the history then shows codes).
 */
function competencyNames() {
  if (!dictionary) {
    dictionary = api('/api/v1/competencies')
      .then((d) => new Map((d.competencies || []).map((c) => [c.code, c.name])))
      .catch(() => {
        dictionary = null;
        return new Map();
      });
  }
  return dictionary;
}

/**
 * Wires the NIP form. Returns {render, refresh}: render draws the last answer again (on a language
 * change), refresh asks again for the NIP shown (after an import).
 */
export function lookupPanel() {
  let view = null;
  let shown = null; // the NIP whose records are on the page

  let said = null; // () => the short sentence the status line says about the view

  // The records themselves are not a live region (a history is long); a status line says in one
  // sentence what arrived, and an error is an alert.
  function show(next, say = null) {
    view = next;
    said = say;
    $('#lookup-result').replaceChildren(...(view ? [view()].flat(Infinity) : []).filter(Boolean));
    $('#lookup-status').textContent = said ? said() : '';
  }

  async function load(nip) {
    show(() => h('p', { class: 'muted' }, t('loading')), () => t('loading'));
    try {
      const [history, ratings, discipline, names] = await Promise.all([
        api('/api/v1/competency-history', { query: { nip } }),
        api('/api/v1/performance-ratings', { query: { nip } }),
        api('/api/v1/discipline-records', { query: { nip } }),
        competencyNames(),
      ]);
      shown = ratings.nip;
      show(() => [
        h('p', { id: 'lookup-for', class: 'mt' }, t('people.lookup.for', { nip: ratings.nip })),
        historyPart(history, names),
        ratingsPart(ratings.ratings),
        disciplinePart(discipline.records),
      ], () => t('people.lookup.found', {
        nip: ratings.nip,
        history: history.entries.length,
        expired: history.entries.filter((e) => e.expired).length,
        ratings: ratings.ratings.length,
        discipline: discipline.records.length,
      }));
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
    render: () => show(view, said),
    refresh: async () => {
      if (shown) await load(shown);
    },
  };
}
