export { SessionManager } from './session-manager.js';
export type { SessionAdmin } from './admin/session-admin.js';
export type {
  CreateSessionInput,
  CreatedSession,
  IssuedSession,
  RefreshOutcome,
  RevokeOptions,
  TokenPair,
  ValidateOptions,
  ValidationResult,
} from './session-results.js';
export type { AdvisoryPart, ExpiryPolicy, LimitOptions, LimitSetting, SessionManagerOptions } from './options.js';
export { ErrorCode, isSessionError, SessionError } from './errors.js';
export type { SessionErrorDetails } from './errors.js';
export type { Duration } from './internal/duration.js';
export type * from './types.js';
export type * from './ports/index.js';
export type { SigningKeyInput, HmacAlgorithm, AsymmetricAlgorithm } from './tokens/signing-keys.js';

export type { SessionStats } from './monitoring/session-stats.js';
export type { Health } from './internal/guarded-calls.js';
export type { SessionFilter } from './monitoring/session-filter.js';
export type { HistoryPage, SessionHistoryEntry } from './monitoring/session-history.js';
export type { ActivityKind } from './monitoring/activity-counters.js';
export { MemorySessionStore } from './store/memory-session-store.js';
export type { MemorySessionStoreOptions } from './store/memory-session-store.js';
export { InProcessRevocationHub } from './revocation/in-process-revocation-hub.js';
export { UserAgentFingerprinter } from './fingerprint/user-agent-fingerprinter.js';
export type { FingerprintComponent, UserAgentFingerprinterOptions } from './fingerprint/user-agent-fingerprinter.js';
export { NullGeoResolver } from './geo/null-geo-resolver.js';
export { AllowAllDetector } from './anomaly/allow-all-detector.js';
export { RuleBasedDetector } from './anomaly/rule-based-detector.js';
export type { RuleBasedDetectorOptions } from './anomaly/rule-based-detector.js';
export type { AnomalyRule } from './anomaly/rules/anomaly-rule.js';
export { ImpossibleTravelRule } from './anomaly/rules/impossible-travel-rule.js';
export type { ImpossibleTravelOptions } from './anomaly/rules/impossible-travel-rule.js';
export { DeviceChangeRule } from './anomaly/rules/device-change-rule.js';
export { CountryChangeRule, NetworkChangeRule } from './anomaly/rules/location-change-rules.js';
export { NewDeviceRule } from './anomaly/rules/new-device-rule.js';
export type { AnomalyAction, AnomalyPolicyOptions } from './anomaly/anomaly-policy.js';
export { compileTrust, resolveClientIp } from './request/client-ip.js';
export type { TrustProxy } from './request/client-ip.js';
export { isPublicIp, normalizeIp, truncateIp } from './request/ip-address.js';
export type { IpTruncation } from './request/ip-address.js';
export { MemoryAuditSink } from './audit/memory-audit-sink.js';
export type { MemoryAuditSinkOptions } from './audit/memory-audit-sink.js';
export { JsonLinesAuditSink } from './audit/json-lines-audit-sink.js';
export type { JsonLinesAuditSinkOptions, StructuredLogger } from './audit/json-lines-audit-sink.js';
export { summarizeSession } from './session-summary.js';
export type { SessionSummary } from './session-summary.js';
