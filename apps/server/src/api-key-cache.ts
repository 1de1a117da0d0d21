/** What an API key resolves to. */
export interface ResolvedKey {
  id: string;
  tenant: string;
}

/** Options of `cachedKeyResolver`. */
export interface KeyCacheOptions {
  /** How long a resolved key is trusted without asking the store; a revocation lapses within it. */
  ttlMs: number;
  /** Keys remembered at most (oldest forgotten first). Default 10 000. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * `resolve` with a memory of the keys it accepted, so a request does not pay a store round trip for its
 * key. Only accepted keys are kept: an unknown key is asked about every time (a new key works at once,
 * and guessed keys cannot fill the memory).
 */
export function cachedKeyResolver(
  resolve: (key: string) => Promise<ResolvedKey | undefined>,
  { ttlMs, maxEntries = 10_000, now = Date.now }: KeyCacheOptions,
): (key: string) => Promise<ResolvedKey | undefined> {
  if (ttlMs <= 0) return resolve;
  const accepted = new Map<string, { resolved: ResolvedKey; expiresAt: number }>();
  return async (key) => {
    const hit = accepted.get(key);
    if (hit && hit.expiresAt > now()) return hit.resolved;
    accepted.delete(key);
    const resolved = await resolve(key);
    if (resolved) {
      if (accepted.size >= maxEntries) accepted.delete(accepted.keys().next().value!);
      accepted.set(key, { resolved, expiresAt: now() + ttlMs });
    }
    return resolved;
  };
}
