import { z } from 'zod';

/** The vendor name on every event and error of this adapter. */
export const VENDOR = 'signinghub';

// Tolerant wire schemas: unknown fields are kept (looseObject), documented fields are optional unless the
// adapter cannot work without them, and `null` counts as absent (SigningHub is a .NET service).
const text = z.string().nullish();
const flag = z.boolean().nullish();
const count = z.number().nullish();
/** SigningHub ids are numbers; the webhook connector declares them as strings: both are accepted. */
const idExpected = 'a number or a non-empty string';
const id = z.union([z.number(), z.string().min(1, { error: idExpected })], { error: idExpected });

/** One next recipient: `{ user_email, user_name }`. */
const nextSignerSchema = z.looseObject({ user_email: text, user_name: text });
/** `next_signer_email`: the docs describe "an object", their example shows an array of them: both are accepted. */
const nextSignersSchema = z
  .union([z.array(nextSignerSchema), nextSignerSchema], {
    error: 'an array of { user_email, user_name } or one such object',
  })
  .nullish();

/** `documents[]` of a package log. */
const documentSchema = z.looseObject({
  document_id: id.nullish(),
  document_name: text,
  document_order: count,
  document_type: text,
  document_source: text,
  document_width: count,
  document_height: count,
  document_pages: count,
  uploaded_on: text,
  modified_on: text,
  form_fields: flag,
  lock_form_fields: flag,
  certify: z.looseObject({ enabled: flag, permission: text }).nullish(),
  template: z.looseObject({ template_name: text, read_only: flag }).nullish(),
});

/** One logged action (`actions[]`). */
const actionSchema = z.looseObject({
  log_id: z.number().nullish(),
  date_time: z.string(),
  action_type: z.string(),
  user_email: text,
  user_name: text,
  enterprise_name: text,
  information: z.looseObject({ type: text, value: text }).nullish(),
});

/** `GET /v3/packages/{package_id}/log`: the workflow history of one package. */
export const packageLogSchema = z.looseObject({
  package_id: id,
  package_status: text,
  package_owner: text,
  owner_name: text,
  next_signer: text,
  next_signer_email: nextSignersSchema,
  documents: z.array(documentSchema).nullish(),
  /** `null` or absent like `[]`: a log SigningHub cleared. */
  actions: z.array(actionSchema).nullish(),
});

/** One package of `GET /v3/packages/{document_status}/{page_no}/{records}`. */
export const packageSummarySchema = z.looseObject({
  package_id: id,
  package_name: text,
  package_owner: text,
  owner_name: text,
  package_status: text,
  folder: text,
  unread: flag,
  next_signer: text,
  next_signer_email: nextSignersSchema,
  uploaded_on: text,
  modified_on: text,
});

/** A listing page: an array of packages (an empty array past the last page). */
export const packagesPageSchema = z.array(packageSummarySchema);

/** `POST /authenticate` answer. */
export const tokenSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: text,
  expires_in: z.number().positive(),
  refresh_token: text,
});

/** One node of the log details tree (`GET /v3/packages/{id}/log/{log_id}/details`). */
export interface LogDetailNode {
  key: string;
  key_label?: string | null;
  value?: string | null;
  value_label?: string | null;
  visible?: boolean | null;
  order?: number | null;
  certificate_base64?: string | null;
  certificate_base64_url?: string | null;
  type?: string | null;
  data?: LogDetailNode[] | null;
}

const logDetailNodeSchema: z.ZodType<LogDetailNode> = z.looseObject({
  key: z.string(),
  key_label: text,
  value: text,
  value_label: text,
  visible: flag,
  order: count,
  certificate_base64: text,
  certificate_base64_url: text,
  type: text,
  get data() {
    return z.array(logDetailNodeSchema).nullish();
  },
});

/** The details answer: a list of nodes (a single node is accepted too). */
export const logDetailsSchema = z.union([z.array(logDetailNodeSchema), logDetailNodeSchema]);

/** POST callback body (field notes; the SigningHub webhook connector declares every field a string). */
export const callbackSchema = z.looseObject({
  package_id: id,
  package_name: text,
  package_owner: text,
  owner_name: text,
  package_status: text,
  uploaded_on: text,
  modified_on: text,
  document: z
    .array(
      z.looseObject({
        document_id: id.nullish(),
        document_name: text,
        document_type: text,
        document_order: z.union([z.number(), z.string()]).nullish(),
        document_source: text,
      }),
    )
    .nullish(),
});

/** One package of the listing, as validated. */
export type PackageSummary = z.infer<typeof packageSummarySchema>;
