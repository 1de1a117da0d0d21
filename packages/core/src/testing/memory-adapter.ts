import { activityWindow } from '../activity-window.js';
import type { AuditSource, NormalizeResult, ProcessLog } from '../contract.js';
import { SPECIFICATION_VERSION, unmappedWarnings } from '../contract.js';
import { VendorNotFoundError } from '../errors.js';
import type { Actor, NormalizedEvent } from '../event.js';
import { eventId } from '../id.js';
import type { ProcessStatus } from '../state.js';
import { isEventType } from '../taxonomy.js';
import { normalizeTimestamp } from '../time.js';

/** One record of the in-memory reference vendor: already close to the normalized form. */
export interface MemoryRecord {
  id: string;
  type: string;
  at: string;
  actor?: Actor;
  signerId?: string;
  [extra: string]: unknown;
}

/** One process of the in-memory reference vendor. */
export interface MemoryProcess {
  processId: string;
  status?: ProcessStatus;
  records: MemoryRecord[];
}

/** The reference vendor's payload, as `normalize` takes it. */
export interface MemoryPayload {
  processes: MemoryProcess[];
}

/**
 * In-memory reference adapter: the smallest faithful `AuditSource`, the one core is tested against
 * and the model adapter authors copy the shape of.
 */
export function createMemoryAdapter(data: MemoryPayload = { processes: [] }): AuditSource {
  const vendor = 'memory';

  function normalize(payload: unknown): NormalizeResult {
    const { processes } = payload as MemoryPayload;
    const events: NormalizedEvent[] = [];
    const unmapped = new Map<string, number>();
    for (const process of processes) {
      process.records.forEach((record, seq) => {
        const known = isEventType(record.type);
        if (!known) unmapped.set(record.type, (unmapped.get(record.type) ?? 0) + 1);
        const event: NormalizedEvent = {
          id: eventId(vendor, process.processId, record.id),
          vendor,
          processId: process.processId,
          type: known ? (record.type as NormalizedEvent['type']) : 'other',
          occurredAt: normalizeTimestamp(record.at),
          seq,
          actor: record.actor ?? { kind: 'system' },
          data: {},
          vendorEvent: { type: record.type, id: record.id },
          origin: 'log',
          raw: record,
        };
        if (record.signerId !== undefined) event.signerId = record.signerId;
        events.push(event);
      });
    }
    return {
      events,
      warnings: unmappedWarnings(vendor, unmapped),
      processes: processes.map((p) =>
        p.status ? { processId: p.processId, statusHint: p.status } : { processId: p.processId },
      ),
    };
  }

  function logOf(process: MemoryProcess): ProcessLog {
    const result = normalize({ processes: [process] });
    const log: ProcessLog = {
      vendor,
      processId: process.processId,
      events: result.events,
      warnings: result.warnings,
      raw: process,
    };
    if (process.status) log.statusHint = process.status;
    return log;
  }

  return {
    specificationVersion: SPECIFICATION_VERSION,
    vendor,
    capabilities: {
      processLog: true,
      companyWideListing: true,
      dateFilters: true,
      pdf: false,
      webhooks: false,
    },
    normalize,
    async getProcessLog(processId) {
      const process = data.processes.find((p) => p.processId === processId);
      if (!process) throw new VendorNotFoundError({ vendor, status: 404, vendorMessage: 'no such process' });
      return logOf(process);
    },
    async *listActivity(query) {
      const { start, end } = activityWindow(query);
      for (const process of data.processes) {
        const log = logOf(process);
        const inWindow = log.events.filter((e) => e.occurredAt >= start && e.occurredAt < end);
        if (inWindow.length > 0) yield { ...log, events: inWindow };
      }
    },
  };
}
