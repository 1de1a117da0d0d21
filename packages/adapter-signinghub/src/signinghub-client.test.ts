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
import logDetails from './__fixtures__/log-details.json' with { type: 'json' };
import oauthError from './__fixtures__/oauth-error.json' with { type: 'json' };
import packagesPage from './__fixtures__/packages-page.json' with { type: 'json' };
import nextSignerPage from './__fixtures__/packages-page-next-signer-object.json' with { type: 'json' };
import token from './__fixtures__/token.json' with { type: 'json' };
import docsExample from './__fixtures__/workflow-history.json' with { type: 'json' };
import nextSignerLog from './__fixtures__/workflow-history-next-signer-object.json' with { type: 'json' };
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

  it('survives a listing that shrinks mid-walk (the audit case: [1..5], pages of 2, package 1 deleted after page 1)', async () => {
    const five = stories.slice(0, 5);
    // Concurrency 1: package 1's log is read before page 2 is asked for (and the deletion happens).
    const sim = await start({ stories: five, shrink: { hits: [2], count: 1 } });
    const logs = await collect(connect(sim, { pageSize: 2, concurrency: 1 }));
    expect(sim.deletedPackageIds).toEqual([String(packageIdOf(five[0]!.processId))]);
    expect(logs.map((l) => l.processId).sort()).toEqual(
      five.map((s) => String(packageIdOf(s.processId))).sort(),
    );
    const events = five.flatMap((story) => story.events);
    expect(sorted(logs.flatMap((l) => l.events).map(project))).toEqual(sorted(events.map(project)));
  });

  it.each([[{ hits: [2], count: 1 }], [{ hits: [2, 3], count: 1 }], [{ hits: [3], count: 2 }]])(
    'survives a listing that reorders under a steady total %j: every package read once',
    async (reorder) => {
      const five = stories.slice(0, 5);
      const sim = await start({ stories: five, reorder });
      const logs = await collect(connect(sim, { pageSize: 2, concurrency: 1 }));
      const ids = logs.map((l) => l.processId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(five.map((s) => String(packageIdOf(s.processId))).sort());
      const events = five.flatMap((story) => story.events);
      expect(sorted(logs.flatMap((l) => l.events).map(project))).toEqual(sorted(events.map(project)));
    },
  );

  it('without x-total-records, checks the walk with further passes until one finds nothing new', async () => {
    const five = stories.slice(0, 5);
    const sim = await start({ stories: five, shrink: { hits: [2], count: 1 } });
    const withoutTotal: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      headers.delete('x-total-records');
      return new Response(response.body, { status: response.status, headers });
    };
    const logs = await collect(connect(sim, { pageSize: 2, concurrency: 1, fetch: withoutTotal }));
    expect(logs.map((l) => l.processId).sort()).toEqual(
      five.map((s) => String(packageIdOf(s.processId))).sort(),
    );
    // Pass 1: pages 1-3 (the last one empty); pass 2 finds package 3; pass 3 finds nothing new.
    expect(sim.hits('packages')).toBe(9);
  });

  it.each([
    ['ALL', { hits: [2, 4], count: 3 }],
    ['ALL', { hits: [3], count: 7 }],
    ['COMPLETED', { hits: [2], count: 1 }],
  ] as const)(
    'survives deletions under the %s listing %j: every package left is read once',
    async (documentStatus, shrink) => {
      const sim = await start({ shrink: { hits: [...shrink.hits], count: shrink.count } });
      const logs = await collect(connect(sim, { pageSize: 2, concurrency: 1 }), {
        filters: { documentStatus },
      });
      const ids = logs.map((l) => l.processId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(sim.deletedPackageIds.length).toBeGreaterThan(0);
      const listed = stories.filter((s) => documentStatus === 'ALL' || s.outcome === 'completed');
      const left = listed
        .map((s) => String(packageIdOf(s.processId)))
        .filter((id) => !sim.deletedPackageIds.includes(id));
      expect(ids).toEqual(expect.arrayContaining(left));
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

  it('keeps walking when log details fail: each failed log_id is a warning, the events are kept', async () => {
    const sim = await start({ faults: [{ route: 'details', fault: { kind: 'status', status: 500 } }] });
    const logs = await collect(connect(sim, { enrichDetails: true, retries: 1 }));
    expect(sorted(logs.flatMap((l) => l.events).map(project))).toEqual(sorted(storyEvents.map(project)));
    const warnings = logs
      .flatMap((l) => l.warnings)
      .map((w) => w.message)
      .filter((m) => m.includes('details of log_id'));
    expect(warnings).toHaveLength(sim.hits('details') / 2); // each log_id: one attempt and one retry
    expect(warnings[0]).toMatch(
      /details of log_id \d+ in package \d+ could not be read \(vendor_response, HTTP 500\)/,
    );
    expect(logs.flatMap((l) => l.events).every((e) => e.data.ip === undefined)).toBe(true);
  });

  it('sends Accept: application/json on every request; the simulator refuses a client that does not', async () => {
    const sim = await start();
    const accepts: (string | null)[] = [];
    const recording: typeof fetch = async (input, init) => {
      accepts.push(new Headers(init?.headers ?? (input as Request).headers).get('accept'));
      return fetch(input, init);
    };
    await collect(connect(sim, { enrichDetails: true, fetch: recording }));
    expect(accepts.length).toBe(sim.requests.length);
    expect(new Set(accepts)).toEqual(new Set(['application/json']));
    const xml = await fetch(`${sim.baseUrl}/authenticate`, {
      method: 'POST',
      headers: { accept: 'application/xml' },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(xml.status).toBe(406);
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

/**
 * A SigningHub that answers with the documentation's own examples: the token, one listing page (package
 * 123), its workflow history (three actions, all `log_id: 1`) and the log details. `answers` replaces or
 * adds routes (`METHOD /path`); anything else is the documented 404.
 */
function documentedSigninghub(answers: Record<string, () => Response> = {}) {
  const seen: { route: string; accept: string | null; authorization: string | null }[] = [];
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const routes: Record<string, () => Response> = {
    'POST /authenticate': () => json(token),
    'GET /v3/packages/ALL/1/50': () =>
      json(packagesPage, 200, { 'x-total-records': String(packagesPage.length) }),
    'GET /v3/packages/123/log': () => json(docsExample),
    'GET /v3/packages/123/log/1/details': () => json(logDetails),
    ...answers,
  };
  const fetchDocumented: typeof fetch = async (input, init) => {
    const request = input as Request;
    const headers = new Headers(init?.headers ?? request.headers);
    const route = `${init?.method ?? request.method} ${new URL(request.url ?? String(input)).pathname}`;
    seen.push({ route, accept: headers.get('accept'), authorization: headers.get('authorization') });
    return routes[route]?.() ?? json(errorBodies['404'][0], 404);
  };
  const adapter = createSigninghubAdapter({
    baseUrl: 'https://api.signinghub.test',
    clientId: 'docs-client',
    clientSecret: 'docs-client-secret',
    enrichDetails: true,
    backoffMs: 1,
    retries: 1,
    fetch: fetchDocumented,
  });
  return { adapter, seen, json };
}

describe('SigningHub client against the documentation examples', () => {
  const docsWindow = { from: '2015-01-01T00:00:00Z', to: '2015-02-01T00:00:00Z' };
  const walk = async (adapter: SigninghubAdapter) => {
    const logs: ProcessLog[] = [];
    for await (const log of adapter.listActivity(docsWindow)) logs.push(log);
    return logs;
  };

  it('walks the documented listing, reads the log, and asks details once per distinct log_id', async () => {
    const { adapter, seen } = documentedSigninghub();
    const [log, ...rest] = await walk(adapter);
    expect(rest).toEqual([]);
    expect(log).toMatchObject({ processId: '123', vendorStatus: 'COMPLETED', statusHint: 'completed' });
    expect(seen.map((r) => r.route)).toEqual([
      'POST /authenticate',
      'GET /v3/packages/ALL/1/50',
      'GET /v3/packages/123/log',
      'GET /v3/packages/123/log/1/details',
    ]);
    // The three actions all say log_id 1: the details are the first action's, the others get none.
    const [shared, opened, signed] = log!.events;
    expect(shared?.data).toMatchObject({ ip: '203.0.113.24', documentNames: ['sales contract 105'] });
    expect(shared?.documentId).toBe('123');
    expect(opened?.data.ip).toBeUndefined();
    expect(signed?.data.ip).toBeUndefined();
    expect(log!.warnings.map((w) => w.message)).toContain(
      'signinghub: package 123 repeats log_id 1; its details go to its first action only',
    );
  });

  it.each([
    // The example's package is COMPLETED: opened again, so its next recipient is still to act.
    [
      'an array (the example)',
      packagesPage,
      { ...docsExample, package_status: 'INPROGRESS' },
      '123',
      'sam@ascertia.com',
    ],
    ['one object (the description)', nextSignerPage, nextSignerLog, '124', 'Sam@Ascertia.com'],
  ])(
    'walks listing and log whose next_signer_email is %s; the next recipient is on the roster',
    async (_form, page, body, id, email) => {
      const { adapter, json } = documentedSigninghub({
        'GET /v3/packages/ALL/1/50': () => json(page, 200, { 'x-total-records': '1' }),
        [`GET /v3/packages/${id}/log`]: () => json(body),
        [`GET /v3/packages/${id}/log/11/details`]: () => json(logDetails),
        [`GET /v3/packages/${id}/log/12/details`]: () => json(logDetails),
      });
      const [log, ...rest] = await walk(adapter);
      expect(rest).toEqual([]);
      expect(log?.warnings.filter((w) => w.message.includes('skipped'))).toEqual([]);
      expect(log).toMatchObject({
        processId: id,
        signers: [{ signerId: 'sam@ascertia.com', email, name: 'Sam Crook' }],
      });
      expect((await adapter.getProcessLog(id)).signers).toEqual(log?.signers);
    },
  );

  it('sends Accept: application/json everywhere and the documented token as Bearer', async () => {
    const { adapter, seen } = documentedSigninghub();
    await walk(adapter);
    expect(seen.every((r) => r.accept === 'application/json')).toBe(true);
    expect(seen.slice(1).every((r) => r.authorization === `Bearer ${token.access_token}`)).toBe(true);
  });

  it('keeps the events when /log/{log_id}/details answers 404, with a warning for that log_id', async () => {
    const { adapter, json } = documentedSigninghub({
      'GET /v3/packages/123/log/1/details': () => json(errorBodies['404'][0], 404),
    });
    const [log] = await walk(adapter);
    expect(log?.events).toHaveLength(3);
    expect(log?.warnings.map((w) => w.message)).toContain(
      'signinghub: details of log_id 1 in package 123 could not be read (vendor_not_found, HTTP 404); the event is kept without them',
    );
  });

  it.each([
    ['empty', []],
    ['null', null],
  ])(
    'yields a COMPLETED package whose log was cleared (%s actions) for its status and warning',
    async (_name, actions) => {
      const { adapter, json } = documentedSigninghub({
        'GET /v3/packages/123/log': () => json({ ...docsExample, actions }),
      });
      const [log, ...rest] = await walk(adapter);
      expect(rest).toEqual([]);
      expect(log).toMatchObject({
        processId: '123',
        events: [],
        vendorStatus: 'COMPLETED',
        statusHint: 'completed',
      });
      expect(log?.warnings[0]?.message).toContain('COMPLETED with an empty log');
    },
  );

  it('leaves out a cleared log of an open package and a log without actions in the window', async () => {
    const pending = documentedSigninghub({
      'GET /v3/packages/123/log': () =>
        pending.json({ ...docsExample, package_status: 'PENDING', actions: [] }),
    });
    expect(await walk(pending.adapter)).toEqual([]);
    const { adapter } = documentedSigninghub();
    const later: ProcessLog[] = [];
    for await (const log of adapter.listActivity({ from: '2016-01-01', to: '2016-02-01' })) later.push(log);
    expect(later).toEqual([]);
  });

  it('skips a package whose log breaks the documented shape, with a warning, and walks on', async () => {
    const broken = {
      ...docsExample,
      package_id: 124,
      actions: [{ log_id: 9, date_time: '2015-01-12T11:12:13' }],
    };
    const { adapter, json } = documentedSigninghub({
      'GET /v3/packages/ALL/1/50': () =>
        json([{ ...packagesPage[0], package_id: 124 }, ...packagesPage], 200, { 'x-total-records': '2' }),
      'GET /v3/packages/124/log': () => json(broken),
    });
    const logs = await walk(adapter);
    expect(logs.map((l) => l.processId)).toEqual(['124', '123']);
    expect(logs[0]).toMatchObject({ events: [], raw: undefined });
    expect(logs[0]?.warnings.map((w) => w.message)).toEqual([
      'signinghub: package 124 skipped: its log does not match the documented shape (at $.actions[0].action_type: Invalid input: expected string, received undefined)',
    ]);
    expect(logs[1]?.events).toHaveLength(3);
  });
});
