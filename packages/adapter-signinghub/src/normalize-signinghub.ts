import {
  type Actor,
  type AdapterWarning,
  type EventData,
  eventIdFor,
  InvalidTimestampError,
  type NormalizedEvent,
  type NormalizeResult,
  normalizeTimestamp,
  type ProcessInfo,
  type ProcessSigner,
  startsWithDateAndClock,
  unmappedWarnings,
  VendorSchemaError,
} from '@signtrail/core';
import { informationField, ruleFor, statusHintFor, viewerChannel } from './map-signinghub-event.js';
import { type LogDetailNode, VENDOR } from './signinghub-api.js';

/** Options of `normalizeSigninghub`. */
export interface NormalizeSigninghubOptions {
  /** IANA zone SigningHub's zone-less `date_time` is read in. Default `UTC`. */
  timeZone?: string;
}

type Json = Record<string, unknown>;

interface Collector {
  timeZone: string;
  events: NormalizedEvent[];
  warnings: AdapterWarning[];
  processes: ProcessInfo[];
  unmapped: Map<string, number>;
}

/**
 * Pure, offline: SigningHub workflow history (`GET /v3/packages/{id}/log`, one package log or an array
 * of them, exactly as the API returns it) → normalized events, one per action, `seq` = index in
 * `actions`, `raw` = the action. Validation is hand-written (no per-record zod) so large exports stay
 * cheap; a bad field is a `VendorSchemaError` with its JSON path.
 */
export function normalizeSigninghub(
  payload: unknown,
  options: NormalizeSigninghubOptions = {},
): NormalizeResult {
  const out: Collector = {
    timeZone: options.timeZone ?? 'UTC',
    events: [],
    warnings: [],
    processes: [],
    unmapped: new Map(),
  };
  if (Array.isArray(payload)) {
    for (let index = 0; index < payload.length; index += 1) normalizeLog(payload[index], `$[${index}]`, out);
  } else {
    normalizeLog(payload, '$', out);
  }
  out.warnings.push(...unmappedWarnings(VENDOR, out.unmapped));
  return { events: out.events, warnings: out.warnings, processes: out.processes };
}

function normalizeLog(log: unknown, path: string, out: Collector): void {
  if (!isObject(log)) throw new VendorSchemaError(VENDOR, path, 'a package log object');
  const packageId = log.package_id;
  if (!(typeof packageId === 'number' || (typeof packageId === 'string' && packageId !== ''))) {
    throw new VendorSchemaError(VENDOR, `${path}.package_id`, 'a number or a non-empty string');
  }
  const processId = String(packageId);
  const owner = optionalString(log, 'package_owner', path);
  const status = optionalString(log, 'package_status', path);
  const documents = documentsOf(log, path);
  // `null` counts as absent, as everywhere in SigningHub's answers: no actions, a cleared log.
  const actions = log.actions ?? [];
  if (!Array.isArray(actions)) throw new VendorSchemaError(VENDOR, `${path}.actions`, 'an array');

  const info: ProcessInfo = { processId };
  if (status !== undefined) {
    info.vendorStatus = status;
    const hint = statusHintFor(status);
    if (hint !== undefined) info.statusHint = hint;
  }
  // Checked always; a roster only while the package is open: a closed one still names its last "next"
  // recipient (the documentation example, COMPLETED, names Sam Crook), who is then nobody's pending signer.
  const signers = nextSignersOf(log, path);
  const closed = info.statusHint === 'completed' || info.statusHint === 'declined';
  if (signers !== undefined && !closed) info.signers = signers;
  out.processes.push(info);
  if (actions.length === 0 && status === 'COMPLETED') {
    out.warnings.push({
      type: 'data',
      message: `${VENDOR}: package ${processId} is COMPLETED with an empty log (SigningHub can clear logs on completion); keep the stored events`,
    });
  }

  const context: PackageContext = {
    processId,
    ownerEmail: owner,
    ownerLower: owner?.toLowerCase(),
    documents,
    idOf: eventIdFor(VENDOR, processId),
    seenLogIds: new Set(),
  };
  const actionsPath = `${path}.actions`;
  for (let seq = 0; seq < actions.length; seq += 1) {
    out.events.push(normalizeAction(actions[seq], seq, actionsPath, context, out));
  }
  for (const [logId, times] of context.repeatedLogIds ?? []) {
    out.warnings.push({
      type: 'data',
      message: `${VENDOR}: package ${processId} repeats log_id ${logId} (${times}×); repeats are keyed by occurrence`,
    });
  }
}

interface PackageContext {
  processId: string;
  ownerEmail: string | undefined;
  ownerLower: string | undefined;
  documents: PackageDocuments;
  /** Core `eventId` bound to this package. */
  idOf: (key: unknown) => string;
  seenLogIds: Set<number>;
  /** Created on the first repeat (rare). */
  repeatedLogIds?: Map<number, number>;
}

function normalizeAction(
  action: unknown,
  seq: number,
  arrayPath: string,
  context: PackageContext,
  out: Collector,
): NormalizedEvent {
  // Hot loop: no closures or per-record allocations beyond the event itself; paths are built on failure.
  if (!isObject(action)) throw schemaError(arrayPath, seq, '', 'an action object');
  const code = action.action_type;
  if (typeof code !== 'string') throw schemaError(arrayPath, seq, '.action_type', 'a string');
  const dateTime = action.date_time;
  if (typeof dateTime !== 'string') throw schemaError(arrayPath, seq, '.date_time', 'a string');
  const logId = action.log_id;
  if (logId != null && typeof logId !== 'number') throw schemaError(arrayPath, seq, '.log_id', 'a number');
  const email = action.user_email ?? undefined;
  if (email !== undefined && typeof email !== 'string') {
    throw schemaError(arrayPath, seq, '.user_email', 'a string');
  }
  const name = action.user_name ?? undefined;
  if (name !== undefined && typeof name !== 'string')
    throw schemaError(arrayPath, seq, '.user_name', 'a string');
  const enterprise = action.enterprise_name ?? undefined;
  if (enterprise !== undefined && typeof enterprise !== 'string') {
    throw schemaError(arrayPath, seq, '.enterprise_name', 'a string');
  }
  const information = action.information;
  let infoType: unknown;
  let infoValue: unknown;
  if (information != null) {
    if (!isObject(information)) throw schemaError(arrayPath, seq, '.information', 'an object');
    infoType = information.type ?? undefined;
    infoValue = information.value ?? undefined;
    if (infoType !== undefined && typeof infoType !== 'string') {
      throw schemaError(arrayPath, seq, '.information.type', 'a string');
    }
    if (infoValue !== undefined && typeof infoValue !== 'string') {
      throw schemaError(arrayPath, seq, '.information.value', 'a string');
    }
  }

  const rule = ruleFor(code);
  if (rule === undefined) out.unmapped.set(code, (out.unmapped.get(code) ?? 0) + 1);
  const type = rule === undefined ? 'other' : rule.type;

  let actor: Actor;
  if (email === undefined || rule?.system) {
    actor = { kind: 'system' };
    if (email !== undefined) actor.email = email;
    if (name !== undefined) actor.name = name;
  } else {
    const isOwner = email === context.ownerEmail || email.toLowerCase() === context.ownerLower;
    actor =
      name === undefined
        ? { kind: isOwner ? 'user' : 'signer', email }
        : { kind: isOwner ? 'user' : 'signer', email, name };
  }

  const data: EventData = rule?.data === undefined ? {} : { ...rule.data };
  let channel: string | undefined;
  if (typeof infoType === 'string' && typeof infoValue === 'string') {
    const field = informationField(infoType);
    if (field !== undefined) data[field] = infoValue;
    else data.information = { type: infoType, value: infoValue };
    if (infoType === 'VIEWER') channel = viewerChannel(infoValue);
  }
  if (enterprise !== undefined) data.enterpriseName = enterprise;

  const logKey = logId == null ? undefined : String(logId);
  const event: NormalizedEvent = {
    id: actionEventId(action, logId ?? undefined, context),
    vendor: VENDOR,
    processId: context.processId,
    type,
    occurredAt: occurredAt(dateTime, out.timeZone, arrayPath, seq),
    seq,
    actor,
    data,
    vendorEvent: logKey === undefined ? { type: code } : { type: code, id: logKey },
    origin: 'log',
    raw: action,
  };
  // The actor is the signer concerned for acts a recipient performs; an owner opening their own package is
  // not a recipient's view, but an owner signing, approving or declining is acting as a recipient.
  if (rule?.bySigner && email !== undefined && actor.kind !== 'system') {
    if (actor.kind === 'signer') event.signerId = email.toLowerCase();
    else if (type !== 'signer.viewed') {
      event.signerId = email.toLowerCase();
      data.signerEmail = email;
      if (name !== undefined) data.signerName = name;
    }
  }
  const documentId = context.documents.idFor(type, data.fileName);
  if (documentId !== undefined) event.documentId = documentId;
  if (channel !== undefined) event.channel = channel;
  return event;
}

function schemaError(arrayPath: string, seq: number, field: string, expected: string): VendorSchemaError {
  return new VendorSchemaError(VENDOR, `${arrayPath}[${seq}]${field}`, expected);
}

/**
 * `eventId(vendor, processId, log_id)`; a log_id seen before in the same log (the documentation example
 * gives every action log_id 1) is keyed by its occurrence, and an action without log_id by its content.
 */
function actionEventId(action: Json, logId: number | undefined, context: PackageContext): string {
  if (logId === undefined) return context.idOf(action);
  if (!context.seenLogIds.has(logId)) {
    context.seenLogIds.add(logId);
    return context.idOf(logId);
  }
  context.repeatedLogIds ??= new Map();
  const occurrence = (context.repeatedLogIds.get(logId) ?? 1) + 1;
  context.repeatedLogIds.set(logId, occurrence);
  return context.idOf({ log_id: logId, occurrence });
}

/**
 * Core `normalizeTimestamp`, with a fast path for SigningHub's usual `YYYY-MM-DDTHH:MM:SS` read in UTC
 * (same output; a test pins the equality). Anything else goes to core.
 */
export function occurredAt(value: string, timeZone: string, arrayPath = '$', seq = 0): string {
  if (timeZone === 'UTC' && isPlainUtcSecond(value)) return `${value}.000000Z`;
  try {
    return normalizeTimestamp(value, { timeZone });
  } catch (error) {
    if (!(error instanceof InvalidTimestampError)) throw error;
    const path = `${arrayPath}[${seq}].date_time`;
    throw new VendorSchemaError(VENDOR, path, 'a date-time such as 2015-01-12T11:12:13', { cause: error });
  }
}

/** A valid `YYYY-MM-DDTHH:MM:SS` (year ≥ 1) with nothing around it. */
function isPlainUtcSecond(value: string): boolean {
  return value.length === 19 && value[10] === 'T' && startsWithDateAndClock(value);
}

/**
 * Adds what a log-details tree says to an event of `log`: `data.ip` (IP_ADDRESS), `data.documentNames`
 * (LOG_ACTIVITY_DOCUMENT_NAMES), `data.certificates` (how many certificates the tree holds) and, when
 * exactly one document is named, its `documentId`. The certificates themselves are not copied (large;
 * fetch them from SigningHub when needed).
 */
export function applyLogDetails(event: NormalizedEvent, nodes: readonly LogDetailNode[], log: unknown): void {
  const found: { ip?: string; names: string[] } = { names: [] };
  collectDetails(nodes, found);
  if (found.ip !== undefined) event.data.ip = found.ip;
  const certificates = countCertificates(nodes);
  if (certificates > 0) event.data.certificates = certificates;
  if (found.names.length === 0) return;
  event.data.documentNames = found.names;
  if (event.documentId === undefined && found.names.length === 1 && isObject(log)) {
    const documentId = documentsOf(log, '$').idFor('other', found.names[0]);
    if (documentId !== undefined) event.documentId = documentId;
  }
}

function collectDetails(nodes: readonly LogDetailNode[], found: { ip?: string; names: string[] }): void {
  for (const node of nodes) {
    if (node.key === 'IP_ADDRESS' && node.value) found.ip = node.value;
    else if (node.key === 'LOG_ACTIVITY_DOCUMENT_NAMES') {
      const children = node.data ?? [];
      for (const child of children) if (child.value) found.names.push(child.value);
      if (children.length === 0 && node.value) found.names.push(node.value);
    } else if (node.data) collectDetails(node.data, found);
  }
}

/** Nodes anywhere in the tree that carry a certificate (inline or as a link). */
function countCertificates(nodes: readonly LogDetailNode[]): number {
  let count = 0;
  for (const node of nodes) {
    if (node.certificate_base64 || node.certificate_base64_url) count += 1;
    if (node.data) count += countCertificates(node.data);
  }
  return count;
}

/** Which document an event names: by `information` document name, or the only document of the package. */
interface PackageDocuments {
  idFor(type: NormalizedEvent['type'], fileName: unknown): string | undefined;
}

function documentsOf(log: Json, path: string): PackageDocuments {
  const documents = log.documents;
  if (documents == null) return { idFor: () => undefined };
  if (!Array.isArray(documents)) throw new VendorSchemaError(VENDOR, `${path}.documents`, 'an array');
  const byName = new Map<string, string>();
  documents.forEach((document, index) => {
    if (!isObject(document)) throw new VendorSchemaError(VENDOR, `${path}.documents[${index}]`, 'an object');
    const id = document.document_id;
    const name = document.document_name;
    if (id == null) return;
    if (typeof id !== 'number' && typeof id !== 'string') {
      throw new VendorSchemaError(VENDOR, `${path}.documents[${index}].document_id`, 'a number or a string');
    }
    if (typeof name === 'string') byName.set(name, String(id));
  });
  const only = documents.length === 1 && isObject(documents[0]) ? documents[0].document_id : undefined;
  const onlyId = only == null ? undefined : String(only);
  return {
    idFor(type, fileName) {
      if (typeof fileName === 'string' && byName.has(fileName)) return byName.get(fileName);
      return type === 'document.added' || type === 'document.downloaded' ? onlyId : undefined;
    },
  };
}

/**
 * The next recipient(s) as roster entries, keyed like a recipient's own acts (e-mail, lower-cased) so the
 * fold joins them. The docs describe `next_signer_email` as an object and show an array: both are read. An
 * entry without e-mail has no signer identity in SigningHub and is left out; none left is undefined.
 */
function nextSignersOf(log: Json, path: string): ProcessSigner[] | undefined {
  const value = log.next_signer_email;
  if (value == null) return undefined;
  const field = `${path}.next_signer_email`;
  if (typeof value !== 'object') {
    throw new VendorSchemaError(VENDOR, field, 'an array of { user_email, user_name } or one such object');
  }
  const entries: unknown[] = Array.isArray(value) ? value : [value];
  // `next_signer` is the next recipient's name: it names a lone entry that carries none.
  const nextName = optionalString(log, 'next_signer', path);
  const signers = new Map<string, ProcessSigner>();
  entries.forEach((entry, index) => {
    const at = Array.isArray(value) ? `${field}[${index}]` : field;
    if (!isObject(entry)) throw new VendorSchemaError(VENDOR, at, 'an object');
    const email = optionalString(entry, 'user_email', at);
    const name = optionalString(entry, 'user_name', at) ?? (entries.length === 1 ? nextName : undefined);
    if (!email || signers.has(email.toLowerCase())) return;
    const signer: ProcessSigner = { signerId: email.toLowerCase(), email };
    if (name) signer.name = name;
    signers.set(signer.signerId, signer);
  });
  return signers.size > 0 ? [...signers.values()] : undefined;
}

function optionalString(record: Json, key: string, path: string): string | undefined {
  const value = record[key];
  if (value == null) return undefined;
  if (typeof value !== 'string') throw new VendorSchemaError(VENDOR, `${path}.${key}`, 'a string');
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
