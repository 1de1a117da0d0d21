import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulator as signinghub } from '@signtrail/adapter-signinghub/sandbox';
import { simulator as taktikal } from '@signtrail/adapter-taktikal/sandbox';
import { simulator as zapsign } from '@signtrail/adapter-zapsign/sandbox';
import { compareEvents, fold, type NormalizedEvent, type ProcessState } from '@signtrail/core';
import {
  generateStories,
  type Story,
  type VendorSimulator,
  type VendorSimulatorModule,
} from '@signtrail/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndjson, runCli, runCliClosingStdout } from './test-support/run-cli.js';

const WINDOW = ['--from', '2023-12-01', '--to', '2025-01-01'];

describe.each([taktikal, signinghub, zapsign])(
  'signtrail against the $vendor simulator',
  (module: VendorSimulatorModule) => {
    const vendor = module.vendor;
    let sim: VendorSimulator;
    let stories: Story[];
    let events: NormalizedEvent[] = [];

    beforeAll(async () => {
      stories = generateStories({ ...module.storyOptions, seed: 11, processes: 6, vendor });
      sim = await module.start({ stories });
      const run = await runCli(['activity', vendor, ...WINDOW, '--ndjson'], { env: sim.env });
      expect(run.code, run.stderr).toBe(0);
      events = ndjson<NormalizedEvent>(run.stdout);
    });
    afterAll(() => sim?.close());

    it('activity streams every event of every story once (NDJSON)', () => {
      expect(events).toHaveLength(stories.reduce((n, s) => n + s.events.length, 0));
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      expect(new Set(events.map((e) => e.processId)).size).toBe(stories.length);
    });

    it('status prints the folded state the story ends in (--json)', async () => {
      for (const story of stories.slice(0, 3)) {
        const processId = events.find((e) => e.occurredAt === story.events[0]!.occurredAt)!.processId;
        const run = await runCli(['status', vendor, processId, '--json'], { env: sim.env });
        expect(run.code, run.stderr).toBe(0);
        const state = JSON.parse(run.stdout) as ProcessState;
        const truth = fold(story.events);
        expect(state.status).toBe(truth.status);
        expect(state.signers.map((s) => s.status).sort()).toEqual(truth.signers.map((s) => s.status).sort());
      }
    });

    it('log prints the timeline as CSV with personal data masked', async () => {
      const processId = events[0]!.processId;
      const run = await runCli(['log', vendor, processId, '--csv'], { env: sim.env });
      expect(run.code, run.stderr).toBe(0);
      const rows = run.stdout.trim().split('\n');
      expect(rows.length - 1).toBe(events.filter((e) => e.processId === processId).length);
      for (const story of stories)
        for (const signer of story.signers) expect(run.stdout).not.toContain(signer.email);
    });

    it('activity and log print each timeline in time order (NDJSON, JSON, CSV)', async () => {
      const inCoreOrder = (list: NormalizedEvent[]) => [...list].sort(compareEvents);
      // Streaming formats go process by process: each process's events in time order.
      const byProcess = new Map<string, NormalizedEvent[]>();
      for (const event of events)
        byProcess.set(event.processId, [...(byProcess.get(event.processId) ?? []), event]);
      for (const [processId, own] of byProcess) expect(own, processId).toEqual(inCoreOrder(own));
      // JSON is one document: all its events in time order.
      const whole = await runCli(['activity', vendor, ...WINDOW, '--json'], { env: sim.env });
      expect(whole.code, whole.stderr).toBe(0);
      const all = JSON.parse(whole.stdout).events as NormalizedEvent[];
      expect(all).toHaveLength(events.length);
      expect(all).toEqual(inCoreOrder(all));
      for (const processId of [...byProcess.keys()].slice(0, 2)) {
        const ids = inCoreOrder(byProcess.get(processId)!).map((e) => e.id);
        const lines = await runCli(['log', vendor, processId, '--ndjson'], { env: sim.env });
        expect(ndjson<NormalizedEvent>(lines.stdout).map((e) => e.id)).toEqual(ids);
        const json = await runCli(['log', vendor, processId, '--json'], { env: sim.env });
        expect(JSON.parse(json.stdout).events.map((e: NormalizedEvent) => e.id)).toEqual(ids);
        const csv = await runCli(['log', vendor, processId, '--csv'], { env: sim.env });
        const rows = csv.stdout.trim().split('\n').slice(1);
        expect(rows.map((row) => row.split(',').at(-1))).toEqual(ids);
      }
    });

    it('log --ndjson | head -1: a reader that closes early ends the command quietly, exit 0', async () => {
      const run = await runCliClosingStdout(['log', vendor, events[0]!.processId, '--ndjson'], {
        afterBytes: 0,
        env: sim.env,
      });
      expect(run.stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(run.code, run.stderr).toBe(0);
    });

    it('a wrong credential is exit 1 naming vendor, status and what to check, and never the secret', async () => {
      const env = Object.fromEntries(
        Object.entries(sim.env).map(([k, v]) => [k, /BASE_URL/.test(k) ? v : `${v}x`]),
      );
      const run = await runCli(['status', vendor, events[0]!.processId], { env });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`^signtrail: ${vendor}: .*\\(HTTP 40[13]\\).*check SIGNTRAIL_${vendor.toUpperCase()}_`),
      );
      for (const value of Object.values(env))
        if (!value.startsWith('http')) expect(run.stderr).not.toContain(value);
    });

    it('an unknown process is exit 1 saying not found', async () => {
      const run = await runCli(['log', vendor, 'no-such-process'], { env: sim.env });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^signtrail: ${vendor}: `));
    });

    it('sync stores the activity; a second sync adds nothing; export prints it back', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), `signtrail-sync-${vendor}-`));
      const env = { ...sim.env, SIGNTRAIL_DATA_DIR: dataDir };
      const first = await runCli(['sync', vendor, '--from', '2023-12-01'], { env });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(new RegExp(`synced ${vendor} .* ${events.length} new, 0 already stored`));
      const second = await runCli(['sync', vendor, '--from', '2023-12-01'], { env });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/ 0 new, /);
      const exported = await runCli(['export', '--vendor', vendor, '--ndjson'], { env });
      expect(exported.code, exported.stderr).toBe(0);
      expect(
        ndjson<NormalizedEvent>(exported.stdout)
          .map((e) => e.id)
          .sort(),
      ).toEqual(events.map((e) => e.id).sort());
    }, 120_000);
  },
);
