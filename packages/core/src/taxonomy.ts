/**
 * Taxonomy v1: every normalized event has exactly one of these types.
 * Adding a type is a minor change; renaming or removing one is breaking.
 */
export const TAXONOMY = [
  'process.created',
  'process.started',
  'process.updated',
  'process.completed',
  'process.declined',
  'process.cancelled',
  'process.expired',
  'process.deleted',
  'signer.added',
  'signer.updated',
  'signer.removed',
  'signer.invited',
  'signer.reminded',
  'signer.viewed',
  'signer.read_confirmed',
  'signer.identity_verified',
  'signer.identity_failed',
  'signer.consented',
  'signer.signed',
  'signer.approved',
  'signer.declined',
  'notification.delivered',
  'notification.failed',
  'document.added',
  'document.downloaded',
  'other',
] as const;

/** One taxonomy type, e.g. `signer.signed`. */
export type EventType = (typeof TAXONOMY)[number];

const TAXONOMY_SET: ReadonlySet<string> = new Set(TAXONOMY);

/** True when `value` is a taxonomy v1 type. */
export function isEventType(value: string): value is EventType {
  return TAXONOMY_SET.has(value);
}
