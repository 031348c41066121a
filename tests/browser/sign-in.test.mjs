// The landing page, staff sign-in and sign-out, and what a role without access sees.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { DEMO, newPage, setup, signIn } from './server.mjs';

describe('landing and sign-in', () => {
  let env;
  before(async () => {
    env = await setup();
  });
  after(async () => {
    await env?.stop();
  });

  test('the landing page leads to staff sign-in, where a wrong password shows the API error', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'id');
    assert.equal(await page.locator('h1').textContent(), 'meritest');
    await expectAccessible(page, 'the landing page');
    await page.click('#staff-login');
    await page.waitForURL('**/login');
    await expectAccessible(page, 'the staff sign-in form');

    await page.fill('#email', DEMO.hr);
    await page.fill('#password', 'not-the-password');
    await page.click('#login-submit');
    const error = page.locator('.login-error');
    await error.waitFor();
    assert.equal(await error.locator('.error-text').textContent(), 'Alamat e-mail atau kata sandi salah.');
    assert.equal(await error.locator('.code').textContent(), '(invalid_credentials)');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('meritest.token')), null);
    await expectAccessible(page, 'the sign-in form showing a wrong-password error');

    // In English the API's own message is shown.
    await page.click('[data-lang-toggle]');
    assert.equal(await error.locator('.error-text').textContent(), 'the e-mail address or password is wrong');
    assert.equal(await page.locator('#login-submit').textContent(), 'Sign in');
    await expectAccessible(page, 'the sign-in form showing the error in English');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the landing page switches to English and remembers the choice', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/');
    assert.equal(await page.locator('#staff-login').textContent(), 'Masuk sebagai staf');
    await page.click('[data-lang-toggle]');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('#staff-login').textContent(), 'Staff sign-in');
    assert.match(await page.locator('.lead').textContent(), /^meritest delivers timed psychometric tests/);
    assert.equal(await page.locator('[data-lang-toggle]').textContent(), 'Bahasa Indonesia');
    await page.reload();
    assert.equal(await page.locator('#staff-login').textContent(), 'Staff sign-in');
    assert.equal(await page.evaluate(() => localStorage.getItem('meritest.lang')), 'en');
    await expectAccessible(page, 'the landing page in English');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a proctor is sent home, sees who they are, and /bank shows the role message', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.proctor);
    assert.equal(new URL(page.url()).pathname, '/home');
    await page.locator('#me-email').waitFor();
    assert.equal(await page.locator('#me-email').textContent(), DEMO.proctor);
    assert.equal(await page.locator('#me-name').textContent(), 'Agus Pratama (Pengawas)');
    assert.equal(await page.locator('#me-role').textContent(), 'Pengawas');
    assert.equal(await page.locator('#me-org').textContent(), 'BKPSDM Kabupaten Contoh (demo)');
    assert.deepEqual(await page.locator('#topnav a').allTextContents(), ['Beranda', 'Pengawasan', 'Referensi API']);
    await expectAccessible(page, "a proctor's home page");

    await page.goto('/bank');
    const denied = page.locator('#access-denied');
    await denied.waitFor();
    assert.equal(
      await denied.locator('p').first().textContent(),
      'Halaman ini hanya untuk peran Administrator dan SDM (HR). Anda masuk sebagai Pengawas (proctor@demo.meritest.id).',
    );
    assert.equal(await denied.locator('a').getAttribute('href'), '/home');
    assert.equal(await page.locator('#content').isHidden(), true);
    assert.equal(await page.locator('#instrument-rows tr').count(), 0);
    await expectAccessible(page, 'the role message on /bank');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a signed-out visit to /bank goes through sign-in and back to /bank', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/bank');
    await page.waitForURL('**/login?next=%2Fbank');
    await signIn(page, DEMO.admin);
    assert.equal(new URL(page.url()).pathname, '/bank');
    await page.locator('#instrument-rows tr').first().waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('signing out revokes the token and returns to the sign-in form', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.psychologist);
    assert.equal(new URL(page.url()).pathname, '/home');
    const token = await page.evaluate(() => sessionStorage.getItem('meritest.token'));
    assert.ok(token);
    await page.click('#sign-out');
    await page.waitForURL('**/login?reason=signed_out');
    assert.equal(await page.locator('#login-notice').textContent(), 'Anda telah keluar.');
    await expectAccessible(page, 'the sign-in form after signing out');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('meritest.token')), null);
    const res = await fetch(env.base + '/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 401);
    // A signed-out visit to a staff page goes back to sign-in.
    await page.goto('/home');
    await page.waitForURL('**/login?next=%2Fhome');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
