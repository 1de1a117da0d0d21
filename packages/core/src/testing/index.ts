export {
  type AdapterFixture,
  type AdapterSuiteOptions,
  runAdapterSuite,
  storyProjection,
} from './adapter-suite.js';
export {
  createMemoryAdapter,
  type MemoryPayload,
  type MemoryProcess,
  type MemoryRecord,
} from './memory-adapter.js';
