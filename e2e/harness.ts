import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '@passage/db/testing';
import { startPassage, type RunningPassage } from '@passage/server/server';
import { testConfig } from '@passage/server/testing';

/** Where screenshots go: kept as test artifacts. */
export const ARTIFACTS = path.resolve('test-artifacts', 'e2e');

/** The real server (built web app, fresh database) and Debian's Chromium, headless. */
export interface E2E {
  passage: RunningPassage;
  database: TestDatabase;
  browser: Browser;
  baseUrl: string;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  shot(page: Page, name: string): Promise<void>;
  /** WCAG 2.1 A/AA violations on the current page (axe-core), as readable lines. */
  a11y(page: Page): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts everything; the web app must have been built (`npm run build`). */
export async function startE2E(): Promise<E2E> {
  const webRoot = path.resolve('packages/web/dist');
  if (!fs.existsSync(path.join(webRoot, 'index.html'))) throw new Error('Build the web app first: npm run build');
  const database = await createTestDatabase({ migrate: false });
  const passage = await startPassage(testConfig({ databaseUrl: database.url, port: 0, host: '127.0.0.1', demo: true, loginRateLimit: 100 }), { logger: false, webRoot, log: () => undefined });
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  // Debian's Chromium, never a downloaded browser. Background networking off: this machine has no internet.
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return {
    passage,
    database,
    browser,
    baseUrl: passage.url,
    newPage: async (viewport = { width: 1280, height: 800 }) => {
      const context = await browser.newContext({ viewport, locale: 'en-GB' });
      const page = await context.newPage();
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) throw new Error(`CSP violation: ${msg.text()}`);
      });
      return page;
    },
    shot: async (page, name) => {
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    a11y: async (page) => {
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    },
    close: async () => {
      await browser.close();
      await passage.stop();
      await database.close();
    },
  };
}

/** Signs in with the demo password (and, for accounts with two-factor authentication, the demo TOTP code). */
export async function signIn(page: Page, base: string, email: string, password: string, totp?: () => string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  if (totp) {
    await page.getByTestId('mfa-code').fill(totp());
    await page.getByTestId('mfa-submit').click();
  }
  await page.getByTestId('user-menu').waitFor();
}

/** Presses Tab until the element with this test id has focus: moving through the page as a keyboard user does. */
export async function tabTo(page: Page, testId: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

/**
 * What sticks out sideways, element by element (in right-to-left pages an overflow goes to the left, where
 * scrollWidth does not see it). Content of a frame that scrolls itself is fine.
 */
export async function overflowing(page: Page, width: number): Promise<string[]> {
  return page.evaluate((w) => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > w) out.push(`page ${document.documentElement.scrollWidth}px`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.parentElement?.closest('.table-wrap') || el.closest('.skip-link')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < -1 || r.right > w + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return out.slice(0, 5);
  }, width);
}

/** Problems with a full-page screenshot just taken: not a PNG, not a whole page, or too small to show one. */
export function screenshotProblems(name: string): string[] {
  const png = fs.readFileSync(path.join(ARTIFACTS, `${name}.png`));
  const problems: string[] = [];
  if (png.subarray(1, 4).toString('latin1') !== 'PNG') problems.push(`${name}: not a PNG`);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width < 320 || height < 400) problems.push(`${name}: ${width}×${height} is not a whole page`);
  // A blank page compresses to almost nothing; a page with text, tables and colour does not.
  if (png.length <= 20_000) problems.push(`${name}: ${png.length} bytes is too small to show the page`);
  return problems;
}

/**
 * The helpers most browser tests share: sign in as a demo account on a new page (closed by the caller through
 * `pages`), a checked full-page screenshot, and an accessibility check.
 */
export function pageHelpers(e: E2E, pages: Page[], password: string) {
  return {
    async as(email: string, totp?: () => string): Promise<Page> {
      const page = await e.newPage();
      pages.push(page);
      await signIn(page, e.baseUrl, email, password, totp);
      return page;
    },
    async shot(page: Page, name: string): Promise<void> {
      await e.shot(page, name);
      if (screenshotProblems(name).length > 0) throw new Error(screenshotProblems(name).join('; '));
    },
    async checkA11y(page: Page, name: string): Promise<void> {
      const violations = await e.a11y(page);
      if (violations.length > 0) throw new Error(`${name} has accessibility violations: ${JSON.stringify(violations)}`);
    },
  };
}
