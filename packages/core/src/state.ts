import { z } from 'zod';
import { occurredAtSchema } from './event.js';

export const PROCESS_STATUSES = [
  'unknown',
  'draft',
  'in_progress',
  'completed',
  'declined',
  'cancelled',
  'expired',
] as const;

export const SIGNER_STATUSES = [
  'pending',
  'invited',
  'failed',
  'delivered',
  'viewed',
  'signed',
  'approved',
  'declined',
] as const;

export const ANOMALY_CODES = [
  'event_before_created',
  'signed_after_declined',
  'activity_after_close',
  'completed_with_unsigned_signer',
  'conflicting_outcome',
  'duplicate_conflict',
] as const;

export type ProcessStatus = (typeof PROCESS_STATUSES)[number];
export type SignerStatus = (typeof SIGNER_STATUSES)[number];
export type AnomalyCode = (typeof ANOMALY_CODES)[number];

export const anomalySchema = z.object({
  code: z.enum(ANOMALY_CODES),
  eventId: z.string(),
  message: z.string(),
});

export const signerStateSchema = z.object({
  signerId: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  status: z.enum(SIGNER_STATUSES),
  signedAt: occurredAtSchema.optional(),
  removed: z.boolean().optional(),
});

/** The folded state of one signing process. */
export const processStateSchema = z.object({
  vendor: z.string(),
  processId: z.string(),
  status: z.enum(PROCESS_STATUSES),
  vendorStatus: z.string().optional(),
  createdAt: occurredAtSchema.optional(),
  startedAt: occurredAtSchema.optional(),
  completedAt: occurredAtSchema.optional(),
  endedAt: occurredAtSchema.optional(),
  deletedAt: occurredAtSchema.optional(),
  lastEventAt: occurredAtSchema.optional(),
  signers: z.array(signerStateSchema),
  counts: z.object({
    events: z.number().int(),
    signers: z.number().int(),
    signed: z.number().int(),
    other: z.number().int(),
  }),
  anomalies: z.array(anomalySchema),
});

export type Anomaly = z.infer<typeof anomalySchema>;
export type SignerState = z.infer<typeof signerStateSchema>;
/** Folded state of one process: status, signers, counts and anomalies. */
export type ProcessState = z.infer<typeof processStateSchema>;
