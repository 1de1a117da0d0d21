import type { AuditSource } from '@signtrail/core';
import type { FileConfig } from './config.js';
import { settingFor } from './config.js';
import { UsageError } from './errors.js';

/** How the CLI builds one vendor's adapter: settings by environment variable, loaded lazily. */
export interface VendorEntry {
  vendor: string;
  /** Adapter option → environment variable (config-file key is the option name). */
  settings: Record<string, string>;
  /** Environment variables of settings still missing to talk to the vendor. */
  missing(options: Record<string, string>): string[];
  /** Environment variables named in "check …" hints on authentication failures. */
  credentialEnv: string[];
  /** Builds the adapter; with no credentials it still normalizes offline. */
  create(options: Record<string, string>): Promise<AuditSource>;
}

const env = (vendor: string, names: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(names).map(([key, suffix]) => [key, `SIGNTRAIL_${vendor.toUpperCase()}_${suffix}`]),
  );

const taktikalSettings = env('taktikal', {
  baseUrl: 'BASE_URL',
  companyKey: 'COMPANY_KEY',
  apiKey: 'API_KEY',
  api: 'API',
  timeZone: 'TIME_ZONE',
  webhookSecret: 'WEBHOOK_SECRET',
});
const signinghubSettings = env('signinghub', {
  baseUrl: 'BASE_URL',
  clientId: 'CLIENT_ID',
  clientSecret: 'CLIENT_SECRET',
  username: 'USERNAME',
  password: 'PASSWORD',
  scope: 'SCOPE',
  timeZone: 'TIME_ZONE',
  webhookSecret: 'WEBHOOK_SECRET',
});
const zapsignSettings = env('zapsign', {
  baseUrl: 'BASE_URL',
  environment: 'ENVIRONMENT',
  apiToken: 'API_TOKEN',
  organizationId: 'ORGANIZATION_ID',
  username: 'USERNAME',
  password: 'PASSWORD',
  webhookSecret: 'WEBHOOK_SECRET',
});

const absent = (settings: Record<string, string>, options: Record<string, string>, keys: string[]) =>
  keys.filter((key) => options[key] === undefined).map((key) => settings[key]!);

const VENDORS: VendorEntry[] = [
  {
    vendor: 'taktikal',
    settings: taktikalSettings,
    credentialEnv: [taktikalSettings.companyKey!, taktikalSettings.apiKey!],
    missing: (options) => absent(taktikalSettings, options, ['companyKey', 'apiKey']),
    async create(options) {
      const { createTaktikalAdapter } = await import('@signtrail/adapter-taktikal');
      return createTaktikalAdapter(options as Parameters<typeof createTaktikalAdapter>[0]);
    },
  },
  {
    vendor: 'signinghub',
    settings: signinghubSettings,
    credentialEnv: [
      signinghubSettings.clientId!,
      signinghubSettings.clientSecret!,
      signinghubSettings.username!,
      signinghubSettings.password!,
    ],
    missing: (options) => absent(signinghubSettings, options, ['clientId', 'clientSecret']),
    async create(options) {
      const { createSigninghubAdapter } = await import('@signtrail/adapter-signinghub');
      return createSigninghubAdapter(options as Parameters<typeof createSigninghubAdapter>[0]);
    },
  },
  {
    vendor: 'zapsign',
    settings: zapsignSettings,
    credentialEnv: [zapsignSettings.apiToken!],
    missing: (options) =>
      options.apiToken !== undefined
        ? []
        : options.organizationId !== undefined
          ? absent(zapsignSettings, options, ['username', 'password'])
          : [zapsignSettings.apiToken!],
    async create(options) {
      const { createZapsignAdapter, zapsignOptionsFromSettings } = await import('@signtrail/adapter-zapsign');
      return createZapsignAdapter(zapsignOptionsFromSettings(options));
    },
  },
];

/** The vendors the CLI knows. */
export function vendorNames(): string[] {
  return VENDORS.map((v) => v.vendor);
}

/** The registry entry of `vendor`, if known. */
export function vendorEntry(vendor: string): VendorEntry | undefined {
  return VENDORS.find((v) => v.vendor === vendor);
}

/** The entry of `vendor` or a usage error listing the known ones. */
export function requireVendor(vendor: string | undefined): VendorEntry {
  const entry = vendor === undefined ? undefined : vendorEntry(vendor);
  if (!entry) {
    throw new UsageError(
      `${vendor === undefined ? 'a vendor is required' : `unknown vendor ${JSON.stringify(vendor)}`}; one of ${vendorNames().join(', ')}`,
    );
  }
  return entry;
}

/** Builds the vendor's adapter from environment and config file; names the missing variables. */
export async function sourceFor(
  entry: VendorEntry,
  env: NodeJS.ProcessEnv,
  config: FileConfig,
): Promise<AuditSource> {
  const options = settingsOf(entry, env, config);
  const missing = entry.missing(options);
  if (missing.length > 0) {
    throw new UsageError(
      `${entry.vendor}: missing ${missing.join(', ')} (environment variable, or "${entry.vendor}" in the config file)`,
    );
  }
  return entry.create(options);
}

/** The vendor's settings found in environment and config file (no validation). */
export function settingsOf(
  entry: VendorEntry,
  env: NodeJS.ProcessEnv,
  config: FileConfig,
): Record<string, string> {
  const options: Record<string, string> = {};
  for (const [key, envName] of Object.entries(entry.settings)) {
    const value = settingFor(env, config, entry.vendor, key, envName);
    if (value !== undefined) options[key] = value;
  }
  return options;
}
