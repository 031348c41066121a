// The API reference rendered from /api/openapi.json, with its "try it" forms, and the instrument
// format document rendered from its Markdown.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { DEMO, newPage, setup, signIn } from './server.mjs';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

describe('API reference', () => {
  let env;
  let openapi;
  before(async () => {
    env = await setup();
    openapi = await (await fetch(env.base + '/api/openapi.json')).json();
  });
  after(async () => {
    await env?.stop();
  });

  test('/docs lists every endpoint of the OpenAPI document, grouped by tag', async () => {
    const expected = [];
    for (const [p, item] of Object.entries(openapi.paths)) {
      for (const m of METHODS) if (item[m]) expected.push(`${m.toUpperCase()} ${p}`);
    }
    const page = await newPage(env.browser, env.base);
    await page.goto('/docs');
    await page.locator('details.op').first().waitFor();
    const listed = await page.locator('details.op').evaluateAll((ds) => ds.map((d) => `${d.dataset.method.toUpperCase()} ${d.dataset.path}`));
    assert.deepEqual([...listed].sort(), [...expected].sort());
    assert.ok(listed.includes('GET /api/v1/auth/me'));
    assert.ok(listed.includes('POST /api/v1/instruments/import'));
    const tags = await page.locator('section.api-group').evaluateAll((ss) => ss.map((s) => s.dataset.tag));
    assert.deepEqual(tags, openapi.tags.map((t) => t.name).filter((name) => Object.values(openapi.paths).some((item) => METHODS.some((m) => item[m]?.tags?.[0] === name))));
    assert.equal(await page.locator('#endpoint-count').textContent(), `${expected.length} endpoint dalam ${tags.length} kelompok`);
    assert.ok(await page.locator('#docs-signed-out').isVisible());

    // An operation shows its summary, parameters, request body and responses.
    const login = page.locator('#op-post-api-v1-auth-login');
    await login.locator('summary').click();
    assert.equal(await login.locator('.op-summary').textContent(), openapi.paths['/api/v1/auth/login'].post.summary);
    assert.deepEqual(await login.locator('.schema .prop').evaluateAll((els) => els.slice(0, 3).map((e) => e.textContent)), ['email', 'organisation', 'password']);
    assert.deepEqual(
      await login.locator('.responses > li > .status').allTextContents(),
      Object.keys(openapi.paths['/api/v1/auth/login'].post.responses),
    );
    const list = page.locator('#op-get-api-v1-instruments');
    await list.locator('summary').click();
    assert.equal(await list.locator('.op-body table tbody tr td.mono').first().textContent(), 'status');
    await expectAccessible(page, 'the API reference with two operations open');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('"try it" on GET /api/v1/auth/me answers 200 with the signed-in account', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await page.goto('/docs');
    await page.locator('#docs-signed-in').waitFor();
    assert.equal(await page.locator('#docs-signed-in').textContent(), 'Anda masuk sebagai hr@demo.meritest.id (SDM (HR)); formulir “Coba” mengirim token Anda.');
    const op = page.locator('#op-get-api-v1-auth-me');
    await op.locator('summary').click();
    await op.locator('button.try-send').click();
    await op.locator('.try-status').waitFor();
    assert.equal(await op.locator('.try-status').textContent(), '200 OK');
    const body = JSON.parse(await op.locator('.try-body').textContent());
    assert.equal(body.email, DEMO.hr);
    assert.equal(body.role, 'hr');
    assert.equal(body.organisation.name, 'BKPSDM Kabupaten Contoh (demo)');
    await expectAccessible(page, 'a "try it" form showing its answer');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('"try it" without signing in answers 401 with the error shape', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/docs');
    const op = page.locator('#op-get-api-v1-auth-me');
    await op.locator('summary').click();
    await op.locator('button.try-send').click();
    await op.locator('.try-status').waitFor();
    assert.equal(await op.locator('.try-status').textContent(), '401 Unauthorized');
    const body = JSON.parse(await op.locator('.try-body').textContent());
    assert.equal(body.code, 'unauthenticated');
    assert.equal(new URL(page.url()).pathname, '/docs');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('/format renders the instrument format from its Markdown, marked as English inside the Indonesian page', async () => {
    const markdown = await (await fetch(env.base + '/docs/instrument-format.md')).text();
    const page = await newPage(env.browser, env.base);
    await page.goto('/format');
    const doc = page.locator('#format-doc');
    await doc.locator('h2').first().waitFor();
    assert.equal(await doc.locator('h2').first().textContent(), markdown.match(/^# (.+)$/m)[1].replaceAll('`', ''));
    assert.equal(await doc.locator('h3').count(), markdown.match(/^## /gm).length);
    assert.equal(await page.locator('html').getAttribute('lang'), 'id');
    assert.equal(await doc.getAttribute('lang'), 'en');
    assert.equal(await page.locator('a[href="/docs/instrument-format.md"]').textContent(), 'Teks Markdown aslinya');
    await expectAccessible(page, 'the instrument format document');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
