import {
  type AdapterWarning,
  type AuditSource,
  activityWindow,
  type Capabilities,
  type NormalizeResult,
  type ProcessLog,
  parseOptions,
  SPECIFICATION_VERSION,
  VendorNotFoundError,
  VendorSchemaError,
} from '@signtrail/core';
import { normalizeTaktikal } from './normalize-taktikal.js';
import { createTaktikalWebhookParser } from './parse-taktikal-webhook.js';
import { type TaktikalProcess, VENDOR, wrappers } from './taktikal-api.js';
import { activityFilters, createTaktikalClient, type TaktikalClient } from './taktikal-client.js';
import { type TaktikalOptions, taktikalOptionsSchema } from './taktikal-options.js';

/** The Taktikal `AuditSource`, with its HTTP client for callers that need request counts. */
export interface TaktikalAdapter extends AuditSource {
  readonly client: TaktikalClient;
  parseWebhook: NonNullable<AuditSource['parseWebhook']>;
}

/** Creates the Taktikal adapter (current API by default, `api: 'legacy'` for the legacy endpoints). */
export function createTaktikalAdapter(options: TaktikalOptions = {}): TaktikalAdapter {
  const resolved = parseOptions(taktikalOptionsSchema, options);
  const client = createTaktikalClient(resolved);
  const normalizeOptions = { timeZone: resolved.timeZone };
  const capabilities: Capabilities = {
    processLog: true,
    companyWideListing: resolved.api === 'current',
    dateFilters: true,
    pdf: false,
    webhooks: true,
  };

  function normalize(payload: unknown): NormalizeResult {
    return normalizeTaktikal(payload, normalizeOptions);
  }

  /**
   * One walked wrapper as its process log. A wrapper whose inside breaks the documented shape is skipped with
   * a warning (path and expectation, never values): one bad process must not end the walk over the rest.
   */
  function logOf(wrapper: TaktikalProcess): ProcessLog {
    try {
      const result = normalize(wrapper);
      const info = result.processes[0]!;
      return { vendor: VENDOR, ...info, events: result.events, warnings: result.warnings, raw: wrapper };
    } catch (error) {
      if (!(error instanceof VendorSchemaError)) throw error;
      const warning: AdapterWarning = {
        type: 'data',
        message: `${VENDOR}: process ${wrapper.processKey} skipped: its activity does not match the documented shape (at ${error.path}: ${error.expected})`,
      };
      return {
        vendor: VENDOR,
        processId: wrapper.processKey,
        events: [],
        warnings: [warning],
        raw: undefined,
      };
    }
  }

  return {
    specificationVersion: SPECIFICATION_VERSION,
    vendor: VENDOR,
    capabilities,
    client,
    normalize,
    async getProcessLog(processId, { signal } = {}) {
      const body = await client.processLog(processId, signal);
      const process = wrappers(body).filter((wrapper) => wrapper.processKey === processId);
      if (process.length === 0) {
        throw new VendorNotFoundError({
          vendor: VENDOR,
          vendorMessage: 'no activity for this process key',
        });
      }
      const result = normalize(process);
      return {
        vendor: VENDOR,
        ...result.processes[0]!,
        events: result.events,
        warnings: result.warnings,
        raw: body,
      };
    },
    async *listActivity(query) {
      const window = activityWindow(query);
      const { signal, filters, onWarning } = query;
      const { params, unsupported } = activityFilters(resolved.api, filters);
      const ignored: AdapterWarning[] = unsupported.map((name) => ({
        type: 'unsupported',
        feature: `filter ${name}`,
        message: `${VENDOR} (${resolved.api} API): cannot filter activity by ${name}; filter ignored`,
      }));
      // Warnings about the query go to `onWarning`; without it, those known now to the first log yielded
      // and those of the walk's end (pages that never settled) to the last: one log is held back for them.
      if (onWarning) ignored.forEach(onWarning);
      let pending = onWarning ? [] : ignored;
      const late: AdapterWarning[] = [];
      let held: ProcessLog | undefined;
      // The client yields each process once per walk, so nothing here remembers what was yielded.
      const walk = client.walkActivity(
        window,
        { params, unsupported },
        signal,
        onWarning ?? ((w) => late.push(w)),
      );
      for await (const wrapper of walk) {
        const log = logOf(wrapper);
        log.warnings.unshift(...pending);
        pending = [];
        if (held) yield held;
        held = log;
      }
      if (held) {
        held.warnings.push(...late);
        yield held;
      }
    },
    parseWebhook: createTaktikalWebhookParser({
      secret: resolved.webhookSecret,
      toleranceMs: resolved.webhookToleranceMs,
    }),
    // Taktikal retries a refused delivery twice on any other status (field notes): retrying cannot help.
    webhookRefusalStatus: 406,
  };
}
