import { z } from 'zod';

/** The vendor name on every event and error of this adapter. */
export const VENDOR = 'zapsign';

/**
 * Tolerant wire schemas of the ZapSign API: only what SignTrail reads is checked, every other field is kept
 * (loose objects), optional fields may be null. A wrong type is a `VendorSchemaError` naming its JSON path.
 */

/** One signer-log entry: a localized sentence, its free-text description, the signer's e-mail, a time. */
export const signerLogEntrySchema = z.looseObject({
  time: z.string(),
  user: z.string().nullish(),
  event: z.string(),
  description: z.string().nullish(),
});

/** `GET /api/v1/docs/signer-log/{doc_token}`: the entries, in no particular order. */
export const signerLogSchema = z.array(signerLogEntrySchema);

/** One document of the listing. */
export const listedDocumentSchema = z.looseObject({
  token: z.string().min(1),
  open_id: z.number().nullish(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  created_at: z.string().nullish(),
  last_update_at: z.string().nullish(),
});

/**
 * `GET /api/v1/docs/{doc_token}/`: the document with its status (what the signer log never says: ZapSign
 * need not log a completion), `deleted` flag and signers. Only the fields SignTrail reads are checked.
 */
export const documentDetailSchema = z.looseObject({
  token: z.string().min(1),
  status: z.string().nullish(),
  deleted: z.boolean().nullish(),
  deleted_at: z.string().nullish(),
  created_at: z.string().nullish(),
  last_update_at: z.string().nullish(),
});

/** `GET /api/v1/docs/?page=N`: a page with `next` link, or (as one docs page renders it) a bare array. */
export const documentPageSchema = z.union([
  z.looseObject({
    count: z.number().int().nullish(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
    results: z.array(listedDocumentSchema),
  }),
  z.array(listedDocumentSchema),
]);

/** `POST /api/v1/auth/token/{organization_id}/`. */
export const accessTokenSchema = z.looseObject({ access: z.string().min(1), refresh: z.string().min(1) });

/** `POST /api/v1/auth/token-refresh/`. */
export const refreshedTokenSchema = z.looseObject({ access: z.string().min(1) });

/** A signer inside a webhook body (`signers[]`, `signer_who_signed`, `created_signer`…). */
export const webhookSignerSchema = z.looseObject({
  token: z.string().nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  status: z.string().nullish(),
  signed_at: z.string().nullish(),
  last_view_at: z.string().nullish(),
  notification_type: z.string().nullish(),
  notification_channel: z.string().nullish(),
  sent_at: z.string().nullish(),
  auth_mode: z.string().nullish(),
  geo_latitude: z.union([z.string(), z.number()]).nullish(),
  geo_longitude: z.union([z.string(), z.number()]).nullish(),
  max_attempts: z.number().nullish(),
  attempts_used: z.number().nullish(),
  authentication_failure_reason: z.string().nullish(),
});

/**
 * A webhook body: the document plus an event-specific signer object, or the small `email_bounce` body.
 * `token` is optional here: a `background_check_completed` names a check, not a document; document events
 * without one are refused by the parser.
 */
export const webhookBodySchema = z.looseObject({
  event_type: z.string().min(1).nullish(),
  token: z.string().min(1).nullish(),
  status: z.string().nullish(),
  rejected_reason: z.string().nullish(),
  created_at: z.string().nullish(),
  last_update_at: z.string().nullish(),
  deleted_at: z.string().nullish(),
  expiration_date: z.string().nullish(),
  created_by: z.looseObject({ email: z.string().nullish() }).nullish(),
  signers: z.array(webhookSignerSchema).nullish(),
  signer_who_signed: webhookSignerSchema.nullish(),
  signer_who_viewed: webhookSignerSchema.nullish(),
  signer_who_read: webhookSignerSchema.nullish(),
  created_signer: webhookSignerSchema.nullish(),
  unauthenticated_signer: webhookSignerSchema.nullish(),
  notification_type: z.string().nullish(),
  notification_channel: z.string().nullish(),
  sent_at: z.string().nullish(),
  email: z.string().nullish(),
  type: z.string().nullish(),
  status_code: z.union([z.number(), z.string()]).nullish(),
  error: z.string().nullish(),
});

export type SignerLogEntry = z.infer<typeof signerLogEntrySchema>;
export type ListedDocument = z.infer<typeof listedDocumentSchema>;
export type DocumentDetail = z.infer<typeof documentDetailSchema>;
export type WebhookSigner = z.infer<typeof webhookSignerSchema>;
export type WebhookBody = z.infer<typeof webhookBodySchema>;

/** A document with its signer log: what `listActivity` reads and what `normalize` takes for one document. */
export interface DocumentLog {
  token: string;
  status?: string | null;
  signer_log: unknown[];
  [field: string]: unknown;
}
