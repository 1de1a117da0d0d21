import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InvalidOptionsError } from '@signtrail/core';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';

/** Reads a 32-byte key written as 64 hex digits or as base64 / base64url; never echoes it. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new InvalidOptionsError('secretKey', 'must be 32 bytes written as 64 hex digits or as base64');
  }
  return key;
}

/**
 * Seals `plaintext` with AES-256-GCM under `key`. `context` (tenant and vendor) is authenticated but not
 * stored, so a sealed value copied onto another row does not open there.
 */
export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
  return [VERSION, ...parts].join('.');
}

/** Opens what `seal` produced; `undefined` when the key, the context or the bytes do not match. */
export function open(key: Buffer, sealed: string, context: string): string | undefined {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) return undefined;
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}
