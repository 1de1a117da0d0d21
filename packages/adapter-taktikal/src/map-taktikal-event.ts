import type { EventType, ProcessStatus } from '@signtrail/core';

/** What one Taktikal activity `status` means in the taxonomy. */
export interface TaktikalEventRule {
  type: EventType;
  /** The channel the status itself implies (`SMS:*` → sms, Mailgun events → email). */
  channel?: string;
  /** The channel is written only in the description (`Delivery method : Sms`); no field carries it. */
  channelInDescription?: boolean;
  /** For notifications: who received it (`signer`, `owner`, `salesperson`). */
  recipientRole?: string;
  /** For notifications: the delivery state, lower case (`delivered`, `undelivered`, `bounced`…). */
  deliveryStatus?: string;
  /** The signee is the actor (a signature), whatever `createdBy` says. */
  signeeActs?: boolean;
  /** A Mailgun report: its description carries the recipient, the severity and the reason. */
  mailgun?: boolean;
  /**
   * No taxonomy type fits the code (an SMS still in flight): the event is `other` and the code is counted in
   * the `unmapped` warning, but what the code does tell (channel, recipient, delivery state) is kept.
   */
  unmapped?: boolean;
}

// Plain statuses, by lower-case status. A new status is one line.
const STATUS_RULES = new Map<string, TaktikalEventRule>([
  ['created', { type: 'process.created' }],
  ['signeeadded', { type: 'signer.added' }],
  ['signupsent', { type: 'signer.invited', channelInDescription: true }],
  ['started', { type: 'process.started' }],
  ['signeesigned', { type: 'signer.signed', signeeActs: true }],
  ['completed', { type: 'process.completed' }],
  // Not in the documented examples; the webhook names them (EventType 5 Canceled, 6 Expired).
  ['canceled', { type: 'process.cancelled' }],
  ['cancelled', { type: 'process.cancelled' }],
  ['expired', { type: 'process.expired' }],
]);

// `SMS:<state>`: the SMS gateway's delivery report. In-flight states (SENT, ENROUTE…) are neither
// delivered nor failed, so they are not listed: they become `other`, still about the signee and the SMS.
const SMS_STATES = new Map<string, EventType>([
  ['delivered', 'notification.delivered'],
  ['failed', 'notification.failed'],
  ['undelivered', 'notification.failed'],
  ['undeliverable', 'notification.failed'],
  ['expired', 'notification.failed'],
  ['rejected', 'notification.failed'],
  ['deleted', 'notification.failed'],
]);

// `<Prefix>:<mailgun event>`: the Mailgun webhook for one of Taktikal's e-mails.
const MAILGUN_EVENTS = new Map<string, EventType>([
  ['delivered', 'notification.delivered'],
  ['failed', 'notification.failed'],
  ['bounced', 'notification.failed'],
  ['rejected', 'notification.failed'],
  ['complained', 'notification.failed'],
  ['dropped', 'notification.failed'],
]);

// Who a Mailgun e-mail went to, by prefix. `Confirmation` is the completion confirmation, which goes to
// the owner of the process (the one that started it); `Signup`/`Signee` e-mails go to the signee. Any
// other prefix (`Reminder`…) names its recipient itself, lower-cased.
const MAILGUN_RECIPIENTS = new Map<string, string>([
  ['confirmation', 'owner'],
  ['salesperson', 'salesperson'],
  ['signee', 'signer'],
  ['signup', 'signer'],
]);

const ruleCache = new Map<string, TaktikalEventRule | null>();

/** The taxonomy rule of an activity `status` (case-insensitive); `undefined` when no rule knows it. */
export function mapTaktikalStatus(status: string): TaktikalEventRule | undefined {
  let rule = ruleCache.get(status);
  if (rule === undefined) {
    rule = ruleOf(status.toLowerCase()) ?? null;
    // Vendor vocabularies are small; the cap only guards against a payload full of distinct garbage.
    if (ruleCache.size < 10_000) ruleCache.set(status, rule);
  }
  return rule ?? undefined;
}

function ruleOf(status: string): TaktikalEventRule | undefined {
  const plain = STATUS_RULES.get(status);
  if (plain) return plain;
  const colon = status.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = status.slice(0, colon).trim();
  const state = status.slice(colon + 1).trim();
  if (prefix === 'sms') {
    if (state === '') return undefined;
    const type = SMS_STATES.get(state);
    const sms = { channel: 'sms', recipientRole: 'signer', deliveryStatus: state };
    return type ? { type, ...sms } : { type: 'other', ...sms, unmapped: true };
  }
  const type = MAILGUN_EVENTS.get(state);
  if (!type || prefix === '') return undefined;
  const recipientRole = MAILGUN_RECIPIENTS.get(prefix) ?? prefix;
  return { type, channel: 'email', recipientRole, deliveryStatus: state, mailgun: true };
}

/** True when the rule's event concerns one signee (so the entry's `signeeKey` is its `signerId`). */
export function concernsSigner(rule: TaktikalEventRule): boolean {
  return rule.type.startsWith('signer.') || rule.recipientRole === 'signer';
}

// `Delivery method : Sms` — the only place Taktikal writes an invitation's channel.
const DELIVERY_METHOD = /delivery method\s*:\s*([a-z]+)/i;
const DELIVERY_CHANNELS = new Map<string, string | null>([
  ['sms', 'sms'],
  ['email', 'email'],
  ['none', null],
]);

/** The channel named in a `SignupSent` description, lower case; `undefined` when none is named. */
export function channelFromDescription(description: string | null | undefined): string | undefined {
  const method = description ? DELIVERY_METHOD.exec(description)?.[1]?.toLowerCase() : undefined;
  if (method === undefined) return undefined;
  const known = DELIVERY_CHANNELS.get(method);
  return known === null ? undefined : (known ?? method);
}

// The wrapper's `status` (the `StatusFilter` words). `InActive` says the process ended without
// completing but not how (declined, cancelled, expired), so it gives no hint.
const PROCESS_STATUS_HINTS = new Map<string, ProcessStatus | undefined>([
  ['completed', 'completed'],
  ['active', 'in_progress'],
  ['inactive', undefined],
]);

/** The process status a wrapper `status` word means, when it says one. */
export function mapTaktikalProcessStatus(status: string): ProcessStatus | undefined {
  return PROCESS_STATUS_HINTS.get(status.toLowerCase());
}

/** What a webhook `EventType` code announces. */
export interface TaktikalWebhookEventRule {
  /** The vendor's name of the code. */
  name: string;
  /** The taxonomy type of the happening. */
  type: EventType;
}

// Webhook `EventData.EventType` codes. The signature does not cover the body, so these never become events
// (DESIGN: the body is not trusted, the re-read decides); they name what a delivery announces.
const WEBHOOK_EVENT_TYPES = new Map<number, TaktikalWebhookEventRule>([
  [1, { name: 'SignedDocument', type: 'signer.signed' }],
  [2, { name: 'AllSigned', type: 'process.completed' }],
  [5, { name: 'Canceled', type: 'process.cancelled' }],
  [6, { name: 'Expired', type: 'process.expired' }],
  [10, { name: 'Completed', type: 'process.completed' }],
  [11, { name: 'Created', type: 'process.created' }],
]);

/** A webhook `EventType` code's name and the taxonomy type of the happening it announces. */
export function mapTaktikalWebhookEvent(eventType: number): TaktikalWebhookEventRule | undefined {
  return WEBHOOK_EVENT_TYPES.get(eventType);
}
