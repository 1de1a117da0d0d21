import type { z } from 'zod';
import { VendorSchemaError } from './errors.js';

/** Parses a vendor payload with a zod schema; a mismatch is a `VendorSchemaError` naming the path. */
export function parseVendorPayload<S extends z.ZodType>(
  vendor: string,
  schema: S,
  value: unknown,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue ? jsonPath(issue.path) : '$';
  // zod's own message says what was expected without echoing the value (which may be personal data).
  throw new VendorSchemaError(vendor, path, issue?.message ?? 'a valid payload', { cause: result.error });
}

/** `['a', 0, 'b']` → `$.a[0].b`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}
