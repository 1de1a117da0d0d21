import { InvalidOptionsError, normalizeTimestamp } from '@signtrail/core';

/** The position after an event in the `(occurred_at, id)` order. */
export interface EventPosition {
  occurredAt: string;
  id: string;
}

/** The order a cursor walks in. */
export type CursorOrder = 'asc' | 'desc';

/**
 * Opaque base64url cursor of a position in an order. The order is part of it: the same position read the other
 * way round names other events, so a cursor is only taken back in its own order.
 */
export function encodeCursor(position: EventPosition, order: CursorOrder = 'asc'): string {
  const parts = [position.occurredAt, position.id];
  return Buffer.from(JSON.stringify(order === 'desc' ? [...parts, 'desc'] : parts)).toString('base64url');
}

/**
 * The position a cursor from `encodeCursor` names, for a walk in `order`; anything else, or a cursor of the
 * other order, is an `InvalidOptionsError`.
 */
export function decodeCursor(cursor: string, order: CursorOrder = 'asc'): EventPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    !(parsed.length === 2 || (parsed.length === 3 && parsed[2] === 'desc')) ||
    !isInstant(parsed[0]) ||
    typeof parsed[1] !== 'string' ||
    parsed[1].length === 0 ||
    parsed[1].includes('\0')
  ) {
    throw new InvalidOptionsError('cursor', 'is not a cursor this store issued');
  }
  const issuedFor: CursorOrder = parsed.length === 3 ? 'desc' : 'asc';
  if (issuedFor !== order) {
    throw new InvalidOptionsError('cursor', `was issued for order=${issuedFor}; page on in that order`);
  }
  return { occurredAt: parsed[0] as string, id: parsed[1] };
}

/**
 * An `occurredAt` of a real calendar instant: exactly what `normalizeTimestamp` gives back unchanged (its
 * output has the stored form, and it refuses month 13 or hour 99, which the form alone lets through).
 */
function isInstant(value: unknown): boolean {
  try {
    return typeof value === 'string' && normalizeTimestamp(value) === value;
  } catch {
    return false;
  }
}
