// `/docs` is Swagger UI served by the server itself (swagger-ui-dist, no CDN): the page and its assets with
// their content types, then a real headless Chromium that renders every operation, authorizes with an API key
// and runs one through "Try it out" against the same server, asking nothing of any other host.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support/test-server.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`docs browser test SKIPPED: no ${CHROMIUM} (apt-get install chromium)`);

interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId: string }>>;
}

describe('interactive API docs at /docs', () => {
  let running: TestServer;
  let key: string;

  beforeAll(async () => {
    running = await startTestServer('pglite');
    ({ key } = await running.store.createApiKey({ tenant: 'acme' }));
  });

  afterAll(() => running?.close());

  it('serves the page, its Swagger UI assets from the package and the initializer, with their content types', async () => {
    const page = await fetch(`${running.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(
      expect.arrayContaining([
        '/docs/swagger-ui.css',
        '/docs/swagger-ui-bundle.js',
        '/docs/swagger-initializer.js',
        '/openapi.json',
      ]),
    );
    expect(assets.every((asset) => asset.startsWith('/'))).toBe(true);
    const types: Record<string, string> = {
      '.css': 'text/css; charset=utf-8',
      '.js': 'text/javascript; charset=utf-8',
      '.png': 'image/png',
      '.json': 'application/json',
    };
    for (const asset of assets) {
      const response = await fetch(`${running.url}${asset}`);
      expect(response.status, asset).toBe(200);
      const type = types[asset.slice(asset.lastIndexOf('.'))]!;
      expect(response.headers.get('content-type'), asset).toContain(type);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
    const initializer = await (await fetch(`${running.url}/docs/swagger-initializer.js`)).text();
    expect(initializer).toContain("url: '/openapi.json'");
    expect(initializer).toContain('validatorUrl: null');
    expect((await fetch(`${running.url}/docs/swagger-ui.js.map`)).status).toBe(404);
    expect((await fetch(`${running.url}/docs/constructor`)).status).toBe(404);
  });

  it.skipIf(!hasChromium)(
    hasChromium
      ? 'renders every operation in Chromium and runs one with the Bearer key through "Try it out"'
      : `renders every operation in Chromium (SKIPPED: no ${CHROMIUM})`,
    async () => {
      const document = (await (await fetch(`${running.url}/openapi.json`)).json()) as OpenApiDocument;
      const operationIds = Object.values(document.paths).flatMap((methods) =>
        Object.values(methods).map((operation) => operation.operationId),
      );
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        timeout: 20_000,
      });
      try {
        const page = await browser.newPage();
        page.setDefaultTimeout(10_000);
        const requested: string[] = [];
        const problems: string[] = [];
        page.on('request', (request) => requested.push(request.url()));
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(message.text());
        });
        page.on('pageerror', (error) => problems.push(error.message));

        await page.goto(`${running.url}/docs`);
        await page.locator('.opblock').first().waitFor();
        const rendered = await page.locator('.opblock').count();
        expect(rendered).toBe(operationIds.length);

        await page.locator('button.authorize').first().click();
        await page.locator('.auth-container input').fill(key);
        await page.locator('.auth-btn-wrapper button.authorize').click();
        await page.locator('.auth-btn-wrapper button.btn-done').click();

        const operation = page.locator('#operations-default-syncStatus');
        await operation.locator('.opblock-summary').first().click();
        await operation.locator('button.try-out__btn').click();
        await operation.locator('button.execute').click();
        const status = operation.locator('.live-responses-table .response .response-col_status');
        await expect.poll(() => status.first().textContent()).toContain('200');
        expect(
          await operation.locator('.live-responses-table .response .response-col_description').textContent(),
        ).toContain('connections');

        const origin = new URL(running.url).origin;
        expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
        expect(requested).toContain(`${origin}/v1/sync/status`);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
