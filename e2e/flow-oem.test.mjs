// The other partner types in the browser (SPEC F10): an OEM PC and LOB partner (Adatum)
// uploads a device file with a bad row and sees the row named, uploads it put right, and
// submits an app version the customer approves; as a Partner-type partner, its admin is
// added by the customer as a guest account and reads the customer's users; the customer
// reads its devices in Korean at phone width. Every page is checked with axe-core.
//
//   ACCORD_URL=http://127.0.0.1:18080 node --test flow-oem.test.mjs

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

const step = stepper(RESULTS, 'oem');

// Hardware hashes: 48 bytes of base64, one per device.
const hash = (n) => Buffer.from(Array.from({ length: 48 }, (_, i) => (n * 31) ^ i)).toString('base64');
const HEADER = 'Device Serial Number,Windows Product ID,Hardware Hash';
const BAD = [HEADER, `ADT-0001,00330-80000-00000-AA001,${hash(1)}`, 'ADT-0002,,not a hash', `ADT-0003,,${hash(3)}`].join('\n');
const GOOD = [HEADER, `ADT-0001,00330-80000-00000-AA001,${hash(1)}`, `ADT-0002,,${hash(2)}`, `ADT-0003,,${hash(3)}`].join('\n');

async function signIn(page, email) {
  await page.goto(BASE + '/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('accord-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((u) => u.pathname !== '/signin', { timeout: TIMEOUT });
}

async function upload(page, csv) {
  await page.locator('#file').setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Upload devices' }).click();
}

describe('OEM PC devices and LOB apps', { timeout: 300_000 }, () => {
  let browser;
  let partner;
  let customer;
  let phone;
  let link;

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
    customer = await page({ viewport: { width: 1280, height: 900 } });
    phone = await page({
      viewport: { width: 390, height: 844 },
      locale: 'ko-KR',
      extraHTTPHeaders: { 'Accept-Language': 'ko-KR,ko;q=0.9' },
    });
  });

  after(async () => {
    await browser?.close();
  });

  step('a partner asks to be the OEM PC and LOB partner', async () => {
    await signIn(partner, 'admin@adatum-kr.example');
    await partner.goto(BASE + '/partner/requests/new');
    await partner.getByLabel('Reseller', { exact: true }).uncheck();
    await partner.getByLabel('Include delegated admin privileges').uncheck();
    await partner.getByLabel('OEM PC partner', { exact: true }).check();
    await partner.getByLabel('LOB (line-of-business) partner', { exact: true }).check();
    await partner.getByLabel('Partner', { exact: true }).check();
    await partner.getByRole('button', { name: 'Next', exact: true }).click();
    link = (await partner.locator('#invitation-link').inputValue()).trim();
    return partner;
  });

  step('the customer accepts', async () => {
    await signIn(customer, 'admin@hanbit.example');
    await customer.goto(link);
    await customer.getByText('Uploads the device identities').first().waitFor();
    await customer.getByLabel('I have read and accept the customer agreement').check();
    await customer.getByRole('button', { name: /Accept/ }).click();
    await customer.getByRole('link', { name: 'Adatum Devices & Apps' }).waitFor();
    return customer;
  });

  step('the customer adds the partner admin as a guest account', async () => {
    await customer.getByRole('link', { name: 'Adatum Devices & Apps' }).click();
    await customer.getByRole('heading', { name: 'Guest accounts' }).waitFor();
    await customer.getByLabel('E-mail address of a user at Adatum Devices & Apps').fill('admin@adatum-kr.example');
    await customer.getByLabel('Global reader', { exact: true }).check();
    await customer.getByRole('button', { name: 'Add guest account' }).click();
    await customer.getByText('The guest account was added.').waitFor();
    await customer.getByRole('cell', { name: 'admin@adatum-kr.example' }).waitFor();
    return customer;
  });

  step("the guest reads the customer's users with the role it was given", async () => {
    await partner.goto(BASE + '/partner/customers');
    await partner.getByRole('link', { name: 'Hanbit Retail' }).click();
    await partner.getByRole('heading', { name: 'Guest accounts' }).waitFor();
    await partner.getByRole('link', { name: 'Users', exact: true }).first().click();
    await partner.getByRole('link', { name: 'Choi Yuna' }).waitFor();
    return partner;
  });

  step('a device file with a bad row is refused, naming the row', async () => {
    await partner.goto(BASE + '/partner/customers');
    await partner.getByRole('link', { name: 'Hanbit Retail' }).click();
    await partner.getByRole('link', { name: 'Register and list devices' }).click();
    await upload(partner, BAD);
    const alert = partner.getByRole('alert');
    await alert.getByText('One row of the file is not valid').waitFor();
    const row = alert.locator('tbody tr').first();
    assert.equal(await row.locator('td').first().innerText(), '3');
    assert.match(await row.innerText(), /hardware hash/);
    await partner.getByText('No devices registered yet.').waitFor();
    return partner;
  });

  step('the file put right registers every device', async () => {
    await upload(partner, GOOD);
    await partner.getByText('3 devices were registered.').waitFor();
    await partner.getByRole('cell', { name: 'ADT-0002' }).waitFor();
    return partner;
  });

  step('the partner creates an app and submits its first version', async () => {
    await partner.getByRole('link', { name: 'Hanbit Retail' }).click();
    await partner.getByRole('link', { name: 'New app' }).click();
    await partner.getByLabel('App name').fill('Hanbit Kiosk');
    await partner.getByLabel('Description').fill('The in-store kiosk.');
    await partner.getByLabel('Version', { exact: true }).fill('1.0.0');
    await partner.getByLabel('Package URL').fill('https://apps.adatum-kr.example/kiosk-1.0.0.msix');
    await partner.getByRole('button', { name: 'Create app' }).click();
    await partner.getByText('The app was created as a draft.').waitFor();
    await partner.getByRole('button', { name: 'Submit version 1.0.0 for approval' }).click();
    await partner.getByText("The version was submitted for the customer's approval.").waitFor();
    return partner;
  });

  step('the customer approves the version', async () => {
    await customer.goto(BASE + '/admin/apps');
    await customer.getByRole('link', { name: 'Hanbit Kiosk' }).click();
    await customer.getByRole('heading', { name: 'Version 1.0.0 waits for your decision' }).waitFor();
    await customer.getByRole('button', { name: 'Approve' }).click();
    await customer.getByText('The version was approved.').waitFor();
    return customer;
  });

  step('the customer reads its devices in Korean on a phone', async () => {
    await phone.goto(BASE + '/signin');
    await phone.getByLabel('이메일').fill('admin@hanbit.example');
    await phone.getByLabel('암호').fill('accord-demo');
    await phone.getByRole('button', { name: '로그인', exact: true }).click();
    await phone.waitForURL((u) => u.pathname !== '/signin', { timeout: TIMEOUT });
    await phone.goto(BASE + '/admin/devices');
    await phone.getByRole('heading', { name: '장치', exact: true }).waitFor();
    await phone.getByText('ADT-0003').waitFor();
    return phone;
  });
});
