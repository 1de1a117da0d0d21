-- Events stored before this migration get the JSON their pages served until now, built from their columns
-- with `fromEventRow`'s rules (NULL columns are absent fields); `confirmedBy` stays out, pages append it.
ALTER TABLE "events" ADD COLUMN "served_json" text;--> statement-breakpoint
UPDATE "events" SET "served_json" = concat('{"id":', to_json("id"),
  ',"vendor":', to_json("vendor"),
  ',"processId":', to_json("process_id"),
  ',"type":', to_json("type"),
  ',"occurredAt":', to_json("occurred_at"),
  ',"seq":', "seq",
  ',"actor":{"kind":', to_json("actor_kind"),
  ',"email":' || to_json("actor_email"),
  ',"name":' || to_json("actor_name"),
  ',"id":' || to_json("actor_id"), '}',
  ',"data":', "data",
  ',"vendorEvent":', "vendor_event",
  ',"origin":', to_json("origin"),
  ',"raw":', "raw",
  ',"signerId":' || to_json("signer_id"),
  ',"documentId":' || to_json("document_id"),
  ',"channel":' || to_json("channel"), '}');--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "served_json" SET NOT NULL;
