import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * PostgreSQL's bulk path for one session: `COPY … FROM STDIN` writes rows several times faster than an
 * `INSERT … SELECT` (batched heap writes, no per-row executor), but it cannot skip rows whose key exists.
 */
export interface BulkLoader {
  /**
   * Copies `rows` (values in `columns` order; objects become JSON) into `table` inside a savepoint, all or
   * nothing. `false`, with nothing written, when a row's unique key is already taken (a concurrent writer
   * got there first) or a text holds a lone UTF-16 surrogate (COPY's UTF-8 would silently replace it): the
   * caller then takes the slower path, which skips taken keys and refuses such text as it always did.
   */
  copyUnlessTaken(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly unknown[])[],
  ): Promise<boolean>;
}

const UNIQUE_VIOLATION = '23505';
const SAVEPOINT = 'signtrail_copy';

/** The `BulkLoader` of a session (a pooled client, inside the caller's transaction). */
export function bulkLoaderOf(client: PoolClient): BulkLoader {
  return {
    async copyUnlessTaken(table, columns, rows) {
      if (rows.length === 0) return true;
      const text = copyLines(rows);
      if (text === undefined) return false;
      const list = columns.map((column) => `"${column}"`).join(', ');
      await client.query(`SAVEPOINT ${SAVEPOINT}`);
      try {
        await copyText(client, `COPY "${table}" (${list}) FROM STDIN`, text);
      } catch (error) {
        await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
        if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return false;
        throw error;
      }
      await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      return true;
    },
  };
}

function copyText(client: PoolClient, statement: string, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(statement));
    stream.on('error', reject);
    stream.on('finish', () => resolve());
    stream.end(text);
  });
}

/**
 * Rows in COPY's text format: tab-separated, `\N` for NULL, one line each; `undefined` when a value holds a
 * lone surrogate, which UTF-8 cannot carry.
 */
export function copyLines(rows: readonly (readonly unknown[])[]): string | undefined {
  let text = '';
  for (const row of rows) {
    for (let column = 0; column < row.length; column += 1) {
      if (column > 0) text += '\t';
      const value = copyValue(row[column]);
      if (value === undefined) return undefined;
      text += value;
    }
    text += '\n';
  }
  return text;
}

// Backslash, newline, carriage return and the delimiter are the characters COPY's text format escapes.
const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function copyValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return '\\N';
  // JSON.stringify writes a lone surrogate as a `\u` escape (which jsonb refuses, as the INSERT path does).
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (!text.isWellFormed()) return undefined;
  return SPECIAL.test(text) ? text.replace(SPECIALS, (char) => ESCAPES[char]!) : text;
}
