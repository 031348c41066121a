// Shared start-up of the browser tests (a helper module, not a test file): one meritest server per
// test file in a fresh temporary data folder with the demo loaded, and Debian's Chromium driven by
// playwright-core (no browser is ever downloaded).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** Password of every demo account in these tests. */
export const DEMO_PASSWORD = 'browser-tests-demo-pw';
/** The demo accounts, by role. */
export const DEMO = Object.fromEntries(
  ['admin', 'hr', 'proctor', 'assessor', 'psychologist'].map((r) => [r, `${r}@demo.meritest.id`]),
);

const BIN = process.env.MERITEST_BIN || path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../target/debug/meritest');

/** A TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts meritest with the demo in a fresh data folder. Returns {base, dataDir, logs(), stop()}.
 * Inherited MERITEST__* variables are dropped so a developer's settings (a PostgreSQL or Redis URL)
 * cannot leak into the test server. The demo's closed campaign of `demoResults` synthetic,
 * scored participants is there unless a test file asks for none (one that counts campaigns).
 */
export async function startServer({ timeoutMs = 120_000, demoResults = 200 } = {}) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'meritest-browser-'));
  const port = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MERITEST__')));
  Object.assign(env, {
    MERITEST__DATA_DIR: dataDir,
    MERITEST__DATABASE__URL: `sqlite://${dataDir}/meritest.db?mode=rwc`,
    MERITEST__BOOTSTRAP__DEMO: 'true',
    MERITEST__BOOTSTRAP__DEMO_PASSWORD: DEMO_PASSWORD,
    // The demo's open campaign is left out: the tests make the campaigns they look at.
    MERITEST__BOOTSTRAP__DEMO_CANDIDATES: '0',
    MERITEST__BOOTSTRAP__DEMO_RESULTS: String(demoResults),
    MERITEST__SERVER__HOST: '127.0.0.1',
    MERITEST__SERVER__PORT: String(port),
    MERITEST__SERVER__WORKERS: '2',
    // No balancer in front to drain from: SIGTERM stops the node at once.
    MERITEST__SERVER__DRAIN_SECONDS: '0',
    MERITEST__LOG__FORMAT: 'pretty',
    MERITEST__LOG__LEVEL: process.env.MERITEST_TEST_LOG_LEVEL || 'warn',
    NO_COLOR: '1',
  });
  const lines = [];
  const child = spawn(BIN, ['serve'], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk) => {
    for (const line of chunk.toString().split('\n')) if (line) lines.push(line);
    if (lines.length > 400) lines.splice(0, lines.length - 400);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    resolve(exited);
  }));
  child.on('error', (e) => {
    exited = { code: null, signal: null, error: e };
  });

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await rm(dataDir, { recursive: true, force: true });
      throw new Error(`meritest (${BIN}) exited before it was ready: ${JSON.stringify(exited)}\n${lines.join('\n')}`);
    }
    try {
      const res = await fetch(base + '/health');
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      throw new Error(`meritest did not answer /health within ${timeoutMs} ms\n${lines.join('\n')}`);
    }
    await sleep(100);
  }

  async function stop() {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  }

  return { base, dataDir, port, logs: () => lines.join('\n'), stop };
}

/** Debian's Chromium, headless, with nothing that reaches the network by itself. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page in a fresh context (its own sessionStorage and localStorage) that records uncaught
 * script errors and console errors other than failed resource loads (an expected 401 or 422 is
 * logged by Chromium as a failed load). CSP violations are console errors, so they are caught.
 */
export async function newPage(browser, base, { viewport = { width: 1280, height: 900 }, acceptDownloads = false } = {}) {
  const context = await browser.newContext({ baseURL: base, viewport, acceptDownloads, locale: 'id-ID' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push('page error: ' + e.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) page.problems.push('console: ' + msg.text());
  });
  return page;
}

/** Signs in through the form and waits until the page has left /login. */
export async function signIn(page, email, password = DEMO_PASSWORD) {
  if (!new URL(page.url() === 'about:blank' ? 'http://x/' : page.url()).pathname.startsWith('/login')) {
    await page.goto('/login');
  }
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login')),
    page.click('#login-submit'),
  ]);
}

/** A bearer token from the API directly (for set-up steps that are not what a test checks). */
export async function apiToken(base, email, password = DEMO_PASSWORD) {
  const res = await fetch(base + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  return (await res.json()).token;
}

/** Calls the API from the test process. */
export async function apiCall(base, token, method, url, body) {
  const res = await fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}

/** Starts a server and a browser for one test file; call the returned stop() in after(). */
export async function setup(options = {}) {
  const server = await startServer(options);
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    server,
    browser,
    base: server.base,
    async stop() {
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
}
