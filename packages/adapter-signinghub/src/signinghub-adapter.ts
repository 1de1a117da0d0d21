import {
  type ActivityQuery,
  type AdapterWarning,
  type AuditSource,
  activityWindow,
  InvalidOptionsError,
  type NormalizedEvent,
  type NormalizeResult,
  type ProcessLog,
  type ProcessStatus,
  parseOptions,
  SignTrailError,
  SPECIFICATION_VERSION,
  VendorAuthError,
  VendorError,
  VendorNotFoundError,
  VendorSchemaError,
  type WebhookRequest,
  type WebhookResult,
} from '@signtrail/core';
import { applyLogDetails, normalizeSigninghub } from './normalize-signinghub.js';
import { createSigninghubWebhookParser } from './parse-signinghub-webhook.js';
import { VENDOR } from './signinghub-api.js';
import { createSigninghubClient, mapConcurrent } from './signinghub-client.js';
import { DOCUMENT_STATUSES, type SigninghubOptions, signinghubOptionsSchema } from './signinghub-options.js';

/** The SigningHub `AuditSource`, with the number of HTTP requests it sent. */
export interface SigninghubAdapter extends AuditSource {
  normalize(payload: unknown): NormalizeResult;
  parseWebhook(request: WebhookRequest): Promise<WebhookResult>;
  readonly requestCount: number;
}

/** Filters `listActivity` understands (`filters.documentStatus` overrides the option). */
const KNOWN_FILTERS = new Set(['documentStatus']);
/** Status hints of a closed workflow: a cleared log with one of them is yielded, empty, for its status. */
const CLOSED = new Set<ProcessStatus | undefined>(['completed', 'declined', 'cancelled', 'expired']);
/** The vendor refuses this package to this account: skipped during a walk, not fatal to it. */
const NOT_OWNER = 'Document does not belong to user';

/**
 * Creates the SigningHub v3 adapter: OAuth token, workflow history per package, package listing walk
 * (SigningHub has no company-wide log), optional log details, and the callback parser.
 */
export function createSigninghubAdapter(options: SigninghubOptions = {}): SigninghubAdapter {
  const resolved = parseOptions(signinghubOptionsSchema, options);
  const client = createSigninghubClient(resolved);
  const normalize = (payload: unknown) => normalizeSigninghub(payload, { timeZone: resolved.timeZone });

  async function readLog(packageId: string, signal?: AbortSignal): Promise<ProcessLog> {
    const body = await client.getLog(packageId, signal);
    const result = normalize(body);
    const info = result.processes[0];
    const log: ProcessLog = {
      vendor: VENDOR,
      processId: info?.processId ?? packageId,
      events: result.events,
      warnings: result.warnings,
      raw: body,
    };
    if (info?.vendorStatus !== undefined) log.vendorStatus = info.vendorStatus;
    if (info?.statusHint !== undefined) log.statusHint = info.statusHint;
    if (info?.signers !== undefined) log.signers = info.signers;
    return log;
  }

  /**
   * Adds log details to the events (optional, so a failed request is a warning on the log, not an error):
   * one request per distinct log_id, whose details go to the first action carrying it.
   */
  async function enrich(log: ProcessLog, signal?: AbortSignal): Promise<ProcessLog> {
    if (!resolved.enrichDetails) return log;
    const owners = detailOwners(log);
    const details = mapConcurrent(owners, resolved.concurrency, async (event, stop) => {
      const logId = event.vendorEvent.id!;
      const both = anySignal(stop, signal);
      try {
        applyLogDetails(event, await client.logDetails(log.processId, logId, both), log.raw);
        return undefined;
      } catch (error) {
        if (!(error instanceof SignTrailError) || both.aborted) throw error;
        return detailsWarning(log.processId, logId, error);
      }
    });
    for await (const warning of details) if (warning) log.warnings.push(warning);
    return log;
  }

  /** The events that get details: the first action of each log_id; repeats (ambiguous) get a warning. */
  function detailOwners(log: ProcessLog): NormalizedEvent[] {
    const first = firstSeqByLogId(log.raw);
    const repeated = new Set<string>();
    const owners = log.events.filter((event) => {
      const logId = event.vendorEvent.id;
      if (logId === undefined) return false;
      if (first.get(logId) === event.seq) return true;
      repeated.add(logId);
      return false;
    });
    for (const logId of repeated) {
      log.warnings.push({
        type: 'data',
        message: `${VENDOR}: package ${log.processId} repeats log_id ${logId}; its details go to its first action only`,
      });
    }
    return owners;
  }

  async function* listActivity(query: ActivityQuery): AsyncGenerator<ProcessLog> {
    const { start: from, end: to } = activityWindow(query);
    const ignored = unknownFilterWarnings(query.filters);
    // Warnings about the query go to `onWarning`; without it, to the first log yielded.
    if (query.onWarning) ignored.forEach(query.onWarning);
    const pending = query.onWarning ? [] : ignored;
    const documentStatus = query.filters?.documentStatus ?? resolved.documentStatus;
    if (!(DOCUMENT_STATUSES as readonly string[]).includes(documentStatus)) {
      throw new InvalidOptionsError('filters.documentStatus', `one of ${DOCUMENT_STATUSES.join(', ')}`);
    }
    const packages = client.packages(documentStatus, query.signal);
    const logs = mapConcurrent(packages, resolved.concurrency, async (summary, stop) => {
      const packageId = String(summary.package_id);
      const signal = anySignal(stop, query.signal);
      try {
        const log = await readLog(packageId, signal);
        const cleared = log.events.length === 0;
        log.events = log.events.filter((event) => event.occurredAt >= from && event.occurredAt < to);
        if (log.events.length > 0) return await enrich(log, signal);
        // A log SigningHub cleared when the workflow closed still brings the final status (and its warning).
        return cleared && CLOSED.has(log.statusHint) ? log : undefined;
      } catch (error) {
        const warning = skippedPackage(packageId, error);
        if (!warning) throw error;
        const skipped: ProcessLog = {
          vendor: VENDOR,
          processId: packageId,
          events: [],
          warnings: [warning],
          raw: undefined,
        };
        return skipped;
      }
    });
    for await (const log of logs) {
      if (log === undefined) continue; // no activity in the window
      log.warnings.unshift(...pending.splice(0));
      yield log;
    }
  }

  return {
    specificationVersion: SPECIFICATION_VERSION,
    vendor: VENDOR,
    capabilities: {
      processLog: true,
      companyWideListing: false,
      dateFilters: false,
      pdf: false,
      webhooks: true,
    },
    get requestCount() {
      return client.requestCount;
    },
    normalize,
    async getProcessLog(processId, options) {
      return enrich(await readLog(processId, options?.signal), options?.signal);
    },
    listActivity,
    parseWebhook: createSigninghubWebhookParser({
      secret: resolved.webhookSecret,
      timeZone: resolved.timeZone,
    }),
  };
}

function unknownFilterWarnings(filters: ActivityQuery['filters']): AdapterWarning[] {
  return Object.entries(filters ?? {})
    .filter(([name, value]) => value !== undefined && !KNOWN_FILTERS.has(name))
    .map(([name]) => ({
      type: 'unsupported',
      feature: `filter ${name}`,
      message: `${VENDOR}: the package listing has no ${JSON.stringify(name)} filter; ignored`,
    }));
}

/** Why a listed package is skipped instead of failing the walk, or undefined when the error is fatal. */
function skippedPackage(packageId: string, error: unknown): AdapterWarning | undefined {
  if (error instanceof VendorNotFoundError) {
    return {
      type: 'data',
      message: `${VENDOR}: package ${packageId} was listed but is gone (deleted meanwhile)`,
    };
  }
  if (error instanceof VendorAuthError && error.status === 403 && error.vendorMessage === NOT_OWNER) {
    return {
      type: 'data',
      message: `${VENDOR}: package ${packageId} is listed but its log belongs to another user`,
    };
  }
  // One malformed log must not stop the walk over every other package (the error names path, not values).
  if (error instanceof VendorSchemaError) {
    return {
      type: 'data',
      message: `${VENDOR}: package ${packageId} skipped: its log does not match the documented shape (at ${error.path}: ${error.expected})`,
    };
  }
  return undefined;
}

/** A details request that failed: its code and status only (vendor messages may quote user input). */
function detailsWarning(packageId: string, logId: string, error: SignTrailError): AdapterWarning {
  const status = error instanceof VendorError && error.status !== undefined ? `, HTTP ${error.status}` : '';
  return {
    type: 'data',
    message: `${VENDOR}: details of log_id ${logId} in package ${packageId} could not be read (${error.code}${status}); the event is kept without them`,
  };
}

/** The `seq` (index in `actions`) of the first action carrying each log_id. */
function firstSeqByLogId(raw: unknown): Map<string, number> {
  const first = new Map<string, number>();
  const actions = (raw as { actions?: unknown } | undefined)?.actions;
  if (!Array.isArray(actions)) return first;
  actions.forEach((action, seq) => {
    const logId = (action as { log_id?: unknown } | null)?.log_id;
    if (logId != null && !first.has(String(logId))) first.set(String(logId), seq);
  });
  return first;
}

function anySignal(own: AbortSignal, caller: AbortSignal | undefined): AbortSignal {
  return caller ? AbortSignal.any([own, caller]) : own;
}
