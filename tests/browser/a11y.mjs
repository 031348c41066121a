// Accessibility and screenshots for the browser tests (a helper module, not a test file).
//
// expectAccessible(page, what) runs axe-core (an npm package, no download at run time) in the page
// against WCAG 2.0/2.1 A and AA and fails with every violation named: rule, impact, and the
// elements with their selectors. axe's source is evaluated through the DevTools protocol, so the
// pages' Content-Security-Policy (script-src 'self') is not loosened for the test.
//
// screenshot(page, name) keeps a PNG of the page in MERITEST_SCREENSHOT_DIR (when set), or in
// the test run's own folder under the system's temporary directory, and prints where it is.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG levels checked: 2.0 and 2.1, A and AA. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** One line per violation: rule, impact, help, then each element's selector and axe's summary. */
export function describeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary || '').replace(/\n/g, '\n      ')}`).join('\n');
    return `  ${v.id} (${v.impact}): ${v.help}\n${nodes}`;
  }).join('\n');
}

/** The axe-core violations of the page as it is now (WCAG 2.1 A and AA). */
export async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
    }));
  }, TAGS);
}

/** Fails unless axe-core finds no WCAG 2.1 A/AA violation on the page; `what` names the screen. */
export async function expectAccessible(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `axe-core found ${violations.length} WCAG 2.1 A/AA violation(s) on ${what}:\n${describeViolations(violations)}`);
}

let runDir = null;
function screenshotDir() {
  if (process.env.MERITEST_SCREENSHOT_DIR) return process.env.MERITEST_SCREENSHOT_DIR;
  if (!runDir) runDir = path.join(os.tmpdir(), `meritest-screenshots-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  return runDir;
}

/** Keeps a full-page PNG named `name` and prints its path; returns the path. */
export async function screenshot(page, name) {
  const dir = screenshotDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  // A picture is proof for people, taken at rest: no animation, no caret, and time enough on a
  // loaded two-core machine.
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide', timeout: 60_000 });
  console.log(`screenshot: ${file}`);
  return file;
}
