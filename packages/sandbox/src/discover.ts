import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { VendorSimulatorModule } from './vendor-simulator.js';

/** Vendors whose adapter packages may ship a `./sandbox` simulator. */
export const KNOWN_VENDORS = ['taktikal', 'signinghub', 'zapsign'] as const;

/**
 * Finds the simulators of every installed adapter, resolving from `fromDir` (the user's project) so the
 * sandbox never depends on an adapter. Missing adapters are skipped.
 */
export async function discoverSimulators(fromDir: string = process.cwd()): Promise<VendorSimulatorModule[]> {
  const require = createRequire(pathToFileURL(`${fromDir}/`));
  const found: VendorSimulatorModule[] = [];
  for (const vendor of KNOWN_VENDORS) {
    const specifier = ['@signtrail', `adapter-${vendor}`, 'sandbox'].join('/');
    let resolved: string;
    try {
      resolved = require.resolve(specifier);
    } catch {
      continue;
    }
    const module = (await import(pathToFileURL(resolved).href)) as { simulator?: VendorSimulatorModule };
    if (module.simulator) found.push(module.simulator);
  }
  return found;
}
