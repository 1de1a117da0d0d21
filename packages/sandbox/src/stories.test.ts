import { fold, normalizedEventSchema, TAXONOMY } from '@signtrail/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countStoryEvents, generateStories } from './stories.js';

describe('stories', () => {
  it('same seed → byte-identical stories; another seed → different', () => {
    const a = JSON.stringify(generateStories({ seed: 7, processes: 50 }));
    expect(JSON.stringify(generateStories({ seed: 7, processes: 50 }))).toBe(a);
    expect(JSON.stringify(generateStories({ seed: 8, processes: 50 }))).not.toBe(a);
  });

  it('covers every taxonomy type over 300 processes', () => {
    const seen = new Set(
      generateStories({ seed: 1, processes: 300 }).flatMap((s) => s.events.map((e) => e.type)),
    );
    expect([...TAXONOMY].filter((t) => !seen.has(t))).toEqual([]);
  });

  it('stories are valid, strictly ordered, and fold to their outcome without anomalies (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        for (const story of generateStories({ seed, processes: 5 })) {
          story.events.forEach((event, index) => {
            expect(normalizedEventSchema.safeParse(event).error).toBeUndefined();
            expect(event.seq).toBe(index);
            if (index > 0) expect(event.occurredAt > story.events[index - 1]!.occurredAt).toBe(true);
          });
          const state = fold(story.events);
          expect(state.anomalies).toEqual([]);
          expect(state.status).toBe(story.outcome);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a vocabulary leaves out what the vendor cannot express, keeping seq dense', () => {
    const types = ['process.created', 'signer.signed', 'process.completed'] as const;
    for (const story of generateStories({ seed: 3, processes: 20, types, resolution: 'second' })) {
      for (const [index, event] of story.events.entries()) {
        expect(types).toContain(event.type);
        expect(event.seq).toBe(index);
        expect(event.occurredAt).toMatch(/\.000000Z$/);
      }
    }
  });

  it('scales: counts events of 5 000 processes without holding them', { timeout: 30_000 }, () => {
    const total = countStoryEvents({ seed: 5, processes: 5_000 });
    expect(total).toBeGreaterThan(50_000);
  });
});
