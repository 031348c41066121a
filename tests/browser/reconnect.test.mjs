// How long a live stream (the proctor's room, the candidate's page) waits before reconnecting:
// doubling, capped, and drawn per page within a range, so the thousands of pages of a node that
// stopped do not all reconnect to the other nodes in the same second. Runs without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconnectWait, BACKOFF_MS } from '../../frontend/js/proctor-feed.js';

test('the wait doubles from 1 s, each draw falls between the doubled wait and three times it, and never passes 10 s', () => {
  assert.deepEqual(BACKOFF_MS, { first: 1000, max: 10_000 });
  // The lowest and highest draws of each try.
  assert.deepEqual([0, 1, 2, 3, 20].map((n) => reconnectWait(n, () => 0)), [1000, 2000, 4000, 8000, 10_000]);
  assert.deepEqual([0, 1, 2, 3].map((n) => reconnectWait(n, () => 0.999_999)), [3000, 6000, 10_000, 10_000]);
  assert.equal(reconnectWait(0, () => 0.5), 2000);
});

test('a thousand pages reconnecting after their first failure spread over two seconds', () => {
  const waits = Array.from({ length: 1000 }, () => reconnectWait(0));
  assert.ok(waits.every((w) => w >= 1000 && w <= 3000));
  // Each half-second between 1 s and 3 s gets some of them.
  for (let from = 1000; from < 3000; from += 500) {
    assert.ok(waits.some((w) => w >= from && w < from + 500), `some wait in [${from}, ${from + 500})`);
  }
});
