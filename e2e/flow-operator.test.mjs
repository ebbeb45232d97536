// The operator console in the browser: find a partner and set what it may offer, set a
// cloud's portal, read the activity with the operator's name; then the console in Korean
// at phone width. Every page is checked with axe-core.
//
//   ACCORD_URL=http://127.0.0.1:18080 node --test flow-operator.test.mjs

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

const step = stepper(RESULTS, 'operator');

describe('operator console', { timeout: 300_000 }, () => {
  let browser;
  let op;
  let phone;

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
    op = await page({ viewport: { width: 1280, height: 900 } });
    phone = await page({
      viewport: { width: 390, height: 844 },
      locale: 'ko-KR',
      extraHTTPHeaders: { 'Accept-Language': 'ko-KR,ko;q=0.9' },
    });
  });

  after(async () => {
    await browser?.close();
  });

  step('the operator finds a partner and sets what it may offer', async () => {
    await op.goto(BASE + '/signin');
    await op.getByLabel('E-mail').fill('operator@accord-operations.example');
    await op.getByLabel('Password').fill('accord-demo');
    await op.getByRole('button', { name: 'Sign in', exact: true }).click();
    await op.waitForURL((u) => u.pathname !== '/signin', { timeout: TIMEOUT });
    await op.getByRole('link', { name: 'Operator console' }).click();
    await op.getByRole('link', { name: 'Organisations' }).click();
    await op.getByLabel('Name or domain').fill('fabrikam');
    await op.getByRole('button', { name: 'Search' }).click();
    await op.getByRole('link', { name: 'Fabrikam Solutions' }).click();
    await op.getByLabel('MPSA partner').check();
    await op.getByRole('button', { name: 'Save' }).click();
    await op.getByText('The partner types were saved.').waitFor();
    return op;
  });

  step("the operator sets a cloud's portal", async () => {
    await op.getByRole('link', { name: 'Clouds' }).click();
    const gov = op.locator('section', { has: op.getByRole('heading', { name: 'US Government cloud' }) });
    await gov.getByLabel('Portal name').fill('Accord Government Admin');
    await gov.getByLabel('Base URL of links').fill('https://gov.accord.example');
    await gov.getByRole('button', { name: 'Save' }).click();
    await op.getByText("The cloud's portal was saved.").waitFor();
    return op;
  });

  step('the activity names the operator', async () => {
    await op.getByRole('link', { name: 'Activity' }).click();
    const first = op.locator('tbody tr').first();
    assert.match(await first.innerText(), /Cloud portal set/);
    assert.match(await first.innerText(), /Olivia Operator/);
    return op;
  });

  step('the console in Korean on a phone', async () => {
    await phone.goto(BASE + '/signin');
    await phone.getByLabel('이메일').fill('operator@accord-operations.example');
    await phone.getByLabel('암호').fill('accord-demo');
    await phone.getByRole('button', { name: '로그인', exact: true }).click();
    await phone.waitForURL((u) => u.pathname !== '/signin', { timeout: TIMEOUT });
    await phone.goto(BASE + '/operator/products');
    await phone.getByRole('heading', { name: '제품 카탈로그' }).waitFor();
    return phone;
  });
});
