import { randomBytes } from 'node:crypto';
import type { VendorSimulator } from '@signtrail/sandbox';
import type { Store } from '@signtrail/store';

// The adapter options each simulator's credentials fill (the simulators also offer alternative logins).
// `webhookSecret` is the key the simulator signs or sends its webhooks with: the connection must verify them.
const CREDENTIAL_OPTIONS: Record<string, readonly string[]> = {
  taktikal: ['companyKey', 'apiKey', 'webhookSecret'],
  signinghub: ['clientId', 'clientSecret', 'username', 'password', 'webhookSecret'],
  zapsign: ['apiToken', 'webhookSecret'],
};

/** One connection created for a simulator, with its webhook id. */
export interface SimulatorConnection {
  vendor: string;
  connectionId: string;
  credentials: Record<string, string>;
}

/**
 * Connects `tenant` to running vendor simulators: base URL as setting, the simulator's credentials (its
 * webhook secret included, a fresh one where it has none) sealed as credentials. Test settings keep retries fast;
 * `settingsByVendor` adds options only one adapter has (ZapSign's `minIntervalMs`).
 */
export async function connectSimulators(
  store: Store,
  tenant: string,
  simulators: readonly VendorSimulator[],
  settings: Record<string, unknown> = {},
  settingsByVendor: Record<string, Record<string, unknown>> = {},
): Promise<SimulatorConnection[]> {
  const connections: SimulatorConnection[] = [];
  for (const simulator of simulators) {
    const { vendor } = simulator;
    const credentials: Record<string, string> = {};
    for (const option of CREDENTIAL_OPTIONS[vendor] ?? []) {
      const value = simulator.credentials[option];
      if (value !== undefined) credentials[option] = value;
    }
    // A simulator that issues no webhook secret still gets one, so its connection can receive webhooks.
    credentials.webhookSecret ??= randomBytes(24).toString('base64url');
    await store.saveConnection({
      tenant,
      vendor,
      settings: { baseUrl: simulator.baseUrl, ...settings, ...settingsByVendor[vendor] },
      credentials,
    });
    const connectionId = await store.connectionId(tenant, vendor);
    if (connectionId === undefined) throw new Error(`connection to ${vendor} was not saved`);
    connections.push({ vendor, connectionId, credentials });
  }
  return connections;
}
