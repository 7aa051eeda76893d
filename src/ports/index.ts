export type * from './session-store.js';
export type * from './fingerprinter.js';
export type * from './geo-resolver.js';
export type * from './anomaly-detector.js';
export type * from './audit-sink.js';
export type * from './revocation-channel.js';
