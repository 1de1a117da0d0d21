import { UnsupportedSpecificationError } from './errors.js';
import type { NormalizedEvent } from './event.js';
import { type FoldOptions, fold } from './fold.js';
import type { ProcessState, ProcessStatus } from './state.js';

/** The adapter contract version this core implements. */
export const SPECIFICATION_VERSION = 'v1';

/** Something an adapter could not do or could not map: reported, never thrown. */
export interface AdapterWarning {
  type: 'unsupported' | 'unmapped' | 'data';
  message: string;
  /** For `unsupported`: the feature the vendor lacks. */
  feature?: string;
  /** For `unmapped`: the vendor code that no mapping rule knows, and how often it was seen. */
  vendorType?: string;
  count?: number;
}

/** What an adapter can do; callers branch on these flags, never on vendor names. */
export interface Capabilities {
  /** `getProcessLog` reads one process's log. */
  processLog: boolean;
  /** The vendor has one company-wide activity log (else `listActivity` walks a process listing). */
  companyWideListing: boolean;
  /** The vendor filters activity by date itself. */
  dateFilters: boolean;
  /** The vendor serves the audit trail as a PDF. */
  pdf: boolean;
  /** `parseWebhook` is implemented. */
  webhooks: boolean;
}

/**
 * A signer the vendor lists on a process (its roster), whether or not the log names them yet: `signerId` is
 * the same id the adapter puts on events. `phone` and `ssn` are personal data: outputs for people mask them,
 * and the store keeps only id, name and e-mail.
 */
export interface ProcessSigner {
  signerId: string;
  name?: string;
  email?: string;
  phone?: string;
  ssn?: string;
  signatureType?: string;
}

/** What the vendor says about a process outside its log entries. */
export interface ProcessInfo {
  processId: string;
  vendorStatus?: string;
  statusHint?: ProcessStatus;
  /** The vendor's roster of signers, where it gives one: a signer no event names yet is still `pending`. */
  signers?: ProcessSigner[];
}

/** Result of the pure, offline `normalize`. */
export interface NormalizeResult {
  events: NormalizedEvent[];
  warnings: AdapterWarning[];
  processes: ProcessInfo[];
}

/** One process's normalized log, with the vendor response it came from. */
export interface ProcessLog extends ProcessInfo {
  vendor: string;
  events: NormalizedEvent[];
  warnings: AdapterWarning[];
  raw: unknown;
}

/** Window and vendor filters of `listActivity`; `from` < `to`. */
export interface ActivityQuery {
  from: Date | string;
  to: Date | string;
  signal?: AbortSignal;
  /** Vendor-specific filters (e.g. Taktikal `FlowType`); unknown ones are a warning. */
  filters?: Record<string, string | undefined>;
  /** Receives warnings about the query itself (unknown filters…), which belong to no process log. */
  onWarning?: (warning: AdapterWarning) => void;
}

/** A webhook delivery exactly as received. */
export interface WebhookRequest {
  method: string;
  headers: Record<string, string | undefined>;
  /** Raw body text (signatures are computed over bytes, not over re-serialized JSON). */
  body: string;
  query?: Record<string, string | undefined>;
}

/** What a webhook delivery means. */
export interface WebhookResult {
  events: NormalizedEvent[];
  warnings: AdapterWarning[];
  /** Processes whose log should be re-read because of this delivery. */
  reread: string[];
  /**
   * Identifies the delivery: a second delivery with the same key on the same connection is a replay (a
   * receiver stores it once). Optional (absent: every delivery counts); never derived from a secret.
   */
  deliveryKey?: string;
}

/** The contract every vendor adapter implements (specification v1). */
export interface AuditSource {
  readonly specificationVersion: typeof SPECIFICATION_VERSION;
  readonly vendor: string;
  readonly capabilities: Capabilities;
  getProcessLog(processId: string, options?: { signal?: AbortSignal }): Promise<ProcessLog>;
  listActivity(query: ActivityQuery): AsyncIterable<ProcessLog>;
  normalize(payload: unknown): NormalizeResult;
  parseWebhook?(request: WebhookRequest): Promise<WebhookResult>;
  /**
   * The HTTP status to answer a delivery refused for good (failed verification, unreadable body) when the
   * vendor reads one status as "stop retrying" (Taktikal: 406); a receiver's own status otherwise.
   */
  readonly webhookRefusalStatus?: number;
}

/** Checks an adapter's contract version before it is used; throws `UnsupportedSpecificationError`. */
export function registerSource<T extends AuditSource>(source: T): T {
  if (source.specificationVersion !== SPECIFICATION_VERSION) {
    throw new UnsupportedSpecificationError(source.vendor, source.specificationVersion);
  }
  return source;
}

/** Folds a process log with the vendor's own status as hint. */
export function foldLog(log: ProcessLog): ProcessState {
  return fold(log.events, withProcessInfo({ vendor: log.vendor, processId: log.processId }, log));
}

/**
 * Folds every process of a `normalize` result, each with its vendor status hint, in process order. `vendor`
 * names the states of processes without events (a listing entry, a cleared log), which nothing else names.
 */
export function foldNormalized(result: NormalizeResult, vendor?: string): ProcessState[] {
  const byProcess = new Map<string, NormalizedEvent[]>();
  for (const info of result.processes) byProcess.set(info.processId, []);
  for (const event of result.events) {
    const group = byProcess.get(event.processId);
    if (group) group.push(event);
    else byProcess.set(event.processId, [event]);
  }
  const infos = new Map(result.processes.map((info) => [info.processId, info]));
  return [...byProcess].map(([processId, events]) => {
    const options: FoldOptions = { processId };
    const named = events[0]?.vendor ?? vendor;
    if (named !== undefined) options.vendor = named;
    return fold(events, withProcessInfo(options, infos.get(processId)));
  });
}

/** `options` plus what the vendor said about the process besides its log: status word, hint, roster. */
function withProcessInfo(options: FoldOptions, info: ProcessInfo | undefined): FoldOptions {
  if (info?.vendorStatus !== undefined) options.vendorStatus = info.vendorStatus;
  if (info?.statusHint !== undefined) options.statusHint = info.statusHint;
  if (info?.signers !== undefined) options.signers = info.signers;
  return options;
}

/** One `unmapped` warning per vendor code, with its count, from a tally of codes no rule knew. */
export function unmappedWarnings(vendor: string, tally: ReadonlyMap<string, number>): AdapterWarning[] {
  return [...tally].map(([vendorType, count]) => ({
    type: 'unmapped',
    vendorType,
    count,
    message: `${vendor}: no mapping for ${JSON.stringify(vendorType)} (${count}×); kept as type "other"`,
  }));
}
