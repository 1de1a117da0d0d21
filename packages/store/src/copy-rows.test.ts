import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkLoaderOf, copyLines } from './copy-rows.js';
import {
  announceSkippedPostgres,
  createLocation,
  drivers,
  type TestLocation,
} from './test-support/databases.js';

announceSkippedPostgres();

describe('copyLines', () => {
  it('writes tab-separated lines with \\N for NULL, JSON for objects and the four escapes', () => {
    expect(copyLines([['a\tb', null, 7, { k: 'x\\y' }, undefined, 'line\nnext\r']])).toBe(
      'a\\tb\t\\N\t7\t{"k":"x\\\\\\\\y"}\t\\N\tline\\nnext\\r\n',
    );
  });

  it('gives up on text with a lone surrogate, which UTF-8 cannot carry', () => {
    expect(copyLines([['fine', 'half \ud800 pair']])).toBeUndefined();
    expect(copyLines([['whole 🙂 pair']])).toBe('whole 🙂 pair\n');
  });
});

describe.runIf(drivers.includes('postgres'))('COPY loader on postgres', () => {
  let location: TestLocation;
  let pool: pg.Pool;
  beforeAll(async () => {
    location = await createLocation('postgres');
    pool = new pg.Pool({ connectionString: location.options.databaseUrl, max: 2 });
    await pool.query('CREATE TABLE copied (n int PRIMARY KEY, label text, doc jsonb)');
  });
  afterAll(async () => {
    await pool?.end();
    await location?.drop();
  });

  /** Runs `work` in a transaction on one pooled session; rolls back when it throws. */
  async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const value = await work(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  it('round-trips any text and JSON through COPY unchanged', async () => {
    // PostgreSQL text cannot hold NUL; everything else, tabs, newlines and backslashes included, must survive.
    const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.option(text), fc.dictionary(text, text)), { maxLength: 20 }),
        async (rows) => {
          await pool.query('TRUNCATE copied');
          const numbered = rows.map(([label, doc], n) => [n, label, doc]);
          const loaded = await inTransaction((client) =>
            bulkLoaderOf(client).copyUnlessTaken('copied', ['n', 'label', 'doc'], numbered),
          );
          expect(loaded).toBe(true);
          const stored = await pool.query('SELECT n, label, doc FROM copied ORDER BY n');
          expect(stored.rows.map((row) => [row.n, row.label, row.doc])).toEqual(numbered);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('writes nothing and answers false when a key is taken; the transaction goes on', async () => {
    await pool.query('TRUNCATE copied');
    await pool.query(`INSERT INTO copied VALUES (2, 'stored', '{}')`);
    const outcome = await inTransaction(async (client) => {
      const loader = bulkLoaderOf(client);
      const taken = await loader.copyUnlessTaken(
        'copied',
        ['n', 'label'],
        [
          [1, 'a'],
          [2, 'b'],
          [3, 'c'],
        ],
      );
      const fresh = await loader.copyUnlessTaken('copied', ['n', 'label'], [[4, 'd']]);
      return { taken, fresh };
    });
    expect(outcome).toEqual({ taken: false, fresh: true });
    const stored = await pool.query('SELECT n, label FROM copied ORDER BY n');
    expect(stored.rows).toEqual([
      { n: 2, label: 'stored' },
      { n: 4, label: 'd' },
    ]);
  });

  it('leaves text with a lone surrogate to the caller: false, nothing sent', async () => {
    await pool.query('TRUNCATE copied');
    const loaded = await inTransaction((client) =>
      bulkLoaderOf(client).copyUnlessTaken(
        'copied',
        ['n', 'label'],
        [
          [1, 'ok'],
          [2, 'half \udc00'],
        ],
      ),
    );
    expect(loaded).toBe(false);
    expect((await pool.query('SELECT count(*)::int AS n FROM copied')).rows[0].n).toBe(0);
  });

  it('throws any other error, naming what PostgreSQL refused', async () => {
    await expect(
      inTransaction((client) =>
        bulkLoaderOf(client).copyUnlessTaken('copied', ['n', 'doc'], [[9, 'not json']]),
      ),
    ).rejects.toThrow(/json/i);
    expect((await pool.query('SELECT count(*)::int AS n FROM copied WHERE n = 9')).rows[0].n).toBe(0);
  });
});
