// `node dist/main.js` picks its store as the README's table says: DATABASE_URL (PostgreSQL) wins over
// SIGNTRAIL_DATA_DIR (PGlite), which applies only without it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { storeChoiceFromEnv } from './environment.js';
import { createLocation, postgresUrl, TEST_SECRET_KEY } from './test-support/databases.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('the store the environment chooses', () => {
  it('is PostgreSQL when DATABASE_URL is set, even with SIGNTRAIL_DATA_DIR', () => {
    const databaseUrl = 'postgres://postgres@127.0.0.1:5432/x';
    expect(storeChoiceFromEnv({ DATABASE_URL: databaseUrl, SIGNTRAIL_DATA_DIR: '/tmp/d' })).toEqual({
      options: { databaseUrl },
      ignoredDataDir: true,
    });
    expect(storeChoiceFromEnv({ DATABASE_URL: ` ${databaseUrl} ` })).toEqual({
      options: { databaseUrl },
      ignoredDataDir: false,
    });
  });

  it('is PGlite in SIGNTRAIL_DATA_DIR, or in ./.signtrail/data, without DATABASE_URL', () => {
    expect(storeChoiceFromEnv({ DATABASE_URL: '', SIGNTRAIL_DATA_DIR: '/tmp/d' })).toEqual({
      options: { dataDir: '/tmp/d' },
      ignoredDataDir: false,
    });
    expect(storeChoiceFromEnv({})).toEqual({
      options: { dataDir: './.signtrail/data' },
      ignoredDataDir: false,
    });
  });

  it.skipIf(!postgresUrl)('makes the server run on PostgreSQL when both are set', async () => {
    const location = await createLocation('postgres');
    const dataDir = mkdtempSync(join(tmpdir(), 'signtrail-env-'));
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: location.options.databaseUrl,
        SIGNTRAIL_DATA_DIR: dataDir,
        SIGNTRAIL_SECRET_KEY: TEST_SECRET_KEY,
        PORT: '0',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(child.stdout!, 'data')) as [Buffer];
      const { url } = JSON.parse(line.toString().split('\n')[0]!) as { url: string };
      expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready', driver: 'postgres' });
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      rmSync(dataDir, { recursive: true, force: true });
      await location.drop();
    }
  });
});
