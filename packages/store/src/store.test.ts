import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { canonicalJson, fold, InvalidOptionsError, type NormalizedEvent } from '@signtrail/core';
import { generateStories } from '@signtrail/sandbox';
import { type SQL, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getConnection, saveConnection } from './connections.js';
import { queryRows } from './database.js';
import { CredentialsDecryptionError, MissingSecretKeyError, openStore, type Store } from './index.js';
import { parseSecretKey } from './secret-box.js';
import { storeInternals } from './store.js';
import { announceSkippedPostgres, createLocation, drivers, useStore } from './test-support/databases.js';

const MIGRATIONS = (
  JSON.parse(readFileSync(new URL('../drizzle/meta/_journal.json', import.meta.url), 'utf8')) as {
    entries: unknown[];
  }
).entries.length;

announceSkippedPostgres();

const SECRET = randomBytes(32).toString('base64');
const stories = generateStories({ seed: 11, processes: 12 });
const storyEvents = stories.flatMap((story) => story.events);

/** Every event of a tenant, oldest first. */
async function allEvents(store: Store, tenant: string): Promise<NormalizedEvent[]> {
  const found: NormalizedEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.queryEvents({ tenant, limit: 1000, ...(cursor ? { cursor } : {}) });
    found.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

function sortedForms(list: readonly NormalizedEvent[]): string[] {
  return list.map((event) => canonicalJson(event)).sort();
}

async function rawRows<T>(store: Store, query: SQL): Promise<T[]> {
  return queryRows<T>(storeInternals(store).database.db, query);
}

describe.each(drivers)('migrations on %s', (driver) => {
  it('creates the schema on a fresh database and applies nothing on a second open', async () => {
    const location = await createLocation(driver, { fresh: true });
    try {
      const first = await openStore(location.options);
      await first.ingest({ tenant: 'm', events: storyEvents.slice(0, 5) });
      const applied = await rawRows<{ n: number }>(
        first,
        sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
      );
      await first.close();

      const second = await openStore(location.options);
      const again = await rawRows<{ n: number }>(
        second,
        sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
      );
      expect(again).toEqual(applied);
      expect(applied[0]?.n).toBeGreaterThan(0);
      expect(await second.countEvents({ tenant: 'm' })).toBe(5);
      await second.close();
    } finally {
      await location.drop();
    }
  });

  it.runIf(driver === 'postgres')('lets two processes open one fresh database at once', async () => {
    const location = await createLocation(driver);
    try {
      const stores = await Promise.all([openStore(location.options), openStore(location.options)]);
      const applied = await rawRows<{ n: number }>(
        stores[0],
        sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
      );
      expect(applied[0]?.n).toBe(MIGRATIONS); // each applied once, not once per process
      await Promise.all(stores.map((store) => store.close()));
    } finally {
      await location.drop();
    }
  });
});

describe.each(drivers)('ingest on %s', (driver) => {
  const context = useStore(driver, { secretKey: SECRET });

  it('stores a batch once: the same batch again adds nothing', async () => {
    const { store } = context;
    const first = await store.ingest({ tenant: 'idem', events: storyEvents });
    expect(first).toMatchObject({ inserted: storyEvents.length, duplicates: 0, conflicts: 0 });
    const second = await store.ingest({ tenant: 'idem', events: storyEvents });
    expect(second).toEqual({ inserted: 0, duplicates: storyEvents.length, conflicts: 0, refolded: 0 });
    expect(sortedForms(await allEvents(store, 'idem'))).toEqual(sortedForms(storyEvents));
  });

  it('stores a vendor record holding NUL characters, each as U+FFFD, and the same record again as a duplicate', async () => {
    const { store } = context;
    const original = storyEvents[0]!;
    const withNul = {
      ...original,
      actor: { ...original.actor, name: 'A\0B' },
      data: { ...original.data, note: 'x\0' },
      vendorEvent: { ...original.vendorEvent, description: 'page\0text' },
      raw: { 'key\0': ['\0', 1] },
    };
    // Two batches, one alone (the bulk path where there is one) and one beside stored events.
    for (const events of [[withNul], [withNul, storyEvents[1]!]]) {
      await store.ingest({ tenant: 'nul', events });
    }
    const [stored] = (await allEvents(store, 'nul')).filter((e) => e.id === original.id);
    expect(stored).toMatchObject({
      actor: { name: 'A\uFFFDB' },
      data: { note: 'x\uFFFD' },
      vendorEvent: { description: 'page\uFFFDtext' },
      raw: { 'key\uFFFD': ['\uFFFD', 1] },
    });
    const again = await store.ingest({ tenant: 'nul', events: [withNul] });
    expect(again).toMatchObject({ inserted: 0, duplicates: 1, conflicts: 0 });
    const page = await store.queryEventsJson({ tenant: 'nul', limit: 10 });
    expect(JSON.parse(page.json)).toHaveLength(2);
  });

  it('stores each event once when overlapping batches are ingested at the same time', async () => {
    const { store } = context;
    // Every batch shares ids with the others (and, on PostgreSQL, loses the COPY race to one of them).
    const batches = [0, 1, 2, 3].map((shift) => storyEvents.slice(shift * 20, shift * 20 + 120));
    await store.ingest({ tenant: 'race', events: [] }); // a new tenant's row would make them take turns
    const counts = await Promise.all(batches.map((events) => store.ingest({ tenant: 'race', events })));
    const unique = new Set(batches.flat().map((event) => event.id));
    expect(counts.reduce((sum, count) => sum + count.inserted, 0)).toBe(unique.size);
    expect(counts.reduce((sum, count) => sum + count.inserted + count.duplicates, 0)).toBe(
      batches.flat().length,
    );
    expect(counts.every((count) => count.conflicts === 0)).toBe(true);
    expect(sortedForms(await allEvents(store, 'race'))).toEqual(
      sortedForms(storyEvents.filter((event) => unique.has(event.id))),
    );
  });

  it('refuses text with a lone UTF-16 surrogate whole, on every path, rather than altering it', async () => {
    const { store } = context;
    const event = { ...storyEvents[5]!, signerId: 'half \ud800 pair' };
    await expect(store.ingest({ tenant: 'surrogate', events: [event] })).rejects.toThrow();
    expect(await allEvents(store, 'surrogate')).toEqual([]);
  });

  it('stores the schema form of an event: unknown fields are dropped, so a repeat is no conflict', async () => {
    const { store } = context;
    const event = storyEvents[3]!;
    const loose = { ...event, confirmedBy: 'x', actor: { ...event.actor, nickname: 'y' } } as NormalizedEvent;
    await store.ingest({ tenant: 'loose', events: [loose] });
    expect(await store.ingest({ tenant: 'loose', events: [loose] })).toMatchObject({
      duplicates: 1,
      conflicts: 0,
    });
    expect(await allEvents(store, 'loose')).toEqual([event]);
  });

  it('folds every process from all its events, across batches and in any order', async () => {
    const { store } = context;
    const shuffled = [...storyEvents].reverse();
    for (let start = 0; start < shuffled.length; start += 7) {
      await store.ingest({ tenant: 'fold', events: shuffled.slice(start, start + 7) });
    }
    for (const story of stories) {
      const found = await store.getProcess('fold', 'sandbox', story.processId);
      expect(found?.process.state).toEqual(fold(story.events));
      expect(found?.process.status).toBe(story.outcome);
      expect(found?.events).toEqual(story.events);
    }
  });

  it('applies what the vendor says about a process on every re-fold', async () => {
    const { store } = context;
    const story = stories.find((s) => s.outcome === 'in_progress') ?? stories[0]!;
    const head = story.events.slice(0, 3);
    await store.ingest({
      tenant: 'hint',
      events: head,
      processes: [
        { vendor: 'sandbox', processId: story.processId, vendorStatus: 'EXPIRED', statusHint: 'expired' },
      ],
    });
    await store.ingest({ tenant: 'hint', events: story.events.slice(3, 4) });
    const found = await store.getProcess('hint', 'sandbox', story.processId);
    expect(found?.process.state).toEqual(
      fold(story.events.slice(0, 4), { vendorStatus: 'EXPIRED', statusHint: 'expired' }),
    );
    expect(found?.process.status).toBe('expired');
  });

  it('creates no process for a log that brought only a warning (a skipped process)', async () => {
    const { store } = context;
    const counts = await store.ingest({
      tenant: 'skipped',
      events: [],
      warnings: [{ type: 'data', message: 'document sk1 skipped', vendor: 'sandbox', processId: 'sk1' }],
      processes: [{ vendor: 'sandbox', processId: 'sk1' }],
    });
    expect(counts.refolded).toBe(0);
    expect(await store.getProcess('skipped', 'sandbox', 'sk1')).toBeUndefined();
    expect(await store.listWarnings({ tenant: 'skipped' })).toHaveLength(1);
  });

  it("keeps the vendor's roster across re-folds, without the signers' phone or SSN", async () => {
    const { store } = context;
    const story = stories[1]!;
    const roster = [
      {
        signerId: 'listed-only',
        name: 'Lee',
        email: 'lee@example.com',
        phone: '+3546951234',
        ssn: '1203894569',
      },
    ];
    await store.ingest({
      tenant: 'roster',
      events: story.events.slice(0, 2),
      processes: [{ vendor: 'sandbox', processId: story.processId, signers: roster }],
    });
    await store.ingest({ tenant: 'roster', events: story.events.slice(2) });
    const found = await store.getProcess('roster', 'sandbox', story.processId);
    const rosterOnly = [{ signerId: 'listed-only', name: 'Lee', email: 'lee@example.com' }];
    expect(found?.process.state).toEqual(fold(story.events, { signers: rosterOnly }));
    expect(found?.process.state.signers).toContainEqual({ ...rosterOnly[0], status: 'pending' });
    const [row] = await rawRows<{ roster: string }>(
      store,
      sql`SELECT roster::text AS roster FROM process_states WHERE tenant_id = 'roster'`,
    );
    expect(row?.roster).not.toMatch(/3546951234|1203894569|phone|ssn/);
  });

  it('keeps the first version of a conflicting duplicate and records the other as an anomaly', async () => {
    const { store } = context;
    const original = storyEvents[0]!;
    const altered: NormalizedEvent = { ...original, data: { ...original.data, reason: 'rewritten' } };
    await store.ingest({ tenant: 'conflict', events: storyEvents });
    const counts = await store.ingest({ tenant: 'conflict', events: [altered, original] });
    expect(counts).toMatchObject({ inserted: 0, duplicates: 1, conflicts: 1 });
    // The same conflicting version again is counted, but recorded once.
    await store.ingest({ tenant: 'conflict', events: [altered] });

    const page = await store.queryEvents({ tenant: 'conflict', processId: original.processId, limit: 100 });
    expect(page.events.find((e) => e.id === original.id)).toEqual(original);
    const anomalies = await store.listAnomalies({ tenant: 'conflict' });
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({
      eventId: original.id,
      code: 'duplicate_conflict',
      incoming: altered,
    });
    const state = (await store.getProcess('conflict', 'sandbox', original.processId))?.process.state;
    expect(state?.anomalies).toContainEqual(
      expect.objectContaining({ code: 'duplicate_conflict', eventId: original.id }),
    );
    // A later event of the process folds again and keeps the recorded conflict.
    const later: NormalizedEvent = {
      ...original,
      id: 'later-event',
      occurredAt: '2099-01-01T00:00:00.000000Z',
      type: 'document.downloaded',
    };
    await store.ingest({ tenant: 'conflict', events: [later] });
    const refolded = (await store.getProcess('conflict', 'sandbox', original.processId))?.process.state;
    expect(refolded?.anomalies.filter((a) => a.code === 'duplicate_conflict')).toHaveLength(1);
  });

  it('links a webhook event to the log event of the same happening, whichever arrives first', async () => {
    const { store } = context;
    const story = stories.find((s) => s.events.some((e) => e.type === 'signer.viewed'))!;
    const viewed = story.events.find((e) => e.type === 'signer.viewed')!;
    const hook: NormalizedEvent = { ...viewed, id: 'webhook-1', origin: 'webhook', raw: { pushed: true } };
    await store.ingest({ tenant: 'hooks', events: [hook] });
    const alone = await store.queryEvents({ tenant: 'hooks', limit: 10 });
    expect(alone.events).toEqual([hook]);

    await store.ingest({ tenant: 'hooks', events: story.events });
    const all = await store.queryEvents({ tenant: 'hooks', processId: story.processId, limit: 100 });
    expect(all.events.find((e) => e.id === 'webhook-1')?.confirmedBy).toBe(viewed.id);
    const timeline = await store.queryEvents({ tenant: 'hooks', timeline: true, limit: 100 });
    expect(timeline.events).toEqual(story.events);
    const state = (await store.getProcess('hooks', 'sandbox', story.processId))?.process.state;
    expect(state).toEqual(fold([...story.events, hook]));
    expect(state?.counts.events).toBe(story.events.length);
    // A repeat delivery carrying some link of its own is the same record, not a conflict.
    const repeat = await store.ingest({ tenant: 'hooks', events: [{ ...hook, confirmedBy: 'stale' }] });
    expect(repeat).toMatchObject({ duplicates: 1, conflicts: 0 });
  });

  it('treats two versions inside one batch like a stored one and a later one', async () => {
    const { store } = context;
    const original = storyEvents[1]!;
    const altered: NormalizedEvent = { ...original, seq: original.seq + 100 };
    const counts = await store.ingest({ tenant: 'in-batch', events: [original, original, altered] });
    expect(counts).toMatchObject({ inserted: 1, duplicates: 1, conflicts: 1 });
    const events = await allEvents(store, 'in-batch');
    expect(events).toEqual([original]);
  });

  it('rejects an invalid event naming its path, and stores nothing of the batch', async () => {
    const { store } = context;
    const bad = { ...storyEvents[2]!, occurredAt: '2024-01-01 10:00' };
    const attempt = store.ingest({ tenant: 'invalid', events: [storyEvents[0]!, bad] });
    await expect(attempt).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(attempt).rejects.toMatchObject({ option: 'events[1].occurredAt' });
    expect(await store.countEvents({ tenant: 'invalid' })).toBe(0);
  });

  it('keeps tenants apart: same event ids in two tenants, queries see only their own', async () => {
    const { store } = context;
    const shared = [...stories[0]!.events, ...stories[1]!.events];
    const onlyB = stories[2]!.events;
    await store.ingest({ tenant: 'tenant-a', events: shared });
    const forB = await store.ingest({ tenant: 'tenant-b', events: [...shared, ...onlyB] });
    expect(forB.inserted).toBe(shared.length + onlyB.length);
    await store.ingest({ tenant: 'tenant-b', events: [{ ...shared[0]!, channel: 'fax' }] });

    expect(sortedForms(await allEvents(store, 'tenant-a'))).toEqual(sortedForms(shared));
    expect(sortedForms(await allEvents(store, 'tenant-b'))).toEqual(sortedForms([...shared, ...onlyB]));
    expect(await store.listAnomalies({ tenant: 'tenant-a' })).toEqual([]);
    expect(await store.listAnomalies({ tenant: 'tenant-b' })).toHaveLength(1);
    const listed = await store.listProcesses({ tenant: 'tenant-a', limit: 100 });
    expect(listed.processes.map((p) => p.processId).sort()).toEqual(
      [stories[0]!.processId, stories[1]!.processId].sort(),
    );
    expect(await store.getProcess('tenant-a', 'sandbox', stories[2]!.processId)).toBeUndefined();
    expect(await store.countEvents({ tenant: 'tenant-a', q: stories[2]!.processId })).toBe(0);
  });

  it('records warnings once, counting how often they were seen', async () => {
    const { store } = context;
    const warning = {
      vendor: 'sandbox',
      processId: 'p1',
      type: 'unmapped' as const,
      vendorType: 'sandbox.unknown',
      count: 2,
      message: 'sandbox: no mapping for "sandbox.unknown" (2×); kept as type "other"',
    };
    await store.ingest({ tenant: 'warn', events: [], warnings: [warning] });
    await store.ingest({ tenant: 'warn', events: [], warnings: [warning] });
    const warnings = await store.listWarnings({ tenant: 'warn' });
    expect(warnings).toEqual([
      expect.objectContaining({ ...warning, occurrences: 2, lastSeenAt: expect.any(Date) }),
    ]);
  });

  it('encrypts vendor credentials at rest and decrypts them with the key', async () => {
    const { store } = context;
    const credentials = { apiToken: 'tok-3f9a1c7e-secret', password: 'hunter2-very-secret' };
    await store.saveConnection({
      tenant: 'enc',
      vendor: 'zapsign',
      settings: { baseUrl: 'https://sandbox.example' },
      credentials,
    });
    expect(await store.getConnection('enc', 'zapsign')).toMatchObject({
      settings: { baseUrl: 'https://sandbox.example' },
      hasCredentials: true,
      credentials,
    });
    const [row] = await rawRows<{ credentials: string }>(
      store,
      sql`SELECT credentials FROM vendor_connections WHERE tenant_id = 'enc'`,
    );
    expect(row?.credentials).toMatch(/^v1\./);
    expect(row?.credentials).not.toContain('tok-3f9a1c7e');
    expect(row?.credentials).not.toContain('hunter2');
    expect(await store.listConnections('enc')).toEqual([
      expect.not.objectContaining({ credentials: expect.anything() }),
    ]);

    // A sealed value copied onto another tenant's row does not open there.
    await store.saveConnection({ tenant: 'enc-copy', vendor: 'zapsign' });
    await rawRows(
      store,
      sql`UPDATE vendor_connections SET credentials = ${row?.credentials} WHERE tenant_id = 'enc-copy'`,
    );
    await expect(store.getConnection('enc-copy', 'zapsign')).rejects.toBeInstanceOf(
      CredentialsDecryptionError,
    );
    expect(await store.deleteConnection('enc-copy', 'zapsign')).toBe(true);
    expect(await store.getConnection('enc-copy', 'zapsign')).toBeUndefined();
  });

  it('needs the key that sealed the credentials, with errors that name no secret', async () => {
    const { db } = storeInternals(context.store).database;
    await saveConnection(db, parseSecretKey(SECRET), {
      tenant: 'keys',
      vendor: 'taktikal',
      credentials: { apiKey: 'k-123456' },
    });
    const saving = saveConnection(db, undefined, {
      tenant: 'keys',
      vendor: 'x',
      credentials: { apiKey: 'k-1' },
    });
    await expect(saving).rejects.toBeInstanceOf(MissingSecretKeyError);
    await expect(saving).rejects.toThrow(/SIGNTRAIL_SECRET_KEY/);
    await expect(getConnection(db, undefined, 'keys', 'taktikal')).rejects.toBeInstanceOf(
      MissingSecretKeyError,
    );
    const opening = getConnection(db, randomBytes(32), 'keys', 'taktikal');
    await expect(opening).rejects.toBeInstanceOf(CredentialsDecryptionError);
    await expect(opening).rejects.not.toThrow(/k-123456/);
    // Settings alone need no key.
    await saveConnection(db, undefined, { tenant: 'keys', vendor: 'plain', settings: { timeZone: 'UTC' } });
    expect(await getConnection(db, undefined, 'keys', 'plain')).toMatchObject({ hasCredentials: false });
  });
});

describe.each(drivers)('webhook inbox on %s', (driver) => {
  const context = useStore(driver, { secretKey: SECRET });

  it('leases each delivery to one claimer, retries a failed one after its lease, keeps raw bodies in the rows', async () => {
    const { store } = context;
    const result = { events: [], warnings: [], reread: ['p1'] };
    const delivery = (body: string) => ({
      tenant: 't',
      vendor: 'taktikal',
      connectionId: 'c1',
      request: { method: 'POST', body, query: {} },
      result,
    });
    const signedDocument = JSON.stringify({ SignedDocument: 'A'.repeat(2_000_000) });
    const { id: first } = await store.enqueueWebhook(delivery(signedDocument));
    const { id: second } = await store.enqueueWebhook(delivery('{}'));
    expect(await store.pendingWebhooks()).toBe(2);

    const claimed = await store.claimWebhooks({ limit: 10, leaseMs: 2000 });
    expect(claimed.map((d) => d.id)).toEqual([first, second]);
    // The worker gets what the adapter read, not the (possibly huge) raw body.
    expect(claimed[0]).toStrictEqual({
      id: first,
      tenant: 't',
      vendor: 'taktikal',
      connectionId: 'c1',
      result,
      receivedAt: expect.any(Date),
      attempts: 1,
    });
    expect(await store.claimWebhooks({ limit: 10, leaseMs: 2000 })).toEqual([]);

    await store.finishWebhook(first, { status: 'processed', events: 0 });
    await store.finishWebhook(second, { status: 'failed', error: 'vendor_unavailable' });
    expect(await store.pendingWebhooks()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const retried = await store.claimWebhooks({ limit: 10, leaseMs: 2000 });
    expect(retried.map((d) => [d.id, d.attempts])).toEqual([[second, 2]]);

    // What operators see: bookkeeping newest first, errors included, never a body.
    const entries = await store.listInbox({ tenant: 't', limit: 10 });
    expect(entries.map((entry) => [entry.id, entry.status, entry.error ?? null])).toEqual([
      [second, 'failed', 'vendor_unavailable'],
      [first, 'processed', null],
    ]);
    expect(entries[1]).toMatchObject({ vendor: 'taktikal', connectionId: 'c1', attempts: 1, events: 0 });
    expect(JSON.stringify(entries)).not.toContain('SignedDocument');
    expect((await store.listInbox({ tenant: 't', withError: true, limit: 10 })).map((e) => e.id)).toEqual([
      second,
    ]);
    expect(
      (await store.listInbox({ tenant: 't', status: ['processed'], limit: 10 })).map((e) => e.id),
    ).toEqual([first]);
    expect(await store.listInbox({ tenant: 'someone-else', limit: 10 })).toEqual([]);
    await expect(store.listInbox({ tenant: 't', limit: 0 })).rejects.toBeInstanceOf(InvalidOptionsError);

    const rows = await queryRows<{ id: number; bytes: number }>(
      storeInternals(store).database.db,
      sql`SELECT id, length(body) AS bytes FROM webhook_inbox ORDER BY id`,
    );
    expect(rows.map((row) => [String(row.id), Number(row.bytes)])).toEqual([
      [first, signedDocument.length],
      [second, 2],
    ]);
  });

  it('stores a delivery key once per connection, also when deliveries race; keyless deliveries always', async () => {
    const { store } = context;
    const delivery = (connectionId: string, deliveryKey?: string) => ({
      tenant: 't',
      vendor: 'taktikal',
      connectionId,
      request: { method: 'POST', body: '{}', query: {} },
      result: { events: [], warnings: [], reread: ['p1'], ...(deliveryKey && { deliveryKey }) },
    });
    const racing = await Promise.all(
      Array.from({ length: 6 }, () => store.enqueueWebhook(delivery('keyed-1', 'guid-1'))),
    );
    const [stored] = racing.filter((enqueued) => !enqueued.duplicate);
    expect(racing.filter((enqueued) => enqueued.duplicate)).toHaveLength(5);
    expect(racing.map((enqueued) => enqueued.id)).toEqual(racing.map(() => stored!.id));
    expect(await store.enqueueWebhook(delivery('keyed-1', 'guid-1'))).toEqual({
      id: stored!.id,
      duplicate: true,
    });
    // The same key on another connection is another delivery; no key, no replay detection.
    const elsewhere = await store.enqueueWebhook(delivery('keyed-2', 'guid-1'));
    expect(elsewhere.duplicate).toBe(false);
    const keyless = [
      await store.enqueueWebhook(delivery('keyed-1')),
      await store.enqueueWebhook(delivery('keyed-1')),
    ];
    expect(keyless.map((enqueued) => enqueued.duplicate)).toEqual([false, false]);
    const rows = await rawRows<{ id: number; connection_id: string; delivery_key: string | null }>(
      store,
      sql`SELECT id, connection_id, delivery_key FROM webhook_inbox
        WHERE connection_id IN ('keyed-1', 'keyed-2') ORDER BY id`,
    );
    expect(rows.map((row) => [String(row.id), row.connection_id, row.delivery_key])).toEqual([
      [stored!.id, 'keyed-1', 'guid-1'],
      [elsewhere.id, 'keyed-2', 'guid-1'],
      [keyless[0]!.id, 'keyed-1', null],
      [keyless[1]!.id, 'keyed-1', null],
    ]);
  });

  it('commits a delivery whose body and events hold NUL characters, each as U+FFFD', async () => {
    const { store } = context;
    const event = { ...storyEvents[0]!, raw: { name: 'Jo\0n' } };
    const { id } = await store.enqueueWebhook({
      tenant: 'nul',
      vendor: 'zapsign',
      connectionId: 'c-nul',
      request: { method: 'POST', body: '{"name":"Jo\0n"}', query: { q: '\0' } },
      result: { events: [event], warnings: [], reread: [] },
    });
    const [claimed] = (await store.claimWebhooks({ limit: 100, leaseMs: 60_000 })).filter((d) => d.id === id);
    expect(typeof claimed!.result === 'string' ? claimed!.result : claimed!.result.events[0]?.raw).toEqual({
      name: 'Jo\uFFFDn',
    });
    await store.finishWebhook(id, { status: 'processed', events: 1 });
  });
});

describe('secret key option', () => {
  it('rejects a key that is not 32 bytes, without echoing it', async () => {
    const attempt = openStore({ dataDir: 'memory://', secretKey: 'c2hvcnQta2V5' });
    await expect(attempt).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(attempt).rejects.not.toThrow(/c2hvcnQta2V5/);
  });
});
