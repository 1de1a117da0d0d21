import { createHash, randomBytes } from 'node:crypto';
import { InvalidOptionsError } from '@signtrail/core';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from './database.js';
import { apiKeys, tenants } from './schema.js';

/** A newly created API key: `key` is shown once; only its SHA-256 is stored. */
export interface CreatedApiKey {
  id: string;
  tenant: string;
  key: string;
}

// 32 random bytes: a hash without salt or stretching is enough for a key nobody can guess.
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Creates an API key bound to `tenant` (created if new). */
export async function createApiKey(db: Db, input: { tenant: string; name?: string }): Promise<CreatedApiKey> {
  if (typeof input.tenant !== 'string' || input.tenant.length === 0) {
    throw new InvalidOptionsError('tenant', 'must be a non-empty string');
  }
  const id = randomBytes(6).toString('hex');
  const key = `st_${id}_${randomBytes(32).toString('base64url')}`;
  await db.transaction(async (tx) => {
    await tx.insert(tenants).values({ id: input.tenant }).onConflictDoNothing();
    await tx
      .insert(apiKeys)
      .values({ id, tenantId: input.tenant, keyHash: hashKey(key), name: input.name ?? null });
  });
  return { id, tenant: input.tenant, key };
}

/** The tenant a presented key is bound to, or `undefined` when unknown or revoked. */
export async function resolveApiKey(
  db: Db,
  key: string,
): Promise<{ id: string; tenant: string } | undefined> {
  const [row] = await db
    .select({ id: apiKeys.id, tenant: apiKeys.tenantId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashKey(key)), isNull(apiKeys.revokedAt)));
  return row;
}

/** Revokes a key by id; true when it was active. */
export async function revokeApiKey(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
