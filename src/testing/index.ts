export { describeSessionStoreConformance } from './store-conformance.js';
export type { StoreConformanceOptions, TestRunner } from './store-conformance.js';
export { minimalExpect } from './minimal-expect.js';
export type { Expect, Matchers } from './minimal-expect.js';
export { runBehindBarrier } from './barrier.js';
export { TestClock } from './test-clock.js';
export { sampleSession, sampleUserKey } from './sample-session.js';
