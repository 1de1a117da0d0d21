// Sandbox stories served by core's in-memory reference adapter (vendor `memory`), shared by the store tests,
// the sync child process and the benchmarks.
import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryAdapter } from '@signtrail/core/testing';
import { storyStream } from '@signtrail/sandbox';

/** One story as a process of the memory vendor: one record per story event, the vendor code kept. */
export function memoryProcessOf(story) {
  return {
    processId: story.processId,
    records: story.events.map((event) => {
      const record = { id: event.id, type: event.vendorEvent.type, at: event.occurredAt, actor: event.actor };
      if (event.signerId !== undefined) record.signerId = event.signerId;
      return record;
    }),
  };
}

/** The memory adapter over `stories` (all in memory). */
export function storySource(stories) {
  return createMemoryAdapter({ processes: stories.map(memoryProcessOf) });
}

/** The memory adapter over `storyStream(options)`, generated again on every walk: bounded memory. */
export function lazyStorySource(options) {
  const processes = {
    *[Symbol.iterator]() {
      for (const story of storyStream(options)) yield memoryProcessOf(story);
    },
  };
  return createMemoryAdapter({ processes });
}

/** `source` with a pause before every process it yields (a slow vendor, so a test can kill a sync mid-walk). */
export function slowSource(source, delayMs) {
  return {
    ...source,
    async *listActivity(query) {
      for await (const log of source.listActivity(query)) {
        await sleep(delayMs);
        yield log;
      }
    },
  };
}
