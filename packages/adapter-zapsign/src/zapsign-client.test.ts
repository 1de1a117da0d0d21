import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AdapterWarning,
  foldLog,
  type NormalizedEvent,
  type ProcessLog,
  VendorAuthError,
  VendorNotFoundError,
  VendorRateLimitError,
  VendorResponseError,
} from '@signtrail/core';
import { storyProjection } from '@signtrail/core/testing';
import {
  ALL_FAULTS,
  type FaultRule,
  generateStories,
  type SimRoute,
  type Simulator,
  type Story,
  startSimulator,
} from '@signtrail/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import documentsList from './__fixtures__/documents-list.json' with { type: 'json' };
import error401 from './__fixtures__/error-401.json' with { type: 'json' };
import signerLogEn from './__fixtures__/signer-log-en.json' with { type: 'json' };
import { signerIdsAsEmails, startZapsignSimulator, storyOptions, writePdf } from './sandbox/index.js';
import { createZapsignAdapter, type ZapsignAdapter } from './zapsign-adapter.js';
import { pageRequestOf } from './zapsign-client.js';
import type { ZapsignOptions } from './zapsign-options.js';

const stories = generateStories({ seed: 42, processes: 14, ...storyOptions });
/** Documents created during a sync, in the order they appear (creation order). */
const late = generateStories({
  seed: 43,
  processes: 4,
  ...storyOptions,
  start: '2024-06-01T00:00:00Z',
  processIdPrefix: 'late',
}).sort((a, b) => (a.events[0]!.occurredAt < b.events[0]!.occurredAt ? -1 : 1));
const everything = [...stories, ...late];
const project = (e: NormalizedEvent) => JSON.stringify(storyProjection(signerIdsAsEmails(everything)(e)));
const FAST: Partial<ZapsignOptions> = { minIntervalMs: 0, backoffMs: 1, timeoutMs: 400, retries: 6 };
const WIDE = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };
const tmp = mkdtempSync(join(tmpdir(), 'zapsign-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function withSimulator<T>(
  options: Partial<Parameters<typeof startZapsignSimulator>[0]>,
  run: (sim: Awaited<ReturnType<typeof startZapsignSimulator>>, adapter: ZapsignAdapter) => Promise<T>,
  adapterOptions: Partial<ZapsignOptions> = {},
): Promise<T> {
  const sim = await startZapsignSimulator({ stories, pageSize: 4, ...options });
  const adapter = createZapsignAdapter({
    apiToken: sim.credentials.apiToken,
    baseUrl: sim.baseUrl,
    ...FAST,
    ...adapterOptions,
  });
  try {
    return await run(sim, adapter);
  } finally {
    await sim.close();
  }
}

/** Runs `run` on an adapter over a bare simulator answering only `routes`: payloads no story renders. */
async function withRoutes<T>(
  routes: SimRoute[],
  run: (adapter: ZapsignAdapter, sim: Simulator) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator({ vendor: 'zapsign', routes });
  try {
    return await run(createZapsignAdapter({ apiToken: 't', baseUrl: sim.baseUrl, ...FAST }), sim);
  } finally {
    await sim.close();
  }
}

/** The listing route answering `documents`, a bare array as the documentation page shows it. */
const docsRoute = (documents: unknown[]): SimRoute => ({
  name: 'docs',
  method: 'GET',
  path: '/api/v1/docs',
  handle: () => ({ json: documents }),
});

/** The signer-log route (JSON log and PDF audit trail alike) answering with `response`. */
const signerLogRoute = (response: ReturnType<SimRoute['handle']>): SimRoute => ({
  name: 'log',
  method: 'GET',
  path: '/api/v1/docs/signer-log/:token',
  handle: () => response,
});

async function collect(logs: AsyncIterable<ProcessLog>): Promise<ProcessLog[]> {
  const out: ProcessLog[] = [];
  for await (const log of logs) out.push(log);
  return out;
}

function expectStorySet(logs: ProcessLog[], expected: Story[]) {
  expect(logs.map((log) => log.processId).sort()).toEqual(expected.map((s) => s.processId).sort());
  const events = logs.flatMap((log) => log.events.map(project)).sort();
  expect(events).toEqual(expected.flatMap((s) => s.events.map(project)).sort());
}

describe('getProcessLog', () => {
  it('reads one document’s signer log and normalizes it', () =>
    withSimulator({ lang: 'es' }, async (_sim, adapter) => {
      const story = stories[3]!;
      const log = await adapter.getProcessLog(story.processId);
      expect(log).toMatchObject({ vendor: 'zapsign', processId: story.processId });
      expect(log.events.map(project).sort()).toEqual(story.events.map(project).sort());
      expect((log.raw as { signer_log: unknown[] }).signer_log).toHaveLength(story.events.length);
    }));

  it('takes the document status from its detail: a completion the log never wrote still folds completed', async () => {
    const completed = stories.find((s) => s.outcome === 'completed')!;
    // ZapSign need not log the completion (the docs' Spanish example ends at the signature).
    const unlogged = { ...completed, events: completed.events.filter((e) => e.type !== 'process.completed') };
    await withSimulator({ stories: [unlogged] }, async (sim, adapter) => {
      const log = await adapter.getProcessLog(completed.processId);
      expect(log).toMatchObject({ vendorStatus: 'signed', statusHint: 'completed' });
      expect(foldLog(log).status).toBe('completed');
      expect([sim.hits('doc'), sim.hits('signer-log')]).toEqual([1, 1]);
    });
  });

  it("returns the document's signers as its roster, a signer the log never names included", async () => {
    const story = stories.find((s) => s.signers.length > 1)!;
    const quiet = story.signers.at(-1)!;
    // The last signer's entries are left out of the log: the roster still lists them, pending.
    const withoutQuiet = { ...story, events: story.events.filter((e) => e.signerId !== quiet.signerId) };
    await withSimulator({ stories: [withoutQuiet] }, async (_sim, adapter) => {
      const log = await adapter.getProcessLog(story.processId);
      expect(log.signers).toEqual(
        story.signers.map((p) => ({ signerId: p.email, email: p.email, name: p.name })),
      );
      expect(foldLog(log).signers).toContainEqual({
        signerId: quiet.email,
        email: quiet.email,
        name: quiet.name,
        status: 'pending',
      });
    });
  });

  it('gives every document its status word and the status it folds to, as the listing does', () =>
    withSimulator({}, async (_sim, adapter) => {
      const listed = new Map((await collect(adapter.listActivity(WIDE))).map((log) => [log.processId, log]));
      for (const story of stories) {
        const log = await adapter.getProcessLog(story.processId);
        const fromListing = listed.get(story.processId)!;
        expect([log.vendorStatus, log.statusHint]).toEqual([
          fromListing.vendorStatus,
          fromListing.statusHint,
        ]);
        expect(foldLog(log).status).toBe(foldLog(fromListing).status);
        expect((log.raw as { deleted: boolean }).deleted).toBe(story.deleted);
      }
    }));

  it('answers an unknown doc token with VendorNotFoundError', () =>
    withSimulator({}, async (_sim, adapter) => {
      await expect(adapter.getProcessLog('no-such-doc')).rejects.toBeInstanceOf(VendorNotFoundError);
    }));

  it('answers a wrong token with VendorAuthError carrying ZapSign’s message, never the token', () =>
    withSimulator({}, async (sim) => {
      const adapter = createZapsignAdapter({ apiToken: 'wrong-token-XYZ', baseUrl: sim.baseUrl, ...FAST });
      const error = await adapter.getProcessLog(stories[0]!.processId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorAuthError);
      expect(error).toMatchObject({ status: 401, vendorMessage: error401.detail });
      expect(String((error as Error).message)).not.toContain('wrong-token-XYZ');
    }));

  it('turns a 403 with an HTML page into a typed error naming the status, not a parse crash', () =>
    withSimulator({ forbiddenDocs: [stories[1]!.processId] }, async (_sim, adapter) => {
      const error = await adapter.getProcessLog(stories[1]!.processId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorAuthError);
      expect(error).toMatchObject({ status: 403, vendorMessage: 'non-JSON error body (text/html)' });
      expect(String((error as Error).message)).toContain('HTTP 403');
    }));
});

describe('listActivity', () => {
  it('walks every listing page and yields each document once, restricted to the window', () =>
    withSimulator({}, async (sim, adapter) => {
      expectStorySet(await collect(adapter.listActivity(WIDE)), stories);
      expect(sim.hits('docs')).toBe(Math.ceil(stories.length / 4));
      const times = stories.flatMap((s) => s.events.map((e) => e.occurredAt)).sort();
      const from = times[Math.floor(times.length / 3)]!;
      const to = times[Math.floor((2 * times.length) / 3)]!;
      const logs = await collect(adapter.listActivity({ from, to }));
      const inWindow = stories.flatMap((s) =>
        s.events.filter((e) => e.occurredAt >= from && e.occurredAt < to),
      );
      expect(logs.flatMap((l) => l.events.map(project)).sort()).toEqual(inWindow.map(project).sort());
    }));

  it('does not read the logs of documents created after the window', () =>
    withSimulator({}, async (sim, adapter) => {
      const created = stories.map((s) => s.events[0]!.occurredAt).sort();
      const to = created[5]!;
      await collect(adapter.listActivity({ from: '2000-01-01T00:00:00Z', to }));
      expect(sim.hits('signer-log')).toBe(5);
    }));

  it('reads only the logs of documents updated since `from` (an incremental sync)', () =>
    withSimulator({}, async (sim, adapter) => {
      const lastUpdate = (story: Story) => story.events.at(-1)!.occurredAt;
      const from = stories.map(lastUpdate).sort()[10]!;
      const recent = stories.filter((story) => lastUpdate(story) >= from);
      expect(recent.length).toBeLessThan(stories.length / 2);
      const logs = await collect(adapter.listActivity({ from, to: WIDE.to }));
      expect(sim.hits('signer-log')).toBe(recent.length);
      const inWindow = stories.flatMap((s) => s.events.filter((e) => e.occurredAt >= from));
      expect(logs.flatMap((l) => l.events.map(project)).sort()).toEqual(inWindow.map(project).sort());
    }));

  it('reads a document whose listing entry has no last_update_at, whatever `from`', async () => {
    const [undated, ...dated] = documentsList;
    const { last_update_at: _dropped, ...withoutUpdate } = undated!;
    const routes = [docsRoute([withoutUpdate, ...dated]), signerLogRoute({ json: signerLogEn })];
    await withRoutes(routes, async (adapter, sim) => {
      const logs = await collect(adapter.listActivity({ from: '2021-01-01T00:00:00Z', to: WIDE.to }));
      expect(logs.map((log) => log.processId)).toEqual([undated!.token]);
      expect(sim.hits('log')).toBe(1);
    });
  });

  it('skips a document it may not read (403) with a warning naming only its token, and walks on', () =>
    withSimulator({ forbiddenDocs: [stories[1]!.processId] }, async (_sim, adapter) => {
      const forbidden = stories[1]!;
      const logs = await collect(adapter.listActivity(WIDE));
      const readable = stories.filter((story) => story !== forbidden);
      expectStorySet(
        logs.filter((log) => log.processId !== forbidden.processId),
        readable,
      );
      const skipped = logs.filter((log) => log.processId === forbidden.processId);
      expect(skipped).toEqual([
        expect.objectContaining({ events: [], warnings: [expect.objectContaining({ type: 'data' })] }),
      ]);
      const message = skipped[0]!.warnings[0]!.message;
      expect(message).toContain(forbidden.processId);
      expect(message).toContain('403');
      expect(message).not.toMatch(/@|Bearer/);
      for (const person of forbidden.signers) expect(message).not.toContain(person.name);
    }));

  it('skips a document whose signer log keeps breaking the documented shape, with a warning, and walks on', () =>
    withSimulator(
      // Every answer of the signer-log route has the wrong shape, retries included: every document is skipped.
      { faults: [{ route: 'signer-log', fault: { kind: 'schema' } }] },
      async (_sim, adapter) => {
        const logs = await collect(adapter.listActivity(WIDE));
        expect(logs.map((log) => log.processId).sort()).toEqual(stories.map((s) => s.processId).sort());
        for (const log of logs) {
          expect(log.events).toEqual([]);
          expect(log.warnings.map((w) => w.message)).toEqual([
            expect.stringMatching(
              new RegExp(
                `^zapsign: document ${log.processId} is listed but its signer log does not match the documented shape \\(at \\$`,
              ),
            ),
          ]);
        }
      },
      { retries: 1 },
    ));

  it('says once that filters are not supported, and still lists everything', () =>
    withSimulator({}, async (_sim, adapter) => {
      const logs = await collect(adapter.listActivity({ ...WIDE, filters: { status: 'signed' } }));
      expectStorySet(logs, stories);
      expect(logs.flatMap((log) => log.warnings.filter((w) => w.type === 'unsupported'))).toEqual([
        expect.objectContaining({ feature: 'filter status' }),
      ]);
      const received: AdapterWarning[] = [];
      const quiet = await collect(
        adapter.listActivity({ ...WIDE, filters: { status: 'signed' }, onWarning: (w) => received.push(w) }),
      );
      expect(received).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'filter status' })]);
      expect(quiet.flatMap((log) => log.warnings.filter((w) => w.type === 'unsupported'))).toEqual([]);
    }));

  it('keeps the listing status word as vendorStatus and hint', () =>
    withSimulator({}, async (_sim, adapter) => {
      const logs = await collect(adapter.listActivity(WIDE));
      for (const log of logs) {
        const story = stories.find((s) => s.processId === log.processId)!;
        const expected = { completed: 'signed', declined: 'refused', cancelled: 'refused' }[
          story.outcome as string
        ];
        expect(log.vendorStatus).toBe(expected ?? 'pending');
      }
    }));

  it('reads at most `concurrency` signer logs at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const counting: typeof fetch = async (input, init) => {
      const logRequest = String(input instanceof Request ? input.url : input).includes('signer-log');
      if (logRequest) most = Math.max(most, ++inFlight);
      try {
        return await fetch(input, init);
      } finally {
        if (logRequest) inFlight -= 1;
      }
    };
    const faults: FaultRule[] = [{ route: 'signer-log', fault: { kind: 'latency', ms: 20 } }];
    await withSimulator(
      { faults },
      async (_sim, adapter) => expectStorySet(await collect(adapter.listActivity(WIDE)), stories),
      { concurrency: 3, fetch: counting },
    );
    expect(most).toBe(3);
  });

  it('follows absolute `next` links by path and query against its own base URL', () =>
    withSimulator({ linkOrigin: 'https://api.zapsign.com.br' }, async (_sim, adapter) => {
      expectStorySet(await collect(adapter.listActivity(WIDE)), stories);
    }));

  it('reads the listing as the documentation page shows it (a bare array)', () =>
    withRoutes([docsRoute(documentsList), signerLogRoute({ json: signerLogEn })], async (adapter) => {
      const logs = await collect(adapter.listActivity(WIDE));
      expect(logs.map((l) => [l.processId, l.vendorStatus, l.statusHint, l.events.length]).sort()).toEqual([
        ['12f7e1e0-71d0-4581-a49c-9f9ce6e3cae1', 'signed', 'completed', 5],
        ['6b9da26c-b5d1-497e-9516-6a82fbadaa20', 'pending', 'in_progress', 5],
        ['7d23fcfa-d37e-44c6-a3c1-677a66383910', 'pending', 'in_progress', 5],
      ]);
    }));

  it.each(
    ALL_FAULTS.map(
      (fault) => [fault.kind === 'status' ? `status ${fault.status}` : fault.kind, fault] as const,
    ),
  )('loses nothing and repeats nothing under the %s fault', async (_name, fault) => {
    const faults: FaultRule[] = [
      { route: 'docs', hits: [1, 3], fault },
      { route: 'signer-log', hits: [2, 5], fault },
    ];
    await withSimulator({ faults, lateStories: late }, async (sim, adapter) => {
      const expected = fault.kind === 'shift' ? [...stories, ...late.slice(0, 2 * fault.count)] : stories;
      expectStorySet(await collect(adapter.listActivity(WIDE)), expected);
      expect(sim.requests.some((r) => r.faults.length > 0)).toBe(true);
    });
  });

  it('loses nothing and repeats nothing with every fault at once, documents appearing mid-sync', async () => {
    // Counted over all requests: the first one reveals three documents created during the sync.
    const faults: FaultRule[] = ALL_FAULTS.map((fault, i) => ({
      hits: fault.kind === 'shift' ? [1] : [2 + 2 * i],
      fault,
    }));
    await withSimulator({ faults, lateStories: late }, async (sim, adapter) => {
      expectStorySet(await collect(adapter.listActivity(WIDE)), [...stories, ...late.slice(0, 3)]);
      expect(new Set(sim.requests.flatMap((r) => r.faults))).toEqual(new Set(ALL_FAULTS.map((f) => f.kind)));
    });
  });

  it('waits out 429 with Retry-After, and says so when retries run out', async () => {
    const faults: FaultRule[] = [
      { route: 'signer-log', hits: [1], fault: { kind: 'rate-limit', retryAfterSeconds: 0 } },
    ];
    await withSimulator({ faults }, async (_sim, adapter) => {
      await expect(adapter.getProcessLog(stories[0]!.processId)).resolves.toBeDefined();
    });
    await withSimulator(
      { faults },
      async (_sim, adapter) => {
        await expect(adapter.getProcessLog(stories[0]!.processId)).rejects.toBeInstanceOf(
          VendorRateLimitError,
        );
      },
      { retries: 0 },
    );
  });

  it('spaces requests by minIntervalMs', () =>
    withSimulator(
      {},
      async (_sim, adapter) => {
        const started = Date.now();
        for (const story of stories.slice(0, 5)) await adapter.getProcessLog(story.processId);
        expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 40);
      },
      { minIntervalMs: 40 },
    ));
});

describe('JWT flow', () => {
  const jwtAdapter = (sim: Awaited<ReturnType<typeof startZapsignSimulator>>, password?: string) =>
    createZapsignAdapter({
      baseUrl: sim.baseUrl,
      ...FAST,
      jwt: {
        organizationId: sim.credentials.organizationId!,
        username: sim.credentials.username!,
        password: password ?? sim.credentials.password!,
      },
    });

  it('logs in once and reuses the access token', () =>
    withSimulator({}, async (sim) => {
      const adapter = jwtAdapter(sim);
      for (const story of stories.slice(0, 3)) await adapter.getProcessLog(story.processId);
      expect([sim.hits('token'), sim.hits('token-refresh')]).toEqual([1, 0]);
    }));

  it('refreshes the access token before it expires', () =>
    withSimulator({ accessTokenTtlMs: 1200 }, async (sim) => {
      const adapter = jwtAdapter(sim);
      await adapter.getProcessLog(stories[0]!.processId);
      await new Promise((resolve) => setTimeout(resolve, 1300));
      await adapter.getProcessLog(stories[1]!.processId);
      expect([sim.hits('token'), sim.hits('token-refresh')]).toEqual([1, 1]);
    }));

  it('renews once on a 401 (token revoked) and retries the request', () =>
    withSimulator({}, async (sim) => {
      const adapter = jwtAdapter(sim);
      await adapter.getProcessLog(stories[0]!.processId);
      sim.revokeAccessTokens();
      await expect(adapter.getProcessLog(stories[1]!.processId)).resolves.toBeDefined();
      expect(sim.hits('token-refresh')).toBe(1);
    }));

  it('reports wrong credentials as VendorAuthError without the password', () =>
    withSimulator({}, async (sim) => {
      const error = await jwtAdapter(sim, 'pw-WRONG-123')
        .getProcessLog(stories[0]!.processId)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorAuthError);
      expect(String((error as Error).message)).not.toContain('pw-WRONG-123');
      expect(sim.hits('signer-log')).toBe(0);
    }));
});

describe('getAuditTrailPdf', () => {
  /** Checks the PDF's structure: header, trailer, and that every xref offset points at its object. */
  function expectValidPdf(bytes: Uint8Array) {
    const text = Buffer.from(bytes).toString('latin1');
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    const xrefAt = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1]);
    expect(text.slice(xrefAt, xrefAt + 4)).toBe('xref');
    const [, count] = /^xref\n0 (\d+)\n/.exec(text.slice(xrefAt)) ?? [];
    const entries = text
      .slice(xrefAt)
      .split('\n')
      .slice(3, 2 + Number(count));
    entries.forEach((entry, i) => {
      expect(entry).toMatch(/^\d{10} 00000 n $/);
      expect(text.slice(Number(entry.slice(0, 10))).startsWith(`${i + 1} 0 obj`)).toBe(true);
    });
    return text;
  }

  it('returns a real PDF generated from the story', () =>
    withSimulator({ lang: 'pt' }, async (_sim, adapter) => {
      const story = stories[2]!;
      const text = expectValidPdf((await adapter.getAuditTrailPdf(story.processId)) as Uint8Array);
      expect(text).toContain(`(${story.fileName} - ${story.processId}) Tj`);
      expect(text).toContain('Documento criado');
    }));

  it('streams the PDF to a file, the same bytes', () =>
    withSimulator({}, async (_sim, adapter) => {
      const file = join(tmp, 'trail.pdf');
      const bytes = (await adapter.getAuditTrailPdf(stories[0]!.processId)) as Uint8Array;
      expect(await adapter.getAuditTrailPdf(stories[0]!.processId, { file })).toEqual({
        file,
        bytes: bytes.length,
      });
      expect(new Uint8Array(readFileSync(file))).toEqual(new Uint8Array(bytes));
    }));

  const pdftotext = (() => {
    try {
      execFileSync('which', ['pdftotext'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!pdftotext)('reads back as text with pdftotext (skipped: pdftotext is not installed here)', () =>
    withSimulator({ lang: 'en' }, async (_sim, adapter) => {
      const file = join(tmp, 'text.pdf');
      await adapter.getAuditTrailPdf(stories[4]!.processId, { file });
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Document audit trail');
      expect(text).toContain(stories[4]!.processId);
    }),
  );

  it('survives a transfer cut off mid-body', () =>
    withSimulator(
      { faults: [{ route: 'signer-log', hits: [1], fault: { kind: 'truncate' } }] },
      async (sim, adapter) => {
        expectValidPdf((await adapter.getAuditTrailPdf(stories[0]!.processId)) as Uint8Array);
        expect(sim.hits('signer-log')).toBe(2);
      },
    ));

  it('reports a wrong token on the PDF route as VendorAuthError (401), leaving no file and no token', () =>
    withSimulator({}, async (sim) => {
      const adapter = createZapsignAdapter({ apiToken: 'wrong-token-XYZ', baseUrl: sim.baseUrl, ...FAST });
      const file = join(tmp, 'unauthorized.pdf');
      const error = await adapter.getAuditTrailPdf(stories[0]!.processId, { file }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorAuthError);
      expect(error).toMatchObject({ status: 401, vendorMessage: error401.detail });
      expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('wrong-token-XYZ');
      expect(() => readFileSync(file)).toThrow();
      expect(() => readFileSync(`${file}.part`)).toThrow();
      expect(sim.hits('signer-log')).toBe(1);
    }));

  it.each([
    ['application/octet-stream', { 'content-type': 'application/octet-stream' }],
    ['no content type', {}],
  ])('accepts a PDF served as %s when its bytes are a PDF', async (_name, headers) => {
    const pdf = writePdf('Document audit trail', ['2024-11-27 17:44:32  Document signed']);
    await withRoutes([signerLogRoute({ headers, body: pdf })], async (adapter) => {
      expect(new Uint8Array((await adapter.getAuditTrailPdf('abc')) as Uint8Array)).toEqual(
        new Uint8Array(pdf),
      );
    });
  });

  it('reports a 404 for an unknown document', () =>
    withSimulator({}, async (_sim, adapter) => {
      await expect(adapter.getAuditTrailPdf('missing')).rejects.toBeInstanceOf(VendorNotFoundError);
    }));

  it.each([
    [
      'a JSON body',
      { 'content-type': 'application/json' },
      '{"detail":"Documento sem histórico"}',
      /got application\/json/,
    ],
    ['an HTML page', { 'content-type': 'text/html' }, '<html>login</html>', /got text\/html/],
    [
      'a "PDF" without the %PDF- magic',
      { 'content-type': 'application/pdf' },
      '<html>oops</html>',
      /not a PDF/,
    ],
    [
      'a JSON body served as application/octet-stream',
      { 'content-type': 'application/octet-stream' },
      '{"detail":"Documento sem histórico"}',
      /not a PDF/,
    ],
    ['an HTML page served with no content type', {}, '<html>login</html>', /not a PDF/],
  ])('refuses %s in place of the PDF, leaving no file behind', async (_name, headers, body, message) => {
    await withRoutes([signerLogRoute({ headers, body })], async (adapter) => {
      const file = join(tmp, 'refused.pdf');
      const error = await adapter.getAuditTrailPdf('abc', { file }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorResponseError);
      expect(String((error as Error).message)).toMatch(message);
      expect(() => readFileSync(file)).toThrow();
      expect(() => readFileSync(`${file}.part`)).toThrow();
      if (new Headers(headers).get('content-type') === 'application/json') {
        expect((error as VendorResponseError).vendorMessage).toBe('Documento sem histórico');
      }
    });
  });
});

describe('pageRequestOf', () => {
  it.each([
    [
      'https://api.zapsign.com.br/api/v1/docs/?page=3&sort_order=asc',
      'http://127.0.0.1:1234',
      '/api/v1/docs/',
    ],
    [
      'https://proxy.example/zapsign/api/v1/docs/?page=3&sort_order=asc',
      'https://proxy.example/zapsign',
      '/api/v1/docs/',
    ],
    ['/api/v1/docs/?page=3&sort_order=asc', 'https://proxy.example/zapsign/', '/api/v1/docs/'],
  ])('%s against %s', (next, base, path) => {
    expect(pageRequestOf(next, base)).toEqual({ path, searchParams: { page: '3', sort_order: 'asc' } });
  });
});
