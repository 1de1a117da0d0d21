import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activityWindow } from './activity-window.js';
import { InvalidOptionsError } from './errors.js';

describe('activityWindow', () => {
  it('keeps the precision of strings and reads zone-less ones as UTC', () => {
    expect(activityWindow({ from: '2024-01-01T10:00:00.123456Z', to: '2024-01-01T11:00' })).toEqual({
      start: '2024-01-01T10:00:00.123456Z',
      end: '2024-01-01T11:00:00.000000Z',
    });
    expect(activityWindow({ from: '2024-01-01', to: new Date('2024-01-02T00:00:00.5Z') })).toEqual({
      start: '2024-01-01T00:00:00.000000Z',
      end: '2024-01-02T00:00:00.500000Z',
    });
  });

  it('refuses an unknown key by name, not silently', () => {
    const query = { from: '2024-01-01', to: '2024-01-02', StatusFilter: 'Completed' };
    expect(() => activityWindow(query)).toThrow(InvalidOptionsError);
    expect(() => activityWindow(query)).toThrow(/^StatusFilter: unknown option.*under `filters`/);
    expect(() =>
      activityWindow({ from: '2024-01-01', to: '2024-01-02', filters: { StatusFilter: 'Completed' } }),
    ).not.toThrow();
  });

  it('names the bad bound without echoing it', () => {
    for (const [query, option] of [
      [{ from: 'owner@example.com', to: '2024-01-02' }, 'from'],
      [{ from: '2024-01-01', to: new Date(Number.NaN) }, 'to'],
      [{ from: '2024-01-01', to: 42 }, 'to'],
      [{ from: new Date(Date.UTC(10_000, 0, 1)), to: '2024-01-02' }, 'from'],
    ] as const) {
      try {
        activityWindow(query as never);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionsError);
        expect((error as InvalidOptionsError).option).toBe(option);
        expect((error as Error).message).not.toContain('example.com');
      }
    }
  });

  it('accepts exactly the windows whose start is before their end', () => {
    const instant = fc.date({
      min: new Date('2000-01-01'),
      max: new Date('2100-01-01'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, instant, (from, to) => {
        if (from < to) {
          const { start, end } = activityWindow({ from, to });
          expect(start < end).toBe(true);
          expect(Date.parse(start)).toBe(from.getTime());
        } else {
          expect(() => activityWindow({ from, to })).toThrow(/^from: must be earlier than to$/);
        }
      }),
    );
  });
});
