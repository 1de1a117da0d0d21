import type { EventData, EventType, ProcessStatus } from '@signtrail/core';

/** How one SigningHub `action_type` maps onto the taxonomy. */
export interface ActionRule {
  type: EventType;
  /** Vendor machinery (post-processing, reports): the actor is `system` whoever the record names. */
  system?: boolean;
  /** A recipient's own act: the actor's e-mail is the `signerId` of the signer concerned. */
  bySigner?: boolean;
  /** Details every record of this code carries. */
  data?: EventData;
}

/**
 * SigningHub publishes no machine list of `action_type` codes: the documented ones (SHARED, OPENED,
 * SIGNED) and the actions its manuals list in prose, in SigningHub's UPPER_SNAKE style. A new code is
 * one line. Codes mapped to `other` are known actions without a taxonomy type (no `unmapped` warning).
 */
export const ACTION_RULES: Readonly<Record<string, ActionRule>> = {
  UPLOADED: { type: 'document.added' },
  DOCUMENT_UPLOADED: { type: 'document.added' },
  ADDED_FROM_LIBRARY: { type: 'document.added', data: { source: 'library' } },
  ADDED_FROM_CLOUD: { type: 'document.added', data: { source: 'cloud' } },
  CONVERTED_TO_PDF: { type: 'other', system: true },
  SHARED: { type: 'process.started' },
  OPENED: { type: 'signer.viewed', bySigner: true },
  CLOSED: { type: 'other' },
  CONTACT_ADDED: { type: 'other' },
  COMMENT_ADDED: { type: 'other' },
  ATTACHMENT_ADDED: { type: 'other' },
  FORM_FIELD_FILLED: { type: 'other' },
  INITIALS_ADDED: { type: 'other' },
  SIGNED: { type: 'signer.signed', bySigner: true },
  // `inPerson` stays whatever the record says; `method` is the information's METHOD when it gives one.
  IN_PERSON_SIGNED: { type: 'signer.signed', data: { method: 'IN_PERSON', inPerson: true } },
  ESEAL_APPLIED: { type: 'signer.signed', bySigner: true, data: { signatureType: 'electronic_seal' } },
  ELECTRONIC_SEAL_APPLIED: {
    type: 'signer.signed',
    bySigner: true,
    data: { signatureType: 'electronic_seal' },
  },
  APPROVED: { type: 'signer.approved', bySigner: true },
  REVIEWED: { type: 'signer.approved', bySigner: true },
  DECLINED: { type: 'signer.declined', bySigner: true },
  REMINDED: { type: 'signer.reminded' },
  RECALLED: { type: 'process.cancelled' },
  UPDATED: { type: 'process.updated' },
  RENAMED: { type: 'process.updated' },
  EDITED: { type: 'other' },
  CARBON_COPIED: { type: 'other' },
  COMPLETED: { type: 'process.completed', system: true },
  DELETED: { type: 'process.deleted' },
  PRINTED: { type: 'other' },
  DOWNLOADED: { type: 'document.downloaded' },
  EVIDENCE_REPORT_GENERATED: { type: 'other', system: true },
  POST_PROCESSED: { type: 'other', system: true },
  POST_PROCESSING: { type: 'other', system: true },
};

// Maps for the lookups: keyed loads of arbitrary strings on plain objects are slow in the hot loop.
const RULES = new Map(Object.entries(ACTION_RULES));

/** The rule of a vendor code, or undefined when no rule knows it (then: `other` + `unmapped`). */
export function ruleFor(actionType: string): ActionRule | undefined {
  return RULES.get(actionType);
}

/**
 * `package_status` → the process status it implies. APPROVED is the status of a package the current
 * user approved (a reviewer's step), not a closed workflow, so it means `in_progress`; unknown words
 * give no hint (they are kept as `vendorStatus`).
 */
export const PACKAGE_STATUS_HINTS: Readonly<Record<string, ProcessStatus>> = {
  DRAFT: 'draft',
  INPROGRESS: 'in_progress',
  PENDING: 'in_progress',
  SIGNED: 'in_progress',
  REVIEWED: 'in_progress',
  EDITED: 'in_progress',
  UPDATED: 'in_progress',
  APPROVED: 'in_progress',
  COMPLETED: 'completed',
  DECLINED: 'declined',
};

/** The status hint of a `package_status` word, if it has one. */
export function statusHintFor(packageStatus: string): ProcessStatus | undefined {
  return Object.hasOwn(PACKAGE_STATUS_HINTS, packageStatus) ? PACKAGE_STATUS_HINTS[packageStatus] : undefined;
}

/** `information.type` values whose `value` becomes a normalized `data` field. */
export const INFORMATION_FIELDS: Readonly<Record<string, keyof EventData & string>> = {
  METHOD: 'method',
  SIGNING_METHOD: 'method',
  VIEWER: 'viewer',
  SHARED_WITH: 'sharedWith',
  REASON: 'reason',
  DECLINE_REASON: 'reason',
  DOCUMENT_NAME: 'fileName',
};

/** `VIEWER` values that name a channel. */
export const VIEWER_CHANNELS: Readonly<Record<string, string>> = {
  WEB_BROWSER: 'web',
  MOBILE_APP: 'app',
};

const FIELDS = new Map(Object.entries(INFORMATION_FIELDS));
const CHANNELS = new Map(Object.entries(VIEWER_CHANNELS));

/** The `data` field an `information.type` fills, if any. */
export function informationField(informationType: string): string | undefined {
  return FIELDS.get(informationType);
}

/** The channel a `VIEWER` value names, if any. */
export function viewerChannel(viewer: string): string | undefined {
  return CHANNELS.get(viewer);
}
