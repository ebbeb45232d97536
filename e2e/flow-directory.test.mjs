// The partner directory and leads in the browser (SPEC F1): a visitor searches, filters,
// selects two partners and contacts them; each partner finds the lead in its inbox, and
// Contoso (in Korean, at phone width) replies with a relationship request prefilled from
// the lead. Every page is checked with axe-core.
//
//   ACCORD_URL=http://127.0.0.1:18080 node --test flow-directory.test.mjs

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

const step = stepper(RESULTS, 'directory');

async function signIn(page, email, labels = ['E-mail', 'Password', 'Sign in']) {
  await page.goto(BASE + '/signin');
  await page.getByLabel(labels[0]).fill(email);
  await page.getByLabel(labels[1], { exact: true }).fill('accord-demo');
  await page.getByRole('button', { name: labels[2], exact: true }).click();
  await page.waitForURL((u) => u.pathname !== '/signin', { timeout: TIMEOUT });
}

describe('partner directory and leads', { timeout: 300_000 }, () => {
  let browser;
  let visitor;
  let contoso;
  let adatum;

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
    visitor = await page({ viewport: { width: 1280, height: 900 } });
    adatum = await page({ viewport: { width: 1280, height: 900 } });
    contoso = await page({
      viewport: { width: 390, height: 844 },
      locale: 'ko-KR',
      extraHTTPHeaders: { 'Accept-Language': 'ko-KR,ko;q=0.9' },
    });
  });

  after(async () => {
    await browser?.close();
  });

  step('a visitor searches the directory from the home page', async () => {
    await visitor.goto(BASE + '/');
    await visitor.getByRole('link', { name: 'Find a partner' }).first().click();
    await visitor.getByLabel('Search partners').fill('secu');
    await visitor.getByRole('button', { name: 'Search', exact: true }).click();
    await visitor.getByRole('heading', { name: /^\d+ partners?$/ }).waitFor();
    assert.ok(await visitor.getByRole('link', { name: 'Contoso Partners Korea' }).isVisible());
    return visitor;
  });

  step('and filters by service, with counts beside each filter', async () => {
    await visitor.getByLabel(/^Managed services \(\d+\)$/).check();
    await visitor.getByRole('button', { name: 'Apply filters' }).click();
    await visitor.waitForURL(/service=managed_services/);
    assert.ok(await visitor.getByRole('link', { name: 'Adatum Solutions' }).isVisible());
    assert.equal(await visitor.getByRole('link', { name: 'Contoso Partners Korea' }).count(), 0);
    // Back to both: a query every demo partner matches.
    await visitor.goto(BASE + '/partners?q=security');
    return visitor;
  });

  step('selects two partners and contacts them', async () => {
    await visitor.getByLabel('Select Contoso Partners Korea').check();
    await visitor.getByLabel('Select Adatum Solutions').check();
    await visitor.getByRole('button', { name: 'Contact selected providers' }).click();
    await visitor.waitForURL(/\/partners\/contact/);
    await visitor.getByLabel('Your name').fill('Lee Seojun');
    await visitor.getByLabel('E-mail').fill('lee.seojun@hanbit-new.example');
    await visitor.getByLabel('Organisation', { exact: true }).fill('Hanbit Bakery');
    await visitor.getByLabel('Organisation size').selectOption('10-49');
    await visitor.getByLabel('Country').selectOption('KR');
    await visitor.getByLabel('What do you need?').fill('We open 12 stores next year and need help moving to the cloud.');
    await visitor.getByRole('button', { name: 'Send' }).click();
    await visitor.getByRole('heading', { name: 'Request sent' }).waitFor();
    assert.ok(await visitor.getByText('Contoso Partners Korea').isVisible());
    assert.ok(await visitor.getByText('Adatum Solutions').isVisible());
    return visitor;
  });

  step('Adatum finds the lead in its inbox', async () => {
    await signIn(adatum, 'admin@adatum-kr.example');
    await adatum.goto(BASE + '/partner/leads');
    await adatum.getByRole('link', { name: 'Hanbit Bakery' }).click();
    await adatum.getByText('We open 12 stores next year').waitFor();
    return adatum;
  });

  step('Contoso, in Korean on a phone, replies with a relationship request', async () => {
    await signIn(contoso, 'admin@contoso-kr.example', ['이메일', '암호', '로그인']);
    await contoso.goto(BASE + '/partner/leads');
    await contoso.getByRole('link', { name: 'Hanbit Bakery' }).click();
    await contoso.getByRole('link', { name: '관계 요청으로 회신' }).click();
    await contoso.waitForURL(/\/partner\/requests\/new\?lead=/);
    assert.equal(await contoso.locator('#customer_email').inputValue(), 'lee.seojun@hanbit-new.example');
    assert.equal(await contoso.locator('#email_language').inputValue(), 'en');
    await contoso.getByRole('button', { name: '다음' }).click();
    await contoso.waitForURL(/\/draft/);
    return contoso;
  });

  step('and the lead shows as contacted', async () => {
    await contoso.goto(BASE + '/partner/leads?status=contacted');
    assert.ok(await contoso.getByRole('link', { name: 'Hanbit Bakery' }).isVisible());
    return contoso;
  });

  step('Contoso keeps its public profile in Partner Center', async () => {
    await contoso.goto(BASE + '/partner/profile');
    await contoso.getByLabel('설명').fill('클라우드 이전과 보안 전문 파트너입니다. 신규 매장 개설을 돕습니다.');
    await contoso.getByRole('button', { name: '프로필 저장' }).click();
    await contoso.getByText('프로필을 저장했습니다. 디렉터리에 표시됩니다.').waitFor();
    return contoso;
  });
});
