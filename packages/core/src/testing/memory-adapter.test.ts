import { describe, expect, it } from 'vitest';
import { foldLog, foldNormalized, registerSource } from '../contract.js';
import { InvalidOptionsError, UnsupportedSpecificationError, VendorNotFoundError } from '../errors.js';
import { runAdapterSuite } from './adapter-suite.js';
import { createMemoryAdapter, type MemoryPayload } from './memory-adapter.js';

const payload: MemoryPayload = {
  processes: [
    {
      processId: 'p1',
      records: [
        { id: 'r1', type: 'process.created', at: '2024-01-01T10:00:00Z' },
        { id: 'r2', type: 'signer.invited', at: '2024-01-01T10:01:00Z', signerId: 's1' },
        {
          id: 'r3',
          type: 'signer.signed',
          at: '2024-01-01T10:02:00Z',
          signerId: 's1',
          actor: { kind: 'signer' },
        },
        { id: 'r4', type: 'process.completed', at: '2024-01-01T10:03:00Z' },
        { id: 'r5', type: 'vendor.special', at: '2024-01-01T10:04:00Z' },
      ],
    },
    {
      processId: 'p2',
      status: 'expired',
      records: [{ id: 'r1', type: 'process.created', at: '2024-02-01T10:00:00Z' }],
    },
  ],
};

runAdapterSuite({
  createAdapter: () => createMemoryAdapter(payload),
  fixtures: [{ name: 'two processes', payload }],
  recordsOf: (p) => (p as MemoryPayload).processes.flatMap((x) => x.records),
  roundTrip: {
    stories: [createMemoryAdapter().normalize(payload).events],
    render: (story) => ({
      processes: [...new Set(story.map((e) => e.processId))].map((processId) => ({
        processId,
        records: story.filter((e) => e.processId === processId).map((e) => e.raw),
      })),
    }),
  },
});

describe('memory reference adapter', () => {
  const adapter = createMemoryAdapter(payload);

  it('reads one process log and folds it, hint included', async () => {
    expect(foldLog(await adapter.getProcessLog('p1')).status).toBe('completed');
    expect(foldLog(await adapter.getProcessLog('p2')).status).toBe('expired');
    await expect(adapter.getProcessLog('nope')).rejects.toThrow(VendorNotFoundError);
  });

  it('warns about unmapped vendor types and keeps them as other', () => {
    const result = adapter.normalize(payload);
    expect(result.events.filter((e) => e.type === 'other')).toHaveLength(1);
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unmapped', vendorType: 'vendor.special', count: 1 }),
    ]);
  });

  it('lists activity in a window and rejects an empty window', async () => {
    const seen: string[] = [];
    for await (const log of adapter.listActivity({ from: '2024-01-01', to: '2024-01-02' }))
      seen.push(log.processId);
    expect(seen).toEqual(['p1']);
    const walk = async () => {
      for await (const _ of adapter.listActivity({ from: '2024-01-02', to: '2024-01-01' })) {
        /* nothing */
      }
    };
    await expect(walk()).rejects.toThrow(InvalidOptionsError);
  });

  it('refuses an adapter of another contract version', () => {
    expect(() => registerSource({ ...adapter, specificationVersion: 'v2' as 'v1' })).toThrow(
      UnsupportedSpecificationError,
    );
  });
});

describe('foldNormalized', () => {
  it('folds each process of a normalize result with its status hint', () => {
    const states = foldNormalized(createMemoryAdapter().normalize(payload));
    expect(states.map((s) => [s.processId, s.status, s.vendor])).toEqual([
      ['p1', 'completed', 'memory'],
      ['p2', 'expired', 'memory'],
    ]);
  });

  it('names the state of a process without events by the vendor given', () => {
    const result = { events: [], warnings: [], processes: [{ processId: 'p9', vendorStatus: 'open' }] };
    expect(foldNormalized(result)[0]?.vendor).toBe('');
    expect(foldNormalized(result, 'memory')[0]).toMatchObject({ vendor: 'memory', processId: 'p9' });
  });
});
