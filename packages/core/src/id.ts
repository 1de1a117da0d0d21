import { hash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped.
 * Two values that differ only in key order have the same canonical form.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const keys = Object.keys(value).sort();
  const members: string[] = [];
  for (const key of keys) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
}

/** SHA-256 (hex) of the canonical JSON of `value`. */
export function hashCanonical(value: unknown): string {
  return hash('sha256', canonicalJson(value), 'hex');
}

/**
 * Deterministic event id: the same vendor record always gets the same id.
 * `key` is the vendor's own record id, or the raw record itself when the vendor gives none.
 */
export function eventId(vendor: string, processId: string, key: unknown): string {
  return eventIdFor(vendor, processId)(key);
}

/**
 * `eventId` bound to one process, for hot loops: the canonical form of `{ v: 1, vendor, processId, key }`
 * has `key` first, so only the key is serialized per record.
 */
export function eventIdFor(vendor: string, processId: string): (key: unknown) => string {
  const suffix = `,"processId":${JSON.stringify(processId)},"v":1,"vendor":${JSON.stringify(vendor)}}`;
  return (key) => {
    const canonicalKey =
      typeof key === 'string' || typeof key === 'number' ? JSON.stringify(key) : canonicalJson(key);
    return hash('sha256', `{"key":${canonicalKey}${suffix}`, 'hex');
  };
}
