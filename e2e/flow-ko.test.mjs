// The invitation flow once more, in Korean and at phone width (390 × 844): a Korean
// partner admin drafts an invitation, the customer's Global admin accepts it, and the
// language switcher goes to English and back. Every page is checked with axe-core.
//
//   ACCORD_URL=http://127.0.0.1:18080 node --test flow-ko.test.mjs

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
const PHONE = { width: 390, height: 844 };

const step = stepper(RESULTS, 'ko');

async function signIn(page, email) {
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('암호').fill('accord-demo');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL((u) => u.pathname !== '/signin', { timeout: TIMEOUT });
}

describe('초대 흐름 (한국어, 휴대폰 너비)', { timeout: 300_000 }, () => {
  let browser;
  let partner;
  let customer;
  let link;

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    const ctx = async () => {
      const c = await browser.newContext({
        viewport: PHONE,
        locale: 'ko-KR',
        extraHTTPHeaders: { 'Accept-Language': 'ko-KR,ko;q=0.9' },
      });
      c.setDefaultTimeout(TIMEOUT);
      return c.newPage();
    };
    partner = await ctx();
    customer = await ctx();
  });

  after(async () => {
    await browser?.close();
  });

  step('파트너가 로그인한다', async () => {
    await partner.goto(BASE + '/signin');
    assert.equal(await partner.getAttribute('html', 'lang'), 'ko');
    await signIn(partner, 'admin@contoso-kr.example');
    await partner.getByRole('heading', { name: '고객', exact: true }).waitFor();
    return partner;
  });

  step('재판매인 관계 요청 양식', async () => {
    await partner.getByRole('link', { name: '재판매인 관계 요청' }).first().click();
    const box = partner.getByLabel('위임된 관리자 권한 포함');
    assert.equal(await box.isChecked(), true);
    assert.equal(await partner.getByLabel('이메일 언어').inputValue(), 'ko', 'the draft in the partner\'s language');
    return partner;
  });

  step('초안 이메일 검토', async () => {
    await partner.getByRole('button', { name: '다음', exact: true }).click();
    await partner.getByRole('heading', { name: '이메일 검토' }).waitFor();
    link = (await partner.locator('#invitation-link').inputValue()).trim();
    const subject = await partner.locator('#email-subject').inputValue();
    assert.match(subject, /재판매인 관계를 요청합니다/);
    // The subject is fully visible at phone width (it wraps instead of being cut).
    const fits = await partner.locator('#email-subject').evaluate((el) => el.scrollHeight <= el.clientHeight + 2);
    assert.ok(fits, 'the subject is fully visible on a phone');
    await partner.getByRole('button', { name: '링크 복사' }).waitFor();
    // A reload repeats nothing: the same link.
    await partner.reload();
    assert.equal((await partner.locator('#invitation-link').inputValue()).trim(), link);
    return partner;
  });

  step('요청 목록의 각 값에 이름이 붙어 있다', async () => {
    await partner.getByRole('link', { name: '완료', exact: true }).click();
    const cell = partner.locator('td[data-label="만료"]').first();
    await cell.waitFor();
    const label = await cell.evaluate((el) => getComputedStyle(el, '::before').content);
    assert.match(label, /만료/, 'on a phone each value shows its column name');
    return partner;
  });

  step('고객이 링크를 열고 로그인한다', async () => {
    await customer.goto(link);
    await customer.getByRole('link', { name: '로그인' }).first().click();
    await signIn(customer, 'admin@hanbit.example');
    await customer.getByRole('heading', { name: '계약 동의 및 파트너 권한 부여' }).waitFor();
    return customer;
  });

  step('고객이 동의하고 권한을 부여한다', async () => {
    await customer.getByLabel('고객 계약을 읽었으며 이에 동의합니다').check();
    await customer.getByRole('button', { name: '동의 및 권한 부여' }).click();
    await customer.getByRole('heading', { name: '파트너 관계' }).waitFor();
    await customer.getByRole('link', { name: 'Contoso Partners Korea' }).waitFor();
    return customer;
  });

  step('언어를 바꾸고 되돌린다', async () => {
    await customer.getByRole('link', { name: 'English' }).click();
    await customer.getByRole('heading', { name: 'Partner relationships' }).waitFor();
    assert.equal(await customer.getAttribute('html', 'lang'), 'en');
    await customer.getByRole('link', { name: '한국어' }).click();
    await customer.getByRole('heading', { name: '파트너 관계' }).waitFor();
    return customer;
  });

  step('파트너가 고객 페이지를 연다', async () => {
    await partner.goto(BASE + '/partner/customers');
    await partner.getByRole('link', { name: 'Hanbit Retail' }).click();
    await partner.getByRole('heading', { name: '관계', exact: true }).waitFor();
    return partner;
  });
});
