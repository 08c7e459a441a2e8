/**
 * Debian's chromium driven by playwright-core: one browser for the whole suite, a fresh profile directory, and
 * helpers to sign in and to save screenshots at desktop and phone widths under artifacts/dashboard/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'artifacts', 'dashboard');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Playwright passes the new profile directory to chromium as --user-data-dir. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'callroute-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: DESKTOP,
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  context.setDefaultTimeout(15_000);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const tabStats = new WeakMap<Page, { errors: string[]; requests: number }>();

/** A new tab (its own sessionStorage) signed in with `key`. */
export async function signIn(context: BrowserContext, baseUrl: string, key: string): Promise<Page> {
  const page = await context.newPage();
  const stats = { errors: [] as string[], requests: 0 };
  tabStats.set(page, stats);
  page.on('pageerror', (e) => stats.errors.push(e.message));
  page.on('request', () => void stats.requests++);
  await page.goto(`${baseUrl}/dashboard/`);
  await page.fill('#api-key', key);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=role]');
  return page;
}

/** Requests the tab made: a view that refetches on every render shows up here as thousands. */
export function requestCount(page: Page): number {
  return tabStats.get(page)?.requests ?? 0;
}

export function jsErrors(page: Page): string[] {
  return tabStats.get(page)?.errors ?? [];
}

/** Page width beyond the viewport (0 when nothing forces sideways scrolling). */
export function overflowX(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

/**
 * Saves `<name>-desktop.png` and `<name>-phone.png`, and returns how far the phone layout overflows sideways.
 * `ready` is awaited after each resize (e.g. a chart redrawn at the new width).
 */
export async function shoot(page: Page, name: string, ready?: () => Promise<unknown>): Promise<number> {
  await page.setViewportSize(DESKTOP);
  await ready?.();
  await page.screenshot({ path: join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await ready?.();
  const overflow = await overflowX(page);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
  return overflow;
}
