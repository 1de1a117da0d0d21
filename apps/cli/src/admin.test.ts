import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@signtrail/store';
import { describe, expect, it } from 'vitest';
import { ndjson, runCli } from './test-support/run-cli.js';

const SECRET_KEY = randomBytes(32).toString('hex');
const TOKEN = 'zapsign-token-6f1d2c9e8b7a';
const envOf = (dataDir: string, extra: Record<string, string> = {}) => ({
  SIGNTRAIL_DATA_DIR: dataDir,
  SIGNTRAIL_SECRET_KEY: SECRET_KEY,
  ...extra,
});

// One store for the sequential flow; each run is a separate process, as users run it.
const dataDir = mkdtempSync(join(tmpdir(), 'signtrail-admin-'));
const env = envOf(dataDir, { SIGNTRAIL_ZAPSIGN_API_TOKEN: TOKEN });

describe('signtrail admin', () => {
  it('creates a tenant, and renames it idempotently', async () => {
    const run = await runCli(['admin', 'tenant', 'create', 'acme'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('tenant acme\n');
    const renamed = await runCli(['admin', 'tenant', 'create', 'acme', '--name', 'Acme Corp'], { env });
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stderr).toBe('');
  });

  it('creates an API key, printed once on stdout with a warning on stderr, and revokes it', async () => {
    const run = await runCli(['admin', 'key', 'create', '--tenant', 'acme', '--name', 'ci'], { env });
    expect(run.code, run.stderr).toBe(0);
    const key = run.stdout.trim();
    expect(key).toMatch(/^st_/);
    expect(run.stdout).toBe(`${key}\n`);
    expect(run.stderr).toMatch(/will not be shown again/);
    expect(run.stderr).not.toContain(key);
    const id = /API key (\w+)/.exec(run.stderr)?.[1];
    expect(id).toBeDefined();

    const store = await openStore({ dataDir, secretKey: SECRET_KEY });
    try {
      expect(await store.resolveApiKey(key)).toEqual({ id, tenant: 'acme' });
    } finally {
      await store.close();
    }
    const revoke = await runCli(['admin', 'key', 'revoke', id!], { env });
    expect(revoke.code, revoke.stderr).toBe(0);
    const again = await runCli(['admin', 'key', 'revoke', id!], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no active API key/);
  });

  it('adds a zapsign connection from the environment: prints its webhook path, seals the token', async () => {
    const run = await runCli(['admin', 'connection', 'add', 'zapsign', '--tenant', 'acme'], {
      env: { ...env, SIGNTRAIL_ZAPSIGN_ENVIRONMENT: 'sandbox' },
    });
    expect(run.code, run.stderr).toBe(0);
    const path = run.stdout.trim();
    expect(path).toMatch(/^\/v1\/webhooks\/zapsign\/[\w-]+$/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);

    const store = await openStore({ dataDir, secretKey: SECRET_KEY });
    try {
      const connection = await store.getConnection('acme', 'zapsign');
      expect(connection?.settings).toEqual({ environment: 'sandbox' });
      expect(connection?.credentials).toEqual({ apiToken: TOKEN });
      expect(path).toBe(`/v1/webhooks/zapsign/${await store.connectionId('acme', 'zapsign')}`);
    } finally {
      await store.close();
    }

    const list = await runCli(['admin', 'connection', 'list', '--tenant', 'acme', '--ndjson'], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).not.toContain(TOKEN);
    expect(ndjson(list.stdout)).toEqual([
      expect.objectContaining({ vendor: 'zapsign', hasCredentials: true, webhookPath: path }),
    ]);
  });

  it('refuses a connection without credentials (exit 2, naming the variable) and stores nothing', async () => {
    const withoutToken = envOf(dataDir);
    const run = await runCli(['admin', 'connection', 'add', 'zapsign', '--tenant', 'globex'], {
      env: withoutToken,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SIGNTRAIL_ZAPSIGN_API_TOKEN');
    const list = await runCli(['admin', 'connection', 'list', '--tenant', 'globex'], { env: withoutToken });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toBe('');
  });

  it('rejects unknown subcommands, a missing --tenant and credential flags with exit 2', async () => {
    for (const args of [
      ['admin', 'tenant', 'delete', 'acme'],
      ['admin'],
      ['admin', 'key', 'create'],
      ['admin', 'connection', 'add', 'zapsign', '--tenant', 'acme', '--api-token', TOKEN],
    ]) {
      const run = await runCli(args, { env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).not.toContain(TOKEN);
    }
  });
});
