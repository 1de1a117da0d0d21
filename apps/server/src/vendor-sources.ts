import type { AuditSource } from '@signtrail/core';
import type { VendorConnection } from '@signtrail/store';

/** Builds the adapter of a stored connection: its settings and decrypted credentials are the adapter options. */
export type SourceFactory = (connection: VendorConnection) => Promise<AuditSource>;

/** The vendors the server knows, by name. */
export const VENDORS = ['taktikal', 'signinghub', 'zapsign'] as const;

/** Builds the built-in adapters (`@signtrail/adapter-*`) from connections. */
export const defaultSources: SourceFactory = async (connection) => {
  const options: Record<string, unknown> = { ...connection.settings, ...connection.credentials };
  switch (connection.vendor) {
    case 'taktikal': {
      const { createTaktikalAdapter } = await import('@signtrail/adapter-taktikal');
      return createTaktikalAdapter(options as Parameters<typeof createTaktikalAdapter>[0]);
    }
    case 'signinghub': {
      const { createSigninghubAdapter } = await import('@signtrail/adapter-signinghub');
      return createSigninghubAdapter(options as Parameters<typeof createSigninghubAdapter>[0]);
    }
    case 'zapsign': {
      const { createZapsignAdapter, zapsignOptionsFromSettings } = await import('@signtrail/adapter-zapsign');
      return createZapsignAdapter(zapsignOptionsFromSettings(options));
    }
    default:
      throw new Error(`no adapter for vendor ${JSON.stringify(connection.vendor)}`);
  }
};
