// Integrity signals: while a section is open, the page tells the server when it was hidden (not
// when it reloads or closes), lost focus, left fullscreen, or saw copy, paste or the context
// menu. At most one signal of a kind every few seconds, and a failure is ignored: a signal must
// never disturb the candidate.
import { capi } from './take-api.js';

const GAP_MS = 3000;
/** How long a page stays hidden before it counts: longer than a reload takes to begin. */
const HIDDEN_AFTER_MS = 1500;

/** Starts watching; `isActive()` says whether a section is open (signals are sent only then). */
export function watchIntegrity(isActive) {
  const last = {};
  let hiddenSince = null;
  const send = (signal, detail) => {
    if (!isActive()) return;
    const now = Date.now();
    if (last[signal] && now - last[signal] < GAP_MS) return;
    last[signal] = now;
    const body = detail ? { signal, detail } : { signal };
    capi('/api/v1/candidate/events', { method: 'POST', body }).catch(() => {});
  };
  // A hidden page is reported only once it has stayed hidden a moment while still alive: a reload
  // or a closing tab also hides the page first, and is not a sign of anything (the page that comes
  // back after a reload is a new page, so nothing is reported for it either).
  let leaving = false;
  let hiddenTimer = null;
  window.addEventListener('pagehide', () => {
    leaving = true;
    clearTimeout(hiddenTimer);
  });
  window.addEventListener('beforeunload', () => {
    leaving = true;
    clearTimeout(hiddenTimer);
  });
  window.addEventListener('pageshow', () => {
    leaving = false;
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') {
      if (leaving) return;
      hiddenSince = Date.now();
      clearTimeout(hiddenTimer);
      hiddenTimer = setTimeout(() => {
        if (!leaving && document.visibilityState === 'hidden') send('page_hidden');
      }, HIDDEN_AFTER_MS);
    } else if (hiddenSince !== null) {
      clearTimeout(hiddenTimer);
      const seconds = Math.round((Date.now() - hiddenSince) / 1000);
      hiddenSince = null;
      // The return is reported with how long the page was away, under the same kind.
      last.page_hidden = 0;
      send('page_hidden', 'hidden for ' + seconds + ' s');
    }
  });
  window.addEventListener('blur', () => send('window_blur'));
  document.addEventListener('fullscreenchange', () => {
    if (!document.fullscreenElement) send('fullscreen_exit');
  });
  document.addEventListener('copy', () => send('copy'));
  document.addEventListener('paste', () => send('paste'));
  document.addEventListener('contextmenu', () => send('context_menu'));
}
