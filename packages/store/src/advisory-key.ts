import { createHash } from 'node:crypto';

/** A PostgreSQL advisory-lock key (signed 64-bit, as SQL text) naming `parts`; domains never collide in practice. */
export function advisoryKey(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  return digest.readBigInt64BE(0).toString();
}
