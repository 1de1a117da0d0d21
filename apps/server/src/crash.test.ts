// Nothing received is lost: a server killed right after answering 2xx to webhooks processes them on restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startZapsignSimulator, storyOptions } from '@signtrail/adapter-zapsign/sandbox';
import { generateStories } from '@signtrail/sandbox';
import { openStore } from '@signtrail/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSimulators } from './simulator-connections.js';
import { createLocation, TEST_SECRET_KEY, type TestLocation } from './test-support/databases.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const stories = generateStories({ ...storyOptions, seed: 21, processes: 3, vendor: 'zapsign' });

async function startChild(
  location: TestLocation,
  processWebhooks: boolean,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      SIGNTRAIL_DATA_DIR: location.options.dataDir,
      SIGNTRAIL_SECRET_KEY: TEST_SECRET_KEY,
      SIGNTRAIL_PROCESS_WEBHOOKS: String(processWebhooks),
      SIGNTRAIL_WEBHOOK_POLL_MS: '50',
      DATABASE_URL: '',
      PORT: '0',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, url: (JSON.parse(line.toString().split('\n')[0]!) as { url: string }).url };
}

describe('webhook inbox survives SIGKILL', () => {
  let location: TestLocation;
  let simulator: Awaited<ReturnType<typeof startZapsignSimulator>>;
  let connectionId: string;
  let key: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    location = await createLocation('pglite', { onDisk: true });
    simulator = await startZapsignSimulator({ stories });
    const store = await openStore(location.options);
    const [created] = await connectSimulators(store, 'acme', [simulator]);
    connectionId = created!.connectionId;
    ({ key } = await store.createApiKey({ tenant: 'acme' }));
    await store.close();
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await simulator?.close();
    await location?.drop();
  });

  it('processes after a restart what was acknowledged before the kill', async () => {
    const first = await startChild(location, false);
    children.push(first.child);
    const deliveries = await simulator.sendWebhooks(`${first.url}/v1/webhooks/zapsign/${connectionId}`);
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    const second = await startChild(location, true);
    children.push(second.child);
    const total = async () => {
      const response = await fetch(
        `${second.url}/v1/events/total?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z`,
        {
          headers: { authorization: `Bearer ${key}` },
        },
      );
      return ((await response.json()) as { total: number }).total;
    };
    const pending = async () => {
      const metrics = await (await fetch(`${second.url}/metrics`)).text();
      return Number(/^signtrail_webhook_inbox_pending (\d+)$/m.exec(metrics)?.[1]);
    };
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await pending()) !== 0) await new Promise((r) => setTimeout(r, 100));
    expect(await pending()).toBe(0);
    expect(await total()).toBeGreaterThan(0);
    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
  });
});
