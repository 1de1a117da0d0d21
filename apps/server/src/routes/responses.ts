import type { z } from '@hono/zod-openapi';
import { problemSchema } from '../schemas.js';

const problemContent = { 'application/problem+json': { schema: problemSchema } };

/** The problem responses every authenticated route may give. */
export const problemResponses = {
  400: { description: 'Invalid parameters', content: problemContent },
  401: { description: 'Missing or unknown API key', content: problemContent },
} as const;

/** A 404 problem response. */
export const notFoundResponse = { 404: { description: 'Not found', content: problemContent } } as const;

/** A JSON response with `schema`. */
export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

/** Bearer authentication, as declared on every `/v1` route except webhooks. */
export const bearer = [{ bearerAuth: [] }];
