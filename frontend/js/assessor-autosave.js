// Drafts saved as the assessor writes: a save a moment after the last change (and at once when the
// page asks, on leaving a field or the sheet), one request at a time, nothing sent when nothing
// changed since the last save, and another try after a while when the server cannot be reached.
// What the save means (the request, the revision, stale and locked sheets) is the sheet's business.

/** Milliseconds of quiet after a change before it is saved. */
export const SAVE_DELAY_MS = 1500;
/** Milliseconds before a save that failed on the network is tried again. */
export const RETRY_MS = 5000;

/**
 * A saver of `payload()` (the draft as the page has it) through `send(body)` (a promise of the
 * server's answer). `saved(answer)` runs after each save, `failed(err)` after a refused one;
 * `state(name)` hears 'saving', 'saved' and 'offline'. Returns {touch, flush, dirty, reset, stop}.
 */
export function autosaver({ payload, send, saved, failed, state, delay = SAVE_DELAY_MS, retry = RETRY_MS }) {
  let last = JSON.stringify(payload()); // what the server has
  let timer = null;
  let inflight = null;
  let stopped = false;

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      flush();
    }, ms);
  }

  /** Saves now when something changed; resolves true when the server has the page's draft. */
  async function flush() {
    clearTimeout(timer);
    timer = null;
    // Several callers may wait for the same save; only one sends the next.
    while (inflight) await inflight;
    if (stopped) return false;
    const body = payload();
    const key = JSON.stringify(body);
    if (key === last) return true;
    state('saving');
    inflight = (async () => {
      try {
        const answer = await send(body);
        last = key;
        if (!stopped) {
          saved(answer);
          state('saved');
        }
        return true;
      } catch (err) {
        if (stopped) return false;
        if (err && err.code === 'network') {
          state('offline');
          schedule(retry);
        } else {
          failed(err);
        }
        return false;
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  }

  return {
    /** A change: saved after `delay` ms without another. */
    touch() {
      if (!stopped) schedule(delay);
    },
    flush,
    /** Whether the page holds changes the server does not have. */
    dirty: () => JSON.stringify(payload()) !== last,
    /** The page now shows what the server has (after a reload). */
    reset() {
      clearTimeout(timer);
      timer = null;
      last = JSON.stringify(payload());
    },
    /** No more saves (the sheet was closed, submitted or locked). */
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = null;
    },
  };
}
