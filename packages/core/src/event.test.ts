import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventJsonSchema, normalizedEventSchema } from './event.js';
import { TAXONOMY } from './taxonomy.js';

describe('normalized event schema', () => {
  it('matches the checked-in JSON Schema (run `pnpm --filter @signtrail/core schema` after a change)', () => {
    const checkedIn = JSON.parse(readFileSync(new URL('../event.schema.json', import.meta.url), 'utf8'));
    expect(eventJsonSchema()).toEqual(checkedIn);
  });

  it('lists every taxonomy type in the JSON Schema', () => {
    const schema = eventJsonSchema() as { properties: { type: { enum: string[] } } };
    expect(schema.properties.type.enum).toEqual([...TAXONOMY]);
  });

  it('rejects an unknown type and a non-microsecond timestamp, naming the field', () => {
    const event = {
      id: 'x',
      vendor: 'memory',
      processId: 'p',
      type: 'signer.signed',
      occurredAt: '2024-01-01T00:00:00.000000Z',
      seq: 0,
      actor: { kind: 'signer' },
      data: {},
      vendorEvent: { type: 'Signed' },
      origin: 'log',
      raw: {},
    };
    expect(normalizedEventSchema.safeParse(event).success).toBe(true);
    expect(
      normalizedEventSchema.safeParse({ ...event, type: 'signer.teleported' }).error?.issues[0]?.path,
    ).toEqual(['type']);
    expect(
      normalizedEventSchema.safeParse({ ...event, occurredAt: '2024-01-01T00:00:00Z' }).error?.issues[0]
        ?.path,
    ).toEqual(['occurredAt']);
  });
});
