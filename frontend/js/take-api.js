// The candidate side of the API: the candidate's own bearer token (kept in sessionStorage under
// its own key, never mixed with a staff token), JSON in and out, a time limit on every request so
// a stalled connection cannot freeze the page, and failures thrown as ApiError {status, code}.
import { ApiError } from './api.js';

const SESSION_KEY = 'meritest.candidate';
/** Longest wait for one reply before it counts as a network failure. */
const REQUEST_TIMEOUT_MS = 20_000;

/** The signed-in candidate: {token, expires_at, attempt, name}, or null. */
export function candidateSession() {
  let s;
  try {
    s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
  } catch {
    s = null;
  }
  if (!s || typeof s.token !== 'string') return null;
  if (s.expires_at && Date.parse(s.expires_at) <= Date.now()) {
    clearCandidate();
    return null;
  }
  return s;
}

/** Keeps a successful candidate sign-in (the API's login reply). */
export function saveCandidate(outcome) {
  const a = outcome.attempt || {};
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({
    token: outcome.token,
    expires_at: outcome.expires_at || null,
    attempt: a.id || null,
    name: (a.participant && a.participant.name) || null,
  }));
}

/** Updates what is remembered about the attempt (id and name) without touching the token. */
export function rememberAttempt(attempt) {
  const s = candidateSession();
  if (!s || !attempt) return;
  s.attempt = attempt.id || s.attempt;
  if (attempt.participant && attempt.participant.name) s.name = attempt.participant.name;
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
}

export function clearCandidate() {
  sessionStorage.removeItem(SESSION_KEY);
}

async function readJson(res) {
  const text = await res.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

let onFatal = null;

/**
 * Whether an error means this page may not go on with the attempt: 401 (the token expired or was
 * revoked), 409 device_replaced (another device took the attempt over) or 409 attempt_terminated
 * (a proctor ended the test).
 */
export function isSessionOver(err) {
  return !!err && (err.status === 401 || err.code === 'device_replaced' || err.code === 'attempt_terminated');
}

/**
 * Registers what happens when any reply says the session is over on this device (isSessionOver).
 */
export function onSessionLost(handler) {
  onFatal = handler;
}

/**
 * Calls the candidate API. options: method, body (an object, sent as JSON), auth (default true),
 * timeoutMs. Resolves with the parsed JSON reply; rejects with ApiError (code "network" when the
 * server could not be reached or did not answer in time).
 */
export async function capi(path, { method = 'GET', body, auth = true, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const headers = { Accept: 'application/json' };
  const session = auth ? candidateSession() : null;
  if (auth && session) headers.Authorization = 'Bearer ' + session.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const ctrl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = ctrl ? setTimeout(() => ctrl.abort(), timeoutMs) : null;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: ctrl ? ctrl.signal : undefined,
    });
  } catch (e) {
    throw new ApiError(0, 'network', 'the server could not be reached: ' + (e && e.message ? e.message : e));
  } finally {
    if (timer) clearTimeout(timer);
  }
  const data = await readJson(res);
  if (!res.ok) {
    const code = data && typeof data === 'object' && data.code ? data.code : 'http_' + res.status;
    const message = data && typeof data === 'object' && data.message ? data.message : res.statusText || 'request failed';
    const err = new ApiError(res.status, code, message, data && data.errors ? data.errors : null, data && data.details ? data.details : null);
    if (auth && session && onFatal && isSessionOver(err)) onFatal(err);
    throw err;
  }
  return data;
}

/** Fetches an item figure with the candidate token and returns a blob: URL for it. */
export async function candidateBlobUrl(path) {
  const session = candidateSession();
  const headers = { Accept: '*/*' };
  if (session) headers.Authorization = 'Bearer ' + session.token;
  let res;
  try {
    res = await fetch(path, { headers, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'network', String(e && e.message ? e.message : e));
  }
  if (!res.ok) throw new ApiError(res.status, 'http_' + res.status, res.statusText);
  return URL.createObjectURL(await res.blob());
}
