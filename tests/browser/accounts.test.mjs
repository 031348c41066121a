// Staff accounts: an administrator creates, disables and enables accounts; other roles are refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './a11y.mjs';
import { DEMO, DEMO_PASSWORD, newPage, setup, signIn } from './server.mjs';

describe('staff accounts', () => {
  let env;
  before(async () => {
    env = await setup();
  });
  after(async () => {
    await env?.stop();
  });

  async function adminOnAccounts() {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.admin);
    assert.equal(new URL(page.url()).pathname, '/bank');
    await page.goto('/accounts');
    await page.waitForSelector(`#account-rows tr[data-email="${DEMO.admin}"]`);
    return page;
  }

  test('an admin creates an account on /accounts and the new account can sign in', async () => {
    const page = await adminOnAccounts();
    // The demo's admin, HR, proctor, three assessors and psychologist.
    assert.equal(await page.locator('#account-rows tr').count(), 7);
    await page.fill('#new-email', 'budi.santoso@demo.meritest.id');
    await page.fill('#new-name', 'Budi Santoso');
    await page.selectOption('#new-role', 'proctor');
    await page.fill('#new-password', 'sandi-panjang-2024');
    await page.click('#create-submit');
    await page.locator('#accounts-status .notice-ok').waitFor();
    assert.equal(await page.locator('#accounts-status').textContent(), 'Akun budi.santoso@demo.meritest.id dibuat dengan peran Pengawas.');
    const row = page.locator('#account-rows tr[data-email="budi.santoso@demo.meritest.id"]');
    await row.waitFor();
    assert.deepEqual((await row.locator('td').allTextContents()).slice(0, 4), ['budi.santoso@demo.meritest.id', 'Budi Santoso', 'Pengawas', 'Aktif']);
    assert.equal(await page.locator('#account-rows tr').count(), 8);
    assert.equal(await page.inputValue('#new-email'), '');
    await expectAccessible(page, 'the accounts page with a new account and its notice');
    assert.deepEqual(page.problems, []);
    await page.context().close();

    const fresh = await newPage(env.browser, env.base);
    await fresh.goto('/login');
    await signIn(fresh, 'budi.santoso@demo.meritest.id', 'sandi-panjang-2024');
    assert.equal(new URL(fresh.url()).pathname, '/home');
    await fresh.locator('#me-name').waitFor();
    assert.equal(await fresh.locator('#me-name').textContent(), 'Budi Santoso');
    assert.equal(await fresh.locator('#me-role').textContent(), 'Pengawas');
    assert.deepEqual(fresh.problems, []);
    await fresh.context().close();
  });

  test('invalid fields and a taken address are named by the form', async () => {
    const page = await adminOnAccounts();
    await page.fill('#new-email', 'not-an-address');
    await page.fill('#new-name', 'Tanpa Nama');
    await page.fill('#new-password', 'short');
    await page.click('#create-submit');
    await page.locator('#accounts-status .create-error').waitFor();
    assert.equal(await page.locator('#accounts-status .code').textContent(), '(invalid_input)');
    assert.equal(await page.locator('#new-email-error').textContent(), "'not-an-address' is not a valid e-mail address");
    assert.equal(await page.locator('#new-password-error').textContent(), 'the password must be at least 10 characters');
    assert.equal(await page.locator('#new-name-error').isHidden(), true);
    assert.equal(await page.getAttribute('#new-password', 'aria-invalid'), 'true');
    await expectAccessible(page, 'the account form with its field errors');

    await page.fill('#new-email', DEMO.hr);
    await page.fill('#new-password', 'sandi-panjang-2024');
    await page.click('#create-submit');
    await page.waitForFunction(() => document.querySelector('#accounts-status .code')?.textContent === '(email_taken)');
    assert.equal(await page.locator('#accounts-status .error-text').textContent(), 'Alamat e-mail itu sudah dipakai akun lain di organisasi Anda.');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test("the API's refusal to disable your own account is shown", async () => {
    const page = await adminOnAccounts();
    const own = page.locator(`#account-rows tr[data-email="${DEMO.admin}"]`);
    assert.equal(await own.locator('td').first().textContent(), `${DEMO.admin} (Anda)`);
    await own.locator('button.disable-account').click();
    const error = page.locator('#accounts-status .account-error');
    await error.waitFor();
    assert.equal(await error.locator('.error-text').textContent(), 'Anda tidak dapat menonaktifkan akun Anda sendiri.');
    assert.equal(await error.locator('.code').textContent(), '(cannot_disable_self)');
    await page.click('[data-lang-toggle]');
    assert.equal(await error.locator('.error-text').textContent(), 'you cannot disable your own account');
    assert.equal(await own.getAttribute('data-disabled'), 'false');
    await expectAccessible(page, "the accounts page showing the API's refusal in English");
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a disabled account cannot sign in until it is enabled again', async () => {
    const page = await adminOnAccounts();
    const row = () => page.locator(`#account-rows tr[data-email="${DEMO.assessor}"]`);
    await row().locator('button.disable-account').click();
    await page.waitForSelector(`#account-rows tr[data-email="${DEMO.assessor}"][data-disabled="true"]`);
    assert.equal(await page.locator('#accounts-status').textContent(), `${DEMO.assessor} dinonaktifkan.`);
    assert.equal(await row().locator('.badge').textContent(), 'Nonaktif');
    await expectAccessible(page, 'the accounts page with a disabled account');

    const other = await newPage(env.browser, env.base);
    await other.goto('/login');
    await other.fill('#email', DEMO.assessor);
    await other.fill('#password', DEMO_PASSWORD);
    await other.click('#login-submit');
    await other.locator('.login-error').waitFor();
    assert.equal(await other.locator('.login-error .error-text').textContent(), 'Akun ini dinonaktifkan. Hubungi administrator Anda.');
    assert.equal(await other.locator('.login-error .code').textContent(), '(account_disabled)');

    await row().locator('button.enable-account').click();
    await page.waitForSelector(`#account-rows tr[data-email="${DEMO.assessor}"][data-disabled="false"]`);
    assert.equal(await page.locator('#accounts-status').textContent(), `${DEMO.assessor} diaktifkan kembali.`);
    await signIn(other, DEMO.assessor);
    assert.equal(new URL(other.url()).pathname, '/home');
    assert.deepEqual(page.problems, []);
    assert.deepEqual(other.problems, []);
    await other.context().close();
    await page.context().close();
  });

  test('hr visiting /accounts sees the role message', async () => {
    const page = await newPage(env.browser, env.base);
    await page.goto('/login');
    await signIn(page, DEMO.hr);
    await page.goto('/accounts');
    const denied = page.locator('#access-denied');
    await denied.waitFor();
    assert.equal(
      await denied.locator('p').first().textContent(),
      'Halaman ini hanya untuk peran Administrator. Anda masuk sebagai SDM (HR) (hr@demo.meritest.id).',
    );
    assert.equal(await denied.locator('a').getAttribute('href'), '/bank');
    assert.equal(await page.locator('#content').isHidden(), true);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
