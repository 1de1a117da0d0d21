import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidOptionsError } from './errors.js';
import { isTimeZone, parseOptions } from './options.js';

const schema = z.strictObject({
  apiKey: z.string().min(8),
  nested: z.strictObject({ a: z.number() }).optional(),
});

describe('parseOptions', () => {
  it('returns parsed options', () => {
    expect(parseOptions(schema, { apiKey: 'abcdefgh' })).toEqual({ apiKey: 'abcdefgh' });
  });
  it('names an unknown option, nested ones with their path', () => {
    expect(() => parseOptions(schema, { apiKey: 'abcdefgh', apikey: 'x' })).toThrow(
      /^apikey: unknown option$/,
    );
    expect(() => parseOptions(schema, { apiKey: 'abcdefgh', nested: { a: 1, b: 2 } })).toThrow(
      /^nested\.b: unknown option$/,
    );
  });
  it('names a bad option without echoing its value', () => {
    const error = (() => {
      try {
        parseOptions(schema, { apiKey: 'short' });
      } catch (e) {
        return e as InvalidOptionsError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error?.option).toBe('apiKey');
    expect(error?.message).not.toContain('short');
  });
  it('knows IANA zones', () => {
    expect(isTimeZone('Atlantic/Reykjavik')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
