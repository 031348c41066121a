// The candidate's live line to the proctor: GET /api/v1/candidate/stream with the candidate's own
// token, read with fetch (EventSource cannot send the header), reconnecting by itself. Every
// "state" event (pause, resume, extra time, end, messages, admission, the session's start) goes to
// the page, which reacts within moments of the proctor's action.
import { candidateSession } from './take-api.js';
import { LiveStream } from './proctor-feed.js';

/**
 * Opens the stream. onState(CandidateState); onStatus('connecting' | 'live' | 'reconnecting' |
 * 'stopped'); onRefused(status, body) when the server refuses the token (401) or the device
 * (409 device_replaced): the stream stops and the page decides what follows.
 * Returns {stop(), live()}.
 */
export function openCandidateStream({ onState, onStatus = () => {}, onRefused = () => {} }) {
  const stream = new LiveStream({
    url: '/api/v1/candidate/stream',
    headers: () => {
      const s = candidateSession();
      return s ? { Authorization: 'Bearer ' + s.token } : {};
    },
    onEvent: (name, data) => {
      if (name === 'state' && data && typeof data === 'object') onState(data);
    },
    onStatus,
    onHttpError: (status, body) => {
      const code = body && body.code;
      if (status === 401 || status === 403 || code === 'device_replaced' || code === 'attempt_terminated') {
        onRefused(status, body);
        return 'stop';
      }
      return 'retry';
    },
  });
  stream.start();
  return {
    stop: () => stream.stop(),
    live: () => stream.status === 'live',
  };
}
