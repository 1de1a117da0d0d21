import { describe, expect, it } from 'vitest';
import type { ActivityQuery, AuditSource } from '../contract.js';
import { registerSource } from '../contract.js';
import { InvalidOptionsError } from '../errors.js';
import { type NormalizedEvent, normalizedEventSchema } from '../event.js';
import { foldByProcess } from '../fold.js';
import { canonicalJson } from '../id.js';
import { storyProjection } from '../projection.js';
import { processStateSchema } from '../state.js';

/** A vendor payload exactly as the vendor returns it, and the raw records it holds. */
export interface AdapterFixture {
  name: string;
  payload: unknown;
}

/** Options of `runAdapterSuite`. */
export interface AdapterSuiteOptions {
  /** Builds the adapter under test (no network is used by the suite). */
  createAdapter: () => AuditSource;
  /** Vendor payloads; the vendor documentation's own examples belong here. */
  fixtures: AdapterFixture[];
  /** The vendor records inside a payload: each must yield exactly one event whose `raw` equals it. */
  recordsOf: (payload: unknown) => unknown[];
  /** Round trip: `normalize(render(story))` projected equals the story projected. */
  roundTrip?: {
    stories: NormalizedEvent[][];
    render: (story: NormalizedEvent[]) => unknown;
    project?: (event: NormalizedEvent) => unknown;
  };
}

/**
 * The shared conformance suite every adapter runs against itself (call it inside a vitest file):
 * contract version, stable ids, one event per vendor record, taxonomy types only, `raw` kept
 * losslessly, a state that folds, and `listActivity` queries checked before any request.
 */
export function runAdapterSuite(options: AdapterSuiteOptions): void {
  const adapter = options.createAdapter();
  describe(`adapter contract: ${adapter.vendor}`, () => {
    it('declares specification v1 and boolean capabilities', () => {
      expect(registerSource(adapter)).toBe(adapter);
      expect(adapter.vendor).toMatch(/^[a-z][a-z0-9-]*$/);
      for (const flag of ['processLog', 'companyWideListing', 'dateFilters', 'pdf', 'webhooks'] as const) {
        expect(typeof adapter.capabilities[flag]).toBe('boolean');
      }
      expect(typeof adapter.parseWebhook === 'function').toBe(adapter.capabilities.webhooks);
    });

    it('has at least one fixture', () => {
      expect(options.fixtures.length).toBeGreaterThan(0);
    });

    for (const fixture of options.fixtures) {
      describe(fixture.name, () => {
        const first = adapter.normalize(structuredClone(fixture.payload));

        it('gives the same ids and events on a second normalization', () => {
          const second = options.createAdapter().normalize(structuredClone(fixture.payload));
          expect(second.events).toEqual(first.events);
        });

        it('yields exactly one event per vendor record, with raw kept losslessly', () => {
          const records = options.recordsOf(fixture.payload);
          expect(first.events).toHaveLength(records.length);
          const raws = first.events.map((e) => canonicalJson(e.raw)).sort();
          expect(raws).toEqual(records.map((r) => canonicalJson(r)).sort());
        });

        it('gives unique ids and only valid taxonomy events of this vendor', () => {
          expect(new Set(first.events.map((e) => e.id)).size).toBe(first.events.length);
          for (const event of first.events) {
            expect(normalizedEventSchema.safeParse(event).error).toBeUndefined();
            expect(event.vendor).toBe(adapter.vendor);
          }
        });

        it('folds into valid process states', () => {
          for (const state of foldByProcess(first.events)) {
            expect(processStateSchema.safeParse(state).error).toBeUndefined();
          }
        });
      });
    }

    it('checks a listActivity query before any request', async () => {
      const refusal = async (query: Record<string, unknown>) => {
        try {
          for await (const _ of adapter.listActivity(query as unknown as ActivityQuery)) break;
        } catch (error) {
          return error;
        }
        return undefined;
      };
      const window = { from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z' };
      const cases: [Record<string, unknown>, string][] = [
        [{ from: window.to, to: window.from }, 'from'],
        [{ from: window.from, to: window.from }, 'from'],
        [{ ...window, from: 'yesterday' }, 'from'],
        [{ ...window, to: new Date(Number.NaN) }, 'to'],
        [{ ...window, StatusFilter: 'Completed' }, 'StatusFilter'],
      ];
      for (const [query, option] of cases) {
        const error = await refusal(query);
        expect(error).toBeInstanceOf(InvalidOptionsError);
        expect((error as InvalidOptionsError).option).toBe(option);
        expect((error as Error).message).not.toContain('yesterday');
      }
    });

    const roundTrip = options.roundTrip;
    if (roundTrip) {
      it('round-trips stories: normalize(render(story)) equals the story', () => {
        const project = roundTrip.project ?? storyProjection;
        for (const story of roundTrip.stories) {
          const { events } = adapter.normalize(roundTrip.render(story));
          const byOrder = (a: unknown, b: unknown) => (canonicalJson(a) < canonicalJson(b) ? -1 : 1);
          expect(events.map(project).sort(byOrder)).toEqual(story.map(project).sort(byOrder));
        }
      });
    }
  });
}
