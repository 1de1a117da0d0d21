import { readFileSync, statSync } from 'node:fs';
import { CliFailure } from './errors.js';

/** Per-vendor settings from the config file; environment variables win over it. */
export type FileConfig = Record<string, Record<string, string>>;

/** Reads the JSON config file (`--config`, else `SIGNTRAIL_CONFIG`), if any. Warns when others can read it. */
export function readConfigFile(path: string | undefined, warn: (line: string) => void): FileConfig {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
    if ((statSync(path).mode & 0o077) !== 0) {
      warn(`signtrail: warning: config file ${path} is readable by other users; chmod 600 it`);
    }
  } catch (error) {
    throw new CliFailure(
      `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliFailure(`config file ${path} is not valid JSON`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliFailure(`config file ${path} must hold an object keyed by vendor`);
  }
  return parsed as FileConfig;
}

/**
 * Resolves a vendor's settings: environment variable `envName` first, then the config file's
 * `vendor.key`. Values are never printed.
 */
export function settingFor(
  env: NodeJS.ProcessEnv,
  file: FileConfig,
  vendor: string,
  key: string,
  envName: string,
): string | undefined {
  const fromEnv = env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return file[vendor]?.[key];
}
