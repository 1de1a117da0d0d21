import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError, InvalidTimestampError } from './errors.js';
import { normalizeTimestamp, startsWithDateAndClock } from './time.js';

describe('normalizeTimestamp', () => {
  it.each([
    ['2019-11-08T11:03:49.0700000Z', '2019-11-08T11:03:49.070000Z'], // Taktikal: 7 digits
    ['2019-11-08T11:03:49.0700009Z', '2019-11-08T11:03:49.070000Z'], // truncated, never rounded up
    ['2024-11-27 17:44:32.117577+00:00', '2024-11-27T17:44:32.117577Z'], // ZapSign signer log
    ['2021-06-07T19:22:19.956056Z', '2021-06-07T19:22:19.956056Z'], // ZapSign webhooks
    ['2015-01-12T11:12:13', '2015-01-12T11:12:13.000000Z'], // SigningHub: no zone → UTC default
    ['2024-03-01T10:00:00+05:30', '2024-03-01T04:30:00.000000Z'],
    ['2024-03-01T01:00:00-0230', '2024-03-01T03:30:00.000000Z'],
    ['2024-03-01T23:30:00-02', '2024-03-02T01:30:00.000000Z'],
    ['2024-01-01', '2024-01-01T00:00:00.000000Z'],
    ['2024-02-29T12:00', '2024-02-29T12:00:00.000000Z'],
    ['0099-05-05T00:00:00Z', '0099-05-05T00:00:00.000000Z'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeTimestamp(input)).toBe(expected);
  });

  it('reads a zone-less time in the given IANA zone, across DST', () => {
    expect(normalizeTimestamp('2015-01-12T11:12:13', { timeZone: 'Europe/Berlin' })).toBe(
      '2015-01-12T10:12:13.000000Z',
    );
    expect(normalizeTimestamp('2015-07-12T11:12:13', { timeZone: 'Europe/Berlin' })).toBe(
      '2015-07-12T09:12:13.000000Z',
    );
    expect(normalizeTimestamp('2024-11-27 17:44:32', { timeZone: 'America/Sao_Paulo' })).toBe(
      '2024-11-27T20:44:32.000000Z',
    );
    // an explicit zone wins over the option
    expect(normalizeTimestamp('2015-01-12T11:12:13Z', { timeZone: 'Asia/Tokyo' })).toBe(
      '2015-01-12T11:12:13.000000Z',
    );
  });

  it.each([
    '',
    'yesterday',
    '2024-13-01T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T10:61:00Z',
    '2024-01-01T10:00:00+25:00',
    '2024-01-01T10:00:00.Z',
    '1700000000',
    '0000-01-01T00:00:00+01:00',
  ])('rejects %j with InvalidTimestampError', (input) => {
    expect(() => normalizeTimestamp(input)).toThrow(InvalidTimestampError);
  });

  it('rejects an unknown time zone with InvalidOptionsError naming it', () => {
    expect(() => normalizeTimestamp('2015-01-12T11:12:13', { timeZone: 'Mars/Olympus' })).toThrow(
      /timeZone: unknown IANA time zone "Mars\/Olympus"/,
    );
    expect(() => normalizeTimestamp('2015-01-12T11:12:13', { timeZone: 'Mars/Olympus' })).toThrow(
      InvalidOptionsError,
    );
  });

  // Instants in 100 ns ticks (Taktikal's resolution) rendered in every vendor form.
  const ticks = fc.bigInt({ min: 0n, max: 2_000_000_000n * 10_000_000n });
  const offsetMinutes = fc.integer({ min: -14 * 60, max: 14 * 60 });
  const render = (t: bigint, form: number, offset: number) => {
    const ms = Number(t / 10_000n);
    const fraction7 = (t % 10_000_000n).toString().padStart(7, '0');
    const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
    const sign = offset < 0 ? '-' : '+';
    const zone = `${sign}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
    if (form === 0) return `${new Date(ms).toISOString().slice(0, 19)}.${fraction7}Z`;
    if (form === 1) return `${local.replace('T', ' ')}.${fraction7.slice(0, 6)}${zone}`;
    return `${local}.${fraction7.slice(0, 6)}${zone.replace(':', '')}`;
  };

  it('output order equals instant order for every form (property)', () => {
    fc.assert(
      fc.property(
        ticks,
        ticks,
        fc.nat(2),
        fc.nat(2),
        offsetMinutes,
        offsetMinutes,
        (a, b, fa, fb, oa, ob) => {
          const na = normalizeTimestamp(render(a, fa, oa));
          const nb = normalizeTimestamp(render(b, fb, ob));
          const ua = a / 10n;
          const ub = b / 10n; // microsecond instants
          expect(Math.sign(na.localeCompare(nb))).toBe(ua < ub ? -1 : ua > ub ? 1 : 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('normalizeTimestamp UTC fast path', () => {
  it('agrees with the Date arithmetic of an equivalent non-UTC offset (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-02T00:00:00Z'),
          max: new Date('9999-12-30T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.nat(999),
        (date, micros) => {
          const iso = date.toISOString().slice(0, 19);
          const fraction = String(date.getUTCMilliseconds() * 1000 + micros).padStart(6, '0');
          const viaUtc = normalizeTimestamp(`${iso}.${fraction}Z`);
          // The same instant written one hour east goes through the offset arithmetic.
          const east = new Date(date.getTime() + 3_600_000).toISOString().slice(0, 19);
          expect(normalizeTimestamp(`${east}.${fraction}+01:00`)).toBe(viaUtc);
          expect(normalizeTimestamp(`${iso}.${fraction}`)).toBe(viaUtc);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('startsWithDateAndClock', () => {
  const twoDigits = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
  const dateTime = fc
    .tuple(fc.integer({ min: 0, max: 9999 }), twoDigits, twoDigits, twoDigits, twoDigits, twoDigits)
    .map(([year, ...rest]) => {
      const [month, day, hour, minute, second] = rest;
      return `${String(year).padStart(4, '0')}-${month}-${day}T${hour}:${minute}:${second}`;
    });

  it('accepts exactly the date-times core parses, whatever follows them (property)', () => {
    fc.assert(
      fc.property(dateTime, fc.constantFrom('T', ' ', 'x'), fc.string(), (value, separator, tail) => {
        const parses = (() => {
          try {
            normalizeTimestamp(value);
            return true;
          } catch {
            return false;
          }
        })();
        const written = `${value.slice(0, 10)}${separator}${value.slice(11)}${tail}`;
        expect(startsWithDateAndClock(written)).toBe(parses);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    '2024-02-30T00:00:00',
    '2023-02-29 10:00:00',
    '2024-1-01T00:00:00',
    '2024-01-01T00:00:0',
    '0000-01-01T00:00:00',
  ])('refuses %s', (value) => {
    expect(startsWithDateAndClock(value)).toBe(false);
  });
});
