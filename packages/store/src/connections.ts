import { InvalidOptionsError } from '@signtrail/core';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { CredentialsDecryptionError, MissingSecretKeyError } from './errors.js';
import { tenants, vendorConnections } from './schema.js';
import { open, seal } from './secret-box.js';

/** A tenant's account at one vendor: plain settings (base URL, time zone…) and secret credentials. */
export interface VendorConnectionInput {
  tenant: string;
  vendor: string;
  settings?: Record<string, unknown>;
  /** Encrypted at rest with AES-256-GCM; needs the store's secret key. */
  credentials?: Record<string, string>;
}

/** A stored connection; `credentials` only from `getConnection`, decrypted. */
export interface VendorConnection {
  tenant: string;
  vendor: string;
  settings: Record<string, unknown>;
  hasCredentials: boolean;
  credentials?: Record<string, string>;
  updatedAt: Date;
}

/** Creates or replaces a connection, sealing its credentials. */
export async function saveConnection(
  db: Db,
  key: Buffer | undefined,
  input: VendorConnectionInput,
): Promise<void> {
  let sealed: string | null = null;
  if (input.credentials !== undefined) {
    if (key === undefined) throw new MissingSecretKeyError();
    sealed = seal(key, JSON.stringify(input.credentials), context(input.tenant, input.vendor));
  }
  await db.transaction(async (tx) => {
    await tx.insert(tenants).values({ id: input.tenant }).onConflictDoNothing();
    await tx
      .insert(vendorConnections)
      .values({
        tenantId: input.tenant,
        vendor: input.vendor,
        settings: input.settings ?? {},
        credentials: sealed,
      })
      .onConflictDoUpdate({
        target: [vendorConnections.tenantId, vendorConnections.vendor],
        set: {
          settings: sql`excluded.settings`,
          credentials: sql`excluded.credentials`,
          updatedAt: sql`now()`,
        },
      });
  });
}

/** One connection with its credentials decrypted, or `undefined`. */
export async function getConnection(
  db: Db,
  key: Buffer | undefined,
  tenant: string,
  vendor: string,
): Promise<VendorConnection | undefined> {
  const [row] = await db
    .select()
    .from(vendorConnections)
    .where(and(eq(vendorConnections.tenantId, tenant), eq(vendorConnections.vendor, vendor)));
  if (!row) return undefined;
  const connection = toConnection(row);
  if (row.credentials !== null) {
    if (key === undefined) throw new MissingSecretKeyError();
    const plaintext = open(key, row.credentials, context(tenant, vendor));
    if (plaintext === undefined) throw new CredentialsDecryptionError(tenant, vendor);
    connection.credentials = JSON.parse(plaintext) as Record<string, string>;
  }
  return connection;
}

/** A tenant's connections, without credentials (no key needed). */
export async function listConnections(db: Db, tenant: string): Promise<VendorConnection[]> {
  const rows = await db
    .select()
    .from(vendorConnections)
    .where(eq(vendorConnections.tenantId, tenant))
    .orderBy(vendorConnections.vendor);
  return rows.map(toConnection);
}

/** Removes a connection; true when there was one. */
export async function deleteConnection(db: Db, tenant: string, vendor: string): Promise<boolean> {
  const rows = await db
    .delete(vendorConnections)
    .where(and(eq(vendorConnections.tenantId, tenant), eq(vendorConnections.vendor, vendor)))
    .returning({ vendor: vendorConnections.vendor });
  return rows.length > 0;
}

function toConnection(row: typeof vendorConnections.$inferSelect): VendorConnection {
  return {
    tenant: row.tenantId,
    vendor: row.vendor,
    settings: row.settings,
    hasCredentials: row.credentials !== null,
    updatedAt: row.updatedAt,
  };
}

function context(tenant: string, vendor: string): string {
  return JSON.stringify(['vendor_connections', tenant, vendor]);
}

/** Tenants with at least one vendor connection. */
export async function connectedTenants(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ tenant: vendorConnections.tenantId }).from(vendorConnections);
  return rows.map((row) => row.tenant);
}

/** Creates a tenant, or renames it when `name` is given. */
export async function saveTenant(db: Db, tenant: { id: string; name?: string }): Promise<void> {
  if (typeof tenant.id !== 'string' || tenant.id.length === 0) {
    throw new InvalidOptionsError('tenant', 'must be a non-empty string');
  }
  const insert = db.insert(tenants).values({ id: tenant.id, name: tenant.name ?? null });
  await (tenant.name === undefined
    ? insert.onConflictDoNothing()
    : insert.onConflictDoUpdate({ target: tenants.id, set: { name: tenant.name } }));
}
