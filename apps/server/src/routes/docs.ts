import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import swaggerUiPath from 'swagger-ui-dist/absolute-path.js';
import type { App } from '../context.js';
import { noQueryParameters } from '../problem.js';

/** The OpenAPI document info. */
export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'SignTrail API',
    version: '1',
    description: 'One vendor-neutral audit trail over every connected e-signature vendor.',
  },
};

const HTML = 'text/html; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** The files of swagger-ui-dist that `/docs` loads, served from the installed package (no CDN). */
const PACKAGE_ASSETS = new Map([
  ['swagger-ui.css', CSS],
  ['swagger-ui-bundle.js', JAVASCRIPT],
  ['favicon-32x32.png', 'image/png'],
]);

// Everything the page loads comes from this server; "try it out" calls it too. Swagger UI sets inline styles.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SignTrail API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<noscript>The interactive reference needs JavaScript; the OpenAPI 3.1 document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-initializer.js"></script>
</body>
</html>
`;

// The spec of this server, its operations callable from the page with the Bearer key given in "Authorize".
// No validator badge: it would send the document to an outside service.
const INITIALIZER = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  validatorUrl: null,
  displayOperationId: true,
  displayRequestDuration: true,
});
`;

const assetCache = new Map<string, Promise<Buffer>>();

/** A swagger-ui-dist file, read once. */
function packageAsset(name: string): Promise<Buffer> {
  let asset = assetCache.get(name);
  if (!asset) {
    asset = readFile(join(swaggerUiPath(), name));
    // A failed read is not kept: the next request tries again.
    asset.catch(() => assetCache.delete(name));
    assetCache.set(name, asset);
  }
  return asset;
}

/** `/openapi.json` (OpenAPI 3.1, generated from the route schemas) and `/docs` (Swagger UI, served from here). */
export function registerDocRoutes(app: App): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.use('/openapi.json', noQueryParameters);
  app.doc31('/openapi.json', OPENAPI_INFO);
  app.use('/docs', noQueryParameters);
  app.use('/docs/*', noQueryParameters);
  app.get('/docs', (c) => c.body(DOCS_PAGE, 200, { 'content-type': HTML, ...SECURITY_HEADERS }));
  app.get('/docs/swagger-initializer.js', (c) =>
    c.body(INITIALIZER, 200, { 'content-type': JAVASCRIPT, 'cache-control': 'no-cache' }),
  );
  app.get('/docs/:asset', async (c, next) => {
    const name = c.req.param('asset');
    const type = PACKAGE_ASSETS.get(name);
    if (type === undefined) return next();
    const body = await packageAsset(name);
    return c.body(new Uint8Array(body), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=3600',
    });
  });
}
