// The vendors' documentation examples, as each adapter keeps them next to its code.
import { readFileSync } from 'node:fs';

/** The text of `name` in `packages/adapter-<adapter>/src/__fixtures__/`. */
export function vendorFixture(adapter: string, name: string): string {
  return readFileSync(
    new URL(`../../../../packages/adapter-${adapter}/src/__fixtures__/${name}`, import.meta.url),
    'utf8',
  );
}
