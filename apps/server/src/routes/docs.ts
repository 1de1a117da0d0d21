import type { App } from '../context.js';

/** The OpenAPI document info. */
export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'SignTrail API',
    version: '1',
    description: 'One vendor-neutral audit trail over every connected e-signature vendor.',
  },
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

interface Operation {
  summary?: string;
  description?: string;
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string }>;
}

/** A self-contained HTML page (no external assets) listing every operation of the OpenAPI document. */
export function docsPage(document: { paths?: object }): string {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  const sections = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const params = (operation.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ', required' : ''}) ${escapeHtml(p.description ?? '')}</li>`,
        )
        .join('');
      return `<section id="${escapeHtml(operation.operationId ?? path)}"><h2><span class="m">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h2><p>${escapeHtml(operation.summary ?? '')}</p>${operation.description ? `<p>${escapeHtml(operation.description)}</p>` : ''}${params ? `<ul>${params}</ul>` : ''}</section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SignTrail API</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}section{border-top:1px solid #ddd;padding:.5rem 0}.m{background:#234;color:#fff;padding:0 .4rem;border-radius:3px;font-size:.8em}</style></head><body><h1>SignTrail API</h1><p>Authenticate with <code>Authorization: Bearer &lt;api key&gt;</code>. Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>${sections.join('')}</body></html>`;
}

/** `/openapi.json` (OpenAPI 3.1, generated from the route schemas) and `/docs`. */
export function registerDocRoutes(app: App): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', OPENAPI_INFO);
  app.get('/docs', (c) => c.html(docsPage(app.getOpenAPI31Document(OPENAPI_INFO))));
}
