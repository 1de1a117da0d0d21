import type { NormalizedEvent } from './event.js';

/** The vendor-neutral view of an event used to compare an adapter's output with a story. */
export function storyProjection(event: NormalizedEvent): Record<string, unknown> {
  return {
    processId: event.processId,
    type: event.type,
    occurredAt: event.occurredAt,
    actorKind: event.actor.kind,
    signerId: event.signerId,
  };
}
