import type { ProcessSigner } from './contract.js';
import type { NormalizedEvent } from './event.js';
import { orderEvents } from './order.js';
import { hasWebhookEvents, timeline } from './reconcile.js';
import type {
  Anomaly,
  AnomalyCode,
  ProcessState,
  ProcessStatus,
  SignerState,
  SignerStatus,
} from './state.js';

/** What the vendor says about the process besides its log (e.g. SigningHub `package_status`). */
export interface FoldOptions {
  vendor?: string;
  processId?: string;
  /** The vendor's own status word, kept as `vendorStatus`. */
  vendorStatus?: string;
  /** The status the vendor's status word means; applied when the log does not reach as far. */
  statusHint?: ProcessStatus;
  /** The vendor's roster: each signer is in the state, `pending` until an event says more. */
  signers?: readonly Pick<ProcessSigner, 'signerId' | 'name' | 'email'>[];
}

const PROCESS_RANK: Record<ProcessStatus, number> = {
  unknown: 0,
  draft: 1,
  in_progress: 2,
  completed: 3,
  declined: 3,
  cancelled: 3,
  expired: 3,
};

const SIGNER_RANK: Record<SignerStatus, number> = {
  pending: 0,
  invited: 1,
  failed: 2,
  delivered: 3,
  viewed: 4,
  signed: 5,
  approved: 5,
  declined: 5,
};

/** Rank of a process status; a fold never moves to a lower rank. */
export function processStatusRank(status: ProcessStatus): number {
  return PROCESS_RANK[status];
}

/** Rank of a signer status; a fold never moves to a lower rank. */
export function signerStatusRank(status: SignerStatus): number {
  return SIGNER_RANK[status];
}

const TERMINAL_BY_TYPE: Partial<Record<NormalizedEvent['type'], ProcessStatus>> = {
  'process.completed': 'completed',
  'process.declined': 'declined',
  'process.cancelled': 'cancelled',
  'process.expired': 'expired',
  'signer.declined': 'declined',
};

const SIGNER_STATUS_BY_TYPE: Partial<Record<NormalizedEvent['type'], SignerStatus>> = {
  'signer.added': 'pending',
  'signer.updated': 'pending',
  'signer.invited': 'invited',
  'signer.reminded': 'invited',
  'signer.viewed': 'viewed',
  'signer.read_confirmed': 'viewed',
  'signer.identity_verified': 'viewed',
  'signer.identity_failed': 'viewed',
  'signer.consented': 'viewed',
  'signer.signed': 'signed',
  'signer.approved': 'approved',
  'signer.declined': 'declined',
};

/**
 * Folds one process's events into its `ProcessState`. Pure and order-independent: events are
 * de-duplicated by id and sorted first. Statuses never move backwards; impossible sequences
 * become `anomalies`, never errors.
 */
export function fold(events: readonly NormalizedEvent[], options: FoldOptions = {}): ProcessState {
  const { events: all, conflicts } = orderEvents(events);
  // A happening reported by webhook and by log counts once: fold what the default timeline shows.
  const ordered = hasWebhookEvents(all) ? timeline(all) : all;
  const first = ordered[0];
  const state: ProcessState = {
    vendor: options.vendor ?? first?.vendor ?? '',
    processId: options.processId ?? first?.processId ?? '',
    status: 'unknown',
    signers: [],
    counts: { events: ordered.length, signers: 0, signed: 0, other: 0 },
    anomalies: [],
  };
  if (options.vendorStatus !== undefined) state.vendorStatus = options.vendorStatus;
  const anomalies: Anomaly[] = conflicts.map((eventId) => ({
    code: 'duplicate_conflict',
    eventId,
    message: 'two records share this event id but differ in content; the first in canonical order is kept',
  }));
  const note = (code: AnomalyCode, eventId: string, message: string) =>
    anomalies.push({ code, eventId, message });
  const signers = new Map<string, SignerState>();
  for (const { signerId, name, email } of options.signers ?? []) {
    const listed: SignerState = { signerId, status: 'pending' };
    if (name !== undefined) listed.name = name;
    if (email !== undefined) listed.email = email;
    signers.set(signerId, listed);
  }

  let createdAt: string | undefined;
  for (const event of ordered) {
    if (event.type === 'process.created' && (createdAt === undefined || event.occurredAt < createdAt)) {
      createdAt = event.occurredAt;
    }
  }

  const raise = (status: ProcessStatus, at: string) => {
    if (PROCESS_RANK[status] <= PROCESS_RANK[state.status]) return;
    state.status = status;
    if (status === 'in_progress') state.startedAt ??= at;
  };

  for (const event of ordered) {
    const at = event.occurredAt;
    state.lastEventAt = at;
    if (createdAt !== undefined && at < createdAt) {
      note(
        'event_before_created',
        event.id,
        `${event.type} at ${at} precedes the process creation at ${createdAt}`,
      );
    }
    if (event.type === 'other') {
      state.counts.other += 1;
      continue;
    }
    raise('draft', at);

    const signer = event.signerId === undefined ? undefined : signerFor(signers, event);
    const signerStatus = SIGNER_STATUS_BY_TYPE[event.type];
    if (signer && signerStatus) {
      if (event.type === 'signer.signed' || event.type === 'signer.approved') {
        if (signer.status === 'declined') {
          note('signed_after_declined', event.id, `signer ${signer.signerId} ${event.type} after declining`);
        } else if (PROCESS_RANK[state.status] === 3 && state.status !== 'completed') {
          note('activity_after_close', event.id, `${event.type} after the process was ${state.status}`);
        }
      }
      if (signerStatus === 'declined' && (signer.status === 'signed' || signer.status === 'approved')) {
        note(
          'conflicting_outcome',
          event.id,
          `signer ${signer.signerId} declined after having ${signer.status}`,
        );
      }
      if (SIGNER_RANK[signerStatus] > SIGNER_RANK[signer.status]) {
        signer.status = signerStatus;
        if (signerStatus === 'signed' || signerStatus === 'approved') signer.signedAt = at;
      }
    }
    if (signer && event.type.startsWith('notification.') && isSignerRecipient(event)) {
      const delivery: SignerStatus = event.type === 'notification.delivered' ? 'delivered' : 'failed';
      if (SIGNER_RANK[delivery] > SIGNER_RANK[signer.status]) signer.status = delivery;
    }
    if (signer && event.type === 'signer.removed') signer.removed = true;

    if (event.type === 'process.created') state.createdAt ??= at;
    else if (event.type === 'process.deleted') state.deletedAt ??= at;
    else if (event.type === 'process.started' || isActivity(event.type, signerStatus))
      raise('in_progress', at);

    const terminal = TERMINAL_BY_TYPE[event.type];
    if (terminal) close(terminal, event);
  }

  function close(status: ProcessStatus, event: NormalizedEvent) {
    if (PROCESS_RANK[state.status] === 3) {
      if (state.status !== status) {
        note('conflicting_outcome', event.id, `${event.type} after the process was already ${state.status}`);
      }
      return;
    }
    if (status === 'completed') {
      const unsigned = [...signers.values()].filter(
        (s) => !s.removed && s.status !== 'signed' && s.status !== 'approved',
      );
      if (unsigned.length > 0) {
        const ids = unsigned.map((s) => s.signerId).join(', ');
        note('completed_with_unsigned_signer', event.id, `completed while signer(s) ${ids} had not signed`);
      }
      state.completedAt = event.occurredAt;
    }
    state.status = status;
    state.endedAt = event.occurredAt;
  }

  if (options.statusHint && PROCESS_RANK[options.statusHint] > PROCESS_RANK[state.status]) {
    state.status = options.statusHint;
  }
  if (createdAt !== undefined) state.createdAt = createdAt;
  state.signers = [...signers.values()].sort((a, b) => (a.signerId < b.signerId ? -1 : 1));
  state.counts.signers = state.signers.length;
  state.counts.signed = state.signers.filter((s) => s.status === 'signed' || s.status === 'approved').length;
  state.anomalies = anomalies;
  return dropUndefined(state);
}

/** Folds events of many processes: one state per `vendor` + `processId`. */
export function foldByProcess(events: readonly NormalizedEvent[]): ProcessState[] {
  const groups = new Map<string, NormalizedEvent[]>();
  for (const event of events) {
    const key = `${event.vendor}\u0000${event.processId}`;
    const group = groups.get(key);
    if (group) group.push(event);
    else groups.set(key, [event]);
  }
  return [...groups.keys()].sort().map((key) => fold(groups.get(key)!));
}

function signerFor(signers: Map<string, SignerState>, event: NormalizedEvent): SignerState {
  const signerId = event.signerId!;
  let signer = signers.get(signerId);
  if (!signer) {
    signer = { signerId, status: 'pending' };
    signers.set(signerId, signer);
  }
  const fromActor = event.actor.kind === 'signer';
  const name = event.data.signerName ?? (fromActor ? event.actor.name : undefined);
  const email = event.data.signerEmail ?? (fromActor ? event.actor.email : undefined);
  if (name !== undefined) signer.name ??= name;
  if (email !== undefined) signer.email ??= email;
  return signer;
}

/** Invitations, deliveries and anything a signer does mean the process has been sent out. */
function isActivity(type: NormalizedEvent['type'], signerStatus: SignerStatus | undefined): boolean {
  return type.startsWith('notification.') || (signerStatus !== undefined && SIGNER_RANK[signerStatus] >= 1);
}

function isSignerRecipient(event: NormalizedEvent): boolean {
  const role = event.data.recipientRole;
  return role === undefined || role === 'signer';
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
