import { fold, InvalidOptionsError, type NormalizedEvent } from '@signtrail/core';
import { runAdapterSuite, storyProjection } from '@signtrail/core/testing';
import { generateStories } from '@signtrail/sandbox';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import signerLogEn from './__fixtures__/signer-log-en.json' with { type: 'json' };
import signerLogEs from './__fixtures__/signer-log-es.json' with { type: 'json' };
import type { ZapsignLanguage } from './map-zapsign-event.js';
import { renderListedDocument, renderZapsign, signerIdsAsEmails, storyOptions } from './sandbox/index.js';
import { createZapsignAdapter } from './zapsign-adapter.js';
import type { DocumentLog } from './zapsign-api.js';
import { type ZapsignOptions, zapsignOptionsFromSettings } from './zapsign-options.js';

const stories = generateStories({ seed: 20241127, processes: 12, ...storyOptions });
const asEmails = signerIdsAsEmails(stories);
const project = (event: NormalizedEvent) => storyProjection(asEmails(event));

/** The signer-log entries inside any payload `normalize` takes. */
function recordsOf(payload: unknown): unknown[] {
  if (!Array.isArray(payload)) return (payload as DocumentLog).signer_log;
  return payload.flatMap((item: unknown) =>
    typeof item === 'object' && item !== null && 'signer_log' in item
      ? (item as DocumentLog).signer_log
      : [item],
  );
}

runAdapterSuite({
  createAdapter: () => createZapsignAdapter(),
  fixtures: [
    {
      name: 'English docs example (signer log of one document)',
      payload: { token: 'doc-en', signer_log: signerLogEn },
    },
    { name: 'Spanish docs example', payload: { token: 'doc-es', signer_log: signerLogEs } },
    { name: 'bare signer log, as the endpoint answers', payload: signerLogEn },
    {
      name: 'listing documents with their logs, rendered from stories in Spanish',
      payload: stories.map((story, i) => ({
        ...renderListedDocument(story, i + 1),
        ...renderZapsign(story.events, 'es'),
      })),
    },
  ],
  recordsOf,
  roundTrip: {
    stories: stories.map((story) => story.events),
    render: (events) => renderZapsign(events),
    project,
  },
});

describe('createZapsignAdapter', () => {
  it('declares what ZapSign can do', () => {
    expect(createZapsignAdapter().capabilities).toEqual({
      processLog: true,
      companyWideListing: false,
      dateFilters: false,
      pdf: true,
      webhooks: true,
    });
  });

  it('round-trips any story in every language, to the same final state (property)', () => {
    const adapter = createZapsignAdapter();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom<ZapsignLanguage>('pt', 'es', 'en'),
        (seed, lang) => {
          const random = generateStories({ seed, processes: 3, ...storyOptions });
          const projectRandom = (e: NormalizedEvent) =>
            JSON.stringify(storyProjection(signerIdsAsEmails(random)(e)));
          for (const story of random) {
            const { events } = adapter.normalize(renderZapsign(story.events, lang));
            expect(events.map(projectRandom).sort()).toEqual(story.events.map(projectRandom).sort());
            const ours = fold(events);
            const theirs = fold(story.events);
            expect([ours.status, ours.counts.signed, ours.anomalies.length]).toEqual([
              theirs.status,
              theirs.counts.signed,
              theirs.anomalies.length,
            ]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('options', () => {
  const optionOf = (input: unknown) => {
    try {
      createZapsignAdapter(input as never);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionsError);
      return { option: (error as InvalidOptionsError).option, message: (error as Error).message };
    }
    throw new Error('expected InvalidOptionsError');
  };

  it.each([
    ['an unknown option', { apiTokn: 'x' }, 'apiTokn'],
    [
      'an unknown JWT field',
      { jwt: { organizationId: 'o', username: 'u', password: 'p', extra: 1 } },
      'jwt.extra',
    ],
    [
      'both credentials',
      { apiToken: 'tok-123', jwt: { organizationId: 'o', username: 'u', password: 'p' } },
      'apiToken',
    ],
    ['a bad base URL', { baseUrl: 'ftp://example' }, 'baseUrl'],
    ['an unknown environment', { environment: 'staging' }, 'environment'],
    ['a zero concurrency', { concurrency: 0 }, 'concurrency'],
    ['a header name with spaces', { webhookHeader: 'x zapsign' }, 'webhookHeader'],
  ])('rejects %s, naming it', (_name, input, option) => {
    expect(optionOf(input).option).toBe(option);
  });

  it('never echoes a credential', () => {
    const { message } = optionOf({
      apiToken: 'tok-SECRET-123',
      jwt: { organizationId: 'o', username: 'u', password: 'pw-SECRET' },
    });
    expect(message).not.toContain('SECRET');
  });

  it('needs credentials only for API calls', async () => {
    const offline = createZapsignAdapter();
    expect(offline.normalize(signerLogEn).events).toHaveLength(5);
    const error = await offline.getProcessLog('abc').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as InvalidOptionsError).option).toBe('apiToken');
  });

  it.each<[ZapsignOptions, string]>([
    [{}, 'https://api.zapsign.com.br'],
    [{ environment: 'sandbox' }, 'https://sandbox.api.zapsign.com.br'],
    [{ environment: 'sandbox', baseUrl: 'https://proxy.example/zapsign' }, 'https://proxy.example/zapsign'],
  ])('sends requests to the host of %j', async (hostOptions, host) => {
    const seen: string[] = [];
    const recording: typeof fetch = async (input) => {
      const url = input instanceof Request ? input.url : String(input);
      seen.push(url);
      const body = url.includes('signer-log') ? '[]' : '{"token":"abc","status":"pending"}';
      return new Response(body, { headers: { 'content-type': 'application/json' } });
    };
    const adapter = createZapsignAdapter({
      apiToken: 't',
      fetch: recording,
      minIntervalMs: 0,
      ...hostOptions,
    });
    await adapter.getProcessLog('abc');
    expect(seen).toEqual([`${host}/api/v1/docs/abc/`, `${host}/api/v1/docs/signer-log/abc`]);
  });
});

describe('zapsignOptionsFromSettings', () => {
  it('nests the JWT flow settings and passes the rest through', () => {
    expect(zapsignOptionsFromSettings({ apiToken: 't', baseUrl: 'http://127.0.0.1:1' })).toEqual({
      apiToken: 't',
      baseUrl: 'http://127.0.0.1:1',
    });
    expect(zapsignOptionsFromSettings({ organizationId: 'o', username: 'u', password: 'p' })).toEqual({
      jwt: { organizationId: 'o', username: 'u', password: 'p' },
    });
    expect(() =>
      createZapsignAdapter(zapsignOptionsFromSettings({ organizationId: 'o', username: 'u', password: 'p' })),
    ).not.toThrow();
  });
});
