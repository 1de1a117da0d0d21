import type { z } from 'zod';
import { InvalidOptionsError } from './errors.js';

/**
 * Validates caller options with a strict zod schema: the first problem becomes an `InvalidOptionsError`
 * naming the option (an unknown key included), never echoing its value (it may be a credential).
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    throw new InvalidOptionsError([...issue.path, issue.keys[0]].join('.'), 'unknown option');
  }
  throw new InvalidOptionsError(issue.path.join('.') || 'options', issue.message);
}

/** True when `name` is an IANA time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
