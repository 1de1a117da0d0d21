import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/**
 * `SELECT <columns> FROM json_to_recordset($1)`: any number of rows as ONE JSON parameter. Building a
 * 1 000-row VALUES list costs more in the query builder than the database spends inserting it, and a single
 * parameter never meets PostgreSQL's 65 535-parameter limit. (`json`, not `jsonb`: the document is read once,
 * so converting all of it to jsonb first is wasted work.) `rows` are keyed by column name; a missing key is
 * NULL.
 */
export function recordset(columns: readonly PgColumn[], rows: readonly Record<string, unknown>[]): SQL {
  const names = sql.raw(columns.map((column) => `"${column.name}"`).join(', '));
  const definitions = sql.raw(columns.map((column) => `"${column.name}" ${column.getSQLType()}`).join(', '));
  return sql`SELECT ${names} FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(${definitions})`;
}

/** The column list `("a", "b")` of an INSERT matching `recordset(columns, …)`. */
export function columnList(columns: readonly PgColumn[]): SQL {
  return sql.raw(`(${columns.map((column) => `"${column.name}"`).join(', ')})`);
}

/** `(SELECT value FROM json_array_elements_text($1))`: a list of strings as one parameter. */
export function textList(values: readonly string[]): SQL {
  return sql`(SELECT value FROM json_array_elements_text(${JSON.stringify(values)}::json))`;
}
