import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { recordset } from './bulk.js';

/** One process: the vendor and the vendor's process id. */
export interface ProcessRef {
  vendor: string;
  processId: string;
}

/** A map key for a process; NUL cannot occur in PostgreSQL text, so keys never collide. */
export function processKey(ref: ProcessRef): string {
  return `${ref.vendor}\u0000${ref.processId}`;
}

/** `(vendor, process_id) IN (…)` over the given processes, as one parameter (semi-join on the index). */
export function processIn(vendor: PgColumn, processId: PgColumn, refs: readonly ProcessRef[]): SQL {
  const rows = refs.map((ref) => ({ [vendor.name]: ref.vendor, [processId.name]: ref.processId }));
  return sql`(${vendor}, ${processId}) IN (${recordset([vendor, processId], rows)})`;
}

/** `items` cut into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let start = 0; start < items.length; start += size) runs.push(items.slice(start, start + size));
  return runs;
}
