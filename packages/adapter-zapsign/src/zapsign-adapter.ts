import {
  type ActivityQuery,
  type AdapterWarning,
  type AuditSource,
  InvalidOptionsError,
  normalizeTimestamp,
  type ProcessLog,
  parseOptions,
  SPECIFICATION_VERSION,
  VendorNotFoundError,
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
      return processLogOf({ token: docToken, signer_log: await api().signerLog(docToken, signal) });
    },
    listActivity(query) {
      return listActivity(api(), options.concurrency, query);
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
 * ZapSign has no account-wide log and no activity filter: every document created before `to` is listed
 * (following `next` links) and its signer log read, `concurrency` at a time; the window is applied to the
 * events. A document that disappears between listing and reading (404) has nothing left to read.
 */
async function* listActivity(
  client: ZapsignClient,
  concurrency: number,
  { from, to, signal, filters, onWarning }: ActivityQuery,
): AsyncGenerator<ProcessLog> {
  const start = instantOf('from', from);
  const end = instantOf('to', to);
  if (start >= end) throw new InvalidOptionsError('from', 'must be earlier than to');
  const ignored = Object.keys(filters ?? {});
  const warnings: AdapterWarning[] = ignored.map((name) => ({
    type: 'unsupported',
    feature: `filter ${name}`,
    message: `${VENDOR}: the document listing has no filter "${name}"; it was ignored`,
  }));
  // created_to is a calendar day in ZapSign's own zone: one day later keeps every document created before `to`.
  const createdTo = new Date(Date.parse(end) + 86_400_000).toISOString().slice(0, 10);
  const documents = createdBefore(client.documents({ createdTo, signal }), end);
  const logs = mapBounded(documents, concurrency, async (document) => {
    try {
      return processLogOf({ ...document, signer_log: await client.signerLog(document.token, signal) });
    } catch (error) {
      if (error instanceof VendorNotFoundError) return undefined;
      throw error;
    }
  });
  // Warnings about the query go to `onWarning`; without it, once, to the first log yielded.
  if (onWarning) warnings.forEach(onWarning);
  let unreported = onWarning ? [] : warnings;
  for await (const log of logs) {
    if (!log) continue;
    const events = log.events.filter((event) => event.occurredAt >= start && event.occurredAt < end);
    if (events.length === 0) continue;
    yield { ...log, events, warnings: [...unreported, ...log.warnings] };
    unreported = [];
  }
}

async function* createdBefore(documents: AsyncIterable<ListedDocument>, end: string) {
  for await (const document of documents) {
    const created = document.created_at ? Date.parse(document.created_at) : Number.NaN;
    if (Number.isNaN(created) || new Date(created).toISOString() < end) yield document;
  }
}

function instantOf(option: 'from' | 'to', value: Date | string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidOptionsError(option, 'not a date');
  return normalizeTimestamp(date.toISOString());
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
