import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compareEvents,
  type NormalizedEvent,
  normalizedEventSchema,
  normalizeTimestamp,
} from '@signtrail/core';
import { openStore } from '@signtrail/store';
import { describe, expect, it } from 'vitest';
import { HELP } from './help.js';
import { ndjson, runCli, runCliClosingStdout, runOnTerminal } from './test-support/run-cli.js';

const fixture = (adapter: string, name: string) =>
  fileURLToPath(new URL(`../../../packages/adapter-${adapter}/src/__fixtures__/${name}`, import.meta.url));
const TAKTIKAL_DOC = fixture('taktikal', 'activity-log.json');
// ZapSign returns signer logs unsorted: this one lists the creation (2024-11-21) last.
const ZAPSIGN_LOG = fixture('zapsign', 'signer-log-en.json');
const tmp = mkdtempSync(join(tmpdir(), 'signtrail-cli-'));
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

describe('signtrail (offline)', () => {
  it('--help lists the commands with examples, exit 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Examples:');
    for (const command of Object.keys(HELP).filter((c) => c !== 'main')) {
      const sub = await runCli([command, '--help']);
      expect(sub.code, command).toBe(0);
      expect(sub.stdout, command).toMatch(/Example/);
    }
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['log', 'taktikal'], /usage: signtrail log <vendor> <processId>/],
    [
      ['normalize', '--vendor', 'docusign', TAKTIKAL_DOC],
      /unknown vendor "docusign"; one of taktikal, signinghub, zapsign/,
    ],
    [['normalize', '--vendor', 'taktikal', '--json', '--csv', TAKTIKAL_DOC], /choose one output format/],
    [
      ['status', 'zapsign', 'doc1', '--api-token', 'sekret'],
      /credentials are not taken from the command line/,
    ],
    [['status', 'taktikal', 'sp1'], /missing SIGNTRAIL_TAKTIKAL_COMPANY_KEY, SIGNTRAIL_TAKTIKAL_API_KEY/],
  ])('usage error %j → exit 2 with one clear line', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toContain('sekret');
    expect(run.stdout).toBe('');
  });

  it('normalizes the Taktikal documentation example to events and a completed state (--json)', async () => {
    const run = await runCli(['normalize', '--vendor', 'taktikal', TAKTIKAL_DOC, '--json']);
    expect(run.code).toBe(0);
    const { events, state } = JSON.parse(run.stdout);
    expect(events).toHaveLength(8);
    for (const event of events) {
      expect(normalizedEventSchema.omit({ raw: true }).safeParse(event).error).toBeUndefined();
      expect(event.raw).toBeUndefined(); // omitted without --raw
    }
    expect(state).toMatchObject({ status: 'completed', signers: [{ status: 'signed' }] });
  });

  it('--ndjson prints one event per line and nothing else; --raw keeps the vendor record', async () => {
    const plain = ndjson(
      (await runCli(['normalize', '--vendor', 'taktikal', TAKTIKAL_DOC, '--ndjson'])).stdout,
    );
    const withRaw = ndjson(
      (await runCli(['normalize', '--vendor', 'taktikal', TAKTIKAL_DOC, '--ndjson', '--raw'])).stdout,
    );
    expect(plain).toHaveLength(8);
    expect(withRaw.map((e) => e.id)).toEqual(plain.map((e) => e.id));
    expect(withRaw[0]?.raw).toMatchObject({ status: 'Created' });
  });

  it('reads stdin with -', async () => {
    const { readFileSync } = await import('node:fs');
    const run = await runCli(['normalize', '--vendor', 'zapsign', '-', '--ndjson'], {
      input: readFileSync(fixture('zapsign', 'signer-log-es.json'), 'utf8'),
    });
    expect(run.code).toBe(0);
    expect(ndjson(run.stdout).length).toBeGreaterThan(0);
  });

  it('CSV masks e-mail addresses, phones and SSNs unless --show-pii', async () => {
    const masked = await runCli(['normalize', '--vendor', 'taktikal', TAKTIKAL_DOC, '--csv']);
    expect(masked.code).toBe(0);
    expect(masked.stdout.split('\n')[0]).toMatch(/^occurredAt,vendor,processId,type/);
    expect(masked.stdout).not.toMatch(/signeeOne@example\.com|testUser@example\.com/i);
    expect(masked.stdout).toContain('s********@e******.com');
    const shown = await runCli(['normalize', '--vendor', 'taktikal', TAKTIKAL_DOC, '--csv', '--show-pii']);
    expect(shown.stdout).toContain('signeeOne@example.com');
  });

  it.each([
    ['signinghub', 'workflow-history.json'],
    ['zapsign', 'signer-log-en.json'],
    ['taktikal', 'activity-log-legacy.json'],
  ])('normalizes the %s documentation example', async (vendor, name) => {
    const run = await runCli(['normalize', '--vendor', vendor, fixture(vendor, name), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document.events.length).toBeGreaterThan(0);
    expect(document.events.every((e: { vendor: string }) => e.vendor === vendor)).toBe(true);
  });

  it("names the vendor on the state of a process without events (SigningHub's package listing)", async () => {
    const listing = fixture('signinghub', 'packages-page.json');
    const run = await runCli(['normalize', '--vendor', 'signinghub', listing, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as { state?: { vendor: string }; states?: { vendor: string }[] };
    const states = document.states ?? (document.state ? [document.state] : []);
    expect(states.length).toBeGreaterThan(0);
    expect(states.every((state) => state.vendor === 'signinghub')).toBe(true);
  });

  it('a malformed file is exit 1 with one line naming the file, no stack', async () => {
    const bad = file('bad.json', '[{"processKey": "sp1", "activityLog": [');
    const run = await runCli(['normalize', '--vendor', 'taktikal', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^signtrail: .*bad\.json is not valid JSON/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a payload of the wrong shape is exit 1 naming the vendor and the path', async () => {
    const wrong = file(
      'wrong.json',
      JSON.stringify([{ processKey: 'sp1', activityLog: [{ id: 'one', status: 5 }] }]),
    );
    const run = await runCli(['normalize', '--vendor', 'taktikal', wrong]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^signtrail: taktikal: unexpected payload at \$/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an empty input and a missing file are exit 1 with a clear line', async () => {
    const empty = await runCli(['normalize', '--vendor', 'zapsign', file('empty.json', '  \n')]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/empty\.json is empty: expected a zapsign payload/);
    const missing = await runCli(['normalize', '--vendor', 'zapsign', join(tmp, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json: no such file/);
  });

  it('--debug adds the stack trace', async () => {
    const bad = file('bad2.json', '{');
    const run = await runCli(['normalize', '--vendor', 'taktikal', bad, '--debug']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});

describe('signtrail prints timelines in time order', () => {
  const inCoreOrder = (events: NormalizedEvent[]) => [...events].sort(compareEvents);

  it('normalize: --json, --ndjson, --csv and the table follow occurredAt, not the vendor order', async () => {
    const run = (format: string) => runCli(['normalize', '--vendor', 'zapsign', ZAPSIGN_LOG, format]);
    const [json, lines, csv] = await Promise.all([run('--json'), run('--ndjson'), run('--csv')]);
    const { events } = JSON.parse(json.stdout) as { events: NormalizedEvent[] };
    expect(events.map((e) => e.type)[0]).toBe('process.created');
    expect(events).toEqual(inCoreOrder(events));
    const ids = events.map((e) => e.id);
    expect(ndjson<NormalizedEvent>(lines.stdout).map((e) => e.id)).toEqual(ids);
    // id is the last CSV column and never quoted
    expect(
      csv.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((row) => row.split(',').at(-1)),
    ).toEqual(ids);
    const table = await runOnTerminal(['normalize', '--vendor', 'zapsign', ZAPSIGN_LOG]);
    expect(table.code, table.stderr).toBe(0);
    const times = table.stdout.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/gm) ?? [];
    expect(times).toHaveLength(events.length);
    expect(times[0]).toBe('2024-11-21 05:18:45Z');
    expect(times).toEqual([...times].sort());
  });

  it('export: stored events in core order (occurredAt, seq, id), also when equal times span pages', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signtrail-export-order-'));
    // Groups of 7 events share one instant; within a group seq rises while id falls, so the store's
    // (occurredAt, id) order is the reverse of core's. 1001 = 7 × 143: a group straddles the 1000-event page.
    const stored: NormalizedEvent[] = Array.from({ length: 1200 }, (_, i) => ({
      id: `ev-${String(9999 - i).padStart(4, '0')}`,
      vendor: 'zapsign',
      processId: 'doc-ties',
      type: 'signer.viewed',
      occurredAt: normalizeTimestamp(new Date(Date.UTC(2024, 2, 1) + Math.floor(i / 7) * 1000).toISOString()),
      seq: i,
      actor: { kind: 'signer', email: 'ana@example.com' },
      signerId: 'ana@example.com',
      data: {},
      vendorEvent: { type: 'Documento visualizado' },
      origin: 'log',
      raw: { i },
    }));
    const store = await openStore({ dataDir });
    try {
      await store.ingest({ tenant: 'default', events: stored });
    } finally {
      await store.close();
    }
    const env = { SIGNTRAIL_DATA_DIR: dataDir };
    const ids = inCoreOrder(stored).map((e) => e.id);
    expect(ids[0]).toBe('ev-9999');
    const lines = await runCli(['export', '--ndjson'], { env });
    expect(lines.code, lines.stderr).toBe(0);
    expect(ndjson<NormalizedEvent>(lines.stdout).map((e) => e.id)).toEqual(ids);
    const csv = await runCli(['export', '--csv'], { env });
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^occurredAt,/);
    expect(rows.slice(1).map((row) => row.split(',').at(-1))).toEqual(ids);
    const json = await runCli(['export', '--json'], { env });
    expect(JSON.parse(json.stdout).events.map((e: NormalizedEvent) => e.id)).toEqual(ids);
    // `export --csv | head -3`: the reader goes away mid-stream; the store is closed, exit 0, nothing on stderr.
    const closed = await runCliClosingStdout(['export', '--csv'], { afterBytes: 1, env });
    expect(closed.received).toBeLessThan(csv.stdout.length);
    expect(closed).toMatchObject({ code: 0, stderr: '' });
  }, 120_000);
});

describe('signtrail with a closed stdout (… | head)', () => {
  // A signer log long enough that the command is still writing when the reader goes away.
  const long = JSON.parse(readFileSync(ZAPSIGN_LOG, 'utf8')) as Array<Record<string, unknown>>;
  const LONG_LOG = file(
    'long-signer-log.json',
    JSON.stringify(
      Array.from({ length: 4000 }, (_, i) =>
        long.map((entry, k) => ({
          ...entry,
          time: new Date(Date.UTC(2024, 10, 1) + i * 60_000 + k * 1000).toISOString().replace('T', ' '),
        })),
      ).flat(),
    ),
  );

  it.each([
    ['before anything is written: --help', ['--help'], 0],
    [
      'before anything is written: normalize --ndjson',
      ['normalize', '--vendor', 'zapsign', ZAPSIGN_LOG, '--ndjson'],
      0,
    ],
    [
      'after the first chunk: normalize --ndjson',
      ['normalize', '--vendor', 'zapsign', LONG_LOG, '--ndjson'],
      1,
    ],
    ['after the first chunk: normalize --csv', ['normalize', '--vendor', 'zapsign', LONG_LOG, '--csv'], 1],
  ])('%s ends quietly with exit 0', async (_name, args, afterBytes) => {
    const run = await runCliClosingStdout(args, { afterBytes });
    expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(run.stderr).not.toMatch(/^signtrail: (?!warning:)/m);
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('signtrail --from / --to', () => {
  // A reachable-looking vendor that is never asked, and a store that must not even be opened.
  const cwd = mkdtempSync(join(tmpdir(), 'signtrail-window-'));
  const env = {
    SIGNTRAIL_DATA_DIR: join(cwd, 'data'),
    SIGNTRAIL_ZAPSIGN_API_TOKEN: 'zapsign-token-window',
    SIGNTRAIL_ZAPSIGN_BASE_URL: 'http://127.0.0.1:9',
  };

  it.each([
    [['export', '--from', 'bad'], /^signtrail: --from: /],
    [['export', '--to', '2024-13-01'], /^signtrail: --to: /],
    [['sync', 'zapsign', '--from', 'bad'], /^signtrail: --from: /],
    [['sync', 'zapsign', '--to', 'tomorrow'], /^signtrail: --to: /],
    [['sync', 'zapsign', '--to', '2024-01-01'], /^signtrail: --to: sync always walks up to now/],
    [['activity', 'zapsign', '--from', 'yesterday', '--to', '2024-01-01'], /^signtrail: --from: /],
    [
      ['export', '--from', '2024-02-01', '--to', '2024-01-01'],
      /^signtrail: --from: must be earlier than --to$/m,
    ],
    [['export', '--from', '2024-01-01', '--to', '2024-01-01T00:00:00Z'], /--from: must be earlier than --to/],
    [
      ['activity', 'zapsign', '--from', '2024-02-01', '--to', '2024-01-01'],
      /--from: must be earlier than --to/,
    ],
  ])('%j is a usage error: exit 2, one line naming the option', async (args, message) => {
    const run = await runCli(args, { env, cwd });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(/bad|yesterday|tomorrow|13/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('the same flags without credentials still name the bad option', async () => {
    const run = await runCli(['activity', 'zapsign', '--from', 'yesterday', '--to', '2024-01-01'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^signtrail: --from: /);
    expect(run.stderr).not.toContain('yesterday');
  });
});
