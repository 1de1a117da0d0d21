import { jsonPath, VendorSchemaError } from '@signtrail/core';
import { z } from 'zod';

/** The vendor name on every event, error and warning of this adapter. */
export const VENDOR = 'taktikal';

// Tolerant wire schemas: documented fields are typed, every other field is kept (loose objects), optional
// fields may be absent or null (.NET serializers write null for missing values).
const text = z.string().nullish();
const flag = z.boolean().nullish();

/** One activity entry (`activityLog[]`). The legacy API sends no `id`. */
export const activityEntrySchema = z.looseObject({
  id: z.int().nullish(),
  flowKey: text,
  processKey: text,
  signeeKey: text,
  status: z.string(),
  description: text,
  userAgent: text,
  fileName: text,
  createdAt: z.string(),
  createdBy: text,
  requiresAuth: flag,
  signInOrder: flag,
  /** `TopFirstPage`, `BottomLastPage`. */
  signatureLocation: text,
  sequenceKey: text,
});

/** One signee (`signees[]`); personal data (SSN, phone, e-mail) is masked by every human-facing output. */
export const signeeSchema = z.looseObject({
  processKey: text,
  signeeKey: text,
  ssn: text,
  name: text,
  address: text,
  postalCode: text,
  city: text,
  phone: text,
  email: text,
  /** `Qualified`, `Simple`, `ClickToSign`, `AdvancedVeriff`, `BankIdSe`; new values are kept as given. */
  signatureType: text,
  hasReminders: flag,
  createdAt: text,
  createdBy: text,
  updatedAt: text,
});

// Shapes of sequence and attachment items are not documented for the activity log: objects, kept as is.
const wireItems = z.array(z.looseObject({})).nullish();

/** The process wrapper: the process, its ordered activity entries, its signees and attachments. */
export const processSchema = z.looseObject({
  processKey: z.string(),
  status: text,
  activityDisplayName: text,
  fileName: text,
  activityLog: z.array(activityEntrySchema).nullish(),
  signees: z.array(signeeSchema).nullish(),
  sequenceSignees: wireItems,
  attachmentReferences: wireItems,
});

/** `GET /signing/activity/total`. */
export const activityTotalSchema = z.looseObject({ total: z.int().nonnegative() });

export type TaktikalActivityEntry = z.infer<typeof activityEntrySchema>;
export type TaktikalSignee = z.infer<typeof signeeSchema>;
export type TaktikalProcess = z.infer<typeof processSchema>;

/** Where a value failed a wire check: the path below the checked value, and what was expected there. */
export interface WireFault {
  path: (string | number)[];
  expected: string;
}

// Hand-written checks that accept exactly what the schemas above accept (a property test holds them to
// it, field by field): zod per record costs more than JSON.parse itself on large payloads, these cost
// a few named property reads.
const isText = (value: unknown) => value === undefined || value === null || typeof value === 'string';
const isFlag = (value: unknown) => value === undefined || value === null || typeof value === 'boolean';
const isRecord = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Checks a process wrapper and everything in it against `processSchema`; `undefined` when valid. */
export function processFault(value: unknown): WireFault | undefined {
  if (!isRecord(value)) return fault([], 'object');
  const process = value as Record<string, unknown>;
  if (typeof process.processKey !== 'string') return fault(['processKey'], 'string');
  if (!isText(process.status)) return fault(['status'], 'string');
  if (!isText(process.activityDisplayName)) return fault(['activityDisplayName'], 'string');
  if (!isText(process.fileName)) return fault(['fileName'], 'string');
  return (
    listFault(process, 'activityLog', entryFault) ??
    listFault(process, 'signees', signeeFault) ??
    listFault(process, 'sequenceSignees', recordFault) ??
    listFault(process, 'attachmentReferences', recordFault)
  );
}

/** Checks one activity entry against `activityEntrySchema`. */
function entryFault(value: unknown): WireFault | undefined {
  if (!isRecord(value)) return fault([], 'object');
  const entry = value as Record<string, unknown>;
  if (!(entry.id === undefined || entry.id === null || Number.isSafeInteger(entry.id))) {
    return fault(['id'], 'integer');
  }
  if (!isText(entry.flowKey)) return fault(['flowKey'], 'string');
  if (!isText(entry.processKey)) return fault(['processKey'], 'string');
  if (!isText(entry.signeeKey)) return fault(['signeeKey'], 'string');
  if (typeof entry.status !== 'string') return fault(['status'], 'string');
  if (!isText(entry.description)) return fault(['description'], 'string');
  if (!isText(entry.userAgent)) return fault(['userAgent'], 'string');
  if (!isText(entry.fileName)) return fault(['fileName'], 'string');
  if (typeof entry.createdAt !== 'string') return fault(['createdAt'], 'string');
  if (!isText(entry.createdBy)) return fault(['createdBy'], 'string');
  if (!isFlag(entry.requiresAuth)) return fault(['requiresAuth'], 'boolean');
  if (!isFlag(entry.signInOrder)) return fault(['signInOrder'], 'boolean');
  if (!isText(entry.signatureLocation)) return fault(['signatureLocation'], 'string');
  if (!isText(entry.sequenceKey)) return fault(['sequenceKey'], 'string');
  return undefined;
}

/** Checks one signee against `signeeSchema`. */
function signeeFault(value: unknown): WireFault | undefined {
  if (!isRecord(value)) return fault([], 'object');
  const signee = value as Record<string, unknown>;
  if (!isText(signee.processKey)) return fault(['processKey'], 'string');
  if (!isText(signee.signeeKey)) return fault(['signeeKey'], 'string');
  if (!isText(signee.ssn)) return fault(['ssn'], 'string');
  if (!isText(signee.name)) return fault(['name'], 'string');
  if (!isText(signee.address)) return fault(['address'], 'string');
  if (!isText(signee.postalCode)) return fault(['postalCode'], 'string');
  if (!isText(signee.city)) return fault(['city'], 'string');
  if (!isText(signee.phone)) return fault(['phone'], 'string');
  if (!isText(signee.email)) return fault(['email'], 'string');
  if (!isText(signee.signatureType)) return fault(['signatureType'], 'string');
  if (!isFlag(signee.hasReminders)) return fault(['hasReminders'], 'boolean');
  if (!isText(signee.createdAt)) return fault(['createdAt'], 'string');
  if (!isText(signee.createdBy)) return fault(['createdBy'], 'string');
  if (!isText(signee.updatedAt)) return fault(['updatedAt'], 'string');
  return undefined;
}

function recordFault(value: unknown): WireFault | undefined {
  return isRecord(value) ? undefined : fault([], 'object');
}

function listFault(
  owner: Record<string, unknown>,
  key: string,
  itemFault: (value: unknown) => WireFault | undefined,
): WireFault | undefined {
  const list = owner[key];
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) return fault([key], 'array');
  for (let index = 0; index < list.length; index += 1) {
    const failure = itemFault(list[index]);
    if (failure) {
      failure.path.unshift(key, index);
      return failure;
    }
  }
  return undefined;
}

function fault(path: (string | number)[], expected: string): WireFault {
  return { path, expected };
}

/** What is wrong with a response that is neither an array of wrappers nor one wrapper object. */
export function topLevelFault(value: unknown): WireFault | undefined {
  return Array.isArray(value) || isRecord(value)
    ? undefined
    : fault([], 'an array of process wrappers or one wrapper');
}

/**
 * Checks what a response must be before any of it is read: an array of process wrappers, or one wrapper (the
 * legacy page shows one), each an object naming its process. A wrapper whose inside breaks the documented shape
 * is left to `normalize`, so one bad process does not cost the rest of its page.
 */
export function responseFault(value: unknown): WireFault | undefined {
  const top = topLevelFault(value);
  if (top) return top;
  const list = Array.isArray(value) ? value : [value];
  for (let index = 0; index < list.length; index += 1) {
    const wrapper: unknown = list[index];
    const failure = !isRecord(wrapper)
      ? fault([], 'object')
      : typeof (wrapper as Record<string, unknown>).processKey !== 'string'
        ? fault(['processKey'], 'string')
        : undefined;
    if (failure) {
      if (Array.isArray(value)) failure.path.unshift(index);
      return failure;
    }
  }
  return undefined;
}

/**
 * The activity response for the HTTP client (which validates with zod): the hand-written check inside,
 * so a bad field is named by its exact path (a zod union would only say the whole body is invalid).
 */
export const activityResponseSchema = z.unknown().superRefine((value, context) => {
  const failure = responseFault(value);
  if (failure) context.addIssue({ code: 'custom', path: failure.path, message: failure.expected });
});

/** A validated activity response as its list of wrappers. */
export function wrappers(response: unknown): TaktikalProcess[] {
  return (Array.isArray(response) ? response : [response]) as TaktikalProcess[];
}

/** A wire fault as a `VendorSchemaError` naming the JSON path under `basePath`. */
export function wireError(failure: WireFault, basePath: readonly (string | number)[]): VendorSchemaError {
  return new VendorSchemaError(VENDOR, jsonPath([...basePath, ...failure.path]), failure.expected);
}
