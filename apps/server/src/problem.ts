import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

const PROBLEM_BASE = 'https://signtrail.dev/problems/';

/** Every kind of error the API answers, with its HTTP status; the `type` URI is stable per kind. */
export const PROBLEMS = {
  'invalid-request': { status: 400, title: 'Invalid request' },
  unauthorized: { status: 401, title: 'Missing or unknown API key' },
  'webhook-rejected': { status: 401, title: 'Webhook verification failed' },
  'not-found': { status: 404, title: 'Not found' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-vendor': { status: 404, title: 'Unknown vendor' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  unavailable: { status: 503, title: 'Service unavailable' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ProblemKind = keyof typeof PROBLEMS;

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** For `invalid-request`: the parameter at fault. */
  parameter?: string;
}

/** Thrown by handlers to answer with a problem document. */
export class ProblemError extends Error {
  readonly kind: ProblemKind;
  readonly parameter?: string;
  constructor(kind: ProblemKind, detail: string, parameter?: string) {
    super(detail);
    this.kind = kind;
    if (parameter !== undefined) this.parameter = parameter;
  }
}

/** The problem document of `kind`. */
export function problem(kind: ProblemKind, detail?: string, parameter?: string): Problem {
  const { status, title } = PROBLEMS[kind];
  const body: Problem = { type: `${PROBLEM_BASE}${kind}`, title, status };
  if (detail !== undefined) body.detail = detail;
  if (parameter !== undefined) body.parameter = parameter;
  return body;
}

/**
 * Answers `c` with the problem document of `kind` as `application/problem+json`; `status` replaces the kind's
 * own where a vendor needs another (a webhook refusal Taktikal must not retry is a 406).
 */
export function problemResponse(
  c: Context,
  kind: ProblemKind,
  detail?: string,
  parameter?: string,
  status: ContentfulStatusCode = PROBLEMS[kind].status,
): Response {
  const body = problem(kind, detail, parameter);
  body.status = status;
  body.instance = c.req.path;
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}

// The problem kind of a 4xx that Hono raised itself (body parsing, media type gate); the rest are the client's.
const KIND_OF_STATUS: Partial<Record<number, ProblemKind>> = {
  401: 'unauthorized',
  404: 'not-found',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

/** The problem kind answering a client error of `status` (400 and any unnamed 4xx: `invalid-request`). */
export function problemKindOf(status: number): ProblemKind {
  return KIND_OF_STATUS[status] ?? 'invalid-request';
}

/** The detail of an unknown query parameter, as every route words it. */
export function unknownParameter(name: string): string {
  return `unknown parameter ${JSON.stringify(name)}`;
}

/** Rejects any query parameter (400 naming it): for routes outside zod-openapi that take none. */
export const noQueryParameters: MiddlewareHandler = async (c, next) => {
  const [name] = Object.keys(c.req.query());
  if (name !== undefined) return problemResponse(c, 'invalid-request', unknownParameter(name), name);
  await next();
};
