// Smoke test of the one-line demo (`pnpm start` runs `node dist/demo.js`): on PGlite in a new directory and an
// ephemeral port, it prints its URL, an API key and curl examples, and the examples' requests answer.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('../dist/demo.js', import.meta.url));
/** The demo seeds three simulators, syncs them and sends their webhooks before it prints: seconds, not more. */
const BANNER_DEADLINE_MS = 25_000;

/** Waits until `text()` contains `marker`, the child exits, or the deadline passes. */
async function waitFor(child: ChildProcess, text: () => string, marker: string): Promise<void> {
  const deadline = Date.now() + BANNER_DEADLINE_MS;
  while (!text().includes(marker)) {
    if (child.exitCode !== null) throw new Error(`the demo exited with ${child.exitCode}:\n${text()}`);
    if (Date.now() > deadline) throw new Error(`no "${marker}" within ${BANNER_DEADLINE_MS} ms:\n${text()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the demo (`pnpm start`)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'signtrail-demo-'));
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on PGlite, prints a key and curl examples that answer', async () => {
    const { SIGNTRAIL_SECRET_KEY: _key, ...env } = process.env;
    child = spawn(process.execPath, [DEMO], {
      env: { ...env, DATABASE_URL: '', SIGNTRAIL_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await waitFor(child, () => output, 'Ctrl-C stops everything.');

    expect(output).toMatch(/^SignTrail demo server: http:\/\/127\.0\.0\.1:\d+ {2}\(store: pglite, /m);
    expect(output).toMatch(/^Demo API key: st_\S+$/m);
    const examples = [...output.matchAll(/^ {2}curl -s -H '([\w-]+): ([^']+)' '([^']+)'$/gm)];
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const [line, header, value, url] of examples) {
      const response = await fetch(url!, { headers: { [header!]: value! } });
      expect(response.status, line).toBe(200);
      expect(response.headers.get('content-type'), line).toContain('application/json');
    }
    const [, header, value, url] = examples[0]!;
    expect(url).toContain('/v1/processes?limit=5');
    const page = (await (await fetch(url!, { headers: { [header!]: value! } })).json()) as {
      processes: unknown[];
    };
    expect(page.processes).toHaveLength(5);
  }, 40_000);
});
