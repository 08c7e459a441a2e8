/**
 * The dashboard in a real headless chromium against a running engine with seeded calls: each role signs in and sees
 * only its own, a live call appears and finishes, a call's detail opens, an operator pauses a buyer. Screenshots of
 * the main views at desktop and phone widths go to artifacts/dashboard/.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDashboardBuilt } from '../../../web/ensure-built.js';
import { recordingFile } from '../../../src/http/routes/dashboard-api.js';
import { adminRepos } from '../../../src/store/admin.js';
import { PauseRepository } from '../../../src/store/distribution.js';
import { CallQueryRepository } from '../../../src/store/call-query.js';
import type { CallRow } from '../../../src/store/index.js';
import { writeSilenceWav } from '../../support/wav.js';
import { jsErrors, launchBrowser, requestCount, shoot, signIn, type Browser } from './browser.js';
import { KEYS, seedCalls, startDashboardEngine, type DashboardEngine, type Seeded } from './harness.js';

const usd = (cents: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
const sum = (rows: CallRow[], f: (r: CallRow) => number) => rows.reduce((a, r) => a + f(r), 0);

let e: DashboardEngine;
let seeded: Seeded;
let browser: Browser;
let allRows: CallRow[];
const pages: Page[] = [];

const rowIds = (page: Page, testId = 'calls-table') =>
  page.$$eval(`[data-testid=${testId}] [data-call]`, (els) => els.map((el) => el.getAttribute('data-call')));
const textOf = (page: Page, selector: string) => page.locator(selector).innerText();
const apiStatus = (path: string, key: string) => fetch(`${e.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

beforeAll(async () => {
  await ensureDashboardBuilt();
  e = await startDashboardEngine();
  seeded = await seedCalls(e);
  // The in-memory driver records no audio: put a WAV where the embedded driver would have written this call's.
  mkdirSync(e.recordingsDir, { recursive: true });
  writeSilenceWav(recordingFile(e.recordingsDir, seeded.rows[0]!.sip_call_id), 1500);
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  for (const p of pages) {
    expect(jsErrors(p)).toEqual([]);
    // Polling (1 s live calls, 5 s totals) stays far below this; a render loop refetching does not.
    expect(requestCount(p)).toBeLessThan(400);
  }
  await browser?.close();
  await e?.close();
});

describe('operator', () => {
  let page: Page;

  it('signs in, and watches a live call appear and finish', async () => {
    const login = await browser.context.newPage();
    await login.goto(`${e.baseUrl}/dashboard/`);
    await login.waitForSelector('#api-key');
    await shoot(login, 'login');
    await login.close();

    page = await signIn(browser.context, e.baseUrl, KEYS.operator);
    pages.push(page);
    expect(await textOf(page, '[data-testid=role]')).toBe('Operator');
    await page.waitForSelector('[data-testid=live] >> text=No calls in progress.');

    const call = e.place({ caller: '+14155550199' });
    await call.bridged;
    const live = e.engine.calls.liveCalls();
    expect(live).toHaveLength(1);
    const id = live[0]!.id;
    const row = page.locator(`[data-testid=live-row][data-call="${id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('bridged');
    expect(await row.innerText()).toContain('buyer_first');
    expect(await shoot(page, 'live', () => row.waitFor())).toBeLessThanOrEqual(0);

    e.shift(70_000);
    call.callerHangup();
    const ended = await e.ended(call);
    e.resetClock();
    expect(ended.billable).toBe(1);
    await row.waitFor({ state: 'detached' });
    await page.waitForSelector('[data-testid=live] >> text=No calls in progress.');
    allRows = new CallQueryRepository(e.engine.store.db).page({}, 100);
    expect(allRows).toHaveLength(seeded.rows.length + 1);
  });

  it('sees P&L totals equal to the stored calls, a chart over days, and the split by buyer', async () => {
    await page.click('nav >> text=P&L');
    await page.waitForSelector('[data-testid=pnl-chart] canvas');
    const totals = page.locator('[data-testid=pnl-totals]');
    await totals.locator(`text=${usd(sum(allRows, (r) => r.revenue_cents))}`).waitFor();
    const text = await totals.innerText();
    expect(text).toContain(String(allRows.length));
    expect(text).toContain(usd(sum(allRows, (r) => r.payout_cents)));
    expect(text).toContain(usd(sum(allRows, (r) => r.revenue_cents - r.payout_cents - r.cost_cents)));
    await page.click('[role=tab] >> text=Buyer');
    const table = page.locator('[data-testid=pnl-table]');
    await table.locator('td >> text=buyer_second').waitFor();
    expect(await table.innerText()).toContain('buyer_first');
    expect(await shoot(page, 'pnl', () => page.waitForSelector('[data-testid=pnl-chart] canvas'))).toBeLessThanOrEqual(0);
  });

  it('opens a call: timeline, attempts with SIP codes, IVR answers, recording', async () => {
    const failover = allRows.find((r) => r.buyer_id === 'buyer_second')!;
    await page.goto(`${e.baseUrl}/dashboard/#/calls/${failover.id}`);
    const attempts = page.locator('[data-testid=attempts]');
    await attempts.waitFor();
    const text = await attempts.innerText();
    expect(text).toMatch(/buyer_first[\s\S]*busy[\s\S]*486/);
    expect(text).toMatch(/buyer_second[\s\S]*answered[\s\S]*200/);
    expect(await textOf(page, '[data-testid=ivr]')).toContain('94110');
    expect(await textOf(page, '[data-testid=timeline]')).toContain('Buyer answered');
    await page.waitForSelector('[data-testid=recording] >> text=Not recorded.');
    expect(await shoot(page, 'call-detail')).toBeLessThanOrEqual(0);

    await page.goto(`${e.baseUrl}/dashboard/#/calls/${seeded.rows[0]!.id}`);
    await page.waitForSelector('[data-testid=recording-player]');
  });

  it('lists the calls and pauses and resumes a buyer', async () => {
    await page.click('nav >> text=Calls');
    await page.waitForSelector('[data-testid=calls-table]');
    expect((await rowIds(page)).sort()).toEqual(allRows.map((r) => r.id).sort());

    await page.click('nav >> text=Buyers');
    const second = page.locator('[data-testid=buyer][data-buyer=buyer_second]');
    await second.locator('text=active').waitFor();
    expect(await page.locator('[data-testid=buyer][data-buyer=buyer_first]').innerText()).toMatch(/routed \/ day[\s\S]*of 40/);
    await second.locator('button >> text=Pause').click();
    await second.locator('button >> text=Confirm pause').click();
    await second.locator('.badge >> text=paused').waitFor();
    const pauses = new PauseRepository(e.engine.store.db);
    expect(pauses.isPaused('buyer_second', Date.now())?.reason).toBe('paused from the dashboard');
    expect(await shoot(page, 'buyers')).toBeLessThanOrEqual(0);
    await second.locator('button >> text=Resume').click();
    await second.locator('.badge >> text=active').waitFor();
    expect(pauses.isPaused('buyer_second', Date.now())).toBeUndefined();
  });
});

describe('buyer portal', () => {
  it('shows the first buyer only its own calls and spend', async () => {
    const page = await signIn(browser.context, e.baseUrl, KEYS.buyerFirst);
    pages.push(page);
    expect(await textOf(page, '[data-testid=role]')).toBe('Buyer portal');
    expect(await page.locator('nav a').allInnerTexts()).toEqual(['Overview', 'Calls']);
    const own = allRows.filter((r) => r.buyer_id === 'buyer_first');
    await page.locator(`[data-testid=spend] >> text=${usd(sum(own, (r) => r.revenue_cents))}`).waitFor();
    await page.waitForSelector('[data-testid=disputable] [data-testid=calls-table]');
    const disputable = await rowIds(page);
    expect(disputable.sort()).toEqual(own.filter((r) => r.billable === 1).map((r) => r.id).sort());
    expect(await textOf(page, '[data-testid=not-billable]')).toMatch(/duplicate|duration/);
    expect(await shoot(page, 'buyer-portal', () => page.waitForSelector('[data-testid=portal-chart] canvas'))).toBeLessThanOrEqual(0);

    await page.click('nav >> text=Calls');
    await page.waitForSelector('[data-testid=calls-table]');
    expect((await rowIds(page)).sort()).toEqual(own.map((r) => r.id).sort());
    expect(await textOf(page, '[data-testid=calls-table] thead')).not.toMatch(/Payout|Margin|Publisher/i);

    const sold = own.find((r) => r.billable === 1)!;
    await page.goto(`${e.baseUrl}/dashboard/#/calls/${sold.id}`);
    const billing = page.locator('[data-testid=buyer-billing]');
    await billing.locator('[data-testid=conversion-form] button').click();
    await billing.locator('[data-testid=conversions] >> text=converted').waitFor();
    await billing.locator('input[aria-label="Dispute reason"]').fill('caller asked for another company');
    await billing.locator('button >> text=Open dispute').click();
    await billing.locator('[data-testid=dispute] >> text=open').waitFor();
    const billingRepos = adminRepos(e.engine.store.db).billing;
    expect(billingRepos.conversions.list(sold.id)).toHaveLength(1);
    expect(billingRepos.disputes.get(sold.id)).toMatchObject({ state: 'open', buyer_id: 'buyer_first', reason: 'caller asked for another company' });

    const other = seeded.byBuyer.buyer_second![0]!;
    await page.goto(`${e.baseUrl}/dashboard/#/calls/${other}`);
    await page.waitForSelector('[role=alert] >> text=not found');
    expect(await apiStatus('/dashboard/api/buyers', KEYS.buyerFirst)).toBe(403);
    expect(await apiStatus(`/dashboard/api/calls/${seeded.rows[0]!.id}/recording`, KEYS.buyerSecond)).toBe(404);
  });
});

describe('publisher portal', () => {
  it('shows its calls with callers masked, payouts, duplicates and why calls were not paid', async () => {
    const page = await signIn(browser.context, e.baseUrl, KEYS.publisher);
    pages.push(page);
    expect(await textOf(page, '[data-testid=role]')).toBe('Publisher portal');
    await page.locator(`[data-testid=payout] >> text=${usd(sum(allRows, (r) => r.payout_cents))}`).waitFor();
    const dups = allRows.filter((r) => r.duplicate === 1).length;
    expect(dups).toBeGreaterThan(0);
    expect(await textOf(page, '[data-testid=duplicates]')).toContain(String(dups));
    await page.waitForSelector('[data-testid=not-paid] li');
    expect(await textOf(page, '[data-testid=not-paid]')).not.toBe('');
    await page.waitForSelector('[data-testid=recent] [data-testid=calls-table]');
    expect(await shoot(page, 'publisher-portal', () => page.waitForSelector('[data-testid=portal-chart] canvas'))).toBeLessThanOrEqual(0);

    await page.click('nav >> text=Calls');
    await page.waitForSelector('[data-testid=calls-table]');
    expect((await rowIds(page)).sort()).toEqual(allRows.map((r) => r.id).sort());
    const table = await textOf(page, '[data-testid=calls-table]');
    expect(table).not.toContain('+14155550101');
    expect(table).toMatch(/\+1\*+0101/);
    expect(await textOf(page, '[data-testid=calls-table] thead')).not.toMatch(/Buyer|Revenue|Margin/i);
    expect(await apiStatus('/dashboard/api/buyers', KEYS.publisher)).toBe(403);
    expect(await apiStatus(`/dashboard/api/calls/${seeded.rows[0]!.id}/recording`, KEYS.publisher)).toBe(403);
  });
});

describe('without a key', () => {
  it('serves the page but no data', async () => {
    const page = await fetch(`${e.baseUrl}/dashboard/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    expect(await apiStatus('/dashboard/api/me', 'not-a-key')).toBe(401);
    expect((await fetch(`${e.baseUrl}/dashboard/api/me`)).status).toBe(401);
  });
});
