import { canonicalJson, fold, InvalidOptionsError } from '@signtrail/core';
import { runAdapterSuite } from '@signtrail/core/testing';
import { generateStories } from '@signtrail/sandbox';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import docsExample from './__fixtures__/workflow-history.json' with { type: 'json' };
import { renderSigninghubLog, signinghubProjection, storyOptions } from './sandbox/index.js';
import { createSigninghubAdapter } from './signinghub-adapter.js';

const stories = generateStories({ seed: 11, processes: 40, ...storyOptions });
const recordsOf = (payload: unknown) =>
  (Array.isArray(payload) ? payload : [payload]).flatMap((log) => (log as { actions: unknown[] }).actions);

runAdapterSuite({
  createAdapter: () => createSigninghubAdapter(),
  fixtures: [
    { name: 'documentation example (Get Workflow History)', payload: docsExample },
    {
      name: 'rendered stories (array of package logs)',
      payload: stories.map((s) => renderSigninghubLog(s.events)),
    },
  ],
  recordsOf,
  roundTrip: {
    stories: stories.map((story) => story.events),
    render: (events) => renderSigninghubLog(events),
    project: signinghubProjection(stories),
  },
});

const sorted = (values: unknown[]) => values.map((v) => canonicalJson(v)).sort();
// SigningHub has no expiry in its log or its package status: an expired story stays in progress.
const expectedStatus = (outcome: string) => (outcome === 'expired' ? 'in_progress' : outcome);

describe('round trip over random stories', () => {
  it('normalize(render(story)) equals the story and folds to its outcome, in any account zone (property)', () => {
    const zones = ['UTC', 'Asia/Kolkata', 'Asia/Tokyo', 'America/Sao_Paulo'];
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(...zones), (seed, timeZone) => {
        const batch = generateStories({ seed, processes: 4, ...storyOptions });
        const adapter = createSigninghubAdapter({ timeZone });
        const project = signinghubProjection(batch);
        for (const story of batch) {
          const result = adapter.normalize(renderSigninghubLog(story.events, { timeZone }));
          expect(sorted(result.events.map(project))).toEqual(sorted(story.events.map(project)));
          const [info] = result.processes;
          const state = fold(result.events, {
            vendorStatus: info?.vendorStatus,
            statusHint: info?.statusHint,
            signers: info?.signers,
          });
          expect(state.status).toBe(expectedStatus(story.outcome));
          expect(state.anomalies).toEqual([]);
          // The next recipients join the signers the events name (same signerId): the roster adds none.
          expect(state.signers).toEqual(fold(result.events).signers);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('the next recipient of a rendered package in progress', () => {
  it('is a signer the log shows acting who has not finished, on the roster with the events signerId', () => {
    const adapter = createSigninghubAdapter();
    const rendered = stories.map((story) => renderSigninghubLog(story.events));
    const withNext = rendered.filter((log) => log.next_signer_email !== undefined);
    expect(withNext.length).toBeGreaterThan(0);
    for (const log of withNext) {
      expect(log.package_status).toBe('INPROGRESS');
      expect(log.next_signer).toBe(log.next_signer_email?.[0]?.user_name);
      const result = adapter.normalize(log);
      const roster = result.processes[0]?.signers ?? [];
      expect(roster.map((s) => s.email)).toEqual(log.next_signer_email?.map((e) => e.user_email));
      for (const { signerId } of roster) {
        const own = result.events.filter((e) => e.signerId === signerId).map((e) => e.type);
        expect(own.length).toBeGreaterThan(0);
        expect(own).not.toContain('signer.signed');
        expect(own).not.toContain('signer.approved');
      }
    }
  });
});

describe('the next recipient after a signature', () => {
  it('is never a signer who signed and viewed again (views go on after signing)', () => {
    const story = generateStories({ seed: 5, processes: 200, ...storyOptions }).find(
      (s) => s.outcome === 'in_progress' && s.events.some((e) => e.type === 'signer.signed'),
    )!;
    expect(story).toBeDefined();
    const signed = story.events.find((e) => e.type === 'signer.signed')!;
    const last = story.events.at(-1)!;
    const viewAgain = {
      ...signed,
      id: `${signed.id}-again`,
      type: 'signer.viewed' as const,
      occurredAt: last.occurredAt,
      seq: last.seq + 1,
      data: {},
    };
    const log = renderSigninghubLog([...story.events, viewAgain]);
    const next = (log.next_signer_email ?? []).map((entry) => entry.user_email);
    expect(next).not.toContain(signed.actor.email);
  });
});

describe('createSigninghubAdapter options', () => {
  const optionError = (options: unknown) => {
    try {
      createSigninghubAdapter(options as never);
    } catch (error) {
      return error;
    }
  };

  it.each([
    [{ clientSecrett: 'x' }, 'clientSecrett'],
    [{ timeZone: 'Europe/Atlantis' }, 'timeZone'],
    [{ concurrency: 0 }, 'concurrency'],
    [{ baseUrl: 'not a url' }, 'baseUrl'],
    [{ username: 'a@b.example' }, 'password'],
    [{ password: 'secret' }, 'username'],
    [{ webhookSecret: 'short' }, 'webhookSecret'],
  ])('rejects %j naming %s', (options, option) => {
    const error = optionError(options);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({ option });
  });

  it('never echoes a credential in an option error', () => {
    const error = optionError({ clientSecret: 'hunter2-very-secret', unknownThing: 1 }) as Error;
    expect(error.message).not.toContain('hunter2');
  });

  it('declares its capabilities', () => {
    expect(createSigninghubAdapter().capabilities).toEqual({
      processLog: true,
      companyWideListing: false,
      dateFilters: false,
      pdf: false,
      webhooks: true,
    });
  });
});
