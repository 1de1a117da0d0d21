import { describe, expect, it } from 'vitest';
import { cachedKeyResolver, type ResolvedKey } from './api-key-cache.js';

function fakeStore() {
  const keys = new Map<string, ResolvedKey>([['k1', { id: '1', tenant: 'a' }]]);
  const asked: string[] = [];
  const resolve = async (key: string) => {
    asked.push(key);
    return keys.get(key);
  };
  return { keys, asked, resolve };
}

describe('cachedKeyResolver', () => {
  it('asks the store once per key within the TTL, again after it (a revocation lapses)', async () => {
    const store = fakeStore();
    let clock = 0;
    const resolve = cachedKeyResolver(store.resolve, { ttlMs: 1000, now: () => clock });
    expect(await resolve('k1')).toEqual({ id: '1', tenant: 'a' });
    expect(await resolve('k1')).toEqual({ id: '1', tenant: 'a' });
    expect(store.asked).toEqual(['k1']);
    store.keys.delete('k1');
    clock = 999;
    expect(await resolve('k1')).toBeDefined();
    clock = 1000;
    expect(await resolve('k1')).toBeUndefined();
    expect(store.asked).toEqual(['k1', 'k1']);
  });

  it('never remembers a refused key, so a key created later works at once', async () => {
    const store = fakeStore();
    const resolve = cachedKeyResolver(store.resolve, { ttlMs: 60_000 });
    expect(await resolve('k2')).toBeUndefined();
    store.keys.set('k2', { id: '2', tenant: 'b' });
    expect(await resolve('k2')).toEqual({ id: '2', tenant: 'b' });
    expect(store.asked).toEqual(['k2', 'k2']);
  });

  it('forgets the oldest key beyond maxEntries, and passes through with a TTL of 0', async () => {
    const store = fakeStore();
    store.keys.set('k2', { id: '2', tenant: 'b' });
    const bounded = cachedKeyResolver(store.resolve, { ttlMs: 60_000, maxEntries: 1 });
    await bounded('k1');
    await bounded('k2');
    await bounded('k1');
    expect(store.asked).toEqual(['k1', 'k2', 'k1']);
    expect(cachedKeyResolver(store.resolve, { ttlMs: 0 })).toBe(store.resolve);
  });
});
