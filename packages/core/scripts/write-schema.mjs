// Writes event.schema.json from the built zod schema; the drift test compares the two.
import { writeFileSync } from 'node:fs';
import { eventJsonSchema } from '../dist/index.js';

writeFileSync(
  new URL('../event.schema.json', import.meta.url),
  `${JSON.stringify(eventJsonSchema(), null, 2)}\n`,
);
