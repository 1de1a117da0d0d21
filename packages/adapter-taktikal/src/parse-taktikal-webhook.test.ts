import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  InvalidOptionsError,
  VendorSchemaError,
  type WebhookRequest,
  WebhookVerificationError,
} from '@signtrail/core';
import { exchangeWebhooks, generateStories } from '@signtrail/sandbox';
import { describe, expect, it } from 'vitest';
import webhookFixture from './__fixtures__/webhook-signed-document.json' with { type: 'json' };
import {
  renderTaktikalWebhooks,
  startTaktikalSimulator,
  storyOptions,
  TAKTIKAL_STORY_TYPES,
} from './sandbox/index.js';
import { createTaktikalAdapter } from './taktikal-adapter.js';

const KEY = 'test-webhook-signing-key';
const FIXTURE_KEY = 'fixture-webhook-signing-key';
const EPOCH_TICKS = 621_355_968_000_000_000n;

/** .NET ticks for a time, with sub-millisecond digits so the value is past double precision. */
function ticksAt(ms: number): string {
  return String(EPOCH_TICKS + BigInt(ms) * 10_000n + 1234n);
}

function sign(timeStamp: string, guid: string, key = KEY): string {
  return createHmac('sha256', key).update(`${timeStamp}${guid}`).digest('base64');
}

/** A webhook body as Taktikal sends it: `TimeStamp` a bare JSON number with all its digits. */
function delivery(
  options: {
    at?: number;
    guid?: string;
    key?: string;
    eventType?: number;
    processKey?: string;
    document?: string;
  } = {},
): WebhookRequest {
  const timeStamp = ticksAt(options.at ?? Date.now());
  const guid = options.guid ?? randomUUID();
  const body = structuredClone(webhookFixture) as unknown as Record<string, Record<string, unknown>>;
  body.EventData!.EventType = options.eventType ?? 1;
  if (options.processKey !== undefined) body.EventData!.ProcessKey = options.processKey;
  if (options.document !== undefined) body.EventData!.SignedDocument = options.document;
  body.EventSignature = { TimeStamp: '__TICKS__', Guid: guid, Signature: sign(timeStamp, guid, options.key) };
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body).replace('"__TICKS__"', timeStamp),
  };
}

const adapter = (extra: Parameters<typeof createTaktikalAdapter>[0] = {}) =>
  createTaktikalAdapter({ webhookSecret: KEY, ...extra });

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('parseWebhook (Taktikal)', () => {
  it('verifies the documentation-shaped fixture and asks for a re-read, contributing no event', async () => {
    const fixture = createTaktikalAdapter({
      webhookSecret: FIXTURE_KEY,
      webhookToleranceMs: 100 * 365 * 86_400_000, // the fixture was signed in 2024
    });
    const request = { method: 'POST', headers: {}, body: JSON.stringify(webhookFixture) };
    // JSON.stringify re-serializes the rounded number: the signature no longer matches those digits
    await expect(fixture.parseWebhook(request)).rejects.toBeInstanceOf(WebhookVerificationError);
    const raw = readFileSync(new URL('./__fixtures__/webhook-signed-document.json', import.meta.url), 'utf8');
    expect(await fixture.parseWebhook({ ...request, body: raw })).toEqual({
      events: [],
      warnings: [],
      reread: ['sp231f52f87d6f4caaa2e29ecac92d055b'],
      deliveryKey: JSON.parse(raw).EventSignature.Guid,
    });
  });

  it('accepts every documented event type, and a TimeStamp sent as a string', async () => {
    const parser = adapter();
    for (const eventType of [1, 2, 5, 6, 10, 11]) {
      const result = await parser.parseWebhook(delivery({ eventType, processKey: `sp${eventType}` }));
      expect(result).toEqual({
        // The body is not signed: no event, only the re-read, whatever the type announces.
        events: [],
        warnings: [],
        reread: [`sp${eventType}`],
        deliveryKey: expect.any(String),
      });
    }
    const guid = randomUUID();
    const timeStamp = ticksAt(Date.now());
    const body = JSON.stringify({
      Id: 'x',
      EventData: { EventType: 10, ProcessKey: 'spstring' },
      EventSignature: { TimeStamp: timeStamp, Guid: guid, Signature: sign(timeStamp, guid) },
    });
    expect((await parser.parseWebhook({ method: 'POST', headers: {}, body })).reread).toEqual(['spstring']);
  });

  it('warns about an unknown event type but still asks for the re-read', async () => {
    const result = await adapter().parseWebhook(delivery({ eventType: 42 }));
    expect(result.reread).toEqual(['sp231f52f87d6f4caaa2e29ecac92d055b']);
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unmapped', vendorType: 'webhook EventType 42', count: 1 }),
    ]);
  });

  it('rejects a wrong signature with a 401 that carries no secret', async () => {
    const request = delivery({ key: 'someone-elses-key' });
    const error = await rejection(adapter().parseWebhook(request));
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect((error as WebhookVerificationError).status).toBe(401);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain('someone-elses-key');
    expect(error.message).not.toContain(JSON.parse(request.body).EventSignature.Signature);
  });

  it('rejects a body whose signed fields were tampered with', async () => {
    const request = delivery();
    const tampered = request.body.replace(/"Guid":"[^"]+"/, `"Guid":"${randomUUID()}"`);
    await expect(adapter().parseWebhook({ ...request, body: tampered })).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
    const shifted = request.body.replace(
      /"TimeStamp":(\d+)/,
      (_, digits: string) => `"TimeStamp":${BigInt(digits) + 1n}`,
    );
    await expect(adapter().parseWebhook({ ...request, body: shifted })).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
  });

  it('rejects unsigned deliveries', async () => {
    const body = JSON.stringify({ Id: 'x', EventData: { EventType: 1, ProcessKey: 'sp1' } });
    await expect(adapter().parseWebhook({ method: 'POST', headers: {}, body })).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
    const blank = JSON.stringify({
      ...JSON.parse(body),
      EventSignature: { TimeStamp: 1, Guid: '', Signature: '' },
    });
    await expect(adapter().parseWebhook({ method: 'POST', headers: {}, body: blank })).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
  });

  it('rejects timestamps outside the tolerance, past or future; the tolerance is an option', async () => {
    const minute = 60_000;
    await expect(adapter().parseWebhook(delivery({ at: Date.now() - 6 * minute }))).rejects.toThrow(
      /outside/,
    );
    await expect(adapter().parseWebhook(delivery({ at: Date.now() + 6 * minute }))).rejects.toThrow(
      /outside/,
    );
    expect((await adapter().parseWebhook(delivery({ at: Date.now() - 4 * minute }))).reread).toHaveLength(1);
    const lenient = adapter({ webhookToleranceMs: 10 * minute });
    expect((await lenient.parseWebhook(delivery({ at: Date.now() - 6 * minute }))).reread).toHaveLength(1);
  });

  it('names each delivery by its signed Guid, the same on every parse and in every process', async () => {
    const request = delivery();
    const guid = JSON.parse(request.body).EventSignature.Guid as string;
    const parser = adapter();
    const first = await parser.parseWebhook(request);
    expect(await parser.parseWebhook(request)).toEqual(first);
    const elsewhere = await adapter().parseWebhook(request);
    expect(first).toEqual(elsewhere);
    expect(elsewhere).toMatchObject({ reread: ['sp231f52f87d6f4caaa2e29ecac92d055b'], deliveryKey: guid });
    expect((await adapter().parseWebhook(delivery())).deliveryKey).not.toBe(guid);
  });

  it('accepts a large SignedDocument and keeps none of it', async () => {
    const document = Buffer.alloc(12 * 1024 * 1024, 7).toString('base64');
    const result = await adapter().parseWebhook(delivery({ document }));
    expect(result.reread).toHaveLength(1);
    expect(JSON.stringify(result).length).toBeLessThan(200);
  });

  it('reports malformed bodies as schema errors and refuses to run without a key', async () => {
    const parser = adapter();
    await expect(parser.parseWebhook({ method: 'POST', headers: {}, body: '{"Id":' })).rejects.toBeInstanceOf(
      VendorSchemaError,
    );
    await expect(parser.parseWebhook({ method: 'POST', headers: {}, body: '[]' })).rejects.toBeInstanceOf(
      VendorSchemaError,
    );
    const noProcess = delivery({ processKey: '' });
    const error = await rejection(parser.parseWebhook(noProcess));
    expect(error).toBeInstanceOf(VendorSchemaError);
    expect((error as VendorSchemaError).path).toBe('$.EventData.ProcessKey');
    await expect(createTaktikalAdapter().parseWebhook(delivery())).rejects.toBeInstanceOf(
      InvalidOptionsError,
    );
  });
});

describe("the simulator's webhooks (Taktikal)", () => {
  it('sends signed deliveries that parseWebhook verifies with its key, each re-reading its story; a wrong key fails', async () => {
    // Cancellation and expiry (5, 6) included: those too only ask for a re-read.
    const types = [...TAKTIKAL_STORY_TYPES, 'process.cancelled', 'process.expired'] as const;
    const stories = generateStories({ ...storyOptions, types, seed: 11, processes: 6 });
    const sim = await startTaktikalSimulator({ stories });
    try {
      const { deliveries, results } = await exchangeWebhooks(
        sim,
        stories,
        (webhookSecret) => createTaktikalAdapter({ webhookSecret }).parseWebhook,
      );
      expect(new Set(deliveries.map((d) => d.processId))).toEqual(new Set(stories.map((s) => s.processId)));
      // Taktikal's codes, one per happening that has one.
      const expected = stories.flatMap((story) => story.events.flatMap((event) => CODES[event.type] ?? []));
      expect(deliveries.map((d) => d.eventType)).toEqual(expected);
      const ended = stories.filter((story) => story.outcome === 'cancelled' || story.outcome === 'expired');
      expect(ended.length).toBeGreaterThan(1);
      // The signature covers no body, so no events: the log the re-read brings decides (its Canceled/Expired
      // entries included).
      expect(results.flatMap((r) => r.events)).toEqual([]);
      for (const story of stories) expect(results.flatMap((r) => r.reread)).toContain(story.processId);
    } finally {
      await sim.close();
    }
  });

  it('renders the real body: every TimeStamp digit past 2^53 in the text, fresh Guids, signees as they stood', async () => {
    const [story] = generateStories({ ...storyOptions, seed: 5, processes: 8 }).filter(
      (s) => s.outcome === 'completed' && s.signers.length > 1,
    );
    const at = Date.parse('2030-01-02T03:04:05.678Z');
    const rendered = renderTaktikalWebhooks(story!, KEY, { companyKey: 'ck1', now: () => at });
    const bodies = rendered.map((delivery) => JSON.parse(delivery.body!) as RenderedBody);
    expect(bodies.map((body) => body.EventData.EventType)).toEqual(
      story!.events.flatMap((event) => CODES[event.type] ?? []).map(Number),
    );
    for (const [n, delivery] of rendered.entries()) {
      const digits = /"TimeStamp":(\d+),/.exec(delivery.body!)![1]!;
      expect(Number.isSafeInteger(Number(digits))).toBe(false);
      expect((BigInt(digits) - EPOCH_TICKS) / 10_000n).toBe(BigInt(at));
      const { Guid, Signature } = bodies[n]!.EventSignature;
      expect(Signature).toBe(sign(digits, Guid));
      expect(bodies[n]).toMatchObject({ EventData: { ProcessKey: story!.processId, CompanyKey: 'ck1' } });
    }
    expect(new Set(bodies.map((body) => body.EventSignature.Guid)).size).toBe(bodies.length);
    const signed = (body: RenderedBody) => body.EventData.Signees.filter((signee) => signee.Signed).length;
    expect(bodies.map(signed)).toEqual(
      bodies.map((_, n) => bodies.slice(0, n + 1).filter((body) => body.EventData.EventType === 1).length),
    );
    expect(signed(bodies.at(-1)!)).toBe(story!.signers.length);
    // A delivery sent twice names itself the same way both times: the caller's store tells the replay.
    const parser = adapter({ webhookToleranceMs: 100 * 365 * 86_400_000 });
    const request = { method: 'POST', headers: rendered[0]!.headers, body: rendered[0]!.body! };
    const first = await parser.parseWebhook(request);
    expect(first).toMatchObject({ reread: [story!.processId], deliveryKey: bodies[0]!.EventSignature.Guid });
    expect(await parser.parseWebhook(request)).toEqual(first);
  });
});

/** The parts of a rendered body the tests read. */
interface RenderedBody {
  EventData: { EventType: number; ProcessKey: string; Signees: { Signed: boolean }[] };
  EventSignature: { Guid: string; Signature: string };
}

/** Taktikal's webhook `EventType` codes for the story happenings that have one. */
const CODES: Record<string, string[]> = {
  'process.created': ['11'],
  'signer.signed': ['1'],
  'process.completed': ['2', '10'],
  'process.cancelled': ['5'],
  'process.expired': ['6'],
};
