// The one way the pages talk to the meritest API: bearer token from sessionStorage, JSON in and out,
// and every failure thrown as an ApiError carrying the API's {code, message, errors}.

const TOKEN_KEY = 'meritest.token';
const ACCOUNT_KEY = 'meritest.account';
const EXPIRES_KEY = 'meritest.expires';

/** An error answered by the API (or a network failure, code "network"). */
export class ApiError extends Error {
  constructor(status, code, message, errors = null, details = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.errors = errors;
    this.details = details;
  }
}

export function getToken() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  const expires = sessionStorage.getItem(EXPIRES_KEY);
  if (expires && Date.parse(expires) <= Date.now()) {
    clearSession();
    return null;
  }
  return token;
}

/** The account remembered at sign-in (refreshed by /auth/me on each guarded page). */
export function storedAccount() {
  try {
    return JSON.parse(sessionStorage.getItem(ACCOUNT_KEY) || 'null');
  } catch {
    return null;
  }
}

export function rememberAccount(account) {
  sessionStorage.setItem(ACCOUNT_KEY, JSON.stringify(account));
}

/** Keeps a successful sign-in (the API's LoginOutcome). */
export function saveSession(outcome) {
  sessionStorage.setItem(TOKEN_KEY, outcome.token);
  sessionStorage.setItem(EXPIRES_KEY, outcome.expires_at);
  rememberAccount(outcome.account);
}

export function clearSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(ACCOUNT_KEY);
  sessionStorage.removeItem(EXPIRES_KEY);
}

/** Where a path may send someone after sign-in: only pages of this site. */
export function safeNext(next) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  if (next.startsWith('/api/') || next.startsWith('/login')) return null;
  return next;
}

export function loginUrl(reason) {
  const here = location.pathname + location.search + location.hash;
  const params = new URLSearchParams();
  if (here !== '/login') params.set('next', here);
  if (reason) params.set('reason', reason);
  return '/login?' + params.toString();
}

async function readBody(res) {
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') || '';
  const text = await res.text();
  if (!text) return null;
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Sends a request to the API.
 * options: method, body (object → JSON, string → sent as is), query (object), headers,
 * auth (default true: send the token), redirectOn401 (default true: an expired or revoked
 * token sends the page to the sign-in form), raw (return the Response without reading it).
 */
export async function api(path, options = {}) {
  const {
    method = 'GET',
    body,
    query,
    headers = {},
    auth = true,
    redirectOn401 = true,
    raw = false,
  } = options;
  let url = path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  const h = { Accept: 'application/json', ...headers };
  const token = auth ? getToken() : null;
  if (token) h.Authorization = 'Bearer ' + token;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' || body instanceof Blob ? body : JSON.stringify(body);
    if (!h['Content-Type']) h['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(url, { method, headers: h, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'network', 'the server could not be reached: ' + (e && e.message ? e.message : e));
  }
  if (res.ok && raw) return res;
  if (!res.ok) {
    const data = await readBody(res).catch(() => null);
    const code = data && typeof data === 'object' && data.code ? data.code : 'http_' + res.status;
    const message = data && typeof data === 'object' && data.message ? data.message : res.statusText || 'request failed';
    const err = new ApiError(res.status, code, message, data && data.errors ? data.errors : null);
    if (res.status === 401 && token && redirectOn401) {
      clearSession();
      location.assign(loginUrl('expired'));
    }
    throw err;
  }
  return readBody(res);
}

/** Fetches a protected file (an item image) with the token and returns a blob: URL for it. */
export async function blobUrl(path) {
  const res = await api(path, { raw: true, headers: { Accept: '*/*' } });
  const blob = await res.blob();
  return URL.createObjectURL(blob);
}

/** The page each role starts on after signing in. */
export function roleHome(role) {
  return role === 'admin' || role === 'hr' ? '/bank' : '/home';
}

/** Which roles may use each staff page (the API enforces the same on every request). */
export const PAGE_ROLES = {
  '/bank': ['admin', 'hr'],
  '/accounts': ['admin'],
  '/people': ['admin', 'hr', 'assessor', 'psychologist'],
  '/results': ['admin', 'hr', 'assessor', 'psychologist'],
  '/assessment': ['admin', 'hr', 'psychologist'],
  '/assessor': ['assessor'],
  '/reports': ['admin', 'hr', 'psychologist'],
  '/psychometrics': ['admin', 'hr', 'psychologist'],
  '/proctor': ['admin', 'hr', 'proctor'],
  '/home': ['admin', 'hr', 'proctor', 'assessor', 'psychologist'],
  '/docs': ['admin', 'hr', 'proctor', 'assessor', 'psychologist'],
};

/** Whether `role` may open the page at `path` (query and hash ignored). */
export function roleMayOpen(role, path) {
  const page = path.split(/[?#]/)[0].replace(/\.html$/, '').replace(/\/$/, '') || '/';
  const roles = PAGE_ROLES[page];
  return !roles || roles.includes(role);
}
