// End-to-end browser test of the reseller-relationship invitation flow.
//
// A partner admin drafts an invitation, the customer's Global admin opens
// the custom link, signs in, accepts the customer agreement and authorises
// the partner; the partner then sees the new customer.
//
// Runs against an already running Accord server started with `--demo`:
//   ACCORD_URL=http://127.0.0.1:18080 node --test flow.test.mjs
// Chromium comes from the system (Debian's `chromium` package); override the
// binary with CHROMIUM=/path/to/chromium.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { checkAccessibility } from './axe.mjs';

const BASE = (process.env.ACCORD_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
const ORIGIN = new URL(BASE).origin;
const TIMEOUT = 30_000;
const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'test-results');

const PARTNER = { email: 'admin@contoso-kr.example', password: 'accord-demo' };
const CUSTOMER = { email: 'admin@hanbit.example', password: 'accord-demo' };
const PARTNER_ORG = 'Contoso Partners Korea';
const CUSTOMER_ORG = 'Hanbit Retail';

const MAIL_DIR = process.env.ACCORD_MAIL_DIR || '';
const url = (path) => BASE + path;

// The e-mails the demo server wrote (one .eml file each), bodies decoded from
// quoted-printable or base64.
function mailbox() {
  if (!MAIL_DIR) return [];
  let files = [];
  try {
    files = readdirSync(MAIL_DIR).filter((f) => f.endsWith('.eml'));
  } catch {
    return [];
  }
  return files.map((f) => {
    const raw = readFileSync(join(MAIL_DIR, f), 'utf8').replace(/\r\n/g, '\n');
    const split = raw.indexOf('\n\n');
    const head = raw.slice(0, split);
    let body = raw.slice(split + 2);
    if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(head)) {
      const bytes = body
        .replace(/=\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
      body = Buffer.from(bytes, 'latin1').toString('utf8');
    } else if (/Content-Transfer-Encoding:\s*base64/i.test(head)) {
      body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    }
    return { head, body };
  });
}
const pathOf = (page) => new URL(page.url()).pathname;
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// --- small assertion helpers (playwright-core ships no `expect`) -----------

async function visible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: TIMEOUT });
  } catch (err) {
    throw new Error(`expected to see ${what}: ${err.message.split('\n')[0]}`);
  }
}

async function waitForPath(page, re, what) {
  try {
    await page.waitForURL((u) => re.test(u.pathname), { timeout: TIMEOUT });
  } catch (err) {
    throw new Error(`expected to reach ${what} (${re}), still at ${page.url()}`);
  }
}

async function rowCount(page, text) {
  return page.getByRole('row').filter({ hasText: text }).count();
}

async function signIn(page, { email, password }) {
  await visible(page.getByLabel('E-mail'), 'the E-mail field');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((u) => u.pathname !== '/signin', { timeout: TIMEOUT });
}

// --- steps: run in order; once one fails the rest are skipped ---------------

let failed = false;
let shotNo = 0;
const pages = {};

function step(name, fn) {
  it(name, async (t) => {
    if (failed) {
      t.skip('an earlier step failed');
      return;
    }
    const n = String(++shotNo).padStart(2, '0');
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    let page;
    try {
      page = await fn();
    } catch (err) {
      failed = true;
      for (const [who, p] of Object.entries(pages)) {
        await p
          .screenshot({ path: join(RESULTS, `${n}-${slug}-FAILED-${who}.png`), fullPage: true })
          .catch(() => {});
        console.error(`${who} page at failure: ${p.url()}`);
      }
      throw err;
    }
    if (page) {
      await page.screenshot({ path: join(RESULTS, `${n}-${slug}.png`), fullPage: true });
      try {
        await checkAccessibility(page, name);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  });
}

describe('reseller relationship invitation flow', { timeout: 300_000 }, () => {
  let browser;
  let partnerCtx;
  let customerCtx;
  let partner;
  let customer;
  let link; // absolute custom invitation link
  let pendingBefore; // "Pending" rows on /partner/requests right after drafting

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      timeout: TIMEOUT,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    partnerCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await partnerCtx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
    customerCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    for (const ctx of [partnerCtx, customerCtx]) {
      ctx.setDefaultTimeout(TIMEOUT);
      ctx.setDefaultNavigationTimeout(TIMEOUT);
    }
    partner = pages.partner = await partnerCtx.newPage();
    customer = pages.customer = await customerCtx.newPage();
    for (const [who, p] of Object.entries(pages)) {
      p.on('pageerror', (err) => console.error(`[${who}] page error: ${err.message}`));
      p.on('console', (msg) => {
        if (msg.type() === 'error') console.error(`[${who}] console error: ${msg.text()}`);
      });
    }
  });

  after(async () => {
    await browser?.close();
  });

  step('partner signs in and lands on Customers', async () => {
    await partner.goto(url('/signin'));
    await signIn(partner, PARTNER);
    await waitForPath(partner, /^\/partner\/customers\/?$/, 'the partner customer list');
    await visible(partner.getByRole('heading', { name: 'Customers', exact: true }), 'heading "Customers"');
    return partner;
  });

  step('partner opens the reseller request form', async () => {
    await partner.getByRole('link', { name: 'Request a reseller relationship' }).click();
    await waitForPath(partner, /^\/partner\/requests\/new\/?$/, 'the new request form');
    const gdap = partner.getByLabel('Include delegated admin privileges');
    await visible(gdap, 'the delegated admin checkbox');
    assert.equal(await gdap.isChecked(), true, 'delegated admin privileges should be checked by default');
    return partner;
  });

  step('partner reviews the invitation e-mail', async () => {
    await partner.getByRole('button', { name: 'Next', exact: true }).click();
    await visible(partner.getByRole('heading', { name: 'Review the e-mail' }), 'heading "Review the e-mail"');

    const linkInput = partner.locator('#invitation-link');
    await visible(linkInput, 'the #invitation-link input');
    link = (await linkInput.inputValue()).trim();
    assert.match(link, /^https?:\/\/[^/]+\/admin\/invitations\/[^/?#\s]+$/, `unexpected invitation link: ${link}`);
    assert.ok(
      (await linkInput.getAttribute('readonly')) !== null,
      '#invitation-link should be readonly',
    );

    const subject = await partner.locator('#email-subject').inputValue();
    assert.ok(subject.trim().length > 0, 'e-mail subject should not be empty');
    const body = await partner.locator('#email-body').inputValue();
    assert.ok(body.includes(link), 'e-mail body should contain the invitation link');

    const mailto = await partner.getByRole('link', { name: 'Open in e-mail app' }).getAttribute('href');
    assert.ok(mailto && mailto.startsWith('mailto:'), `"Open in e-mail app" href should be mailto:, got ${mailto}`);
    return partner;
  });

  step('partner copies the e-mail to the clipboard', async () => {
    await partner.getByRole('button', { name: 'Copy to clipboard' }).click();
    let clip = '';
    for (let i = 0; i < 50 && !clip.includes(link); i++) {
      clip = await partner.evaluate(() => navigator.clipboard.readText());
      if (!clip.includes(link)) await partner.waitForTimeout(100);
    }
    assert.ok(clip.includes(link), `clipboard should contain the link, got: ${JSON.stringify(clip.slice(0, 200))}`);
    return partner;
  });

  step('partner sees the pending request', async () => {
    await partner.getByRole('link', { name: 'Done', exact: true }).click();
    await waitForPath(partner, /^\/partner\/requests\/?$/, 'the request list');
    const pending = partner.getByRole('row').filter({ hasText: 'Pending' });
    await visible(pending, 'a row containing "Pending"');
    await visible(pending.getByRole('link', { name: 'Revoke…' }), 'a "Revoke…" link in a pending row');
    pendingBefore = await pending.count();
    return partner;
  });

  step('customer opens the link and is asked to sign in', async () => {
    await customer.goto(link);
    await visible(customer.getByText(PARTNER_ORG), `the partner name "${PARTNER_ORG}"`);
    await customer.getByRole('link', { name: 'Sign in', exact: true }).first().click();
    await waitForPath(customer, /^\/signin\/?$/, 'the sign-in page');
    assert.ok(new URL(customer.url()).searchParams.get('next'), `sign-in URL should carry ?next=, got ${customer.url()}`);
    return customer;
  });

  step('customer signs in and returns to the invitation', async () => {
    await signIn(customer, CUSTOMER);
    const invitePath = new URL(link).pathname.replace(/\/+$/, '');
    await waitForPath(customer, new RegExp(`^${escapeRe(invitePath)}/?$`), 'the invitation page');
    await visible(
      customer.getByRole('heading', { name: 'Accept agreement & authorise partner' }),
      'heading "Accept agreement & authorise partner"',
    );
    await visible(customer.getByText(PARTNER_ORG), `the partner name "${PARTNER_ORG}"`);
    const agreement = customer.getByRole('link', { name: 'customer agreement' }).first();
    await visible(agreement, 'the "customer agreement" link');
    assert.ok(await agreement.getAttribute('href'), '"customer agreement" link should have an href');
    await visible(customer.getByLabel('I have read and accept the customer agreement'), 'the acceptance checkbox');
    await visible(customer.getByRole('button', { name: 'Accept & authorise' }), 'button "Accept & authorise"');
    await visible(customer.getByRole('link', { name: 'Decline…', exact: true }), 'link "Decline…" (asks before declining)');
    return customer;
  });

  step('accepting without ticking the agreement is refused', async () => {
    const box = customer.getByLabel('I have read and accept the customer agreement');
    assert.equal(await box.isChecked(), false, 'agreement checkbox should start unticked');
    await customer.getByRole('button', { name: 'Accept & authorise' }).click();
    // Either native `required` validation blocks the submit, or the server
    // answers with an error; give a possible navigation time to happen.
    await customer.waitForLoadState('load');
    await customer.waitForTimeout(1000);
    await customer.waitForLoadState('load');
    assert.ok(!pathOf(customer).startsWith('/admin/billing'), `must not accept without the tick, went to ${customer.url()}`);
    const onInvite = pathOf(customer).includes('/admin/invitations/');
    const alert = await customer.getByRole('alert').first().isVisible().catch(() => false);
    assert.ok(onInvite || alert, `expected to stay on the invitation or see an alert, at ${customer.url()}`);
    return customer;
  });

  step('customer accepts and authorises the partner', async () => {
    if (!pathOf(customer).includes('/admin/invitations/')) await customer.goto(link);
    await customer.getByLabel('I have read and accept the customer agreement').check();
    await customer.getByRole('button', { name: 'Accept & authorise' }).click();
    await waitForPath(customer, /^\/admin\/billing\/partners\/?$/, 'the partner relationships page');
    await visible(customer.getByRole('heading', { name: 'Partner relationships' }), 'heading "Partner relationships"');
    await visible(customer.getByRole('row').filter({ hasText: PARTNER_ORG }), `a row containing "${PARTNER_ORG}"`);
    return customer;
  });

  step('partner sees the new customer', async () => {
    await partner.goto(url('/partner/customers'));
    await visible(partner.getByRole('heading', { name: 'Customers', exact: true }), 'heading "Customers"');
    await visible(partner.getByRole('row').filter({ hasText: CUSTOMER_ORG }), `a row containing "${CUSTOMER_ORG}"`);
    return partner;
  });

  step('partner sees the request as accepted', async () => {
    await partner.goto(url('/partner/requests'));
    await visible(partner.getByRole('row').filter({ hasText: 'Accepted' }), 'a row containing "Accepted"');
    const pendingAfter = await rowCount(partner, 'Pending');
    assert.equal(pendingAfter, pendingBefore - 1, 'the accepted request should no longer be "Pending"');
    return partner;
  });

  step('the link cannot be used twice', async () => {
    await customer.goto(link);
    await visible(customer.getByText(/already been used/i), 'the text "already been used"');
    return customer;
  });

  step('a newcomer signs up from a second link and is told to check the inbox', async () => {
    await partner.goto(url('/partner/requests/new'));
    await partner.getByRole('button', { name: 'Next', exact: true }).click();
    const second = (await partner.locator('#invitation-link').inputValue()).trim();
    const newcomerCtx = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const newcomer = pages.newcomer = await newcomerCtx.newPage();
    await newcomer.goto(second);
    await newcomer.getByRole('link', { name: 'Create your organisation' }).click();
    await newcomer.getByLabel('Organisation name').fill('Seoul Bakery');
    await newcomer.getByLabel('Domain').fill('seoul-bakery.example');
    await newcomer.getByLabel('Country', { exact: true }).selectOption('KR');
    await newcomer.getByLabel('Your name').fill('Min-ji Park');
    await newcomer.getByLabel('Your e-mail').fill('minji@seoul-bakery.example');
    await newcomer.getByLabel('Password (at least 10 characters)').fill('a long password');
    await newcomer.getByRole('button', { name: 'Create organisation' }).click();
    await visible(newcomer.getByRole('heading', { name: 'Check your inbox' }), 'heading "Check your inbox"');
    await visible(newcomer.getByText('minji@seoul-bakery.example'), 'the address the e-mail went to');
    return newcomer;
  });

  step('the e-mailed link creates the organisation and opens the invitation', async () => {
    const newcomer = pages.newcomer;
    if (!MAIL_DIR) throw new Error('ACCORD_MAIL_DIR is not set');
    let mail;
    for (let i = 0; i < 100 && !mail; i++) {
      mail = mailbox().find((m) => m.body.includes('Seoul Bakery') && m.body.includes('/confirm/'));
      if (!mail) await newcomer.waitForTimeout(100);
    }
    assert.ok(mail, `a confirmation e-mail in ${MAIL_DIR}`);
    const confirm = mail.body.match(/https?:\/\/\S+\/confirm\/\S+/)[0];
    await newcomer.goto(confirm);
    await visible(newcomer.getByText('seoul-bakery.example'), 'the domain to be created');
    await newcomer.getByRole('button', { name: 'Create organisation and sign in' }).click();
    await visible(
      newcomer.getByRole('heading', { name: 'Accept agreement & authorise partner' }),
      'the invitation, signed in as the new Global admin',
    );
    return newcomer;
  });

  step('the customer accepts a new agreement version on its own', async () => {
    if (!process.env.ACCORD_BIN || !process.env.ACCORD_DATA_DIR) throw new Error('ACCORD_BIN and ACCORD_DATA_DIR are not set');
    // The operator publishes version 2 with the CLI, against the running server's database.
    const file = join(tmpdir(), `agreement-v2-${process.pid}.txt`);
    writeFileSync(file, 'Customer Agreement, version 2.\n\nThe new terms.');
    execFileSync(process.env.ACCORD_BIN, ['--data-dir', process.env.ACCORD_DATA_DIR, 'agreement', 'publish', '--title', 'Customer Agreement', '--file', file]);
    await customer.goto(url('/admin/billing/partners'));
    await customer.getByRole('link', { name: 'Accept agreement' }).click();
    await visible(customer.getByText(/Version 2 of the customer agreement was published/), 'the new version to accept');
    await customer.getByLabel('I have read and accept the customer agreement').check();
    await customer.getByRole('button', { name: 'Accept agreement' }).click();
    await visible(customer.getByText('You accepted the current customer agreement.'), 'the confirmation');
    return customer;
  });

  step('partner buys a subscription for the customer', async () => {
    await partner.goto(url('/partner/customers'));
    await partner.getByRole('link', { name: CUSTOMER_ORG }).click();
    await visible(partner.getByRole('heading', { name: 'Buy a subscription' }), 'the buy form');
    await partner.getByLabel('Product', { exact: true }).selectOption('BIZ-PREMIUM');
    await partner.getByLabel('Quantity', { exact: true }).fill('10');
    await partner.getByRole('button', { name: 'Buy', exact: true }).click();
    await visible(partner.getByText('The subscription was bought.'), 'the confirmation');
    await visible(
      partner.getByRole('row').filter({ hasText: 'Business Premium (BIZ-PREMIUM)' }),
      'the subscription in the list',
    );
    await visible(partner.getByText('Subscription bought: BIZ-PREMIUM × 10'), 'the purchase in the history');
    return partner;
  });

  step('customer sees the subscription and the partner that provisioned it', async () => {
    await customer.goto(url('/admin/billing/accounts'));
    await customer.getByRole('link', { name: 'Subscriptions', exact: true }).click();
    await waitForPath(customer, /^\/admin\/billing\/subscriptions$/, 'the subscriptions page');
    await visible(
      customer.getByRole('row').filter({ hasText: 'Business Premium (BIZ-PREMIUM)' }).filter({ hasText: PARTNER_ORG }),
      'the subscription with its partner',
    );
    return customer;
  });

  step('partner signs out', async () => {
    await partner.getByRole('button', { name: 'Sign out' }).click();
    await partner.waitForLoadState('load');
    const res = await partner.goto(url('/partner/customers'));
    const status = res ? res.status() : 0;
    assert.ok(
      pathOf(partner) === '/signin' || status === 401 || status === 403,
      `after sign-out /partner/customers should need sign-in, got ${status} at ${partner.url()}`,
    );
    return partner;
  });
});
