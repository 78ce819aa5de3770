import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

import puppeteer from 'puppeteer-core';

/** Debian's package, not a browser downloaded from the web: the tests run where only apt works. */
const debianPackages = ['chromium', 'fonts-dejavu-core'];
const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function chromiumPath(): string | undefined {
  const override = process.env['CHROMIUM_PATH'];
  if (override) return existsSync(override) ? override : undefined;
  return candidates.find((path) => existsSync(path));
}

/**
 * Debian's chromium, installed with apt-get when it is missing and we may (root + apt), as the
 * stack installs redis-server; `unavailable` says why not, for a test to print when it skips.
 * A policy-rc.d that says "no" keeps package scripts from starting services behind our back.
 */
export async function ensureChromium(
  log: (message: string) => void = (message) => {
    console.error(message);
  },
): Promise<{ path: string } | { unavailable: string }> {
  const existing = chromiumPath();
  if (existing) return { path: existing };
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    return {
      unavailable:
        'chromium is not installed and cannot be installed here (needs root and apt-get); install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH',
    };
  }
  log("chromium not found; installing Debian's chromium package with apt-get …");
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) {
    await writeFile(policy, '#!/bin/sh\nexit 101\n');
    await chmod(policy, 0o755);
  }
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [
      ['update'],
      ['install', '-y', '--no-install-recommends', ...debianPackages],
    ]) {
      const result = spawnSync('apt-get', args, { encoding: 'utf8', env });
      if (result.status !== 0) {
        const why = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ');
        return { unavailable: `installing chromium failed (apt-get ${args.join(' ')}): ${why}` };
      }
    }
  } finally {
    if (ownPolicy) await rm(policy, { force: true });
  }
  const installed = chromiumPath();
  return installed
    ? { path: installed }
    : { unavailable: 'apt-get installed chromium but no chromium binary was found' };
}

/** What a page showed once its scripts ran. */
export interface RenderedPage<Checks> {
  /** Console messages of type error, uncaught exceptions, and failed loads. */
  errors: string[];
  /** Every request the page tried that was not the file itself (there should be none). */
  requests: string[];
  /** What `inspect` returned, evaluated in the page. */
  checks: Checks;
  /** From navigation start until `ready` held in the page. */
  renderMs: number;
}

/**
 * Opens a local HTML file in headless chromium with networking off (offline mode, and any
 * request other than the file itself aborted and recorded), waits until `ready` holds in the
 * page, takes a full-page screenshot and evaluates `inspect` there.
 */
export async function openOffline<Checks>(options: {
  chromium: string;
  file: string;
  screenshot: string;
  /** A JavaScript expression, evaluated in the page, that is true once the page has rendered. */
  ready: string;
  /** A JavaScript expression evaluated in the page after `ready`: what the test checks. */
  inspect: string;
  timeoutMs: number;
  viewport?: { width: number; height: number };
}): Promise<RenderedPage<Checks>> {
  const browser = await puppeteer.launch({
    executablePath: options.chromium,
    headless: true,
    // As root there is no user namespace sandbox; the page is our own file.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    protocolTimeout: options.timeoutMs,
  });
  try {
    const page = await browser.newPage();
    await page.setViewport(options.viewport ?? { width: 1280, height: 900 });
    await page.setOfflineMode(true);
    const url = pathToFileURL(options.file).href;
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => {
      errors.push(`uncaught: ${error instanceof Error ? error.message : String(error)}`);
    });
    page.on('requestfailed', (request) => {
      if (request.url() !== url) errors.push(`failed load: ${request.url()}`);
    });
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.url() === url || request.url().startsWith('data:')) {
        void request.continue();
        return;
      }
      requests.push(request.url());
      void request.abort();
    });
    const started = Date.now();
    await page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs });
    await page.waitForFunction(options.ready, { timeout: options.timeoutMs, polling: 50 });
    const renderMs = Date.now() - started;
    await mkdir(dirname(options.screenshot), { recursive: true });
    await page.screenshot({ path: options.screenshot, fullPage: true });
    const checks = (await page.evaluate(options.inspect)) as Checks;
    return { errors, requests, checks, renderMs };
  } finally {
    await browser.close();
  }
}
