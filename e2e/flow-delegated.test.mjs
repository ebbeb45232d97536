// Delegated administration in the browser: a partner asks for granular roles, the
// customer approves only some, the partner admin assigns one to its helpdesk agent, the
// agent resets a user's password (shown once) in English, then again in Korean on a
// phone, and the customer sees both under Partner activity, filters it by the agent, and
// reads it in Korean at phone width; the user signs in with the temporary
// password and must choose a new one first (Korean, phone). Every page is checked with
// axe-core.
//
//   ACCORD_URL=http://127.0.0.1:18080 node --test flow-delegated.test.mjs

import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { stepper } from './steps.mjs';

const BASE = (process.env.ACCORD_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
const TIMEOUT = 30_000;
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'test-results');

const step = stepper(RESULTS, 'delegated');

async function signIn(page, email, labels = ['E-mail', 'Password', 'Sign in']) {
  await page.goto(BASE + '/signin');
  await page.getByLabel(labels[0]).fill(email);
  await page.getByLabel(labels[1]).fill('accord-demo');
  await page.getByRole('button', { name: labels[2], exact: true }).click();
  await page.waitForURL((u) => u.pathname !== '/signin', { timeout: TIMEOUT });
}

describe('delegated administration', { timeout: 300_000 }, () => {
  let browser;
  let partner;
  let agent;
  let agentKo;
  let customer;
  let phone;
  let user;
  let link;
  let password;

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    const page = async (opts) => {
      const c = await browser.newContext(opts);
      c.setDefaultTimeout(TIMEOUT);
      return c.newPage();
    };
    partner = await page({ viewport: { width: 1280, height: 900 } });
    agent = await page({ viewport: { width: 1280, height: 900 } });
    customer = await page({ viewport: { width: 1280, height: 900 } });
    agentKo = await page({
      viewport: { width: 390, height: 844 },
      locale: 'ko-KR',
      extraHTTPHeaders: { 'Accept-Language': 'ko-KR,ko;q=0.9' },
    });
    phone = await page({
      viewport: { width: 390, height: 844 },
      locale: 'ko-KR',
      extraHTTPHeaders: { 'Accept-Language': 'ko-KR,ko;q=0.9' },
    });
    user = await page({
      viewport: { width: 390, height: 844 },
      locale: 'ko-KR',
      extraHTTPHeaders: { 'Accept-Language': 'ko-KR,ko;q=0.9' },
    });
  });

  after(async () => {
    await browser?.close();
  });

  step('a partner asks for granular, time-bound roles', async () => {
    await signIn(partner, 'admin@contoso-kr.example');
    await partner.goto(BASE + '/partner/requests/new');
    await partner.getByLabel('Helpdesk admin', { exact: true }).check();
    await partner.getByLabel('User admin', { exact: true }).check();
    await partner.getByLabel('Duration in days (1–730)').fill('90');
    await partner.getByRole('button', { name: 'Next', exact: true }).click();
    link = (await partner.locator('#invitation-link').inputValue()).trim();
    return partner;
  });

  step('the customer approves only Helpdesk admin', async () => {
    await signIn(customer, 'admin@hanbit.example');
    await customer.goto(link);
    await customer.getByLabel('User admin', { exact: true }).uncheck();
    await customer.getByLabel('I have read and accept the customer agreement').check();
    await customer.getByRole('button', { name: /Accept/ }).click();
    await customer.getByRole('link', { name: 'Contoso Partners Korea' }).click();
    await customer.getByText('Roles asked for').waitFor();
    return customer;
  });

  step('the partner admin sees nobody holds the roles and assigns its helpdesk agent', async () => {
    await partner.goto(BASE + '/partner/customers');
    await partner.getByRole('link', { name: 'Hanbit Retail' }).click();
    await partner.getByText('none of your agents holds any of them').first().waitFor();
    await partner.getByRole('link', { name: 'Access assignments' }).click();
    await partner.getByLabel('Agent').selectOption({ label: 'Park Joon (helpdesk@contoso-kr.example)' });
    await partner.locator('#assign-role_helpdesk_admin').check();
    await partner.getByRole('button', { name: 'Save assignment' }).click();
    await partner.getByText("The agent's roles were saved.").waitFor();
    await partner.getByRole('cell', { name: 'Park Joon (helpdesk@contoso-kr.example)' }).waitFor();
    return partner;
  });

  step('the agent resets a user password and sees it once', async () => {
    await signIn(agent, 'helpdesk@contoso-kr.example');
    await agent.goto(BASE + '/partner/customers');
    await agent.getByRole('link', { name: 'Hanbit Retail' }).click();
    await agent.getByRole('link', { name: 'Users', exact: true }).first().click();
    await agent.getByRole('link', { name: 'Choi Yuna' }).click();
    await agent.getByRole('button', { name: 'Reset password' }).click();
    password = await agent.getByLabel('Temporary password').inputValue();
    assert.match(password, /^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    return agent;
  });

  step('the agent resets it again in Korean on a phone', async () => {
    await signIn(agentKo, 'helpdesk@contoso-kr.example', ['이메일', '암호', '로그인']);
    await agentKo.goto(BASE + '/partner/customers');
    await agentKo.getByRole('link', { name: 'Hanbit Retail' }).click();
    await agentKo.getByRole('link', { name: '사용자', exact: true }).first().click();
    await agentKo.getByRole('link', { name: 'Choi Yuna' }).click();
    await agentKo.getByRole('button', { name: '암호 재설정' }).click();
    const again = await agentKo.getByLabel('임시 암호').inputValue();
    assert.match(again, /^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    assert.notEqual(again, password, 'a new temporary password each time');
    password = again;
    return agentKo;
  });

  step('the customer sees it under Partner activity', async () => {
    await customer.goto(BASE + '/admin/partner-activity');
    const row = customer.locator('tbody tr').first();
    await row.getByText('Reset a password').waitFor();
    const text = await row.innerText();
    assert.match(text, /Park Joon/);
    assert.match(text, /Choi Yuna/);
    assert.match(text, /Helpdesk admin/);
    assert.match(text, /Done/);
    assert.ok(!text.includes(password), 'the password is never shown again');
    await customer.getByRole('link', { name: 'Download as CSV' }).waitFor();
    return customer;
  });

  step('the customer filters Partner activity by the agent', async () => {
    await customer.getByLabel('Agent').selectOption({ label: 'Park Joon (helpdesk@contoso-kr.example) · Contoso Partners Korea' });
    await customer.getByRole('button', { name: 'Filter' }).click();
    await customer.waitForURL((u) => u.searchParams.has('agent'), { timeout: TIMEOUT });
    const rows = customer.locator('tbody tr');
    assert.equal(await rows.count(), 2, 'the two resets');
    for (const text of await rows.allInnerTexts()) {
      assert.match(text, /Park Joon/);
      assert.match(text, /Reset a password/);
    }
    return customer;
  });

  step('the customer reads Partner activity in Korean on a phone', async () => {
    await signIn(phone, 'admin@hanbit.example', ['이메일', '암호', '로그인']);
    await phone.goto(BASE + '/admin/partner-activity');
    await phone.getByRole('heading', { name: '파트너 활동', exact: true }).waitFor();
    await phone.locator('tbody tr').first().getByText('암호 재설정').waitFor();
    return phone;
  });

  step('the user signs in with the temporary password and must choose a new one', async () => {
    await user.goto(BASE + '/signin');
    await user.getByLabel('이메일').fill('user@hanbit.example');
    await user.getByLabel('암호', { exact: true }).fill(password);
    await user.getByRole('button', { name: '로그인', exact: true }).click();
    await user.getByRole('heading', { name: '새 암호 선택', exact: true }).waitFor();
    await user.getByLabel('현재(임시) 암호').fill(password);
    await user.getByLabel('새 암호', { exact: true }).fill('yuna chose this');
    await user.getByLabel('새 암호 확인').fill('yuna chose this too');
    await user.getByRole('button', { name: '암호 변경 후 로그인' }).click();
    await user.getByText('두 새 암호가 같지 않습니다').waitFor();
    return user;
  });

  step('with the new password typed twice she is signed in', async () => {
    await user.getByLabel('현재(임시) 암호').fill(password);
    await user.getByLabel('새 암호', { exact: true }).fill('yuna chose this');
    await user.getByLabel('새 암호 확인').fill('yuna chose this');
    await user.getByRole('button', { name: '암호 변경 후 로그인' }).click();
    await user.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: TIMEOUT });
    return user;
  });
});
