import { normalizeTimestamp } from '@signtrail/core';
import type { EventFilters } from '@signtrail/store';
import { ProblemError } from './problem.js';

/** Filter parameters as validated from the query string. */
export interface FilterQuery {
  from?: string;
  to?: string;
  vendor?: string[];
  processId?: string;
  signer?: string;
  user?: string;
  type?: EventFilters['types'];
  status?: EventFilters['status'];
  q?: string;
  timeline?: 'true' | 'false';
}

function instant(parameter: 'from' | 'to', value: string): string {
  try {
    return normalizeTimestamp(value);
  } catch {
    throw new ProblemError('invalid-request', `${parameter} is not an RFC 3339 timestamp`, parameter);
  }
}

/** The store filters of a query, scoped to `tenant`; a window must have `from` before `to`. */
export function toEventFilters(tenant: string, query: FilterQuery): EventFilters {
  const filters: EventFilters = { tenant };
  if (query.from !== undefined) filters.from = instant('from', query.from);
  if (query.to !== undefined) filters.to = instant('to', query.to);
  if (filters.from !== undefined && filters.to !== undefined && filters.from >= filters.to) {
    throw new ProblemError('invalid-request', 'from must be before to', 'from');
  }
  if (query.vendor !== undefined) filters.vendor = query.vendor;
  if (query.processId !== undefined) filters.processId = query.processId;
  if (query.signer !== undefined) filters.signer = query.signer;
  if (query.user !== undefined) filters.user = query.user;
  if (query.type !== undefined) filters.types = query.type;
  if (query.status !== undefined) filters.status = query.status;
  if (query.q !== undefined) filters.q = query.q;
  if (query.timeline === 'true') filters.timeline = true;
  return filters;
}
