export { storyProjection } from '../projection.js';
export { type AdapterFixture, type AdapterSuiteOptions, runAdapterSuite } from './adapter-suite.js';
export {
  createMemoryAdapter,
  type MemoryPayload,
  type MemoryProcess,
  type MemoryRecord,
} from './memory-adapter.js';
