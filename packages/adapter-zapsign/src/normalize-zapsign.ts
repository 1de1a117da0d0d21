import { hash } from 'node:crypto';
import {
  type Actor,
  type AdapterWarning,
  type NormalizedEvent,
  type NormalizeResult,
  normalizeTimestamp,
  type ProcessInfo,
  type ProcessSigner,
  startsWithDateAndClock,
  VendorSchemaError,
} from '@signtrail/core';
import {
  documentStatusHint,
  mapZapsignSentence,
  type SentenceMapping,
  sentenceKey,
} from './map-zapsign-event.js';
import { type SignerLogEntry, VENDOR } from './zapsign-api.js';

/** processId of a bare signer log: the endpoint's answer does not repeat the doc token it was asked for. */
export const UNKNOWN_DOCUMENT = 'unknown';

interface DocumentEntries {
  processId: string;
  entries: unknown[];
  /** JSON path of `entries`, for schema errors. */
  path: string;
  status?: string | null;
  /** The document detail's signers, when given: the process's roster. */
  signers?: ProcessSigner[];
}

interface Unmapped {
  variants: string[];
  count: number;
}

/**
 * Pure, offline: ZapSign signer logs → normalized events. Takes a bare signer log (the endpoint's array; its
 * processId is then `unknown`), a document with its log (`{ token, status?, signer_log }`, e.g. a listing
 * entry plus its log) or an array of those. One event per entry, in the vendor's order: `seq` is the
 * entry's index as returned, which is NOT chronological (ZapSign returns logs unsorted); `fold` orders by
 * `occurredAt` first and uses `seq` only to break ties. `signerId` is the entry's `user` e-mail.
 */
export function normalizeZapsign(payload: unknown): NormalizeResult {
  const events: NormalizedEvent[] = [];
  const warnings: AdapterWarning[] = [];
  const processes: ProcessInfo[] = [];
  const unmapped = new Map<string, Unmapped>();
  for (const document of documentsOf(payload, warnings)) {
    normalizeDocument(document, events, unmapped);
    processes.push(processInfoOf(document));
  }
  for (const [, { variants, count }] of unmapped) {
    warnings.push({
      type: 'unmapped',
      vendorType: variants[0],
      count,
      message: `${VENDOR}: no mapping for ${variants.map((v) => JSON.stringify(v)).join(', ')} (${count}×); kept as type "other"`,
    });
  }
  return { events, warnings, processes };
}

function processInfoOf(document: DocumentEntries): ProcessInfo {
  const info: ProcessInfo = { processId: document.processId };
  if (typeof document.status === 'string') {
    info.vendorStatus = document.status;
    const hint = documentStatusHint(document.status);
    if (hint !== undefined) info.statusHint = hint;
  }
  if (document.signers !== undefined) info.signers = document.signers;
  return info;
}

function documentsOf(payload: unknown, warnings: AdapterWarning[]): DocumentEntries[] {
  if (Array.isArray(payload)) {
    const first: unknown = payload[0];
    if (first === undefined) return [];
    if (isRecord(first) && 'signer_log' in first) {
      return payload.map((document, index) => documentOf(document, `$[${index}]`));
    }
    warnings.push({
      type: 'data',
      message: `${VENDOR}: a bare signer log names no document; processId "${UNKNOWN_DOCUMENT}" is used (pass { token, signer_log } to name it)`,
    });
    return [{ processId: UNKNOWN_DOCUMENT, entries: payload, path: '$' }];
  }
  if (isRecord(payload)) return [documentOf(payload, '$')];
  throw new VendorSchemaError(VENDOR, '$', 'a signer log (array) or a document with its signer_log');
}

function documentOf(value: unknown, path: string): DocumentEntries {
  if (!isRecord(value)) throw new VendorSchemaError(VENDOR, path, 'a document object');
  const { token, status, signer_log: entries } = value;
  if (typeof token !== 'string' || token === '') {
    throw new VendorSchemaError(VENDOR, `${path}.token`, 'the doc token (non-empty string)');
  }
  if (!Array.isArray(entries)) throw new VendorSchemaError(VENDOR, `${path}.signer_log`, 'an array');
  if (status != null && typeof status !== 'string') {
    throw new VendorSchemaError(VENDOR, `${path}.status`, 'a string');
  }
  const found: DocumentEntries = { processId: token, entries, path: `${path}.signer_log`, status };
  if (Array.isArray(value.signers)) found.signers = rosterOf(value.signers);
  return found;
}

/**
 * The document's signers as a roster. ZapSign's log names a signer by e-mail, so the e-mail is the signer id
 * (a signer without one cannot be matched to log entries and is left out); the phone is kept for the roster.
 */
function rosterOf(signers: unknown[]): ProcessSigner[] {
  const roster: ProcessSigner[] = [];
  for (const signer of signers) {
    if (!isRecord(signer) || typeof signer.email !== 'string' || signer.email === '') continue;
    const listed: ProcessSigner = { signerId: signer.email, email: signer.email };
    if (typeof signer.name === 'string' && signer.name !== '') listed.name = signer.name;
    const { phone_country: country, phone_number: number } = signer;
    if (typeof number === 'string' && number !== '') {
      listed.phone = typeof country === 'string' && country !== '' ? `+${country}${number}` : number;
    }
    roster.push(listed);
  }
  return roster;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normalizeDocument(
  { processId, entries, path }: DocumentEntries,
  events: NormalizedEvent[],
  unmapped: Map<string, Unmapped>,
): void {
  const idTail = `},"processId":${quote(processId)},"v":1,"vendor":"${VENDOR}"}`;
  const repeats = entries.length > LINEAR_SCAN_LIMIT ? new Map<string, SignerLogEntry[]>() : undefined;
  for (let seq = 0; seq < entries.length; seq += 1) {
    const entry = validEntry(entries[seq], path, seq);
    const { time, user, event, description } = entry;
    const email = user || undefined;
    const { mapping, quoted } = sentenceFacts(event);
    let actor: Actor;
    let signerId: string | undefined;
    // Only a creation's description names who acted ("criado por <e-mail> via web"); `user` does not.
    let creator: Creator | undefined;
    if (mapping) {
      if (mapping.type === 'process.created') creator = creatorOf(description);
      actor = creator ? { kind: 'user', email: creator.email } : actorOf(mapping.actorKind, email);
      signerId = mapping.concernsSigner ? email : undefined;
    } else {
      creator = creatorOf(description);
      // The rule for what no sentence explains: an entry with an e-mail is the signer's doing.
      actor = creator ? { kind: 'user', email: creator.email } : actorOf(email ? 'signer' : 'system', email);
      signerId = email;
      tallyUnmapped(unmapped, event);
    }
    const zapsignTime = isZapsignUtc(time);
    const n = repeats ? occurrenceIn(repeats, entry) : occurrenceBefore(entries, seq, entry);
    const id = idOf(entry, quoted, zapsignTime, n, idTail);
    const occurredAt = zapsignTime
      ? flat(`${time.slice(0, 10)}T${time.slice(11, 26)}Z`)
      : timestampOf(time, path, seq);
    const data = mapping?.data ? { ...mapping.data } : {};
    const vendorEvent = typeof description === 'string' ? { type: event, description } : { type: event };
    const normalized: NormalizedEvent = {
      id,
      vendor: VENDOR,
      processId,
      type: mapping?.type ?? 'other',
      occurredAt,
      seq,
      actor,
      data,
      vendorEvent,
      origin: 'log',
      raw: entry,
    };
    if (signerId !== undefined) normalized.signerId = signerId;
    const channel = mapping?.channel ?? creator?.channel;
    if (channel !== undefined) normalized.channel = channel;
    events.push(normalized);
  }
}

/** Checks one entry's fields; the JSON path is only built for the error. */
function validEntry(value: unknown, path: string, seq: number): SignerLogEntry {
  if (!isRecord(value)) throw new VendorSchemaError(VENDOR, `${path}[${seq}]`, 'a signer-log entry object');
  const { time, user, event, description } = value;
  const wrong =
    typeof time !== 'string'
      ? 'time'
      : typeof event !== 'string'
        ? 'event'
        : user != null && typeof user !== 'string'
          ? 'user'
          : description != null && typeof description !== 'string'
            ? 'description'
            : undefined;
  if (wrong !== undefined) {
    const expected = wrong === 'time' || wrong === 'event' ? 'a string' : 'a string or null';
    throw new VendorSchemaError(VENDOR, `${path}[${seq}].${wrong}`, expected);
  }
  return value as SignerLogEntry;
}

function actorOf(kind: Actor['kind'], email: string | undefined): Actor {
  if (kind === 'signer') return email === undefined ? { kind } : { kind, email };
  // `user` is the signer the entry belongs to, not who acted (the docs log a creation by someone else under
  // the signer's e-mail), so owner and system actions carry no e-mail unless the description names one.
  return kind === 'user' ? { kind } : { kind, name: 'ZapSign' };
}

/**
 * "O documento foi criado por <e-mail> via web", "El documento fue creado por … vía API", "The document was
 * created by …": the creator's e-mail and, when given, the channel. Case-insensitive; the only accent these
 * sentences carry is vía's, composed or not.
 */
const CREATED_BY =
  /\b(?:criado|creado|created)\s+(?:por|by)\s+([^\s@]+@[^\s@]+)(?:\s+v(?:i|í|i\u0301)a\s+([a-z\d_-]+))?/i;

/** Who created a document, and through which channel. */
interface Creator {
  email: string;
  channel: string | undefined;
}

/** Who created the document and through which channel, when the description says so. */
function creatorOf(description: string | null | undefined): Creator | undefined {
  if (typeof description !== 'string') return undefined;
  const match = CREATED_BY.exec(description);
  if (!match) return undefined;
  const email = match[1]!.replace(/[.,;:!)]+$/, ''); // the sentence's own punctuation
  return { email, channel: match[2]?.toLowerCase() };
}

/** Up to this many entries a log is scanned for repeats; longer logs index entries by time. */
const LINEAR_SCAN_LIMIT = 64;

/** How many earlier entries of a short log are identical to this one (a scan beats a Map at this size). */
function occurrenceBefore(entries: unknown[], seq: number, entry: SignerLogEntry): number {
  let n = 0;
  for (let i = 0; i < seq; i += 1) {
    const other = entries[i] as SignerLogEntry;
    if (other.time === entry.time && sameEntry(other, entry)) n += 1;
  }
  return n;
}

/** The same count for long logs, through an index by time. */
function occurrenceIn(repeats: Map<string, SignerLogEntry[]>, entry: SignerLogEntry): number {
  const earlier = repeats.get(entry.time);
  if (!earlier) {
    repeats.set(entry.time, [entry]);
    return 0;
  }
  const n = earlier.filter((other) => sameEntry(other, entry)).length;
  earlier.push(entry);
  return n;
}

function sameEntry(a: SignerLogEntry, b: SignerLogEntry): boolean {
  return a.user === b.user && a.event === b.event && a.description === b.description;
}

/**
 * `eventId('zapsign', docToken, { time, user, event, description, n })`, written out: the canonical JSON
 * (sorted keys, absent members dropped) is assembled directly, reusing each sentence's JSON form. Measured
 * on the bench, core's `eventIdFor` with the key object (canonicalized per entry) made the whole
 * normalization 1.3–1.5× slower. A property test holds it equal to core's `eventId`.
 */
function idOf(
  { time, user, description }: SignerLogEntry,
  quotedEvent: string,
  zapsignTime: boolean,
  n: number,
  idTail: string,
): string {
  const head = description === undefined ? '{"key":{' : `{"key":{"description":${quote(description)},`;
  const userPart = user === undefined ? '' : `,"user":${quote(user)}`;
  // The signer log's own time form holds nothing JSON escapes.
  const quotedTime = zapsignTime ? `"${time}"` : quote(time);
  return hash('sha256', `${head}"event":${quotedEvent},"n":${n},"time":${quotedTime}${userPart}${idTail}`);
}

interface SentenceFacts {
  mapping: SentenceMapping | undefined;
  /** The sentence as a JSON string, for ids. */
  quoted: string;
}

// A log repeats a small vocabulary of sentences: what each one means and its JSON form are worked out once.
const sentences = new Map<string, SentenceFacts>();

function sentenceFacts(sentence: string): SentenceFacts {
  let facts = sentences.get(sentence);
  if (facts === undefined) {
    facts = { mapping: mapZapsignSentence(sentence), quoted: quote(sentence) };
    if (sentences.size >= 10_000) sentences.clear(); // free text must not grow the memo without bound
    sentences.set(sentence, facts);
  }
  return facts;
}

// Characters JSON.stringify escapes (quote, backslash, controls, lone surrogates); rare in signer logs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(value: string | null): string {
  if (value === null) return 'null';
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/**
 * True for a valid time in the signer log's own form, `2024-11-27 17:44:32.117577+00:00`, which every entry
 * has: checked here without allocating, other forms go through core's general parser.
 */
function isZapsignUtc(time: string): boolean {
  if (time.length !== 32 || time[10] !== ' ' || time[19] !== '.' || !time.endsWith('+00:00')) return false;
  for (let i = 20; i < 26; i += 1) {
    const code = time.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return startsWithDateAndClock(time);
}

/** Any other timestamp form, through core; garbage is a schema error at the entry's path. */
function timestampOf(time: string, path: string, seq: number): string {
  try {
    return normalizeTimestamp(time);
  } catch (error) {
    throw new VendorSchemaError(
      VENDOR,
      `${path}[${seq}].time`,
      'a timestamp like 2024-11-27 17:44:32.117577+00:00',
      {
        cause: error,
      },
    );
  }
}

/**
 * V8 keeps a concatenation as a rope of slices until it is first read; events live long, and reading one
 * character turns the rope into one flat string, which the garbage collector moves far more cheaply.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

function tallyUnmapped(unmapped: Map<string, Unmapped>, sentence: string): void {
  const key = sentenceKey(sentence);
  const known = unmapped.get(key);
  if (!known) {
    unmapped.set(key, { variants: [sentence], count: 1 });
    return;
  }
  known.count += 1;
  if (!known.variants.includes(sentence)) known.variants.push(sentence);
}
