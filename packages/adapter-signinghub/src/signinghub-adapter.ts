import {
  type ActivityQuery,
  type AdapterWarning,
  type AuditSource,
  InvalidOptionsError,
  type NormalizeResult,
  normalizeTimestamp,
  type ProcessLog,
  parseOptions,
  SPECIFICATION_VERSION,
  VendorAuthError,
  VendorNotFoundError,
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
    return log;
  }

  async function enrich(log: ProcessLog, signal?: AbortSignal): Promise<ProcessLog> {
    if (!resolved.enrichDetails) return log;
    const withLogId = log.events.filter((event) => event.vendorEvent.id !== undefined);
    const details = mapConcurrent(withLogId, resolved.concurrency, async (event, stop) => {
      const nodes = await client.logDetails(log.processId, event.vendorEvent.id!, anySignal(stop, signal));
      applyLogDetails(event, nodes, log.raw);
    });
    for await (const _ of details);
    return log;
  }

  async function* listActivity(query: ActivityQuery): AsyncGenerator<ProcessLog> {
    const from = instant(query.from, 'from');
    const to = instant(query.to, 'to');
    if (from >= to) throw new InvalidOptionsError('from', 'must be earlier than to');
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
        log.events = log.events.filter((event) => event.occurredAt >= from && event.occurredAt < to);
        return log.events.length === 0 ? undefined : enrich(log, signal);
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
    parseWebhook: createSigninghubWebhookParser({ secret: resolved.webhookSecret }),
  };
}

/** A window bound as the RFC 3339 UTC form events carry, so bounds and `occurredAt` compare as strings. */
function instant(value: Date | string, option: 'from' | 'to'): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidOptionsError(option, 'a date or an ISO 8601 date-time');
  return normalizeTimestamp(date.toISOString());
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
  return undefined;
}

function anySignal(own: AbortSignal, caller: AbortSignal | undefined): AbortSignal {
  return caller ? AbortSignal.any([own, caller]) : own;
}
