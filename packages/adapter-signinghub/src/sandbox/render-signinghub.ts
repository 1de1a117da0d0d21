import { createHash } from 'node:crypto';
import { type EventType, type NormalizedEvent, storyProjection } from '@signtrail/core';
import type { RenderedWebhook, Story } from '@signtrail/sandbox';

/** What each story type is in SigningHub's log; types missing here cannot be expressed by SigningHub. */
export const ACTION_BY_TYPE: Readonly<Partial<Record<EventType, string>>> = {
  'document.added': 'UPLOADED',
  'process.updated': 'UPDATED',
  'process.started': 'SHARED',
  'signer.viewed': 'OPENED',
  'signer.signed': 'SIGNED',
  'signer.approved': 'APPROVED',
  'signer.declined': 'DECLINED',
  'process.completed': 'COMPLETED',
  'process.cancelled': 'RECALLED',
  'document.downloaded': 'DOWNLOADED',
  'process.deleted': 'DELETED',
};

/** The story vocabulary SigningHub can express: the types above plus unknown codes (`other`). */
export const SIGNINGHUB_TYPES: readonly EventType[] = [
  ...(Object.keys(ACTION_BY_TYPE) as EventType[]),
  'other',
];

/** Options of the renderers. */
export interface RenderOptions {
  /** Zone the account shows its zone-less times in. Default `UTC`. */
  timeZone?: string;
}

const ENTERPRISE = 'SignTrail Sandbox Ltd.';
const FALLBACK_OWNER = { email: 'owner@sandbox.example', name: 'Sandbox Owner' };

/**
 * SigningHub ids are numbers: a story's `sp…` id becomes a stable 48-bit number (SHA-256 prefix); a
 * numeric id is kept. Projections map story ids through this too.
 */
export function packageIdOf(processId: string): number {
  if (/^\d{1,15}$/.test(processId)) return Number(processId);
  return Number.parseInt(createHash('sha256').update(processId).digest('hex').slice(0, 12), 16);
}

/**
 * A story's events as SigningHub's `GET /v3/packages/{id}/log` answer (pure; the inverse of normalize).
 * Signers appear by e-mail (SigningHub's only signer identity); owner actions carry the owner's e-mail
 * and enterprise; vendor machinery carries no user.
 */
export function renderSigninghubLog(events: readonly NormalizedEvent[], options: RenderOptions = {}) {
  const first = events[0];
  if (!first) throw new Error('a story has at least one event');
  const timeZone = options.timeZone ?? 'UTC';
  const packageId = packageIdOf(first.processId);
  const ownerActor = events.find((event) => event.actor.kind === 'user')?.actor;
  const owner = {
    email: ownerActor?.email ?? FALLBACK_OWNER.email,
    name: ownerActor?.name ?? FALLBACK_OWNER.name,
  };
  const fileName = events.map((event) => event.data.fileName).find((name) => name !== undefined);
  const documentName = fileName ?? `package-${packageId}.pdf`;
  const documentSource =
    events.find((event) => event.documentId !== undefined)?.documentId ?? first.processId;
  const signerNames = [
    ...new Set(events.filter((e) => e.actor.kind === 'signer' && e.actor.name).map((e) => e.actor.name)),
  ];
  const wall = wallClock(timeZone);
  const last = events[events.length - 1] ?? first;
  const status = packageStatusOf(events);
  const next = status === 'INPROGRESS' ? nextRecipients(events) : [];
  return {
    package_id: packageId,
    package_status: status,
    package_owner: owner.email,
    owner_name: owner.name,
    ...(next.length > 0 ? { next_signer: next[0]?.user_name, next_signer_email: next } : {}),
    documents: [
      {
        document_id: packageIdOf(documentSource),
        document_name: documentName,
        document_order: 1,
        document_type: 'PDF',
        document_source: 'SignTrail sandbox',
        document_width: 595,
        document_height: 842,
        document_pages: 1 + (packageId % 12),
        uploaded_on: wall(first.occurredAt),
        modified_on: wall(last.occurredAt),
        form_fields: false,
        lock_form_fields: false,
        certify: { enabled: false, permission: 'NO_CHANGES_ALLOWED' },
      },
    ],
    actions: events.map((event, index) => {
      const actionType = event.type === 'other' ? event.vendorEvent.type : ACTION_BY_TYPE[event.type];
      if (actionType === undefined) throw new Error(`SigningHub's log cannot express ${event.type}`);
      const action: Record<string, unknown> = {
        log_id: index + 1,
        date_time: wall(event.occurredAt),
        action_type: actionType,
      };
      if (event.actor.kind !== 'system') {
        action.user_email = event.actor.email;
        action.user_name = event.actor.name;
        if (event.actor.kind === 'user') action.enterprise_name = ENTERPRISE;
      }
      const information = informationOf(event, actionType, documentName, signerNames);
      if (information) action.information = information;
      return action;
    }),
  };
}

/** A rendered package log, as `renderSigninghubLog` returns it. */
export type RenderedLog = ReturnType<typeof renderSigninghubLog>;

function informationOf(
  event: NormalizedEvent,
  actionType: string,
  documentName: string,
  signerNames: (string | undefined)[],
): { type: string; value: string } | undefined {
  switch (actionType) {
    case 'SHARED':
      return signerNames.length > 0 ? { type: 'SHARED_WITH', value: signerNames.join(', ') } : undefined;
    case 'OPENED':
      return { type: 'VIEWER', value: 'WEB_BROWSER' };
    case 'SIGNED':
      return { type: 'SIGNING_METHOD', value: 'SERVER' };
    case 'DECLINED':
      return event.data.reason ? { type: 'REASON', value: event.data.reason } : undefined;
    case 'UPLOADED':
    case 'DOWNLOADED':
      return { type: 'DOCUMENT_NAME', value: documentName };
    default:
      return undefined;
  }
}

/** `package_status` after these events (a recalled package goes back to DRAFT in SigningHub). */
function packageStatusOf(events: readonly NormalizedEvent[]): string {
  let status = 'DRAFT';
  for (const event of events) {
    if (event.type === 'process.completed') status = 'COMPLETED';
    else if (event.type === 'signer.declined') status = 'DECLINED';
    else if (event.type === 'process.cancelled') status = 'DRAFT';
    else if (status === 'DRAFT' && (event.type === 'process.started' || event.type.startsWith('signer.'))) {
      status = 'INPROGRESS';
    }
  }
  return status;
}

/**
 * The recipients still to act in a package in progress: those the log shows (a signer's view) who have not
 * signed, approved or declined. A story's signers who never acted are not in its events, so not here.
 */
function nextRecipients(events: readonly NormalizedEvent[]): { user_email: string; user_name: string }[] {
  const pending = new Map<string, { user_email: string; user_name: string }>();
  // Done for good: a view after signing (views go on after it) does not make a signer pending again.
  const done = new Set<string>();
  for (const event of events) {
    const { email, name } = event.actor;
    if (event.actor.kind !== 'signer' || email === undefined) continue;
    if (
      event.type === 'signer.signed' ||
      event.type === 'signer.approved' ||
      event.type === 'signer.declined'
    ) {
      done.add(email);
      pending.delete(email);
    } else if (!done.has(email) && !pending.has(email)) {
      pending.set(email, { user_email: email, user_name: name ?? email });
    }
  }
  return [...pending.values()];
}

/** The listing entry (`GET /v3/packages/{document_status}/{page_no}/{records}`) of a rendered log. */
export function renderPackageSummary(log: RenderedLog) {
  const document = log.documents[0];
  return {
    package_id: log.package_id,
    package_name: document?.document_name,
    package_owner: log.package_owner,
    owner_name: log.owner_name,
    package_status: log.package_status,
    folder: 'INBOX',
    unread: false,
    ...(log.next_signer_email
      ? { next_signer: log.next_signer, next_signer_email: log.next_signer_email }
      : {}),
    uploaded_on: document?.uploaded_on,
    modified_on: document?.modified_on,
  };
}

/** The log details tree of one action: the actor's IP address (documentation range) and the document names. */
export function renderLogDetails(log: RenderedLog, action: Record<string, unknown>) {
  const node = (key: string, label: string, value: string | null, type: string, data: unknown[] = []) => ({
    key,
    key_label: label,
    value,
    value_label: value,
    visible: true,
    order: 1,
    certificate_base64: null,
    certificate_base64_url: null,
    type,
    data,
  });
  const names = log.documents.map((document) =>
    node('DOCUMENT_NAME', 'Document', document.document_name, 'TEXT'),
  );
  const nodes = [node('LOG_ACTIVITY_DOCUMENT_NAMES', 'Documents', null, 'LIST', names)];
  if (action.user_email !== undefined) {
    const host = ((Number(action.log_id) * 7 + log.package_id) % 254) + 1;
    nodes.unshift(node('IP_ADDRESS', 'IP Address', `198.51.100.${host}`, 'TEXT'));
  }
  return nodes;
}

/** The POST callback SigningHub sends for a package (the webhook connector declares every field a string). */
export function renderCallback(log: RenderedLog) {
  const summary = renderPackageSummary(log);
  return {
    package_id: String(log.package_id),
    package_name: summary.package_name,
    package_owner: log.package_owner,
    owner_name: log.owner_name,
    package_status: log.package_status,
    uploaded_on: summary.uploaded_on,
    modified_on: summary.modified_on,
    document: log.documents.map((document) => ({
      document_id: String(document.document_id),
      document_name: document.document_name,
      document_type: document.document_type,
      document_order: String(document.document_order),
      document_source: document.document_source,
    })),
  };
}

/**
 * The webhook event type SigningHub calls back with for a story happening; other happenings have no
 * callback. A reviewer's approval is the `REVIEWED` event; a recall is `RECALLED`.
 */
export const CALLBACK_BY_TYPE: Readonly<Partial<Record<EventType, string>>> = {
  'process.started': 'SHARED',
  'signer.signed': 'SIGNED',
  'signer.approved': 'REVIEWED',
  'signer.declined': 'DECLINED',
  'process.completed': 'COMPLETED',
  'process.cancelled': 'RECALLED',
  'process.deleted': 'DOCUMENT_DELETED',
};

/** Options of `renderSigninghubCallbacks`. */
export interface CallbackOptions extends RenderOptions {
  /** The connection's shared secret, sent in the `x-signtrail-secret` header. */
  secret: string;
  /** `redirect`: the legacy browser redirect (GET `document_id`, `user_email`, `language`). Default `post`. */
  style?: 'post' | 'redirect';
}

/**
 * A story's callbacks, one per happening SigningHub calls back for (`CALLBACK_BY_TYPE`): the POST body
 * of the package as it stood right after the happening, or the legacy GET redirect; the per-connection
 * secret in the header SignTrail's receiver checks (SigningHub signs nothing).
 */
export function renderSigninghubCallbacks(story: Story, options: CallbackOptions): RenderedWebhook[] {
  const deliveries: RenderedWebhook[] = [];
  const processId = String(packageIdOf(story.processId));
  story.events.forEach((event, index) => {
    const eventType = CALLBACK_BY_TYPE[event.type];
    if (eventType === undefined) return;
    const common = { eventType, processId, headers: { 'x-signtrail-secret': options.secret } };
    if (options.style === 'redirect') {
      const user =
        event.actor.kind === 'system' ? story.owner.email : (event.actor.email ?? story.owner.email);
      deliveries.push({
        ...common,
        method: 'GET',
        query: { document_id: processId, user_email: user, language: 'en-US' },
      });
      return;
    }
    const log = renderSigninghubLog(story.events.slice(0, index + 1), options);
    deliveries.push({
      ...common,
      headers: { ...common.headers, 'content-type': 'application/json' },
      body: JSON.stringify(renderCallback(log)),
    });
  });
  return deliveries;
}

/**
 * Core's `storyProjection` for SigningHub: story process ids go through
 * `packageIdOf`, and story signer ids (opaque) become the signer's e-mail, which is SigningHub's signer
 * identity. Adapter output passes through unchanged, so both sides compare equal.
 */
export function signinghubProjection(
  stories: readonly Story[],
): (event: NormalizedEvent) => Record<string, unknown> {
  const emails = new Map(
    stories.flatMap((story) => story.signers.map((p) => [p.signerId, p.email.toLowerCase()])),
  );
  return (event) => ({
    ...storyProjection(event),
    processId: String(packageIdOf(event.processId)),
    signerId: event.signerId === undefined ? undefined : (emails.get(event.signerId) ?? event.signerId),
  });
}

/** `occurredAt` (UTC) → SigningHub's zone-less `YYYY-MM-DDTHH:MM:SS` wall time in `timeZone`. */
function wallClock(timeZone: string): (occurredAt: string) => string {
  if (timeZone === 'UTC') return (occurredAt) => occurredAt.slice(0, 19);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (occurredAt) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(new Date(occurredAt))) parts[part.type] = part.value;
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  };
}
