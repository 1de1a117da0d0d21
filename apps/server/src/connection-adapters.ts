import type { AuditSource } from '@signtrail/core';
import type { WebhookConnection } from '@signtrail/store';
import type { SourceFactory } from './vendor-sources.js';

/** The adapter of each webhook connection, built once and shared; `forget` drops a connection that is gone. */
export interface ConnectionAdapters {
  (connection: WebhookConnection): Promise<AuditSource>;
  forget(vendor: string, connectionId: string): void;
}

/**
 * One adapter per connection, shared by the webhook route (verification) and the inbox worker (re-reads), so
 * deliveries neither build an adapter each nor log in to the vendor each (a SigningHub token is reused until it
 * expires). Rebuilt when the connection changes (new secret or credentials), which replaces the old one: one
 * entry per live connection, never more.
 */
export function connectionAdapters(sources: SourceFactory): ConnectionAdapters {
  const adapters = new Map<string, { version: number; adapter: Promise<AuditSource> }>();
  const keyOf = (vendor: string, connectionId: string) => `${vendor}/${connectionId}`;
  const adapterOf = (connection: WebhookConnection) => {
    const key = keyOf(connection.vendor, connection.id);
    const version = connection.updatedAt.getTime();
    const cached = adapters.get(key);
    if (cached?.version === version) return cached.adapter;
    // The promise is kept, so deliveries arriving together share one adapter; a failed build is not kept.
    const adapter = sources(connection);
    adapters.set(key, { version, adapter });
    adapter.catch(() => {
      if (adapters.get(key)?.adapter === adapter) adapters.delete(key);
    });
    return adapter;
  };
  return Object.assign(adapterOf, {
    forget: (vendor: string, connectionId: string) => adapters.delete(keyOf(vendor, connectionId)),
  });
}
