// The query filters re-stated in plain TypeScript over an in-memory event list: what the store must return.
import { fold, type NormalizedEvent, type ProcessStatus } from '@signtrail/core';
import type { EventFilters } from '../event-filters.js';

/** `(occurredAt, id)` order, byte-wise as the store's "C" collation sorts. */
export function byPosition(a: NormalizedEvent, b: NormalizedEvent): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The events of `all` that `filters` select (tenant aside), in `(occurredAt, id)` order. */
export function expectedEvents(all: readonly NormalizedEvent[], filters: Omit<EventFilters, 'tenant'>) {
  const statusOf = processStatuses(all);
  const email = (e: NormalizedEvent) =>
    (e.data.signerEmail ?? (e.actor.kind === 'signer' ? e.actor.email : undefined))?.toLowerCase();
  const signer = filters.signer;
  const signerIds = new Set(
    all.filter((e) => signer !== undefined && email(e) === signer.toLowerCase()).map((e) => e.signerId),
  );
  const words = (filters.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const textMatches = (e: NormalizedEvent) => {
    const tokens = textTokens(e);
    return words.every((word) => tokens.some((token) => token.startsWith(word)));
  };
  const matchedSigners = new Set(all.filter((e) => e.signerId && textMatches(e)).map(signerKey));
  const vendors = typeof filters.vendor === 'string' ? [filters.vendor] : filters.vendor;
  return all
    .filter((e) => {
      if (vendors && !vendors.includes(e.vendor)) return false;
      if (filters.from !== undefined && e.occurredAt < String(filters.from)) return false;
      if (filters.to !== undefined && e.occurredAt >= String(filters.to)) return false;
      if (filters.processId !== undefined && e.processId !== filters.processId) return false;
      if (
        signer !== undefined &&
        !(e.signerId === signer || email(e) === signer.toLowerCase() || signerIds.has(e.signerId))
      ) {
        return false;
      }
      if (filters.user !== undefined) {
        const user = filters.user;
        const actor = e.actor;
        if (actor.kind !== 'user') return false;
        if (actor.email?.toLowerCase() !== user.toLowerCase() && actor.id !== user && actor.name !== user) {
          return false;
        }
      }
      if (filters.types && !filters.types.includes(e.type)) return false;
      if (filters.status && !filters.status.includes(statusOf.get(processOf(e))!)) return false;
      if (words.length > 0 && !textMatches(e) && !(e.signerId && matchedSigners.has(signerKey(e))))
        return false;
      return true;
    })
    .sort(byPosition);
}

/** The folded status of every process in `all`. */
export function processStatuses(all: readonly NormalizedEvent[]): Map<string, ProcessStatus> {
  const groups = new Map<string, NormalizedEvent[]>();
  for (const e of all) groups.set(processOf(e), [...(groups.get(processOf(e)) ?? []), e]);
  return new Map([...groups].map(([key, events]) => [key, fold(events).status]));
}

/** `vendor/processId`. */
export function processOf(e: NormalizedEvent): string {
  return `${e.vendor}/${e.processId}`;
}

function signerKey(e: NormalizedEvent): string {
  return `${processOf(e)}/${e.signerId}`;
}

/** The words free-text search sees in an event: whitespace-separated, lower-cased. */
function textTokens(e: NormalizedEvent): string[] {
  const fields = [
    e.processId,
    e.signerId,
    e.actor.name,
    e.actor.email,
    e.data.signerName,
    e.data.signerEmail,
    e.data.signerPhone,
    e.data.fileName,
  ];
  return fields.flatMap((field) => (field ?? '').toLowerCase().split(/\s+/).filter(Boolean));
}
