// The candidate page (/take): sign-in with an access code, consent, the list of sections, each
// section's instructions and practice items, then one item at a time with a countdown from the
// server's remaining time, autosave through a local queue that survives reload and network loss,
// submission, and the end screen. A reload at any point comes back to the same section and item.
// A live line to the proctor (take-stream.js) brings the proctor's actions within moments: a
// pause stops the clock behind a full-screen notice, extra time grows the countdown, messages
// stay until dismissed, an ended test shows its end, and a lobby waits for admission and start.
// The page is split by responsibility: take-state (state, storage, page frame, answer queue),
// take-clock (countdown), take-proctor (the proctor's live state), take-screens (sign-in, list,
// end), take-section (one section and its items), over take-api, take-queue, take-stream,
// take-signals and take-items. This file wires them up and starts the page.
import { $, renderShell } from './shell.js';
import { initI18n } from './i18n.js';
import { onSessionLost } from './take-api.js';
import { watchIntegrity } from './take-signals.js';
import { S, rerender, writeSnapshot } from './take-state.js';
import { periodicSync, resyncNow } from './take-clock.js';
import { renderMessages, renderPauseOverlay, sessionLost } from './take-proctor.js';
import { route, signOut } from './take-screens.js';

renderShell({ nav: false, signOutId: 'take-signout' });
initI18n();
onSessionLost(sessionLost);
setInterval(periodicSync, 5000);
watchIntegrity(() => Boolean(S.section) && S.section.status === 'open');
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') resyncNow();
});
$('#take-signout').addEventListener('click', signOut);
document.addEventListener('langchange', () => {
  rerender();
  renderPauseOverlay();
  renderMessages();
});
window.addEventListener('pagehide', () => {
  if (S.current) S.current.flush();
  writeSnapshot();
});
// The page loads again without the network once it has loaded (take-sw.js).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/take-sw.js', { scope: '/take' }).catch(() => {
    /* without it the page still works; only a reload without the network fails */
  });
}
route();
