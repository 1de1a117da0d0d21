import { canonicalJson, foldNormalized, InvalidOptionsError, type NormalizedEvent } from '@signtrail/core';
import { runAdapterSuite, storyProjection } from '@signtrail/core/testing';
import { generateStories, type Story } from '@signtrail/sandbox';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import activityLog from './__fixtures__/activity-log.json' with { type: 'json' };
import legacyLog from './__fixtures__/activity-log-legacy.json' with { type: 'json' };
import {
  renderTaktikal,
  storyOptions,
  TAKTIKAL_STORY_TYPES,
  type TaktikalApi,
  taktikalDetails,
} from './sandbox/index.js';
import { createTaktikalAdapter } from './taktikal-adapter.js';

const recordsOf = (payload: unknown) =>
  (Array.isArray(payload) ? payload : [payload]).flatMap((wrapper) => wrapper.activityLog ?? []);

/** A round trip over stories: render each story in one API's wire format, normalize, compare projections. */
function roundTrip(stories: Story[], api: TaktikalApi) {
  const byProcess = new Map(stories.map((story) => [story.processId, story]));
  const details = taktikalDetails(api);
  return {
    stories: stories.map((story) => story.events),
    render: (events: NormalizedEvent[]) => renderTaktikal([byProcess.get(events[0]!.processId)!], api),
    project: (event: NormalizedEvent) => ({ ...storyProjection(event), ...details(event) }),
  };
}

const stories = generateStories({ ...storyOptions, seed: 11, processes: 40 });
// The renderer also speaks the two endings the documented log never shows (see TAKTIKAL_STORY_TYPES).
const withEndings = [...TAKTIKAL_STORY_TYPES, 'process.cancelled', 'process.expired'] as const;

runAdapterSuite({
  createAdapter: () => createTaktikalAdapter(),
  fixtures: [
    { name: 'current API documentation example', payload: activityLog },
    { name: 'legacy API documentation example', payload: legacyLog },
    { name: 'single wrapper (rendered page form)', payload: legacyLog[0] },
    { name: 'rendered stories (current API)', payload: renderTaktikal(stories) },
    { name: 'rendered stories (legacy API)', payload: renderTaktikal(stories, 'legacy') },
  ],
  recordsOf,
  roundTrip: roundTrip(stories, 'current'),
});

describe('round trip (property): normalize(render(stories)) equals the stories', () => {
  for (const api of ['current', 'legacy'] as const) {
    it(`for random seeds, ${api} API`, () => {
      const adapter = createTaktikalAdapter();
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.integer({ min: 1, max: 6 }),
          fc.boolean(),
          (seed, processes, endings) => {
            const types = endings ? withEndings : TAKTIKAL_STORY_TYPES;
            const generated = generateStories({ ...storyOptions, types, seed, processes, maxSigners: 4 });
            const { project } = roundTrip(generated, api);
            const byForm = (a: unknown, b: unknown) => (canonicalJson(a) < canonicalJson(b) ? -1 : 1);
            const result = adapter.normalize(renderTaktikal(generated, api));
            const expected = generated.flatMap((story) => story.events);
            expect(result.events.map(project).sort(byForm)).toEqual(expected.map(project).sort(byForm));
            expect(result.processes.map((process) => process.processId)).toEqual(
              generated.map((story) => story.processId),
            );
            const unknownCodes = expected.filter((event) => event.type === 'other').length;
            expect(result.warnings.reduce((sum, warning) => sum + (warning.count ?? 0), 0)).toBe(
              unknownCodes,
            );
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('for random seeds, the optional entry fields come back in data exactly as rendered from the story', () => {
    const adapter = createTaktikalAdapter();
    const optional = ['requiresAuth', 'signInOrder', 'signatureLocation', 'sequenceKey'] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const generated = generateStories({ ...storyOptions, types: withEndings, seed, processes: 4 });
        const byProcess = new Map(generated.map((story) => [story.processId, story]));
        const { events } = adapter.normalize(renderTaktikal(generated));
        for (const event of events) {
          const raw = event.raw as Record<string, unknown>;
          for (const field of optional) expect(event.data[field]).toBe(raw[field] ?? undefined);
          const story = byProcess.get(event.processId)!;
          const sequential = story.ordering === 'sequential';
          if (event.type === 'process.created' || event.type === 'process.started') {
            expect(event.data.signInOrder).toBe(sequential);
          }
          if (event.type === 'signer.added') {
            expect(['TopFirstPage', 'BottomLastPage']).toContain(event.data.signatureLocation);
          }
          if (event.type === 'signer.signed') {
            const click = ['Simple', 'ClickToSign'].includes(event.data.signatureType!);
            expect(event.data.requiresAuth).toBe(!click);
          }
          const step = event.type.startsWith('signer.') && event.signerId !== undefined;
          expect(event.data.sequenceKey !== undefined).toBe(step && sequential);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('renders cancelled and expired stories, which fold to their outcome', () => {
    const ended = generateStories({ ...storyOptions, types: withEndings, seed: 11, processes: 40 }).filter(
      (story) => story.outcome === 'cancelled' || story.outcome === 'expired',
    );
    expect(ended.length).toBeGreaterThan(4);
    for (const api of ['current', 'legacy'] as const) {
      const result = createTaktikalAdapter().normalize(renderTaktikal(ended, api));
      expect(result.warnings).toEqual([]);
      expect(foldNormalized(result).map((state) => state.status)).toEqual(
        ended.map((story) => story.outcome),
      );
    }
  });

  it('renders the wrapper status of every outcome and hints only what it can', () => {
    const result = createTaktikalAdapter().normalize(renderTaktikal(stories));
    const byOutcome = new Map(stories.map((story, n) => [story.outcome, result.processes[n]!]));
    expect(byOutcome.get('completed')).toMatchObject({ vendorStatus: 'Completed', statusHint: 'completed' });
    expect(byOutcome.get('in_progress')).toMatchObject({ vendorStatus: 'Active', statusHint: 'in_progress' });
    const cancelled = byOutcome.get('cancelled')!;
    expect(cancelled).toMatchObject({ vendorStatus: 'InActive' });
    expect(cancelled).not.toHaveProperty('statusHint');
  });

  it('returns every signee with its process, as the roster', () => {
    const result = createTaktikalAdapter().normalize(renderTaktikal(stories));
    stories.forEach((story, n) => {
      expect(result.processes[n]!.signers?.map((s) => s.signerId).sort()).toEqual(
        story.signers.map((s) => s.signerId).sort(),
      );
    });
  });
});

describe('createTaktikalAdapter options', () => {
  it('names an unknown option, never its value', () => {
    expect(() => createTaktikalAdapter({ apiKye: 'secret-value' } as never)).toThrow(InvalidOptionsError);
    try {
      createTaktikalAdapter({ apiKye: 'secret-value' } as never);
    } catch (error) {
      expect((error as InvalidOptionsError).option).toBe('apiKye');
      expect((error as Error).message).not.toContain('secret-value');
    }
  });

  it('rejects wrong values by option name', () => {
    const option = (options: object) => {
      try {
        createTaktikalAdapter(options as never);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionsError);
        return (error as InvalidOptionsError).option;
      }
      return undefined;
    };
    expect(option({ api: 'v2' })).toBe('api');
    expect(option({ baseUrl: 'ftp://example.com' })).toBe('baseUrl');
    expect(option({ pageSize: 0 })).toBe('pageSize');
    expect(option({ pageSize: 10_001 })).toBe('pageSize');
    expect(option({ timeZone: 'Mars/Olympus' })).toBe('timeZone');
    expect(option({ earliestActivity: 'not a date' })).toBe('earliestActivity');
    expect(option({ apiKey: '' })).toBe('apiKey');
    expect(option({ fetch: 'fetch' })).toBe('fetch');
    expect(option({ retries: 11 })).toBe('retries');
    expect(option({ webhookSigningKey: 'b' })).toBe('webhookSigningKey'); // unknown option
    expect(
      option({ companyKey: 'c', apiKey: 'k', api: 'legacy', timeZone: 'Atlantic/Reykjavik' }),
    ).toBeUndefined();
  });

  it('declares what each API can do', () => {
    expect(createTaktikalAdapter().capabilities).toEqual({
      processLog: true,
      companyWideListing: true,
      dateFilters: true,
      pdf: false,
      webhooks: true,
    });
    expect(createTaktikalAdapter({ api: 'legacy' }).capabilities.companyWideListing).toBe(false);
    // A refused delivery is answered 406, the one status that stops Taktikal's retries.
    expect(createTaktikalAdapter().webhookRefusalStatus).toBe(406);
  });
});
