import {
  type Actor,
  canonicalJson,
  type EventData,
  eventIdFor,
  InvalidTimestampError,
  jsonPath,
  type NormalizedEvent,
  type NormalizeResult,
  normalizeTimestamp,
  type ProcessInfo,
  type ProcessSigner,
  startsWithDateAndClock,
  unmappedWarnings,
  VendorSchemaError,
} from '@signtrail/core';
import {
  channelFromDescription,
  concernsSigner,
  mapTaktikalProcessStatus,
  mapTaktikalStatus,
  type TaktikalEventRule,
} from './map-taktikal-event.js';
import {
  processFault,
  type TaktikalActivityEntry,
  type TaktikalProcess,
  type TaktikalSignee,
  topLevelFault,
  VENDOR,
  wireError,
} from './taktikal-api.js';

/** Options of `normalizeTaktikal`. */
export interface NormalizeTaktikalOptions {
  /** IANA zone for timestamps without a zone (legacy exports). Default `UTC`. */
  timeZone?: string;
}

/**
 * Pure, offline: a Taktikal activity response (an array of process wrappers or one wrapper, current or
 * legacy API, exactly as received) → one normalized event per activity entry, plus each process's status.
 */
export function normalizeTaktikal(payload: unknown, options: NormalizeTaktikalOptions = {}): NormalizeResult {
  const failure = topLevelFault(payload);
  if (failure) throw wireError(failure, []);
  const run: Run = {
    events: [],
    unmapped: new Map(),
    timestamps: new TimestampReader(options.timeZone ?? 'UTC'),
  };
  const list: unknown[] = Array.isArray(payload) ? payload : [payload];
  const processes = list.map((process, index) => {
    const path = Array.isArray(payload) ? [index] : [];
    // Each wrapper is checked just before it is read, while its entries are in the CPU's cache: a separate
    // pass over the whole response first cost the bench a tenth of its time. A fault still throws, so no
    // event of a bad response is returned, and the first faulty wrapper is the one named, as before.
    const wrapperFailure = processFault(process);
    if (wrapperFailure) throw wireError(wrapperFailure, path);
    return normalizeProcess(process as TaktikalProcess, path, run);
  });
  return { events: run.events, warnings: unmappedWarnings(VENDOR, run.unmapped), processes };
}

/** What one `normalizeTaktikal` call accumulates across its processes. */
interface Run {
  events: NormalizedEvent[];
  /** Statuses no rule knows, with how often they were seen. */
  unmapped: Map<string, number>;
  timestamps: TimestampReader;
}

function normalizeProcess(process: TaktikalProcess, path: (string | number)[], run: Run): ProcessInfo {
  const { events, unmapped, timestamps } = run;
  const processId = process.processKey;
  if (processId === '')
    throw new VendorSchemaError(VENDOR, jsonPath([...path, 'processKey']), 'a process key');
  const signees = new Map<string, TaktikalSignee>();
  for (const signee of process.signees ?? []) {
    if (signee.signeeKey) signees.set(signee.signeeKey, signee);
  }
  const ids = new EventIds(processId);
  const log = process.activityLog ?? [];
  for (let position = 0; position < log.length; position += 1) {
    const entry = log[position]!;
    const rule = mapTaktikalStatus(entry.status);
    if (!rule || rule.unmapped) unmapped.set(entry.status, (unmapped.get(entry.status) ?? 0) + 1);
    const at = timestamps.read(entry.createdAt, path, position);
    // `seq` must not depend on how much of the log a response holds (the legacy API narrows by date), or a
    // windowed read would give an id another content than a whole-log read. The vendor's entry number
    // orders the log; legacy entries have none, and since `seq` only breaks ties of `occurredAt`, theirs
    // counts the earlier entries at the same instant: a window holds all of those or none.
    const seq = typeof entry.id === 'number' ? entry.id : ids.tieRank(at);
    events.push(eventOf(entry, seq, at, ids.of(entry), processId, rule, signees));
  }
  const info: ProcessInfo = { processId };
  if (process.status) {
    info.vendorStatus = process.status;
    const hint = mapTaktikalProcessStatus(process.status);
    if (hint) info.statusHint = hint;
  }
  if (signees.size > 0) info.signers = [...signees.values()].map(rosterEntry);
  return info;
}

/** A signee as the process's roster lists it; phone and SSN ride along for callers, masked in human output. */
function rosterEntry(signee: TaktikalSignee): ProcessSigner {
  const listed: ProcessSigner = { signerId: signee.signeeKey! };
  if (signee.name) listed.name = signee.name;
  if (signee.email) listed.email = signee.email;
  if (signee.phone) listed.phone = signee.phone;
  if (signee.ssn) listed.ssn = signee.ssn;
  if (signee.signatureType) listed.signatureType = signee.signatureType;
  return listed;
}

function eventOf(
  entry: TaktikalActivityEntry,
  seq: number,
  occurredAt: string,
  id: string,
  processId: string,
  rule: TaktikalEventRule | undefined,
  signees: ReadonlyMap<string, TaktikalSignee>,
): NormalizedEvent {
  const signeeKey = entry.signeeKey || undefined;
  const signee = signeeKey === undefined ? undefined : signees.get(signeeKey);
  const aboutSigner = rule !== undefined && signeeKey !== undefined && concernsSigner(rule);
  const data: EventData = {};
  if (aboutSigner && signee) {
    if (signee.name) data.signerName = signee.name;
    if (signee.email) data.signerEmail = signee.email;
  }
  if (rule?.signeeActs && signee?.signatureType) data.signatureType = signee.signatureType;
  if (rule?.recipientRole) data.recipientRole = rule.recipientRole;
  if (rule?.deliveryStatus) data.deliveryStatus = rule.deliveryStatus;
  if (entry.fileName) data.fileName = entry.fileName;
  if (entry.userAgent) data.userAgent = entry.userAgent;
  if (typeof entry.requiresAuth === 'boolean') data.requiresAuth = entry.requiresAuth;
  if (typeof entry.signInOrder === 'boolean') data.signInOrder = entry.signInOrder;
  if (entry.signatureLocation) data.signatureLocation = entry.signatureLocation;
  if (entry.sequenceKey) data.sequenceKey = entry.sequenceKey;
  // Only Mailgun reports are read for their details: the description is parsed for no other code.
  const temporary = rule?.mailgun === true && readMailgun(entry.description, data);

  const vendorEvent: NormalizedEvent['vendorEvent'] = { type: entry.status };
  if (typeof entry.id === 'number') vendorEvent.id = String(entry.id);
  if (entry.description) vendorEvent.description = entry.description;

  const event: NormalizedEvent = {
    id,
    vendor: VENDOR,
    processId,
    type: temporary ? 'other' : (rule?.type ?? 'other'),
    occurredAt,
    seq,
    actor: rule?.signeeActs && signeeKey !== undefined ? signeeActor(signeeKey, signee) : creatorActor(entry),
    data,
    vendorEvent,
    origin: 'log',
    raw: entry,
  };
  if (aboutSigner) event.signerId = signeeKey;
  const channel = rule?.channelInDescription ? channelFromDescription(entry.description) : rule?.channel;
  if (channel !== undefined) event.channel = channel;
  return event;
}

/**
 * Reads a Mailgun report's description (`… Event: failed. To:a@b.example. Sender:… Id:…. Severity: temporary.
 * Reason: …`) into `data.recipient`, `data.severity` and `data.reason`, each when not blank. True for a
 * temporary failure: Mailgun retries those, so it is not a failed delivery (the caller makes it `other`).
 */
function readMailgun(description: string | null | undefined, data: EventData): boolean {
  if (!description) return false;
  const recipient = mailgunField(description, 'To:');
  if (recipient) data.recipient = recipient;
  const severity = mailgunField(description, 'Severity:')?.toLowerCase();
  if (severity) data.severity = severity;
  const reasonAt = description.indexOf('Reason:');
  const reason = reasonAt < 0 ? '' : description.slice(reasonAt + 7).trim();
  if (reason) data.reason = reason.endsWith('.') ? reason.slice(0, -1).trimEnd() : reason;
  return severity === 'temporary' && data.deliveryStatus === 'failed';
}

/** The value after `label` up to the next `. ` (addresses hold dots, never a dot and a space), trimmed. */
function mailgunField(description: string, label: string): string | undefined {
  const at = description.indexOf(label);
  if (at < 0) return undefined;
  const start = at + label.length;
  const end = description.indexOf('. ', start);
  const value = description.slice(start, end < 0 ? description.length : end).trim();
  return value.endsWith('.') ? value.slice(0, -1) : value || undefined;
}

function signeeActor(signeeKey: string, signee: TaktikalSignee | undefined): Actor {
  const actor: Actor = { kind: 'signer', id: signeeKey };
  if (signee?.name) actor.name = signee.name;
  if (signee?.email) actor.email = signee.email;
  return actor;
}

/**
 * `createdBy` is "email address or system name": an address is a user (the owner), a name is vendor
 * machinery (`Taktikal.Core`, `Mailgun`). The legacy API leaves it empty for the owner's own steps.
 */
function creatorActor(entry: TaktikalActivityEntry): Actor {
  const by = entry.createdBy;
  if (!by) return { kind: 'user' };
  return by.includes('@') ? { kind: 'user', email: by } : { kind: 'system', name: by };
}

/**
 * Event ids of one process. The current API numbers its entries: the id hashes that number. Legacy
 * entries carry none: the id hashes the record plus how many identical records came before it in this
 * process, so exact repeats stay distinct and a re-read gives the same ids. The same record read once
 * through each API therefore gets two ids. Legacy entries' `seq` (`tieRank`) is kept here too: both count
 * within one process.
 */
class EventIds {
  private readonly idOf: (key: unknown) => string;
  private readonly repeats = new Map<string, number>();
  private readonly instants = new Map<string, number>();
  constructor(processId: string) {
    this.idOf = eventIdFor(VENDOR, processId);
  }

  of(entry: TaktikalActivityEntry): string {
    if (typeof entry.id === 'number') return this.idOf(entry.id);
    const form = canonicalJson(entry);
    const occurrence = this.repeats.get(form) ?? 0;
    this.repeats.set(form, occurrence + 1);
    return this.idOf({ occurrence, record: entry });
  }

  /** How many earlier entries of this process share the instant `at` (the `seq` of a legacy entry). */
  tieRank(at: string): number {
    const rank = this.instants.get(at) ?? 0;
    this.instants.set(at, rank + 1);
    return rank;
  }
}

/**
 * `normalizeTimestamp` with a fast path for Taktikal's own form (`2019-11-08T11:03:49.0700000Z`), checked
 * without allocating; every other form goes to core. Both paths give the same output (property-tested).
 * Kept because the bench measured core's UTC path (regex and a string built from its captures) 1.4×
 * slower for the whole normalization.
 */
class TimestampReader {
  constructor(private readonly timeZone: string) {}

  read(value: string, processPath: (string | number)[], position: number): string {
    const fast = this.fastUtc(value);
    if (fast !== undefined) return fast;
    try {
      return normalizeTimestamp(value, { timeZone: this.timeZone });
    } catch (error) {
      if (!(error instanceof InvalidTimestampError)) throw error;
      const path = jsonPath([...processPath, 'activityLog', position, 'createdAt']);
      throw new VendorSchemaError(VENDOR, path, 'an ISO 8601 date-time', { cause: error });
    }
  }

  /** `YYYY-MM-DDTHH:MM:SS.f…fZ` (1–9 fraction digits) → six digits, or `undefined` for any other form. */
  private fastUtc(value: string): string | undefined {
    const length = value.length;
    if (length < 22 || length > 30 || value.charCodeAt(length - 1) !== 90 /* Z */) return undefined;
    if (value[10] !== 'T' || value[19] !== '.' || !startsWithDateAndClock(value)) return undefined;
    for (let i = 20; i < length - 1; i += 1) {
      const code = value.charCodeAt(i);
      if (code < 48 || code > 57) return undefined;
    }
    const digits = length - 21;
    return digits >= 6 ? `${value.slice(0, 26)}Z` : `${value.slice(0, length - 1)}${'000000'.slice(digits)}Z`;
  }
}
