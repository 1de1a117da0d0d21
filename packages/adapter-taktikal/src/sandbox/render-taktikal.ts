import { createHash, createHmac, randomInt, randomUUID } from 'node:crypto';
import type { EventType, NormalizedEvent } from '@signtrail/core';
import type { RenderedWebhook, Story, StoryPerson } from '@signtrail/sandbox';
import type { TaktikalActivityEntry, TaktikalProcess, TaktikalSignee } from '../taktikal-api.js';

/** Which API's wire format: the current one (entry ids, process status) or the legacy one. */
export type TaktikalApi = 'current' | 'legacy';

/**
 * The story event types Taktikal's documented activity log expresses (the vocabulary stories are made of).
 * `renderTaktikal` also renders `process.cancelled` and `process.expired` (as `Canceled` / `Expired`, which
 * the log documentation never shows), for stories generated with them added to `types`; they stay out of
 * the default vocabulary, whose stories would otherwise also send webhooks 5 and 6, whose events are dated
 * at sending while the story's log is dated in its past.
 */
export const TAKTIKAL_STORY_TYPES: readonly EventType[] = [
  'process.created',
  'signer.added',
  'signer.invited',
  'process.started',
  'notification.delivered',
  'notification.failed',
  'signer.signed',
  'process.completed',
  'other',
];

const MAILGUN_PREFIX = new Map([
  ['signer', 'Signup'],
  ['owner', 'Confirmation'],
  ['salesperson', 'SalesPerson'],
]);
const CORE = 'Taktikal.Core';

/** Renders stories as Taktikal's activity response: an array of process wrappers (pure). */
export function renderTaktikal(stories: readonly Story[], api: TaktikalApi = 'current'): TaktikalProcess[] {
  return stories.map((story) => renderTaktikalProcess(story, api));
}

/** Renders one story as one Taktikal process wrapper, exactly as the given API sends it. */
export function renderTaktikalProcess(story: Story, api: TaktikalApi = 'current'): TaktikalProcess {
  const legacy = api === 'legacy';
  const processKey = story.processId;
  const flowKey = taktikalFlowKey(story);
  const signedBy = new Map<string, NormalizedEvent>();
  for (const event of story.events) {
    if (event.type === 'signer.signed' && event.signerId) signedBy.set(event.signerId, event);
  }
  const lastSigner = [...signedBy.keys()].at(-1);
  const sequenceKey = story.ordering === 'sequential' ? taktikalSequenceKey(story) : undefined;
  const activityLog = story.events.map((event, seq) => {
    const signer = story.signers.find((person) => person.signerId === event.signerId);
    const fields = describe(event, story, signer, legacy);
    // Built field by field so the key order is the documentation's.
    const entry: Record<string, unknown> = legacy ? {} : { id: seq + 1 };
    entry.flowKey = flowKey;
    entry.processKey = processKey;
    const signeeKey = signer?.signerId ?? (fields.aboutLastSigner ? lastSigner : undefined);
    if (signeeKey) entry.signeeKey = signeeKey;
    entry.status = fields.status;
    entry.description = fields.description;
    if (fields.fileName) entry.fileName = story.fileName;
    if (event.type === 'signer.signed' && !legacy) entry.userAgent = 'Mozilla/5.0';
    entry.createdAt = `${event.occurredAt.slice(0, 26)}0Z`;
    entry.createdBy = fields.createdBy;
    if (!legacy) Object.assign(entry, optionalFields(event, story, sequenceKey));
    return entry as TaktikalActivityEntry;
  });
  const signees = story.signers.map((person, n) =>
    signeeOf(story, person, n, signedBy.get(person.signerId), legacy),
  );
  if (legacy) return { processKey, activityLog, signees };
  return {
    processKey,
    status: processStatusOf(story),
    activityDisplayName: story.fileName,
    fileName: story.fileName,
    activityLog,
    signees,
    sequenceSignees: [],
    attachmentReferences: [],
  };
}

/** The flow key a story's entries carry (12 hex digits derived from the process key). */
export function taktikalFlowKey(story: Story): string {
  return createHash('sha256').update(`flow:${story.processId}`).digest('hex').slice(0, 12);
}

/** The key of a sequential story's signing sequence (`sq` and 12 hex digits derived from the process key). */
function taktikalSequenceKey(story: Story): string {
  return `sq${createHash('sha256').update(`sequence:${story.processId}`).digest('hex').slice(0, 12)}`;
}

// Signature types that make the signee authenticate (electronic ID, Veriff); the others are a click.
const AUTHENTICATED = new Set(['Qualified', 'AdvancedVeriff', 'BankIdSe']);

/**
 * The documented optional entry fields (current API), derived from the story: `signInOrder` on the
 * process's creation and start (the story's ordering), `signatureLocation` where a signee is added,
 * `requiresAuth` on a signature (from its signature type), `sequenceKey` on every signee step of a
 * sequential story.
 */
function optionalFields(
  event: NormalizedEvent,
  story: Story,
  sequenceKey: string | undefined,
): Partial<TaktikalActivityEntry> {
  const fields: Partial<TaktikalActivityEntry> = {};
  if (event.type === 'process.created' || event.type === 'process.started') {
    fields.signInOrder = story.ordering === 'sequential';
  }
  if (event.type === 'signer.added') {
    const digest = createHash('sha256').update(`location:${event.signerId}`).digest();
    fields.signatureLocation = digest[0]! % 2 === 0 ? 'TopFirstPage' : 'BottomLastPage';
  }
  if (event.type === 'signer.signed' && event.data.signatureType) {
    fields.requiresAuth = AUTHENTICATED.has(event.data.signatureType);
  }
  if (sequenceKey && event.signerId && event.type.startsWith('signer.')) fields.sequenceKey = sequenceKey;
  return fields;
}

/** The wrapper `status` of a story: `Completed`, `Active`, or `InActive` for any other end. */
export function processStatusOf(story: Story): string {
  if (story.outcome === 'completed') return 'Completed';
  return story.outcome === 'in_progress' ? 'Active' : 'InActive';
}

/**
 * What Taktikal carries beyond core's story projection, for round-trip comparisons: channel, recipient
 * role and, on the current API, the signature type. Taktikal has no WhatsApp: WhatsApp invitations
 * are rendered (and come back) as SMS.
 */
export function taktikalDetails(
  api: TaktikalApi = 'current',
): (event: NormalizedEvent) => Record<string, unknown> {
  return (event) => ({
    channel: event.channel === 'whatsapp' ? 'sms' : event.channel,
    recipientRole: event.data.recipientRole,
    signatureType: api === 'current' ? event.data.signatureType : undefined,
  });
}

interface Described {
  status: string;
  description: string;
  createdBy: string;
  fileName?: boolean;
  /** Completion and owner mails carry the key of the last signee, as the documentation example shows. */
  aboutLastSigner?: boolean;
}

function describe(
  event: NormalizedEvent,
  story: Story,
  signer: StoryPerson | undefined,
  legacy: boolean,
): Described {
  const key = story.processId;
  const owner = legacy ? '' : story.owner.email;
  const signeeKey = signer?.signerId ?? '';
  switch (event.type) {
    case 'process.created':
      return {
        status: 'Created',
        description: `Signing process created. ProcessKey: ${key}.`,
        createdBy: owner,
        fileName: true,
      };
    case 'signer.added':
      return {
        status: 'SigneeAdded',
        description: `Signee added. Processkey: ${key}. Signee key: ${signeeKey}.`,
        createdBy: CORE,
      };
    case 'signer.invited': {
      const method = event.channel === 'email' ? 'Email' : 'Sms';
      const description = `Signup sent. Processkey: ${key}. Signee: ${signeeKey}. Delivery method : ${method} `;
      return { status: 'SignupSent', description, createdBy: CORE };
    }
    case 'process.started':
      return {
        status: 'Started',
        description: `Signing process started. ProcessKey: ${key}.`,
        createdBy: owner,
        fileName: true,
      };
    case 'signer.signed':
      return {
        status: 'SigneeSigned',
        description: `Signee signed. ProcessKey: ${key}. Signee key: ${signeeKey}`,
        createdBy: CORE,
      };
    case 'process.completed':
      return {
        status: 'Completed',
        description: `Signing completed. ProcessKey: ${key}.`,
        createdBy: CORE,
        aboutLastSigner: true,
      };
    // Undocumented log statuses, named as the webhook names them (EventType 5 Canceled, 6 Expired).
    case 'process.cancelled':
      return {
        status: 'Canceled',
        description: `Signing process canceled. ProcessKey: ${key}.`,
        createdBy: owner,
      };
    case 'process.expired':
      return {
        status: 'Expired',
        description: `Signing process expired. ProcessKey: ${key}.`,
        createdBy: CORE,
      };
    case 'notification.delivered':
    case 'notification.failed':
      return notification(event, story, signer, legacy);
    case 'other':
      return {
        status: event.vendorEvent.type,
        description: `Activity ${event.vendorEvent.type}.`,
        createdBy: CORE,
      };
    default:
      throw new Error(`renderTaktikal: Taktikal cannot express ${event.type} (story ${story.processId})`);
  }
}

function notification(
  event: NormalizedEvent,
  story: Story,
  signer: StoryPerson | undefined,
  legacy: boolean,
): Described {
  const delivered = event.type === 'notification.delivered';
  const role = event.data.recipientRole ?? 'signer';
  if (role === 'signer' && event.channel !== 'email') {
    const state = delivered ? 'DELIVERED' : 'UNDELIVERED';
    const typo = legacy ? 'delviery' : 'delivery'; // the legacy API's own spelling
    return { status: `SMS:${state}`, description: `SMS ${typo} status: ${state}.`, createdBy: CORE };
  }
  const prefix = MAILGUN_PREFIX.get(role);
  if (!prefix) throw new Error(`renderTaktikal: no Taktikal e-mail goes to a ${role}`);
  const mailgunEvent = delivered ? 'delivered' : 'bounced';
  const to =
    role === 'signer' ? signer?.email : role === 'owner' ? story.owner.email : 'salesperson@company.example';
  const messageId = createHash('sha256')
    .update(`${story.processId}:${event.seq}`)
    .digest('base64url')
    .slice(0, 22);
  const severity = delivered ? '' : 'permanent';
  const reason = delivered ? '' : ' mailbox unavailable';
  const route = legacy ? '' : ` To:${to}. Sender:postmaster@mailgun.taktikal.is.`;
  const description = `Mailgun webhook. Event: ${mailgunEvent}.${route} Id:${messageId}. Severity: ${severity}. Reason:${reason}`;
  return {
    status: `${prefix}:${mailgunEvent}`,
    description,
    createdBy: 'Mailgun',
    aboutLastSigner: role !== 'signer',
  };
}

function signeeOf(
  story: Story,
  person: StoryPerson,
  n: number,
  signed: NormalizedEvent | undefined,
  legacy: boolean,
): TaktikalSignee {
  const added = story.events.find(
    (event) => event.type === 'signer.added' && event.signerId === person.signerId,
  );
  const at = `${(added ?? story.events[0])?.occurredAt.slice(0, 26) ?? '2024-01-01T00:00:00.000000'}0Z`;
  const signee: TaktikalSignee = {
    processKey: story.processId,
    signeeKey: person.signerId,
    ssn: person.ssn,
    name: person.name,
    address: `Address ${n + 1}`,
    postalCode: '101',
    city: 'Reykjavík',
    phone: person.phone,
    email: person.email,
  };
  if (!legacy) {
    if (signed?.data.signatureType) signee.signatureType = signed.data.signatureType;
    signee.hasReminders = false;
  }
  signee.createdAt = at;
  signee.createdBy = CORE;
  signee.updatedAt = at;
  return signee;
}

/** Webhook `EventType` codes a story happening is announced with (AllSigned and Completed both close a signing). */
const WEBHOOK_TYPES: Partial<Record<EventType, readonly number[]>> = {
  'process.created': [11],
  'signer.signed': [1],
  'process.completed': [2, 10],
  'process.cancelled': [5],
  'process.expired': [6],
};
const WITH_DOCUMENT = new Set([1, 2, 10]);
/** .NET ticks (100 ns since 0001-01-01) at the Unix epoch. */
const EPOCH_TICKS = 621_355_968_000_000_000n;
// A stand-in for the signed PDF Taktikal embeds as base64 (real ones are megabytes).
const SIGNED_DOCUMENT = Buffer.from('%PDF-1.7\n% SignTrail sandbox signed document\n%%EOF\n').toString(
  'base64',
);

/** Options of `renderTaktikalWebhooks`. */
export interface TaktikalWebhookRenderOptions {
  /** `EventData.CompanyKey`. Default a sandbox key. */
  companyKey?: string;
  /** Clock of the signature's `TimeStamp`, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/**
 * A story's webhooks as Taktikal posts them: `{ Id, EventData, EventSignature }` for each happening that
 * has an `EventType` (11 created, 1 a signee signed, 2 all signed and 10 completed, 5 cancelled, 6
 * expired), `EventData.Signees` as they stood then. `EventSignature` is made now: `TimeStamp` the .NET
 * ticks of `now()` written as a bare JSON number (past 2^53, so its digits are spliced into the text,
 * as Taktikal's serializer writes them), a fresh `Guid`, and `Signature` =
 * base64(HMAC-SHA256(key, String(TimeStamp) + Guid)).
 */
export function renderTaktikalWebhooks(
  story: Story,
  key: string,
  options: TaktikalWebhookRenderOptions = {},
): RenderedWebhook[] {
  const now = options.now ?? Date.now;
  const signedAt = new Map<string, string>();
  const deliveries: RenderedWebhook[] = [];
  for (const event of story.events) {
    if (event.type === 'signer.signed' && event.signerId) {
      signedAt.set(event.signerId, `${event.occurredAt.slice(0, 26)}0Z`);
    }
    for (const eventType of WEBHOOK_TYPES[event.type] ?? []) {
      const data = {
        Id: randomUUID(),
        EventData: eventData(story, eventType, signedAt, options.companyKey ?? 'cosandbox'),
      };
      const timeStamp = EPOCH_TICKS + BigInt(now()) * 10_000n + BigInt(randomInt(10_000));
      const guid = randomUUID();
      const signature = createHmac('sha256', key).update(`${timeStamp}${guid}`).digest('base64');
      const signed = `"EventSignature":{"TimeStamp":${timeStamp},"Guid":"${guid}","Signature":"${signature}"}`;
      deliveries.push({
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: `${JSON.stringify(data).slice(0, -1)},${signed}}`,
        eventType: String(eventType),
        processId: story.processId,
      });
    }
  }
  return deliveries;
}

function eventData(
  story: Story,
  eventType: number,
  signedAt: ReadonlyMap<string, string>,
  companyKey: string,
): Record<string, unknown> {
  const data: Record<string, unknown> = {
    EventType: eventType,
    ProcessKey: story.processId,
    CompanyKey: companyKey,
    FlowKey: taktikalFlowKey(story),
    FlowName: 'Drop and sign',
    Signees: story.signers.map((person, n) => ({
      Name: person.name,
      Ssn: person.ssn,
      PhoneNumber: person.phone,
      Email: person.email,
      Address: `Address ${n + 1}`,
      City: 'Reykjavík',
      Key: person.signerId,
      Signed: signedAt.has(person.signerId),
      SignedAt: signedAt.get(person.signerId) ?? null,
      CommunicationDeliveryType: deliveryTypeOf(story, person),
    })),
  };
  if (WITH_DOCUMENT.has(eventType)) {
    data.SignedDocument = SIGNED_DOCUMENT;
    data.SignedDocumentDownloadUrl = `https://core.taktikal.com/api/signing/document/${story.processId}`;
  }
  data.AttachmentReferences = eventType === 10 ? [{ AttachmentType: 10, Name: 'evidence.pdf' }] : [];
  data.Meta = {};
  return data;
}

/** How the signee was first invited: `Email`, `Sms` (WhatsApp goes as SMS at Taktikal) or `None`. */
function deliveryTypeOf(story: Story, person: StoryPerson): string {
  const invited = story.events.find(
    (event) => event.type === 'signer.invited' && event.signerId === person.signerId,
  );
  if (!invited) return 'None';
  return invited.channel === 'email' ? 'Email' : 'Sms';
}
