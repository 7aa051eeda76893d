export { describeSessionStoreConformance } from './store-conformance.js';
export type { StoreConformanceOptions } from './store-conformance.js';
export { runBehindBarrier } from './barrier.js';
export { TestClock } from './test-clock.js';
export { sampleSession, sampleUserKey } from './sample-session.js';
