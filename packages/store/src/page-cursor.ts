import { InvalidOptionsError, occurredAtSchema } from '@signtrail/core';

/** The position after an event in the `(occurred_at, id)` order. */
export interface EventPosition {
  occurredAt: string;
  id: string;
}

/** Opaque base64url cursor of a position. */
export function encodeCursor(position: EventPosition): string {
  return Buffer.from(JSON.stringify([position.occurredAt, position.id])).toString('base64url');
}

/** The position a cursor from `encodeCursor` names; anything else is an `InvalidOptionsError`. */
export function decodeCursor(cursor: string): EventPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !occurredAtSchema.safeParse(parsed[0]).success ||
    typeof parsed[1] !== 'string' ||
    parsed[1].length === 0
  ) {
    throw new InvalidOptionsError('cursor', 'is not a cursor this store issued');
  }
  return { occurredAt: parsed[0] as string, id: parsed[1] };
}
