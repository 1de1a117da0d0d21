import type { z } from '@hono/zod-openapi';
import { problemSchema } from '../schemas.js';

const problemContent = { 'application/problem+json': { schema: problemSchema } };

/** A problem+json response described as `description`. */
export function problemResponse(description: string) {
  return { description, content: problemContent };
}

/** The problem responses every route may give, authenticated or not. */
export const publicProblemResponses = {
  400: problemResponse('Invalid parameters (an unknown query parameter among them)'),
  500: problemResponse('Internal error; the server log has the request id'),
} as const;

/** The problem responses every authenticated route may give. */
export const problemResponses = {
  ...publicProblemResponses,
  401: problemResponse('Missing or unknown API key'),
} as const;

/** The problem responses of a route that reads a JSON body. */
export const bodyProblemResponses = {
  413: problemResponse('Body too large (API bodies: 64 KB)'),
  415: problemResponse('Body not sent as application/json'),
} as const;

/** A 404 problem response. */
export const notFoundResponse = { 404: problemResponse('Not found') } as const;

/** A JSON response with `schema`. */
export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

/** Bearer authentication, as declared on every `/v1` route except webhooks. */
export const bearer = [{ bearerAuth: [] }];
