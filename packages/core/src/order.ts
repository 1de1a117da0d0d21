import type { NormalizedEvent } from './event.js';
import { canonicalJson } from './id.js';

/** Total order of events: `occurredAt`, then `seq`, then `id`. */
export function compareEvents(a: NormalizedEvent, b: NormalizedEvent): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? -1 : 1;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Events with duplicates (same id) collapsed, sorted by `compareEvents`; conflicting duplicates listed. */
export function orderEvents(events: readonly NormalizedEvent[]): {
  events: NormalizedEvent[];
  conflicts: string[];
} {
  const byId = new Map<string, NormalizedEvent[]>();
  for (const event of events) {
    const group = byId.get(event.id);
    if (group) group.push(event);
    else byId.set(event.id, [event]);
  }
  const unique: NormalizedEvent[] = [];
  const conflicts: string[] = [];
  for (const [id, group] of byId) {
    if (group.length === 1) {
      unique.push(group[0]!);
      continue;
    }
    // The representative must not depend on input order: take the smallest canonical form.
    const forms = group.map((event) => ({ event, form: canonicalJson(event) }));
    forms.sort((x, y) => (x.form < y.form ? -1 : x.form > y.form ? 1 : 0));
    unique.push(forms[0]!.event);
    if (forms[0]!.form !== forms[forms.length - 1]!.form) conflicts.push(id);
  }
  unique.sort(compareEvents);
  conflicts.sort();
  return { events: unique, conflicts };
}
