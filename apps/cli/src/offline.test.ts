import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizedEventSchema } from '@signtrail/core';
import { describe, expect, it } from 'vitest';
import { HELP } from './help.js';
import { ndjson, runCli } from './test-support/run-cli.js';

const fixture = (adapter: string, name: string) =>
  fileURLToPath(new URL(`../../../packages/adapter-${adapter}/src/__fixtures__/${name}`, import.meta.url));
const TAKTIKAL_DOC = fixture('taktikal', 'activity-log.json');
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
