// The proctor's room as data: how an answer count from the live feed changes a row. Runs without
// a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Room } from '../../frontend/js/proctor-rows.js';

function room() {
  const r = new Room();
  r.snapshot({
    server_time_ms: 1_000_000,
    rows: [
      { participant: 'p1', name: 'Ani', state: 'in_section', section: 1, answered: 3, last_seen_ms: 999_000 },
      { participant: 'p2', name: 'Budi', state: 'lobby', section: null, answered: 0, last_seen_ms: null },
    ],
  });
  return r;
}

test('a count for the section a row shows open replaces its count and its last sign of life', () => {
  const r = room();
  const before = r.version;
  const changed = r.progress({
    server_time_ms: 1_001_000,
    progress: [{ participant: 'p1', section: 1, answered: 4, last_seen_ms: 1_000_500 }],
  });
  assert.deepEqual(changed, ['p1']);
  assert.equal(r.rows.get('p1').answered, 4);
  assert.equal(r.rows.get('p1').last_seen_ms, 1_000_500);
  assert.equal(r.version, before + 1);
});

test('a count for another section, or for a participant the room does not hold, changes nothing', () => {
  const r = room();
  const before = r.version;
  const changed = r.progress({
    server_time_ms: 1_001_000,
    progress: [
      { participant: 'p1', section: 0, answered: 9, last_seen_ms: 1_000_500 },
      { participant: 'p2', section: 0, answered: 1, last_seen_ms: 1_000_500 },
      { participant: 'nobody', section: 1, answered: 1, last_seen_ms: 1_000_500 },
    ],
  });
  assert.deepEqual(changed, []);
  assert.equal(r.rows.get('p1').answered, 3);
  assert.equal(r.rows.get('p2').answered, 0);
  assert.equal(r.version, before);
});

test('a count read earlier by another node and arriving after a newer one does not lower the row', () => {
  const r = room();
  r.progress({ progress: [{ participant: 'p1', section: 1, answered: 6, last_seen_ms: 1_000_900 }] });
  r.progress({ progress: [{ participant: 'p1', section: 1, answered: 5, last_seen_ms: 1_000_400 }] });
  assert.equal(r.rows.get('p1').answered, 6);
  assert.equal(r.rows.get('p1').last_seen_ms, 1_000_900);
});

test('presence moves a row\'s last sign of life forward only', () => {
  const r = room();
  assert.equal(r.seen({ seen: [['p1', 1_000_800], ['p2', 1_000_100]] }), true);
  assert.equal(r.rows.get('p1').last_seen_ms, 1_000_800);
  assert.equal(r.rows.get('p2').last_seen_ms, 1_000_100);
  const before = r.version;
  assert.equal(r.seen({ seen: [['p1', 1_000_200]] }), false);
  assert.equal(r.rows.get('p1').last_seen_ms, 1_000_800);
  assert.equal(r.version, before);
});
