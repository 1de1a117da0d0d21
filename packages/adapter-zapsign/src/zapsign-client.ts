import { open, rename, rm } from 'node:fs/promises';
import {
  createVendorHttp,
  InvalidOptionsError,
  VendorAuthError,
  VendorError,
  type VendorHttp,
  type VendorHttpOptions,
  VendorResponseError,
} from '@signtrail/core';
import {
  accessTokenSchema,
  type DocumentDetail,
  documentDetailSchema,
  documentPageSchema,
  type ListedDocument,
  refreshedTokenSchema,
  signerLogSchema,
  VENDOR,
} from './zapsign-api.js';
import { baseUrlOf, type ResolvedZapsignOptions } from './zapsign-options.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
/** Content types a PDF may come with; the `%PDF-` magic is checked whatever the type. */
const PDF_TYPES = new Set(['application/pdf', 'application/octet-stream', '']);

/** Where `getAuditTrailPdf` puts the PDF: a file path (streamed), or nothing to get the bytes back. */
export interface AuditTrailPdfOptions {
  file?: string;
  signal?: AbortSignal;
}

/** A PDF streamed to a file. */
export interface SavedPdf {
  file: string;
  bytes: number;
}

/** The ZapSign endpoints SignTrail reads. */
export interface ZapsignClient {
  /** `GET /api/v1/docs/{doc_token}/`: the document's detail (status, `deleted`, signers). */
  document(docToken: string, signal?: AbortSignal): Promise<DocumentDetail>;
  /** `GET /api/v1/docs/signer-log/{doc_token}`: the entries exactly as received. */
  signerLog(docToken: string, signal?: AbortSignal): Promise<unknown[]>;
  /** The same route with `download_pdf=true`: bytes, or streamed to `file`. */
  auditTrailPdf(docToken: string, options?: AuditTrailPdfOptions): Promise<Uint8Array | SavedPdf>;
  /** Every document of the account, oldest first, following `next` links; each token once. */
  documents(query: { createdTo?: string; signal?: AbortSignal }): AsyncGenerator<ListedDocument>;
}

/** Creates the ZapSign HTTP client: auth (static token or JWT), rate cap, retries, typed errors. */
export function createZapsignClient(options: ResolvedZapsignOptions): ZapsignClient {
  const baseUrl = baseUrlOf(options);
  const transport: VendorHttpOptions = {
    vendor: VENDOR,
    baseUrl,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    backoffMs: options.backoffMs,
    maxRetryAfterMs: options.maxRetryAfterMs,
    minIntervalMs: options.minIntervalMs,
    fetch: options.fetch,
  };
  const http = createVendorHttp({ ...transport, ...authorizationOf(options, createVendorHttp(transport)) });

  async function document(docToken: string, signal?: AbortSignal): Promise<DocumentDetail> {
    const path = `/api/v1/docs/${encodeURIComponent(docToken)}/`;
    return (await http.json({ path, schema: documentDetailSchema, signal })).data;
  }

  async function signerLog(docToken: string, signal?: AbortSignal): Promise<unknown[]> {
    const { body } = await http.json({ path: signerLogPath(docToken), schema: signerLogSchema, signal });
    return body as unknown[];
  }

  async function* documents(query: { createdTo?: string; signal?: AbortSignal }) {
    const seen = new Set<string>();
    const followed = new Set<string>();
    // Oldest first: documents created during the walk are appended, so pages already read do not shift.
    let request: PageRequest | undefined = {
      path: '/api/v1/docs/',
      searchParams: { page: '1', sort_order: 'asc', created_to: query.createdTo },
    };
    while (request) {
      const { data } = await http.json({ ...request, schema: documentPageSchema, signal: query.signal });
      const results = Array.isArray(data) ? data : data.results;
      for (const document of results) {
        if (seen.has(document.token)) continue;
        seen.add(document.token);
        yield document;
      }
      const next = Array.isArray(data) ? undefined : data.next;
      if (!next) return;
      if (followed.has(next)) {
        throw new VendorResponseError('the document listing links back to a page already read', {
          vendor: VENDOR,
          url: `${baseUrl}/api/v1/docs/`,
        });
      }
      followed.add(next);
      request = pageRequestOf(next, baseUrl);
    }
  }

  async function auditTrailPdf(docToken: string, { file, signal }: AuditTrailPdfOptions = {}) {
    const path = signerLogPath(docToken);
    const url = `${baseUrl}${path}`;
    for (let attempt = 0; ; attempt += 1) {
      const response = await http.response({
        path,
        searchParams: { download_pdf: true },
        accept: 'application/pdf',
        signal,
      });
      await ensurePdf(response, url);
      try {
        return file === undefined ? await readPdf(response, url) : await savePdf(response, url, file);
      } catch (error) {
        // A body cut off mid-transfer is retried like any other network failure.
        if (!(error instanceof VendorResponseError) || !error.isRetryable || attempt >= options.retries) {
          throw error;
        }
        await sleep(Math.min(options.backoffMs * 2 ** attempt, 10_000));
      }
    }
  }

  return { document, signerLog, documents, auditTrailPdf };
}

interface PageRequest {
  path: string;
  searchParams: Record<string, string | undefined>;
}

/** ZapSign's `next` is absolute: its path and query are followed against our base URL (proxies, sandbox). */
export function pageRequestOf(next: string, baseUrl: string): PageRequest {
  const base = new URL(baseUrl);
  const url = new URL(next, base);
  const basePath = base.pathname.replace(/\/+$/, '');
  const path =
    basePath && url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : url.pathname;
  return { path, searchParams: Object.fromEntries(url.searchParams) };
}

function signerLogPath(docToken: string): string {
  return `/api/v1/docs/signer-log/${encodeURIComponent(docToken)}`;
}

/** How requests authenticate: the `Authorization` value, and what to do when it is refused. */
type Authorization = Pick<VendorHttpOptions, 'authorize' | 'onUnauthorized'>;

function authorizationOf(options: ResolvedZapsignOptions, tokenHttp: VendorHttp): Authorization {
  if (options.apiToken !== undefined) {
    const header = `Bearer ${options.apiToken}`;
    return { authorize: () => header };
  }
  if (options.jwt !== undefined) return createJwtSession(tokenHttp, options.jwt);
  throw new InvalidOptionsError('apiToken', 'ZapSign API calls need apiToken or jwt credentials');
}

interface Token {
  value: string;
  expiresAt: number;
  renewAt: number;
}

/**
 * ZapSign's JWT flow: an access token (1 h) and a refresh token (1 day) from the organization's token
 * endpoint; the access token is renewed shortly before it expires, with the refresh token while it lasts,
 * else with the credentials; a 401 forces one renewal. Token requests go through their own HTTP client so a
 * 401 on them never re-enters the renewal.
 */
function createJwtSession(
  http: VendorHttp,
  credentials: NonNullable<ResolvedZapsignOptions['jwt']>,
): Authorization {
  let access: Token | undefined;
  let refresh: Token | undefined;
  let renewing: Promise<void> | undefined;

  async function obtain(): Promise<void> {
    if (refresh && Date.now() < refresh.renewAt) {
      try {
        const { data } = await http.json({
          path: '/api/v1/auth/token-refresh/',
          method: 'POST',
          json: { refresh: refresh.value },
          authorize: false,
          schema: refreshedTokenSchema,
        });
        access = tokenOf(data.access, HOUR_MS);
        return;
      } catch (error) {
        if (!(error instanceof VendorAuthError)) throw error;
        refresh = undefined; // expired or revoked: log in again
      }
    }
    const { data } = await http.json({
      path: `/api/v1/auth/token/${encodeURIComponent(credentials.organizationId)}/`,
      method: 'POST',
      json: { username: credentials.username, password: credentials.password },
      authorize: false,
      schema: accessTokenSchema,
    });
    access = tokenOf(data.access, HOUR_MS);
    refresh = tokenOf(data.refresh, DAY_MS);
  }

  function renew(): Promise<void> {
    renewing ??= obtain().finally(() => {
      renewing = undefined;
    });
    return renewing;
  }

  return {
    // A failed login surfaces typed (VendorAuthError…), not retried as a network error.
    async authorize() {
      if (!access || Date.now() >= access.renewAt) await renew();
      return `Bearer ${access?.value ?? ''}`;
    },
    async onUnauthorized(refused) {
      // Concurrent refusals of one token share one renewal: a token renewed meanwhile is kept.
      if (access && refused === `Bearer ${access.value}`) access = undefined;
      if (!access) await renew();
      return true;
    },
  };
}

/** A token's lifetime from its JWT `exp`/`iat` claims, or the documented lifetime when it has none. */
function tokenOf(value: string, documentedMs: number): Token {
  const now = Date.now();
  const claims = jwtClaims(value);
  const issuedAt = typeof claims.iat === 'number' ? claims.iat * 1000 : now;
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : now + documentedMs;
  // Renew a minute early, or a tenth of the lifetime for short-lived tokens.
  const margin = Math.min(60_000, Math.max(0, expiresAt - issuedAt) / 10);
  return { value, expiresAt, renewAt: expiresAt - margin };
}

function jwtClaims(token: string): Record<string, unknown> {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * A JSON or HTML answer where a PDF was asked for is a typed error naming what came, never a "PDF". Some
 * proxies and storage hosts serve the file as `application/octet-stream` or with no type: those pass here,
 * and the `%PDF-` check on the first bytes decides.
 */
async function ensurePdf(response: Response, url: string): Promise<void> {
  const contentType = response.headers.get('content-type') ?? '';
  const kind = contentType.split(';')[0]!.trim().toLowerCase();
  if (PDF_TYPES.has(kind)) return;
  const text = await response.text().catch(() => '');
  throw new VendorResponseError(`expected the audit trail PDF, got ${kind}`, {
    vendor: VENDOR,
    url,
    status: response.status,
    vendorMessage: jsonMessage(text),
    responseBody: text,
  });
}

function jsonMessage(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null) return undefined;
    const record = body as Record<string, unknown>;
    const message = record.detail ?? record.message ?? record.error;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/** The body's chunks once its first bytes are `%PDF-`; a broken transfer is a retryable error. */
async function* pdfChunks(response: Response, url: string): AsyncGenerator<Uint8Array> {
  const head: number[] = [];
  // Node's web streams are async iterable; the DOM typings in use do not say so.
  const body = response.body as unknown as AsyncIterable<Uint8Array> | null;
  try {
    for await (const bytes of body ?? []) {
      if (head.length < PDF_MAGIC.length) {
        for (let i = 0; head.length < PDF_MAGIC.length && i < bytes.length; i += 1) head.push(bytes[i]!);
        if (head.length === PDF_MAGIC.length) checkMagic(head, url);
      }
      yield bytes;
    }
  } catch (error) {
    if (error instanceof VendorError) throw error;
    throw new VendorResponseError('connection lost while reading the audit trail PDF', {
      vendor: VENDOR,
      url,
      status: response.status,
      isRetryable: true,
      cause: error,
    });
  }
  if (head.length < PDF_MAGIC.length) checkMagic(head, url);
}

function checkMagic(head: number[], url: string): void {
  if (PDF_MAGIC.some((byte, i) => head[i] !== byte)) {
    throw new VendorResponseError('the audit trail is not a PDF (no %PDF- header)', { vendor: VENDOR, url });
  }
}

async function readPdf(response: Response, url: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of pdfChunks(response, url)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Streams to `<file>.part` and renames on success, so a failed download never leaves a broken PDF. */
async function savePdf(response: Response, url: string, file: string): Promise<SavedPdf> {
  const partial = `${file}.part`;
  const handle = await open(partial, 'w');
  let bytes = 0;
  try {
    for await (const chunk of pdfChunks(response, url)) {
      await handle.write(chunk);
      bytes += chunk.length;
    }
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  await rename(partial, file);
  return { file, bytes };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
