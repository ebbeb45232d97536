// "Delete partner" in the browser (SPEC F6): allowed for a partner that is only a
// delegated admin, refused with "contact the partner" once the same partner is a
// reseller & delegated admin (Fabrikam → Litware). Every page is checked with axe-core.
//
//   ACCORD_URL=http://127.0.0.1:18080 node --test flow-delete.test.mjs

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

const step = stepper(RESULTS, 'delete');

async function signIn(page, email) {
  await page.goto(BASE + '/signin');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('accord-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((u) => u.pathname !== '/signin', { timeout: TIMEOUT });
}

describe('delete partner', { timeout: 300_000 }, () => {
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
    const page = async () => {
      const c = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      c.setDefaultTimeout(TIMEOUT);
      return c.newPage();
    };
    partner = await page();
    customer = await page();
  });

  after(async () => {
    await browser?.close();
  });

  step('a partner asks to be delegated admin only', async () => {
    await signIn(partner, 'admin@fabrikam-us.example');
    await partner.goto(BASE + '/partner/requests/new');
    await partner.getByLabel('Reseller', { exact: true }).uncheck();
    assert.equal(await partner.getByLabel('Include delegated admin privileges').isChecked(), true);
    await partner.getByRole('button', { name: 'Next', exact: true }).click();
    link = (await partner.locator('#invitation-link').inputValue()).trim();
    return partner;
  });

  step('the customer sees what is asked and accepts', async () => {
    await signIn(customer, 'admin@litware.example');
    await customer.goto(link);
    await customer.getByRole('heading', { name: 'What Fabrikam Solutions asks to be' }).waitFor();
    await customer.getByText('Administers the organisation').first().waitFor();
    await customer.getByLabel('I have read and accept the customer agreement').check();
    await customer.getByRole('button', { name: 'Accept & authorise' }).click();
    await customer.getByRole('heading', { name: 'Partner relationships' }).waitFor();
    return customer;
  });

  step('the customer deletes the partner after confirming', async () => {
    await customer.getByRole('link', { name: 'Fabrikam Solutions' }).click();
    await customer.getByRole('link', { name: 'Delete partner…' }).click();
    await customer.getByRole('heading', { name: 'Delete Fabrikam Solutions as your partner?' }).waitFor();
    await customer.getByRole('button', { name: 'Delete partner' }).click();
    await customer.getByText('Fabrikam Solutions is no longer your partner.').waitFor();
    assert.equal(await customer.getByRole('link', { name: 'Fabrikam Solutions' }).count(), 0);
    return customer;
  });

  step('a reseller cannot be deleted: the page says to contact it', async () => {
    // The same partner comes back as reseller & delegated admin.
    await partner.goto(BASE + '/partner/requests/new');
    await partner.getByRole('button', { name: 'Next', exact: true }).click();
    link = (await partner.locator('#invitation-link').inputValue()).trim();
    await customer.goto(link);
    await customer.getByLabel('I have read and accept the customer agreement').check();
    await customer.getByRole('button', { name: 'Accept & authorise' }).click();
    await customer.getByRole('link', { name: 'Fabrikam Solutions' }).click();
    await customer.getByText(/To end this relationship, contact Fabrikam Solutions/).waitFor();
    assert.equal(await customer.getByRole('link', { name: 'Delete partner…' }).count(), 0);
    return customer;
  });
});
