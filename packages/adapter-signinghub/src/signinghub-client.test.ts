import {
  type AdapterWarning,
  canonicalJson,
  InvalidOptionsError,
  type ProcessLog,
  VendorAuthError,
  VendorNotFoundError,
  VendorResponseError,
} from '@signtrail/core';
import { ALL_FAULTS, type FaultRule, generateStories } from '@signtrail/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import errorBodies from './__fixtures__/error-bodies.json' with { type: 'json' };
import oauthError from './__fixtures__/oauth-error.json' with { type: 'json' };
import {
  packageIdOf,
  type SigninghubSimulator,
  type SigninghubSimulatorOptions,
  signinghubProjection,
  startSigninghubSimulator,
  storyOptions,
} from './sandbox/index.js';
import { createSigninghubAdapter, type SigninghubAdapter } from './signinghub-adapter.js';
import type { SigninghubOptions } from './signinghub-options.js';

const stories = generateStories({ seed: 21, processes: 12, ...storyOptions });
const project = signinghubProjection(stories);
const storyEvents = stories.flatMap((story) => story.events);
const lastEventAt = storyEvents
  .map((e) => e.occurredAt)
  .sort()
  .at(-1)!;
const window = { from: '2023-12-01T00:00:00Z', to: new Date(Date.parse(lastEventAt) + 86_400_000) };
const sorted = (values: unknown[]) => values.map((v) => canonicalJson(v)).sort();

let simulator: SigninghubSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(options: Partial<SigninghubSimulatorOptions> = {}): Promise<SigninghubSimulator> {
  simulator = await startSigninghubSimulator({ stories, ...options });
  return simulator;
}

function connect(sim: SigninghubSimulator, options: SigninghubOptions = {}): SigninghubAdapter {
  return createSigninghubAdapter({
    baseUrl: sim.baseUrl,
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    username: sim.credentials.username,
    password: sim.credentials.password,
    timeoutMs: 300,
    backoffMs: 1,
    pageSize: 5,
    ...options,
  });
}

async function collect(
  adapter: SigninghubAdapter,
  query: Partial<Parameters<SigninghubAdapter['listActivity']>[0]> = {},
) {
  const logs: ProcessLog[] = [];
  for await (const log of adapter.listActivity({ ...window, ...query })) logs.push(log);
  return logs;
}

const failure = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('SigningHub client against the simulator', () => {
  it('reads one package log: events equal the story, raw is the response, status is kept', async () => {
    const sim = await start();
    const story = stories.find((s) => s.outcome === 'completed')!;
    const log = await connect(sim).getProcessLog(String(packageIdOf(story.processId)));
    expect(sorted(log.events.map(project))).toEqual(sorted(story.events.map(project)));
    expect(log).toMatchObject({ vendor: 'signinghub', vendorStatus: 'COMPLETED', statusHint: 'completed' });
    expect((log.raw as { actions: unknown[] }).actions).toHaveLength(story.events.length);
  });

  it('walks the listing: every story once, nothing else', async () => {
    const sim = await start();
    const logs = await collect(connect(sim));
    expect(logs.map((l) => l.processId).sort()).toEqual(
      stories.map((s) => String(packageIdOf(s.processId))).sort(),
    );
    expect(sorted(logs.flatMap((l) => l.events).map(project))).toEqual(sorted(storyEvents.map(project)));
    expect(sim.hits('packages')).toBe(Math.ceil(stories.length / 5) + (stories.length % 5 === 0 ? 1 : 0));
  });

  it('keeps only events in [from, to) and leaves out packages without any', async () => {
    const sim = await start();
    const times = storyEvents.map((e) => e.occurredAt).sort();
    const from = times[Math.floor(times.length / 3)]!;
    const to = times[Math.floor((2 * times.length) / 3)]!;
    const logs = await collect(connect(sim), { from, to });
    const expected = storyEvents.filter((e) => e.occurredAt >= from && e.occurredAt < to);
    expect(sorted(logs.flatMap((l) => l.events).map(project))).toEqual(sorted(expected.map(project)));
    expect(logs.every((l) => l.events.length > 0)).toBe(true);
  });

  it.each(ALL_FAULTS.map((fault) => [fault.kind, fault] as const))(
    'survives %s faults: the synced set equals the stories, nothing lost, nothing twice',
    async (_kind, fault) => {
      const sim = await start({ faults: [{ fault, every: 3, times: 6 }] });
      const logs = await collect(connect(sim));
      const events = logs.flatMap((l) => l.events);
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      expect(sorted(events.map(project))).toEqual(sorted(storyEvents.map(project)));
      expect(sim.requests.some((r) => r.faults.length > 0)).toBe(true);
    },
  );

  it('survives every fault at once, on every route', async () => {
    const faults: FaultRule[] = ALL_FAULTS.map((fault, n) => ({ fault, every: 4 + (n % 3), times: 2 }));
    const sim = await start({ faults });
    const logs = await collect(connect(sim, { retries: 6 }));
    const events = logs.flatMap((l) => l.events);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(sorted(events.map(project))).toEqual(sorted(storyEvents.map(project)));
    expect(sim.insertedPackageIds.length).toBeGreaterThan(0); // pages did shift underneath the walk
  });

  it('survives token expiry mid-walk: renews once per refusal and carries on', async () => {
    const sim = await start({
      tokenLifetimeMs: 120,
      faults: [{ route: 'log', fault: { kind: 'latency', ms: 25 } }],
    });
    const logs = await collect(connect(sim, { concurrency: 2 }));
    expect(sorted(logs.flatMap((l) => l.events).map(project))).toEqual(sorted(storyEvents.map(project)));
    expect(sim.hits('authenticate')).toBeGreaterThan(1);
    expect(sim.requests.some((r) => r.status === 401)).toBe(true);
  });

  it('renews a token before SigningHub says it expires, without a refusal', async () => {
    const sim = await start({ tokenExpiresIn: 1 });
    const adapter = connect(sim);
    const packageId = String(packageIdOf(stories[0]!.processId));
    await adapter.getProcessLog(packageId);
    await adapter.getProcessLog(packageId);
    expect(sim.hits('authenticate')).toBe(1); // cached
    await new Promise((resolve) => setTimeout(resolve, 950)); // past expires_in minus the safety margin
    await adapter.getProcessLog(packageId);
    expect(sim.hits('authenticate')).toBe(2);
    expect(sim.requests.filter((r) => r.status === 401)).toEqual([]);
  });

  it('gives up with VendorAuthError after one renewal when every token is refused', async () => {
    const sim = await start({ tokenLifetimeMs: 0 });
    const error = await failure(connect(sim).getProcessLog(String(packageIdOf(stories[0]!.processId))));
    expect(error).toBeInstanceOf(VendorAuthError);
    expect(error).toMatchObject({ status: 401, vendorMessage: 'Request authorization denied' });
    expect(sim.hits('authenticate')).toBe(2);
  });

  it('uses the client-credentials grant without username and password', async () => {
    const sim = await start();
    const adapter = connect(sim, { username: undefined, password: undefined });
    const log = await adapter.getProcessLog(String(packageIdOf(stories[0]!.processId)));
    expect(log.events.length).toBe(stories[0]!.events.length);
  });

  it('maps token refusals to VendorAuthError with the OAuth description, never the secret', async () => {
    const sim = await start();
    const packageId = String(packageIdOf(stories[0]!.processId));
    const badClient = await failure(
      connect(sim, { clientSecret: 'wrong-client-secret' }).getProcessLog(packageId),
    );
    expect(badClient).toBeInstanceOf(VendorAuthError);
    expect(badClient).toMatchObject({ status: 401, vendorMessage: 'Client authentication failed' });
    expect((badClient as Error).message).not.toContain('wrong-client-secret');
    const badUser = await failure(connect(sim, { password: 'wrong-password' }).getProcessLog(packageId));
    expect(badUser).toBeInstanceOf(VendorAuthError);
    expect(badUser).toMatchObject({ status: 400, vendorMessage: 'The user name or password is incorrect' });
  });

  it('reports a disabled account: OAuth body at the token endpoint, 403 for a token already held', async () => {
    const sim = await start();
    const packageId = String(packageIdOf(stories[0]!.processId));
    const adapter = connect(sim);
    await adapter.getProcessLog(packageId);
    sim.setAccountDisabled(true);
    const withToken = await failure(adapter.getProcessLog(packageId));
    expect(withToken).toMatchObject({ status: 403, vendorMessage: 'Account is disabled' });
    const fresh = await failure(connect(sim).getProcessLog(packageId));
    expect(fresh).toBeInstanceOf(VendorAuthError);
    expect(fresh).toMatchObject({ vendorMessage: oauthError.error_description });
  });

  it('maps the documented package errors to typed errors with the vendor message', async () => {
    const sim = await start({ foreignPackageIds: ['424242'], failingPackageIds: ['500500'] });
    const adapter = connect(sim, { retries: 1 });
    const foreign = await failure(adapter.getProcessLog('424242'));
    expect(foreign).toBeInstanceOf(VendorAuthError);
    expect(foreign).toMatchObject({ status: 403, vendorMessage: 'Document does not belong to user' });
    const missing = await failure(adapter.getProcessLog('31337'));
    expect(missing).toBeInstanceOf(VendorNotFoundError);
    expect(missing).toMatchObject({ status: 404, vendorMessage: 'Document not found' });
    const broken = await failure(adapter.getProcessLog('500500'));
    expect(broken).toBeInstanceOf(VendorResponseError);
    expect(broken).toMatchObject({ status: 500, vendorMessage: errorBodies['500'][0]!.Message });
  });

  it('refuses a scoped token without the integration privilege', async () => {
    const sim = await start({ privileged: false });
    const adapter = connect(sim, { scope: 'user@company.example' });
    const error = await failure(adapter.getProcessLog(String(packageIdOf(stories[0]!.processId))));
    expect(error).toMatchObject({
      status: 403,
      vendorMessage: 'You are not allowed to perform the requested operation',
    });
  });

  it('serves exactly the documented error bodies', async () => {
    const sim = await start({ foreignPackageIds: ['424242'], failingPackageIds: ['500500'] });
    const read = async (path: string, token?: string) => {
      const response = await fetch(`${sim.baseUrl}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return [response.status, await response.json()];
    };
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.credentials.clientId,
      client_secret: sim.credentials.clientSecret,
    });
    const token = (
      (await (await fetch(`${sim.baseUrl}/authenticate`, { method: 'POST', body: form })).json()) as {
        access_token: string;
      }
    ).access_token;
    expect(await read('/v3/packages/1/log')).toEqual([401, errorBodies['401'][1]]);
    expect(await read('/v3/packages/1/log', 'forged')).toEqual([401, errorBodies['401'][0]]);
    expect(await read('/v3/packages/424242/log', token)).toEqual([403, errorBodies['403'][0]]);
    expect(await read('/v3/packages/31337/log', token)).toEqual([404, errorBodies['404'][0]]);
    expect(await read('/v3/packages/500500/log', token)).toEqual([500, errorBodies['500'][0]]);
  });

  it('skips a listed package it may not read, with a warning, and keeps walking', async () => {
    const sim = await start({ foreignPackageIds: ['424242'] });
    const logs = await collect(connect(sim));
    const skipped = logs.find((l) => l.processId === '424242');
    expect(skipped?.events).toEqual([]);
    expect(skipped?.warnings[0]?.message).toContain('belongs to another user');
    expect(sorted(logs.flatMap((l) => l.events).map(project))).toEqual(sorted(storyEvents.map(project)));
  });

  it('enriches events with log details (IP address, document names) under bounded concurrency', async () => {
    const sim = await start();
    let inFlight = 0;
    let peak = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    const adapter = connect(sim, { enrichDetails: true, concurrency: 2, fetch: countingFetch });
    const story = stories.find((s) => s.events.length > 6)!;
    const log = await adapter.getProcessLog(String(packageIdOf(story.processId)));
    expect(sim.hits('details')).toBe(story.events.length);
    for (const event of log.events) {
      expect(event.data.documentNames).toEqual([story.fileName]);
      expect(event.documentId).toBeDefined();
      if (event.actor.kind === 'system') expect(event.data.ip).toBeUndefined();
      else expect(event.data.ip).toMatch(/^198\.51\.100\.\d+$/);
    }
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('stops fetching when the caller stops reading (bounded work and memory)', async () => {
    const sim = await start();
    const adapter = connect(sim, { concurrency: 2 });
    for await (const log of adapter.listActivity(window)) {
      expect(log.events.length).toBeGreaterThan(0);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.hits('log')).toBeLessThanOrEqual(4);
  });

  it('filters the listing by documentStatus and warns about filters it does not know', async () => {
    const sim = await start();
    const logs = await collect(connect(sim), { filters: { documentStatus: 'COMPLETED', flowType: 'x' } });
    const completed = stories.filter((s) => s.outcome === 'completed');
    expect(logs.map((l) => l.processId).sort()).toEqual(
      completed.map((s) => String(packageIdOf(s.processId))).sort(),
    );
    expect(logs[0]?.warnings[0]).toMatchObject({ type: 'unsupported', feature: 'filter flowType' });
    const received: AdapterWarning[] = [];
    const quiet = await collect(connect(sim), {
      filters: { flowType: 'x' },
      onWarning: (w) => received.push(w),
    });
    expect(received).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'filter flowType' })]);
    expect(quiet.flatMap((l) => l.warnings).filter((w) => w.type === 'unsupported')).toEqual([]);
    const bad = await failure(collect(connect(sim), { filters: { documentStatus: 'SOMETIMES' } }));
    expect(bad).toMatchObject({ option: 'filters.documentStatus' });
  });

  it('checks credentials and the window before sending anything', async () => {
    const sim = await start();
    const anonymous = createSigninghubAdapter({ baseUrl: sim.baseUrl });
    const noClient = await failure(anonymous.getProcessLog('1'));
    expect(noClient).toBeInstanceOf(InvalidOptionsError);
    expect(noClient).toMatchObject({ option: 'clientId' });
    const backwards = await failure(collect(connect(sim), { from: window.to, to: window.from }));
    expect(backwards).toMatchObject({ option: 'from' });
    expect(sim.requests).toEqual([]);
  });
});
