import { readFileSync } from 'node:fs';
import { InvalidOptionsError, type NormalizedEvent, TAXONOMY } from '@signtrail/core';
import { generateStories } from '@signtrail/sandbox';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventFilters, EventPaging, Store } from './index.js';
import { storeInternals } from './store.js';
import { announceSkippedPostgres, drivers, useStore } from './test-support/databases.js';
import { byPosition, expectedEvents, processOf, processStatuses } from './test-support/event-oracle.js';

announceSkippedPostgres();

const TENANT = 'acme';
const stories = generateStories({ seed: 5, processes: 30, spanDays: 10 });
const otherVendor = generateStories({ seed: 6, processes: 6, spanDays: 10, vendor: 'othervendor' });
const all = [...stories, ...otherVendor].flatMap((story) => story.events).sort(byPosition);
const signer = stories[3]!.signers[0]!;
const owner = stories[4]!.owner;
const firstName = (name: string) => name.split(' ')[0]!;

type Filters = Omit<EventFilters, 'tenant'>;

/** Every page of a query, following `nextCursor`. */
async function cursorWalk(store: Store, query: Filters & Omit<EventPaging, 'offset' | 'cursor'>) {
  const found: NormalizedEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.queryEvents({ tenant: TENANT, ...query, ...(cursor ? { cursor } : {}) });
    expect(page.events.length).toBeLessThanOrEqual(query.limit);
    found.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

/** Every page of a query by offset, checking the total on each. */
async function offsetWalk(store: Store, query: Filters & { limit: number; order?: 'asc' | 'desc' }) {
  const found: NormalizedEvent[] = [];
  for (let offset = 0; ; offset += query.limit) {
    const page = await store.queryEvents({ tenant: TENANT, ...query, offset, withTotal: true });
    found.push(...page.events);
    if (page.events.length < query.limit) {
      expect(page.total).toBe(found.length);
      return found;
    }
  }
}

describe.each(drivers)('queries on %s', (driver) => {
  const context = useStore(driver);

  beforeAll(async () => {
    await context.store.ingest({ tenant: TENANT, events: all });
    // Another tenant with the same records must never show up.
    await context.store.ingest({ tenant: 'globex', events: all.slice(0, 50) });
  });

  const cases: [string, Filters][] = [
    ['no filter', {}],
    ['vendor', { vendor: 'othervendor' }],
    ['vendors', { vendor: ['sandbox', 'nobody'] }],
    ['time range', { from: all[40]!.occurredAt, to: all[90]!.occurredAt }],
    ['time range as Dates', { from: new Date(Date.parse(all[10]!.occurredAt)), to: new Date('2024-01-05') }],
    ['process', { processId: stories[2]!.processId }],
    ['signer by id', { signer: signer.signerId }],
    ['signer by e-mail, any case', { signer: signer.email.toUpperCase() }],
    ['user by e-mail', { user: owner.email }],
    ['user by name', { user: owner.name }],
    ['types', { types: ['signer.signed', 'process.completed'] }],
    ['status', { status: ['declined', 'cancelled'] }],
    ['free text: first name prefix', { q: firstName(signer.name).slice(0, 3).toUpperCase() }],
    ['free text: e-mail', { q: signer.email }],
    ['free text: process id', { q: stories[7]!.processId }],
    ['free text: file name', { q: stories[8]!.fileName }],
    ['free text: two words', { q: `${firstName(owner.name)} ${owner.email}` }],
    ['free text: nothing matches', { q: 'zzzz-no-such-word' }],
    [
      'combined',
      { vendor: 'sandbox', types: ['signer.viewed', 'signer.invited'], from: all[20]!.occurredAt },
    ],
  ];

  it.each(cases)('filters by %s', async (_name, filters) => {
    const { store } = context;
    const expected = expectedEvents(all, normalizeDates(filters));
    const page = await store.queryEvents({ tenant: TENANT, ...filters, limit: 1000, withTotal: true });
    expect(page.events.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(page.total).toBe(expected.length);
    // Counting reads the whole window: without `withTotal` the page does not pay for it.
    expect((await store.queryEvents({ tenant: TENANT, ...filters, limit: 1 })).total).toBeUndefined();
    const asJson = await store.queryEventsJson({ tenant: TENANT, ...filters, limit: 1000, withTotal: true });
    expect(JSON.parse(asJson.json)).toStrictEqual(page.events);
    expect(asJson.count).toBe(page.events.length);
    expect(asJson.total).toBe(expected.length);
    expect(await store.countEvents({ tenant: TENANT, ...filters })).toBe(expected.length);
  });

  it('serves as JSON exactly the events queryEvents returns, odd text included', async () => {
    const { store } = context;
    await store.ingest({ tenant: 'odd', events: trickyEvents() });
    await expectJsonPagesMatchObjects(store, 'odd');
  });

  it('serves events stored before their JSON was kept (migration 0004) as queryEvents returns them', async () => {
    const { store } = context;
    await store.ingest({ tenant: 'older', events: trickyEvents() });
    // The rows as a store before 0004 left them: no served JSON. The migration's own statements fill it.
    const db = storeInternals(store).database.db;
    await db.execute(sql`ALTER TABLE events ALTER COLUMN served_json DROP NOT NULL`);
    await db.execute(sql`UPDATE events SET served_json = NULL WHERE tenant_id = 'older'`);
    const [, ...backfill] = migrationStatements('0004_served_json');
    for (const statement of backfill) await db.execute(sql.raw(statement));
    await expectJsonPagesMatchObjects(store, 'older');
  });

  it('has something to find for every filter case', () => {
    const empty = cases
      .filter(([, f]) => expectedEvents(all, normalizeDates(f)).length === 0)
      .map(([n]) => n);
    expect(empty).toEqual(['free text: nothing matches']);
  });

  it('returns events exactly as ingested', async () => {
    const page = await context.store.queryEvents({ tenant: TENANT, limit: 1000 });
    expect(page.events).toEqual(all.slice(0, 1000));
  });

  it('walks the same events by offset, by cursor and in memory, both directions', async () => {
    const { store } = context;
    const filters: Filters = { vendor: 'sandbox', types: ['signer.invited', 'notification.delivered'] };
    const expected = expectedEvents(all, filters);
    expect(expected.length).toBeGreaterThan(30);
    expect(await offsetWalk(store, { ...filters, limit: 7 })).toEqual(expected);
    expect(await cursorWalk(store, { ...filters, limit: 7 })).toEqual(expected);
    expect(await cursorWalk(store, { ...filters, limit: 7, order: 'desc' })).toEqual([...expected].reverse());
    expect(await offsetWalk(store, { ...filters, limit: 9, order: 'desc' })).toEqual([...expected].reverse());
  });

  it('walks any filter and page size by cursor exactly like the oracle (property)', async () => {
    const { store } = context;
    const instants = all.map((e) => e.occurredAt);
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            vendor: fc.constantFrom('sandbox', 'othervendor'),
            types: fc.subarray([...TAXONOMY], { minLength: 1, maxLength: 6 }),
            from: fc.constantFrom(...instants),
            status: fc.subarray(['completed', 'declined', 'cancelled', 'expired', 'in_progress'] as const, {
              minLength: 1,
            }),
          },
          { requiredKeys: [] },
        ),
        fc.integer({ min: 3, max: 40 }),
        fc.constantFrom('asc' as const, 'desc' as const),
        async (filters, limit, order) => {
          const expected = expectedEvents(all, filters);
          const walked = await cursorWalk(store, { ...filters, limit, order });
          expect(walked.map((e) => e.id)).toEqual(
            (order === 'asc' ? expected : [...expected].reverse()).map((e) => e.id),
          );
        },
      ),
      { numRuns: 10 },
    );
  });

  it('keeps a cursor walk stable while events are inserted before and after it', async () => {
    const { store } = context;
    const base = generateStories({ seed: 21, processes: 8, spanDays: 4, processIdPrefix: 'base' });
    const late = generateStories({ seed: 22, processes: 8, spanDays: 4, processIdPrefix: 'late' });
    const baseEvents = base.flatMap((s) => s.events);
    const lateEvents = late.flatMap((s) => s.events);
    await store.ingest({ tenant: 'stable', events: baseEvents });

    const first = await store.queryEvents({ tenant: 'stable', limit: 25 });
    const boundary = first.events[first.events.length - 1]!;
    await store.ingest({ tenant: 'stable', events: lateEvents });
    const rest: NormalizedEvent[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await store.queryEvents({ tenant: 'stable', limit: 25, cursor });
      rest.push(...page.events);
      cursor = page.nextCursor;
    }

    const walked = [...first.events, ...rest];
    for (let i = 1; i < walked.length; i += 1) expect(byPosition(walked[i - 1]!, walked[i]!)).toBe(-1);
    const after = (e: NormalizedEvent) => byPosition(e, boundary) > 0;
    expect(lateEvents.some((e) => !after(e))).toBe(true);
    expect(walked.map((e) => e.id).sort()).toEqual(
      [...baseEvents, ...lateEvents.filter(after)].map((e) => e.id).sort(),
    );
  });

  it('lists processes by status, text and signer, most recent first, with totals', async () => {
    const { store } = context;
    const statuses = processStatuses(all);
    const declined = [...statuses].filter(([, status]) => status === 'declined').map(([key]) => key);
    const byStatus = await store.listProcesses({ tenant: TENANT, status: ['declined'], limit: 100 });
    expect(byStatus.total).toBe(declined.length);
    expect(byStatus.processes.map((p) => `${p.vendor}/${p.processId}`).sort()).toEqual(declined.sort());
    expect(byStatus.processes.every((p) => p.state.status === 'declined')).toBe(true);

    const bySigner = await store.listProcesses({ tenant: TENANT, signer: signer.email, limit: 10 });
    const signerProcesses = new Set(expectedEvents(all, { signer: signer.email }).map(processOf));
    expect(new Set(bySigner.processes.map((p) => `${p.vendor}/${p.processId}`))).toEqual(signerProcesses);
    expect(signerProcesses.has(`sandbox/${stories[3]!.processId}`)).toBe(true);

    const text = { q: firstName(owner.name) };
    const expectedKeys = new Set(expectedEvents(all, text).map(processOf));
    const byText = await store.listProcesses({ tenant: TENANT, ...text, limit: 3 });
    expect(byText.total).toBe(expectedKeys.size);
    const lastAt = byText.processes.map((p) => p.state.lastEventAt ?? '');
    expect(lastAt).toEqual([...lastAt].sort().reverse());

    const page2 = await store.listProcesses({ tenant: TENANT, limit: 5, offset: 5 });
    expect(page2.total).toBe(statuses.size);
    expect(page2.processes).toHaveLength(5);
  });

  it('returns one process with its state and timeline', async () => {
    const story = stories[9]!;
    const found = await context.store.getProcess(TENANT, 'sandbox', story.processId);
    expect(found?.events).toEqual(story.events);
    expect(found?.process).toMatchObject({ processId: story.processId, status: story.outcome });
    expect(await context.store.getProcess(TENANT, 'sandbox', 'no-such-process')).toBeUndefined();
    expect(await context.store.getProcess('globex', 'sandbox', story.processId)).toBeUndefined();
  });

  it('rejects bad paging with typed errors naming the option', async () => {
    const { store } = context;
    const bad: [Partial<EventPaging>, string][] = [
      [{ limit: 0 }, 'limit'],
      [{ limit: 1001 }, 'limit'],
      [{ limit: 10, offset: -1 }, 'offset'],
      [{ limit: 10, cursor: 'not-a-cursor' }, 'cursor'],
      [{ limit: 10, cursor: Buffer.from('["2024-01-01", "x"]').toString('base64url') }, 'cursor'],
      // The right form, but no instant: month 13, hour 99.
      [
        { limit: 10, cursor: Buffer.from('["2024-13-45T99:99:99.000000Z","a"]').toString('base64url') },
        'cursor',
      ],
      // PostgreSQL text cannot hold a NUL: refused here rather than failing the query.
      [
        {
          limit: 10,
          cursor: Buffer.from('["2024-01-01T00:00:00.000000Z","a\\u0000"]').toString('base64url'),
        },
        'cursor',
      ],
      [
        { limit: 10, offset: 10, cursor: (await store.queryEvents({ tenant: TENANT, limit: 1 })).nextCursor },
        'cursor',
      ],
      // A cursor names a position in its own order: read the other way round it would name other events.
      [
        {
          limit: 10,
          order: 'desc',
          cursor: (await store.queryEvents({ tenant: TENANT, limit: 1 })).nextCursor,
        },
        'cursor',
      ],
      [
        {
          limit: 10,
          order: 'asc',
          cursor: (await store.queryEventsJson({ tenant: TENANT, limit: 1, order: 'desc' })).nextCursor,
        },
        'cursor',
      ],
    ];
    for (const [paging, option] of bad) {
      const attempt = store.queryEvents({ tenant: TENANT, limit: 10, ...paging });
      await expect(attempt).rejects.toBeInstanceOf(InvalidOptionsError);
      await expect(attempt).rejects.toMatchObject({ option });
    }
    await expect(store.queryEvents({ tenant: TENANT, limit: 5, from: 'yesterday' })).rejects.toThrow(
      /invalid timestamp/,
    );
  });
});

/** Dates in filters as the oracle compares them: core's fixed-width UTC form. */
function normalizeDates(filters: Filters): Filters {
  const form = (value: string | Date) =>
    value instanceof Date ? `${value.toISOString().slice(0, 23)}000Z` : value;
  return {
    ...filters,
    ...(filters.from !== undefined ? { from: form(filters.from) } : {}),
    ...(filters.to !== undefined ? { to: form(filters.to) } : {}),
  };
}

/** Events whose every text field holds JSON's and HTML's troublesome characters, and a confirmed webhook twin. */
function trickyEvents(): NormalizedEvent[] {
  const odd = ['quote " and \\ back', 'line\nbreak\ttab', 'ação ñ 中文 🙂', '\u001f\u007f', '</script>'];
  const base = stories[0]!.events[0]!;
  const tricky = odd.map(
    (text, seq): NormalizedEvent => ({
      ...base,
      id: `odd-${seq}`,
      processId: `odd ${text}`,
      seq,
      actor: { kind: 'user', name: text, id: text },
      signerId: text,
      documentId: text,
      channel: 'email',
      data: { reason: text, nested: { list: [text, 1.5, true, null] } },
      vendorEvent: { type: text, description: text },
      raw: { [text]: text, n: -0.25, big: 12345678901234 },
    }),
  );
  // A webhook twin of the first: the log confirms it, so it carries `confirmedBy`.
  tricky.push({ ...tricky[0]!, id: 'odd-webhook', origin: 'webhook' });
  return tricky;
}

/** `queryEventsJson` pages (both orders, pages of 2, and one page of all) parse to `queryEvents`' pages. */
async function expectJsonPagesMatchObjects(store: Store, tenant: string): Promise<void> {
  for (const order of ['asc', 'desc'] as const) {
    // Pages of 2 over 6 events: the last page is full, and still names no next page.
    const objectPages: NormalizedEvent[][] = [];
    const jsonPages: NormalizedEvent[][] = [];
    let cursor: string | undefined;
    do {
      const paging = { tenant, limit: 2, order, ...(cursor ? { cursor } : {}) };
      const objectPage = await store.queryEvents(paging);
      const jsonPage = await store.queryEventsJson(paging);
      expect(jsonPage.nextCursor).toBe(objectPage.nextCursor);
      objectPages.push(objectPage.events);
      jsonPages.push(JSON.parse(jsonPage.json));
      cursor = jsonPage.nextCursor;
    } while (cursor);
    expect(jsonPages).toStrictEqual(objectPages);
    expect(jsonPages.map((page) => page.length)).toEqual([2, 2, 2]);
  }
  const empty = await store.queryEventsJson({ tenant: 'nobody', limit: 5 });
  expect(empty).toEqual({ json: '[]', count: 0 });
  const objects = await store.queryEvents({ tenant, limit: 10 });
  const texts = await store.queryEventsJson({ tenant, limit: 10 });
  expect(objects.events).toHaveLength(6);
  expect(objects.events.find((e) => e.id === 'odd-webhook')?.confirmedBy).toBe('odd-0');
  expect(JSON.parse(texts.json)).toStrictEqual(objects.events);
  expect(texts.nextCursor).toBeUndefined();
}

/** The statements of one migration file, in order. */
function migrationStatements(tag: string): string[] {
  const text = readFileSync(new URL(`../drizzle/${tag}.sql`, import.meta.url), 'utf8');
  return text.split('--> statement-breakpoint').map((statement) => statement.trim());
}
