import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, eventId, eventIdFor, hashCanonical } from './id.js';

function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => shuffleKeys(v, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  entries.sort(
    (a, b) => ((a[0].length * 31 + seed) % 7) - ((b[0].length * 31 + seed) % 7) || (seed % 2 ? 1 : -1),
  );
  return Object.fromEntries(entries.reverse().map(([k, v]) => [k, shuffleKeys(v, seed + 1)]));
}

describe('deterministic ids', () => {
  it('canonical JSON sorts keys and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }], e: null })).toBe(
      '{"a":[{"d":2}],"b":1,"e":null}',
    );
  });

  it('ids are stable under key reordering (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        expect(hashCanonical(shuffleKeys(value, seed))).toBe(hashCanonical(value));
      }),
      { numRuns: 300 },
    );
  });

  it('ids differ when vendor, process or key differ', () => {
    const base = eventId('taktikal', 'sp1', { status: 'Created' });
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(eventId('zapsign', 'sp1', { status: 'Created' })).not.toBe(base);
    expect(eventId('taktikal', 'sp2', { status: 'Created' })).not.toBe(base);
    expect(eventId('taktikal', 'sp1', { status: 'Started' })).not.toBe(base);
    expect(eventId('taktikal', 'sp1', { status: 'Created' })).toBe(base);
  });
});

describe('eventIdFor', () => {
  it('equals eventId for string, number and object keys (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.oneof(fc.string(), fc.integer(), fc.jsonValue()),
        (vendor, processId, key) => {
          expect(eventIdFor(vendor, processId)(key)).toBe(hashCanonical({ v: 1, vendor, processId, key }));
        },
      ),
      { numRuns: 300 },
    );
  });
});
