import { openStore, type Store, type VendorConnection } from '@signtrail/store';
import { CliFailure, UsageError } from '../errors.js';
import type { CommandContext } from '../run.js';
import { requireVendor, settingsOf } from '../vendors.js';
import { storeOptionsOf } from './store-options.js';

const USAGE = `usage: signtrail admin tenant create <id> [--name NAME]
       signtrail admin key create --tenant T [--name NAME] | key revoke <id>
       signtrail admin connection add <vendor> --tenant T | connection list --tenant T`;

// Adapter options that are plain settings; every other option (keys, tokens, passwords, webhook secrets)
// is sealed as a credential, so a setting added to a vendor later is secret unless listed here.
const PLAIN_SETTINGS = new Set(['baseUrl', 'timeZone', 'api', 'scope', 'environment']);

/** One admin action: checks its arguments first, then returns the work to do against the open store. */
type AdminAction = (ctx: CommandContext, args: string[]) => (store: Store) => Promise<void>;

const ACTIONS: Record<string, AdminAction> = {
  'tenant create': (ctx, args) => {
    const tenant = single(args, '<id>');
    return async (store) => {
      const name = ctx.values.name as string | undefined;
      await store.saveTenant({ id: tenant, ...(name ? { name } : {}) });
      ctx.write(`tenant ${tenant}\n`);
    };
  },
  'key create': (ctx, args) => {
    none(args);
    const tenant = requiredTenant(ctx);
    const name = ctx.values.name as string | undefined;
    return async (store) => {
      const created = await store.createApiKey({ tenant, ...(name ? { name } : {}) });
      ctx.write(`${created.key}\n`);
      ctx.warn(
        `signtrail: created API key ${created.id} for tenant ${tenant}; store it now, it will not be shown again`,
      );
    };
  },
  'key revoke': (ctx, args) => {
    const id = single(args, '<id>');
    return async (store) => {
      if (!(await store.revokeApiKey(id)))
        throw new CliFailure(`no active API key ${JSON.stringify(id)}; check the key id`);
      ctx.write(`revoked API key ${id}\n`);
    };
  },
  'connection add': (ctx, args) => {
    const entry = requireVendor(single(args, '<vendor>'));
    const tenant = requiredTenant(ctx);
    const options = settingsOf(entry, ctx.io.env, ctx.config);
    const missing = entry.missing(options);
    if (missing.length > 0) {
      throw new UsageError(
        `${entry.vendor}: missing ${missing.join(', ')} (environment variable, or "${entry.vendor}" in the config file)`,
      );
    }
    const settings: Record<string, string> = {};
    const credentials: Record<string, string> = {};
    for (const [key, value] of Object.entries(options)) {
      (PLAIN_SETTINGS.has(key) ? settings : credentials)[key] = value;
    }
    return async (store) => {
      await store.saveConnection({ tenant, vendor: entry.vendor, settings, credentials });
      ctx.write(`${await webhookPath(store, tenant, entry.vendor)}\n`);
      ctx.warn(`signtrail: saved ${entry.vendor} connection of tenant ${tenant} (credentials encrypted)`);
    };
  },
  'connection list': (ctx, args) => {
    none(args);
    const tenant = requiredTenant(ctx);
    if (ctx.output.format === 'csv')
      throw new UsageError('admin connection list prints a table, JSON or NDJSON');
    return async (store) => {
      const rows = [];
      for (const connection of await store.listConnections(tenant)) {
        rows.push(describeConnection(connection, await webhookPath(store, tenant, connection.vendor)));
      }
      ctx.write(formatConnections(ctx, rows));
    };
  },
};

/** `signtrail admin …`: tenants, API keys and vendor connections of the server's store. */
export default async function adminCommand(ctx: CommandContext): Promise<void> {
  const [area, action, ...args] = ctx.positionals;
  const prepare = ACTIONS[`${area} ${action}`];
  if (!prepare) {
    throw new UsageError(
      `unknown admin command ${JSON.stringify([area, action].join(' ').trim())}\n${USAGE}`,
    );
  }
  const work = prepare(ctx, args);
  const store = await openStore(storeOptionsOf(ctx));
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

function single(args: string[], what: string): string {
  const [value, ...extra] = args;
  if (!value || extra.length > 0) throw new UsageError(`expected exactly one ${what}\n${USAGE}`);
  return value;
}

function none(args: string[]): void {
  if (args.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args[0])}\n${USAGE}`);
}

// Keys and connections are bound to a tenant for good: no silent `default` here, unlike the read commands.
function requiredTenant(ctx: CommandContext): string {
  const tenant = ctx.values.tenant as string | undefined;
  if (!tenant) throw new UsageError(`--tenant is required\n${USAGE}`);
  return tenant;
}

async function webhookPath(store: Store, tenant: string, vendor: string): Promise<string> {
  return `/v1/webhooks/${vendor}/${await store.connectionId(tenant, vendor)}`;
}

interface ConnectionRow {
  vendor: string;
  settings: Record<string, unknown>;
  hasCredentials: boolean;
  webhookPath: string;
  updatedAt: string;
}

// Built field by field so a credential can never reach the output, whatever the store returns.
function describeConnection(connection: VendorConnection, path: string): ConnectionRow {
  return {
    vendor: connection.vendor,
    settings: connection.settings,
    hasCredentials: connection.hasCredentials,
    webhookPath: path,
    updatedAt: connection.updatedAt.toISOString(),
  };
}

function formatConnections(ctx: CommandContext, rows: ConnectionRow[]): string {
  if (ctx.output.format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (ctx.output.format === 'ndjson') return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
  if (rows.length === 0) return 'no connections\n';
  return rows
    .map(
      (row) =>
        `${row.vendor.padEnd(12)}${row.webhookPath}  credentials: ${row.hasCredentials ? 'sealed' : 'none'}  ` +
        `settings: ${JSON.stringify(row.settings)}  updated ${row.updatedAt}\n`,
    )
    .join('');
}
