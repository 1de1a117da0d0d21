import {
  type Actor,
  type EventData,
  type EventType,
  eventId,
  type NormalizedEvent,
  TAXONOMY,
} from '@signtrail/core';
import { Random } from './random.js';

/** A signer of a story, with the personal data vendors carry (all fake, generated). */
export interface StoryPerson {
  signerId: string;
  name: string;
  email: string;
  phone: string;
  ssn: string;
  role: 'signer' | 'approver';
}

export type StoryOutcome = 'completed' | 'declined' | 'cancelled' | 'expired' | 'in_progress';

/** One signing process and its expected normalized events: the ground truth adapters are measured against. */
export interface Story {
  processId: string;
  fileName: string;
  documentId: string;
  owner: { name: string; email: string };
  signers: StoryPerson[];
  ordering: 'sequential' | 'parallel';
  outcome: StoryOutcome;
  deleted: boolean;
  events: NormalizedEvent[];
}

/** Options of `generateStories` / `storyStream`. */
export interface StoryOptions {
  seed: number;
  /** Number of processes. Default 10. */
  processes?: number;
  /** Earliest creation time (ISO). Default `2024-01-01T00:00:00Z`. */
  start?: string;
  /** Creations are spread over this many days. Default 30. */
  spanDays?: number;
  /** Default 3. */
  maxSigners?: number;
  /** The vendor's vocabulary: events of other types are left out (the vendor cannot express them). */
  types?: readonly EventType[];
  /** Finest time unit the vendor keeps. Default `microsecond`. */
  resolution?: 'microsecond' | 'millisecond' | 'second';
  /** `vendor` of the story events. Default `sandbox`. */
  vendor?: string;
  /** Prefix of process ids. Default `sp`. */
  processIdPrefix?: string;
}

const FIRST = [
  'Anna',
  'Jón',
  'Guðrún',
  'Sigríður',
  'Ólafur',
  'María',
  'João',
  'Lucía',
  'Pedro',
  'Helga',
  'Björn',
  'Ana',
];
const LAST = [
  'Jónsdóttir',
  'Sigurðsson',
  'Silva',
  'García',
  'Santos',
  'Ólafsson',
  'Pereira',
  'Martínez',
  'Einarsson',
];
const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
const SIGNATURE_TYPES = ['Qualified', 'Simple', 'ClickToSign', 'AdvancedVeriff', 'BankIdSe'] as const;
const SECOND = 1_000_000; // microseconds
const RESOLUTION_MICROS = { microsecond: 1, millisecond: 1000, second: SECOND } as const;

/** Generates `processes` stories deterministically from `seed`. */
export function generateStories(options: StoryOptions): Story[] {
  return [...storyStream(options)];
}

/** Yields stories one at a time (bounded memory for millions of events). */
export function* storyStream(options: StoryOptions): Generator<Story> {
  const random = new Random(options.seed);
  const count = options.processes ?? 10;
  const startMicros = Date.parse(options.start ?? '2024-01-01T00:00:00Z') * 1000;
  const spanMicros = (options.spanDays ?? 30) * 86_400 * SECOND;
  const allowed = new Set<EventType>(options.types ?? TAXONOMY);
  for (let index = 0; index < count; index += 1) {
    const unit = RESOLUTION_MICROS[options.resolution ?? 'microsecond'];
    const created = startMicros + Math.floor((random.next() * spanMicros) / unit) * unit;
    yield buildStory(random, index, created, options, allowed);
  }
}

/** The number of events in stories of these options, without keeping them. */
export function countStoryEvents(options: StoryOptions): number {
  let total = 0;
  for (const story of storyStream(options)) total += story.events.length;
  return total;
}

interface Draft {
  type: EventType;
  actor: Actor;
  signerId?: string;
  documentId?: string;
  channel?: string;
  data?: EventData;
  vendorType?: string;
}

function buildStory(
  random: Random,
  index: number,
  createdMicros: number,
  options: StoryOptions,
  allowed: Set<EventType>,
): Story {
  const vendor = options.vendor ?? 'sandbox';
  const processId = `${options.processIdPrefix ?? 'sp'}${String(index).padStart(6, '0')}${random.hex(8)}`;
  const documentId = `doc${random.hex(10)}`;
  const fileName = `contract-${index}.pdf`;
  const ownerFirst = random.pick(FIRST);
  const owner = { name: `${ownerFirst} ${random.pick(LAST)}`, email: `owner${index}@company.example` };
  const signerCount = random.int(1, options.maxSigners ?? 3);
  const signers: StoryPerson[] = [];
  for (let n = 0; n < signerCount; n += 1) {
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    signers.push({
      signerId: `si${random.hex(12)}`,
      name: `${first} ${last}`,
      email: `signer${index}.${n}@mail.example`,
      phone: `+354${random.int(6000000, 8999999)}`,
      ssn: `${String(random.int(1, 28)).padStart(2, '0')}${String(random.int(1, 12)).padStart(2, '0')}${random.int(50, 99)}-${random.int(1000, 9999)}`,
      role: n > 0 && random.chance(0.15) ? 'approver' : 'signer',
    });
  }
  const ordering = random.chance(0.5) ? 'sequential' : 'parallel';
  const outcome = random.pick<StoryOutcome>([
    'completed',
    'completed',
    'completed',
    'declined',
    'cancelled',
    'expired',
    'in_progress',
  ]);
  const ownerActor: Actor = { kind: 'user', name: owner.name, email: owner.email };
  const system: Actor = { kind: 'system', name: 'sandbox' };
  const signerActor = (p: StoryPerson): Actor => ({
    kind: 'signer',
    name: p.name,
    email: p.email,
    id: p.signerId,
  });
  const drafts: Draft[] = [];
  const add = (draft: Draft) => drafts.push(draft);

  add({ type: 'process.created', actor: ownerActor, data: { fileName } });
  add({ type: 'document.added', actor: ownerActor, documentId, data: { fileName } });
  for (const p of signers) {
    add({
      type: 'signer.added',
      actor: system,
      signerId: p.signerId,
      data: { signerName: p.name, signerEmail: p.email },
    });
  }
  if (random.chance(0.15)) add({ type: 'process.updated', actor: ownerActor });
  if (signers.length > 1 && random.chance(0.1)) {
    const p = signers[signers.length - 1]!;
    add({ type: 'signer.updated', actor: ownerActor, signerId: p.signerId, data: { signerName: p.name } });
  }
  let active = signers;
  if (signers.length > 1 && random.chance(0.08)) {
    const removed = signers[signers.length - 1]!;
    add({ type: 'signer.removed', actor: ownerActor, signerId: removed.signerId });
    active = signers.slice(0, -1);
  }
  add({ type: 'process.started', actor: ownerActor });

  // Where the story stops: a decline, a cancel or an expiry cuts the signing short.
  const stopAt = outcome === 'completed' ? active.length : random.int(0, active.length - 1);
  const decliner = outcome === 'declined' ? active[stopAt] : undefined;
  const journey = (p: StoryPerson, finish: 'sign' | 'decline' | 'open'): Draft[] => {
    const steps: Draft[] = [];
    const channel = random.pick(CHANNELS);
    steps.push({ type: 'signer.invited', actor: system, signerId: p.signerId, channel });
    if (random.chance(0.12)) {
      steps.push({
        type: 'notification.failed',
        actor: system,
        signerId: p.signerId,
        channel,
        data: { recipientRole: 'signer', deliveryStatus: 'bounced' },
      });
      steps.push({
        type: 'signer.invited',
        actor: system,
        signerId: p.signerId,
        channel: channel === 'email' ? 'sms' : 'email',
      });
    }
    steps.push({
      type: 'notification.delivered',
      actor: system,
      signerId: p.signerId,
      channel,
      data: { recipientRole: 'signer', deliveryStatus: 'delivered' },
    });
    if (random.chance(0.3))
      steps.push({ type: 'signer.reminded', actor: system, signerId: p.signerId, channel });
    if (finish === 'open' && random.chance(0.5)) return steps;
    steps.push({ type: 'signer.viewed', actor: signerActor(p), signerId: p.signerId, channel: 'web' });
    if (random.chance(0.4))
      steps.push({ type: 'signer.read_confirmed', actor: signerActor(p), signerId: p.signerId });
    if (random.chance(0.35)) {
      if (random.chance(0.3)) {
        steps.push({
          type: 'signer.identity_failed',
          actor: signerActor(p),
          signerId: p.signerId,
          data: { verification: 'facial_recognition' },
        });
      }
      steps.push({
        type: 'signer.identity_verified',
        actor: signerActor(p),
        signerId: p.signerId,
        data: { verification: 'facial_recognition' },
      });
    }
    if (random.chance(0.4))
      steps.push({ type: 'signer.consented', actor: signerActor(p), signerId: p.signerId });
    if (finish === 'decline') {
      steps.push({
        type: 'signer.declined',
        actor: signerActor(p),
        signerId: p.signerId,
        data: { reason: 'Terms not accepted' },
      });
    } else if (finish === 'sign') {
      steps.push(
        p.role === 'approver'
          ? { type: 'signer.approved', actor: signerActor(p), signerId: p.signerId }
          : {
              type: 'signer.signed',
              actor: signerActor(p),
              signerId: p.signerId,
              data: { signatureType: random.pick(SIGNATURE_TYPES) },
            },
      );
    }
    return steps;
  };

  const finishOf = (n: number): 'sign' | 'decline' | 'open' => {
    if (outcome === 'completed' || n < stopAt) return 'sign';
    return n === stopAt && decliner ? 'decline' : 'open';
  };
  const reached = outcome === 'completed' || ordering === 'parallel' ? active.length : stopAt + 1;
  const journeys = active.slice(0, reached).map((p, n) => journey(p, finishOf(n)));
  if (ordering === 'sequential') {
    for (const steps of journeys) drafts.push(...steps);
  } else {
    // Parallel signing: journeys interleave, each keeping its own order; a decline ends the signing,
    // so it comes after every other step.
    const cursors = journeys.map(() => 0);
    let decline: Draft | undefined;
    for (;;) {
      const open = journeys.map((steps, n) => (cursors[n]! < steps.length ? n : -1)).filter((n) => n >= 0);
      if (open.length === 0) break;
      const n = random.pick(open);
      const step = journeys[n]![cursors[n]!]!;
      cursors[n]! += 1;
      if (step.type === 'signer.declined') decline = step;
      else drafts.push(step);
    }
    if (decline) drafts.push(decline);
  }

  if (outcome === 'completed') {
    add({ type: 'process.completed', actor: system });
    add({
      type: 'notification.delivered',
      actor: system,
      channel: 'email',
      data: { recipientRole: 'owner', deliveryStatus: 'delivered' },
    });
    if (random.chance(0.3))
      add({
        type: 'notification.delivered',
        actor: system,
        channel: 'email',
        data: { recipientRole: 'salesperson', deliveryStatus: 'delivered' },
      });
    if (random.chance(0.4)) add({ type: 'document.downloaded', actor: ownerActor, documentId });
  } else if (outcome === 'declined') {
    add({ type: 'process.declined', actor: system });
  } else if (outcome === 'cancelled') {
    add({ type: 'process.cancelled', actor: ownerActor, data: { reason: 'Cancelled by sender' } });
  } else if (outcome === 'expired') {
    add({ type: 'process.expired', actor: system });
  }
  if (random.chance(0.05)) add({ type: 'other', actor: system, vendorType: 'sandbox.unknown' });
  const deleted = outcome !== 'in_progress' && random.chance(0.06);
  if (deleted) add({ type: 'process.deleted', actor: ownerActor });

  const events: NormalizedEvent[] = [];
  let at = createdMicros;
  for (const draft of drafts) {
    if (!allowed.has(draft.type)) continue;
    if (events.length > 0) at += gapMicros(random, options.resolution ?? 'microsecond');
    const seq = events.length;
    const event: NormalizedEvent = {
      id: eventId(vendor, processId, { seq }),
      vendor,
      processId,
      type: draft.type,
      occurredAt: formatMicros(at),
      seq,
      actor: draft.actor,
      data: draft.data ?? {},
      vendorEvent: { type: draft.vendorType ?? draft.type },
      origin: 'log',
      raw: {},
    };
    if (draft.signerId !== undefined) event.signerId = draft.signerId;
    if (draft.documentId !== undefined) event.documentId = draft.documentId;
    if (draft.channel !== undefined) event.channel = draft.channel;
    events.push(event);
  }
  return { processId, fileName, documentId, owner, signers, ordering, outcome, deleted, events };
}

/** A strictly positive gap (1 s to ~6 h, skewed short) at the vendor's resolution. */
function gapMicros(random: Random, resolution: NonNullable<StoryOptions['resolution']>): number {
  const seconds = random.chance(0.7) ? random.int(1, 120) : random.int(121, 6 * 3600);
  const fraction =
    resolution === 'second'
      ? 0
      : resolution === 'millisecond'
        ? random.int(0, 999) * 1000
        : random.int(0, 999_999);
  return seconds * SECOND + fraction;
}

/** Microseconds since the epoch → RFC 3339 UTC with six digits. */
export function formatMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const fraction = String(micros % SECOND).padStart(6, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}
