import {
  type ActivityQuery,
  type AdapterWarning,
  type AuditSource,
  activityWindow,
  normalizeTimestamp,
  type ProcessLog,
  parseOptions,
  SPECIFICATION_VERSION,
  VendorAuthError,
  VendorNotFoundError,
  VendorSchemaError,
} from '@signtrail/core';
import { normalizeZapsign } from './normalize-zapsign.js';
import { createZapsignWebhookParser } from './parse-zapsign-webhook.js';
import { type DocumentLog, type ListedDocument, VENDOR } from './zapsign-api.js';
import {
  type AuditTrailPdfOptions,
  createZapsignClient,
  type SavedPdf,
  type ZapsignClient,
} from './zapsign-client.js';
import { type ZapsignOptions, zapsignOptionsSchema } from './zapsign-options.js';

/** The ZapSign `AuditSource`, plus the PDF audit trail. */
export interface ZapsignAdapter extends AuditSource {
  parseWebhook: NonNullable<AuditSource['parseWebhook']>;
  /** `GET /api/v1/docs/signer-log/{doc_token}?download_pdf=true`: the bytes, or streamed to `file`. */
  getAuditTrailPdf(docToken: string, options?: AuditTrailPdfOptions): Promise<Uint8Array | SavedPdf>;
}

/**
 * Creates the ZapSign adapter. Credentials (`apiToken` or `jwt`) are needed only for API calls: `normalize`
 * works offline without them; `parseWebhook` needs `webhookSecret`.
 */
export function createZapsignAdapter(input: ZapsignOptions = {}): ZapsignAdapter {
  const options = parseOptions(zapsignOptionsSchema, input);
  let client: ZapsignClient | undefined;
  const api = () => {
    client ??= createZapsignClient(options);
    return client;
  };

  return {
    specificationVersion: SPECIFICATION_VERSION,
    vendor: VENDOR,
    capabilities: {
      processLog: true,
      companyWideListing: false,
      dateFilters: false,
      pdf: true,
      webhooks: true,
    },
    normalize: normalizeZapsign,
    async getProcessLog(docToken, { signal } = {}) {
      // The signer log says nothing of how the document stands (ZapSign need not log a completion): its
      // detail gives the status that `listActivity` takes from the listing.
      const document = await api().document(docToken, signal);
      const signerLog = await api().signerLog(docToken, signal);
      return processLogOf({ ...document, token: docToken, signer_log: signerLog });
    },
    listActivity(query) {
      return listActivity(api, options.concurrency, query);
    },
    parseWebhook: createZapsignWebhookParser(options),
    getAuditTrailPdf(docToken, pdfOptions) {
      return api().auditTrailPdf(docToken, pdfOptions);
    },
  };
}

function processLogOf(document: DocumentLog): ProcessLog {
  const { events, warnings, processes } = normalizeZapsign(document);
  return { ...processes[0]!, vendor: VENDOR, events, warnings, raw: document };
}

/**
 * ZapSign has no account-wide log and no activity filter: the listing is walked (following `next` links) and
 * the signer log read, `concurrency` at a time, of each document created before `to` and last updated at or
 * after `from`; the window is applied to the events. A document that disappears between listing and reading
 * (404) has nothing left to read; one the token may not read (403) is skipped with a warning.
 */
async function* listActivity(
  clientOf: () => ZapsignClient,
  concurrency: number,
  query: ActivityQuery,
): AsyncGenerator<ProcessLog> {
  const { start, end } = activityWindow(query);
  // After the query's own checks, so a bad query is named as such whatever the credentials.
  const client = clientOf();
  const { signal, filters, onWarning } = query;
  const ignored = Object.keys(filters ?? {});
  const warnings: AdapterWarning[] = ignored.map((name) => ({
    type: 'unsupported',
    feature: `filter ${name}`,
    message: `${VENDOR}: the document listing has no filter "${name}"; it was ignored`,
  }));
  // created_to is a calendar day in ZapSign's own zone: one day later keeps every document created before `to`.
  const createdTo = new Date(Date.parse(end) + 86_400_000).toISOString().slice(0, 10);
  const documents = activeIn(client.documents({ createdTo, signal }), start, end);
  const logs = mapBounded(documents, concurrency, async (document) => {
    try {
      const log = processLogOf({ ...document, signer_log: await client.signerLog(document.token, signal) });
      return { log, skipped: false };
    } catch (error) {
      if (error instanceof VendorNotFoundError) return undefined;
      if (error instanceof VendorAuthError && error.status === 403) {
        return { log: skippedLog(document.token, 'its signer log is forbidden (403)'), skipped: true };
      }
      // One malformed log must not end the walk over every other document (the error names a path, no values).
      if (error instanceof VendorSchemaError) {
        const where = `its signer log does not match the documented shape (at ${error.path}: ${error.expected})`;
        return { log: skippedLog(document.token, where), skipped: true };
      }
      throw error;
    }
  });
  // Warnings about the query go to `onWarning`; without it, once, to the first log yielded.
  if (onWarning) warnings.forEach(onWarning);
  let unreported = onWarning ? [] : warnings;
  for await (const read of logs) {
    if (!read) continue;
    const { log, skipped } = read;
    const events = log.events.filter((event) => event.occurredAt >= start && event.occurredAt < end);
    if (events.length === 0 && !skipped) continue; // a skipped document is still yielded, to say why
    yield { ...log, events, warnings: [...unreported, ...log.warnings] };
    unreported = [];
  }
}

/**
 * The listed documents whose log can hold events in [start, end): created before `end` and last updated at or
 * after `start`, so an incremental sync reads only what changed. A missing or unreadable time never skips.
 */
async function* activeIn(documents: AsyncIterable<ListedDocument>, start: string, end: string) {
  for await (const document of documents) {
    const created = instantOrUndefined(document.created_at);
    const updated = instantOrUndefined(document.last_update_at);
    if ((created === undefined || created < end) && (updated === undefined || updated >= start)) {
      yield document;
    }
  }
}

/** A listing time at microsecond precision (as events carry it), or undefined when absent or unreadable. */
function instantOrUndefined(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return normalizeTimestamp(value);
  } catch {
    return undefined;
  }
}

/** A listed document whose log cannot be read, skipped: no events, the reason as a warning. */
function skippedLog(token: string, reason: string): ProcessLog {
  const warning: AdapterWarning = {
    type: 'data',
    message: `${VENDOR}: document ${token} is listed but ${reason}; skipped`,
  };
  return { vendor: VENDOR, processId: token, events: [], warnings: [warning], raw: undefined };
}

type Settled<R> = [id: number, outcome: { value: R } | { error: unknown }];

/**
 * `work` over `source` with at most `limit` calls in flight, results in completion order. Reads the source
 * only as slots free up (bounded memory). Outcomes are captured as they settle, so a failure while the
 * source is being read is never an unhandled rejection; it is thrown when its turn comes.
 */
async function* mapBounded<T, R>(
  source: AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const running = new Map<number, Promise<Settled<R>>>();
  let next = 0;
  const settleOne = async (): Promise<R> => {
    const [id, outcome] = await Promise.race(running.values());
    running.delete(id);
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  };
  try {
    for await (const item of source) {
      const id = next++;
      running.set(
        id,
        work(item).then(
          (value): Settled<R> => [id, { value }],
          (error: unknown): Settled<R> => [id, { error }],
        ),
      );
      if (running.size >= limit) yield await settleOne();
    }
    while (running.size > 0) yield await settleOne();
  } finally {
    await Promise.all(running.values()); // never rejects: no request outlives the iteration
  }
}
