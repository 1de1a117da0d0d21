// Vitest global setup: one migrated PGlite data directory, copied by every PGlite test store. Copying a
// closed directory and opening it takes well under a second; a fresh PGlite runs initdb (~5 s on a busy
// machine) every time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openStore } from '../index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/** Creates the template directory and removes it after the run. */
export default async function setup(project: TestProject): Promise<() => void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'signtrail-pglite-template-'));
  const store = await openStore({ dataDir });
  await store.close();
  project.provide('pgliteTemplate', dataDir);
  return () => rmSync(dataDir, { recursive: true, force: true });
}
