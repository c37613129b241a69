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
