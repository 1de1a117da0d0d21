const NUL = '\0';
const REPLACEMENT = '\uFFFD';

/**
 * `value` as PostgreSQL can store it: its text and JSON columns cannot hold a NUL character, so a vendor
 * record carrying one (text extracted from a PDF, say) would fail its whole batch or webhook delivery, on
 * every retry, for good. Each NUL in any string (keys included) becomes U+FFFD, visibly; everything else is
 * kept exactly. The same value is returned, not copied, when it holds no NUL: the usual case costs one walk.
 */
export function storable<T>(value: T): T {
  return holdsNul(value) ? (withoutNul(value) as T) : value;
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsNul);
  for (const key in value) {
    if (key.includes(NUL) || holdsNul((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll(NUL, REPLACEMENT);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutNul);
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value))
    copy[key.replaceAll(NUL, REPLACEMENT)] = withoutNul(member);
  return copy;
}
