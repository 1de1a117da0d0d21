import { randomBytes } from 'node:crypto';
import type { SimRequest, SimResponse, SimRoute, Story } from '@signtrail/sandbox';
import type { ZapsignLanguage } from '../map-zapsign-event.js';
import {
  renderAuditTrailPdf,
  renderDocumentDetail,
  renderListedDocument,
  renderSignerLog,
} from './render-zapsign.js';

/** The simulated account: its documents, credentials and issued tokens. */
export interface ZapsignAccount {
  /** Documents visible in the listing, oldest first. */
  stories: Story[];
  /** Documents "created during a sync": revealed, newest last, by the `shift` fault. */
  lateStories: Story[];
  lang: ZapsignLanguage;
  pageSize: number;
  apiToken: string;
  organizationId: string;
  username: string;
  password: string;
  accessTokenTtlMs: number;
  /** Documents whose signer log and detail answer 403 with an HTML page (seen on a real sandbox account). */
  forbiddenDocs: ReadonlySet<string>;
  /** Origin of `next`/`previous` links; default: the request's own host. */
  linkOrigin?: string;
  /** Issued JWTs → expiry (ms). */
  accessTokens: Map<string, number>;
  refreshTokens: Map<string, number>;
}

const TOKEN_INVALID = { detail: 'Token is invalid or expired', code: 'token_not_valid' };
const NOT_FOUND = { detail: 'Not found.' };
const REFRESH_TTL_MS = 86_400_000;
const FORBIDDEN: SimResponse = {
  status: 403,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: '<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1></body></html>',
};

/** Bearer check: the static API token, or an access token issued and not expired. */
export function authenticate(account: ZapsignAccount, request: SimRequest): SimResponse | undefined {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (token === account.apiToken) return undefined;
  const expiresAt = token === undefined ? undefined : account.accessTokens.get(token);
  if (expiresAt !== undefined && expiresAt > Date.now()) return undefined;
  return { status: 401, json: TOKEN_INVALID };
}

/** The `shift` fault: documents created mid-sync appear at the end of the (oldest-first) listing. */
export function revealLateStories(account: ZapsignAccount, count: number): void {
  account.stories.push(...account.lateStories.splice(0, count));
}

/** The ZapSign routes SignTrail reads: listing, document detail, signer log (JSON and PDF), JWT token and refresh. */
export function zapsignRoutes(account: ZapsignAccount): SimRoute[] {
  return [
    {
      name: 'docs',
      method: 'GET',
      path: '/api/v1/docs',
      handle: (request) => listDocuments(account, request),
    },
    {
      name: 'signer-log',
      method: 'GET',
      path: '/api/v1/docs/signer-log/:token',
      handle: (request) => signerLog(account, request),
    },
    {
      name: 'doc',
      method: 'GET',
      path: '/api/v1/docs/:token',
      handle: (request) => documentDetail(account, request),
    },
    {
      name: 'token',
      method: 'POST',
      path: '/api/v1/auth/token/:organization',
      auth: false,
      handle: (request) => issueTokens(account, request),
    },
    {
      name: 'token-refresh',
      method: 'POST',
      path: '/api/v1/auth/token-refresh',
      auth: false,
      handle: (request) => refreshToken(account, request),
    },
  ];
}

function listDocuments(account: ZapsignAccount, request: SimRequest): SimResponse {
  const page = Number(request.query.get('page') ?? '1');
  const createdTo = request.query.get('created_to');
  const documents = account.stories
    .map((story, index) => ({ story, openId: index + 1 }))
    .filter(({ story }) => !createdTo || story.events[0]!.occurredAt.slice(0, 10) <= createdTo);
  if (request.query.get('sort_order') !== 'asc') documents.reverse(); // newest first unless asked
  const pages = Math.max(1, Math.ceil(documents.length / account.pageSize));
  if (!Number.isInteger(page) || page < 1 || page > pages)
    return { status: 404, json: { detail: 'Invalid page.' } };
  const link = (target: number) => {
    const query = new URLSearchParams(request.query);
    query.set('page', String(target));
    const origin = account.linkOrigin ?? `http://${request.headers.host}`;
    return `${origin}/api/v1/docs/?${query}`;
  };
  const slice = documents.slice((page - 1) * account.pageSize, page * account.pageSize);
  return {
    json: {
      count: documents.length,
      next: page < pages ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: slice.map(({ story, openId }) => renderListedDocument(story, openId)),
    },
  };
}

function documentDetail(account: ZapsignAccount, request: SimRequest): SimResponse {
  const token = request.params.token ?? '';
  if (account.forbiddenDocs.has(token)) return FORBIDDEN;
  const index = account.stories.findIndex((candidate) => candidate.processId === token);
  if (index < 0) return { status: 404, json: NOT_FOUND };
  return { json: renderDocumentDetail(account.stories[index]!, index + 1) };
}

function signerLog(account: ZapsignAccount, request: SimRequest): SimResponse {
  const token = request.params.token ?? '';
  if (account.forbiddenDocs.has(token)) return FORBIDDEN;
  const story = account.stories.find((candidate) => candidate.processId === token);
  if (!story) return { status: 404, json: NOT_FOUND };
  if (request.query.get('download_pdf') === 'true') {
    return { headers: { 'content-type': 'application/pdf' }, body: renderAuditTrailPdf(story, account.lang) };
  }
  return { json: renderSignerLog(story.events, account.lang) };
}

function issueTokens(account: ZapsignAccount, request: SimRequest): SimResponse {
  const body = jsonBody(request);
  const valid =
    request.params.organization === account.organizationId &&
    body.username === account.username &&
    body.password === account.password;
  if (!valid) return { status: 401, json: { detail: 'No active account found with the given credentials' } };
  const refresh = jwt('refresh', REFRESH_TTL_MS);
  account.refreshTokens.set(refresh.value, refresh.expiresAt);
  return { json: { refresh: refresh.value, access: issueAccess(account) } };
}

function refreshToken(account: ZapsignAccount, request: SimRequest): SimResponse {
  const refresh = jsonBody(request).refresh;
  const expiresAt = typeof refresh === 'string' ? account.refreshTokens.get(refresh) : undefined;
  if (expiresAt === undefined || expiresAt <= Date.now()) return { status: 401, json: TOKEN_INVALID };
  return { json: { access: issueAccess(account) } };
}

function issueAccess(account: ZapsignAccount): string {
  const access = jwt('access', account.accessTokenTtlMs);
  account.accessTokens.set(access.value, access.expiresAt);
  return access.value;
}

/** A JWT-shaped token with `exp`/`iat` claims (unsigned: only the simulator reads it back). */
function jwt(type: 'access' | 'refresh', ttlMs: number): { value: string; expiresAt: number } {
  const now = Date.now();
  const expiresAt = now + ttlMs;
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { token_type: type, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000) };
  const value = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.${randomBytes(16).toString('base64url')}`;
  return { value, expiresAt };
}

function jsonBody(request: SimRequest): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(request.body);
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
