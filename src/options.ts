import { AnomalyPolicy, type AnomalyPolicyOptions } from './anomaly/anomaly-policy.js';
import { RuleBasedDetector } from './anomaly/rule-based-detector.js';
import type { IpTruncation } from './request/ip-address.js';
import { MemoryAuditSink } from './audit/memory-audit-sink.js';
import { toMilliseconds, type Duration } from './internal/duration.js';
import { invalidOption } from './errors.js';
import type { GuessingReport } from './internal/guessing-monitor.js';
import { checkKeys } from './internal/option-keys.js';
import { UserAgentFingerprinter } from './fingerprint/user-agent-fingerprinter.js';
import { NullGeoResolver } from './geo/null-geo-resolver.js';
import type { AnomalyDetector } from './ports/anomaly-detector.js';
import type { AuditSink } from './ports/audit-sink.js';
import type { Fingerprinter } from './ports/fingerprinter.js';
import type { GeoResolver } from './ports/geo-resolver.js';
import type { RevocationChannel } from './ports/revocation-channel.js';
import { InProcessRevocationHub } from './revocation/in-process-revocation-hub.js';
import type { ConcurrencyLimit, LimitPolicy, SessionStore } from './ports/session-store.js';
import { MemorySessionStore } from './store/memory-session-store.js';
import { assertStrongSecret, derivedSigningKey, validateSigningKeys, type SigningKeyInput } from './tokens/signing-keys.js';
import type { SessionSubject } from './types.js';

export interface ExpiryPolicy {
  /** Ends a session this long after its last activity (sliding). @default '30m' */
  idleTimeout?: Duration;
  /** Ends a session this long after login, however active (never extended). @default '12h' */
  absoluteLifetime?: Duration;
}

export interface LimitOptions {
  /** Live sessions per user. */
  max: number;
  /** What happens to a login beyond `max`. @default 'reject' */
  policy?: LimitPolicy;
}

/** A number is `{ max, policy: 'reject' }`; `null` means no limit. */
export type LimitSetting = number | LimitOptions | null;

/** The advisory parts that fail open; `onError` hears which one failed. */
/** An advisory port, named as its option is. */
export type AdvisoryPart = 'fingerprinter' | 'geoResolver' | 'anomalyDetector' | 'auditSink' | 'revocations';

export interface SessionManagerOptions {
  /**
   * Server secret, at least 32 random bytes (e.g. `openssl rand -base64 48`). Keys the hashes the
   * store keeps (credential secrets, user partition keys) and, without `signingKeys`, derives the
   * HS256 signing key. Changing it ends every session.
   */
  secret: string | Uint8Array;
  /** Explicit credential keys, for rotation by `kid` or asymmetric algorithms. @default HS256 derived from `secret` */
  signingKeys?: SigningKeyInput[];
  /** `iss` of issued credentials, checked on every one. @default 'sessionward' */
  issuer?: string;
  /** `aud` of issued credentials, checked on every one. @default 'sessionward' */
  audience?: string;
  /** Leeway for credential `exp`/`nbf` between servers' clocks. @default '5s' */
  clockTolerance?: Duration;
  /** @default new MemorySessionStore() */
  store?: SessionStore;
  /** One policy, or a function choosing one per user (e.g. shorter for admins). @default { idleTimeout: '30m', absoluteLifetime: '12h' } */
  expiry?: ExpiryPolicy | ((subject: SessionSubject) => ExpiryPolicy);
  /**
   * At most one store write per session per interval records activity; requests in between only
   * read. The effective idle timeout is therefore between `idleTimeout - touchInterval` and
   * `idleTimeout`; it must be shorter than every policy's idle timeout. @default '1m'
   */
  touchInterval?: Duration;
  /** Concurrent-login limit, or a function of the user. @default null (no limit) */
  limit?: LimitSetting | ((subject: SessionSubject) => LimitSetting);
  /** @default new UserAgentFingerprinter() */
  fingerprinter?: Fingerprinter;
  /** @default new NullGeoResolver() */
  geoResolver?: GeoResolver;
  /** Runs at login and when a session's IP or user agent changes. @default new RuleBasedDetector() */
  anomalyDetector?: AnomalyDetector;
  /** What findings do: by severity (low/medium → log, high → step-up, critical → revoke) and per rule. */
  anomalyPolicy?: AnomalyPolicyOptions;
  /** Store client IPs with less precision (`true` = IPv4 /24, IPv6 /48); geolocation still sees the full address. @default false */
  truncateIp?: boolean | IpTruncation;
  /** Store a keyed hash of client IPs instead (`h:...`): comparable, not readable. @default false */
  hashIp?: boolean;
  /** One sink or several (each gets every event). @default new MemoryAuditSink({ capacity: 1000 }) */
  auditSink?: AuditSink | readonly AuditSink[];
  /**
   * Deadline of each advisory call (fingerprinter, geo resolver, anomaly detector): past it the
   * call fails open through `onError`, so a part that hangs never holds up a login. @default '50ms'
   */
  advisoryTimeout?: Duration;
  /** Hears failures of the advisory parts, which never break a request. @default process.emitWarning */
  onError?: (error: unknown, part: AdvisoryPart) => void;
  /** Hears every store call with its duration (for metrics; see `sessionward/opentelemetry`). */
  onStoreCall?: (operation: string, durationMs: number, outcome: 'ok' | 'error') => void;
  /** Credentials whose signature check is remembered (0 turns it off); revocation is never cached. @default 10000 */
  verifiedCredentialCacheSize?: number;
  /**
   * Epoch milliseconds, for the default in-memory store and for stores without a clock of their
   * own. A store that keeps one (`store.now()`: Redis' server clock, a `MemorySessionStore`'s
   * `clock`) is the time source instead, so servers with skewed clocks agree. Tests inject a fake
   * clock here (default store) or in the store. @default Date.now
   */
  clock?: () => number;
  /**
   * Session-guessing detection: forged or unknown credentials counted per client IP; at `threshold`
   * within `window` a `session.guessing` event is emitted and `onDetected` hears the raw IP (wire it
   * to your rate limiter). `false` turns it off. @default { threshold: 20, window: '1m' }
   */
  guessing?: { threshold?: number; window?: Duration; onDetected?: (report: GuessingReport) => void } | false;
  /**
   * What a store that keeps trails remembers of each user across sessions, for the anomaly rules:
   * the last located sighting and up to `maxDevices` device families, erased `retention` after the
   * user was last seen (and by `purgeUser`). `false` keeps none. @default { retention: '30d', maxDevices: 10 }
   */
  trail?: { retention?: Duration; maxDevices?: number } | false;
  /**
   * While the store is down, `validate(..., { allowDegraded: true })` (and routes behind
   * `requireSession({ allowDegraded: true })`) may accept a session this process saw the store
   * confirm at most `maxAge` ago (at most 15 minutes), flagged `degraded`. Nothing that creates,
   * rotates, updates or ends a session runs degraded. A revocation made elsewhere during the outage
   * takes effect here when the store answers again. `maxEntries` bounds the sessions remembered.
   * @default null (off: every store fault is a 503)
   */
  fallback?: { maxAge: Duration; maxEntries?: number } | null;
  /**
   * Validation cache: `validate` may answer from what the store confirmed at most `maxStaleness`
   * ago (at most 60 s), while the `revocations` channel is live; every revoke, logout, eviction,
   * rotation, hold and purge is pushed to every manager, which drops the session at once. A hit
   * never writes: the first request after each touch interval asks the store.
   * @default null (off: strict, every validation asks the store)
   */
  cache?: { maxStaleness: Duration; maxEntries?: number } | null;
  /**
   * The push channel of the cache: `new RedisRevocationChannel({ client })` from `sessionward/redis`.
   * Required with `cache`, except with the in-memory store (one process: an in-process channel).
   */
  revocations?: RevocationChannel;
  /**
   * API token pairs (`login({ tokens: 'pair' })`, `refresh()`): how long an access token lives
   * (10 s to 1 h), and how long a spent refresh token still yields the same successor for a
   * parallel request instead of counting as reuse (at most 60 s). Needs a store with `refresh`.
   * @default { accessTtl: '5m', reuseGrace: '5s' }
   */
  tokenPairs?: { accessTtl?: Duration; reuseGrace?: Duration };
}

export interface ResolvedGuessing {
  threshold: number;
  windowMs: number;
  onDetected: ((report: GuessingReport) => void) | undefined;
}

export interface ResolvedExpiry {
  idleTimeoutMs: number;
  absoluteLifetimeMs: number;
}

export interface ResolvedOptions {
  readonly secret: Uint8Array;
  readonly signingKeys: readonly SigningKeyInput[];
  readonly issuer: string;
  readonly audience: string;
  readonly clockToleranceMs: number;
  readonly touchIntervalMs: number;
  readonly store: SessionStore;
  readonly fingerprinter: Fingerprinter;
  readonly geoResolver: GeoResolver;
  readonly anomalyDetector: AnomalyDetector;
  readonly anomalyPolicy: AnomalyPolicy;
  readonly truncateIp: IpTruncation | null;
  readonly hashIp: boolean;
  readonly auditSinks: readonly AuditSink[];
  readonly onError: (error: unknown, part: AdvisoryPart) => void;
  readonly advisoryTimeoutMs: number;
  readonly onStoreCall: ((operation: string, durationMs: number, outcome: 'ok' | 'error') => void) | undefined;
  readonly verifiedCredentialCacheSize: number;
  readonly clock: () => number;
  readonly guessing: ResolvedGuessing | null;
  readonly trail: { retentionMs: number; maxDevices: number } | null;
  readonly fallback: { maxAgeMs: number; maxEntries: number } | null;
  readonly cache: { maxStalenessMs: number; maxEntries: number; channel: RevocationChannel } | null;
  readonly tokenPairs: { accessTtlMs: number; reuseGraceMs: number };
  expiryFor(subject: SessionSubject): ResolvedExpiry;
  limitFor(subject: SessionSubject): ConcurrencyLimit | null;
}

const policies = new Set<LimitPolicy>(['reject', 'evict-oldest', 'evict-idle']);
export const OPTION_KEYS = [
  'secret',
  'signingKeys',
  'issuer',
  'audience',
  'clockTolerance',
  'store',
  'expiry',
  'touchInterval',
  'limit',
  'fingerprinter',
  'geoResolver',
  'anomalyDetector',
  'anomalyPolicy',
  'truncateIp',
  'hashIp',
  'auditSink',
  'onError',
  'onStoreCall',
  'verifiedCredentialCacheSize',
  'clock',
  'guessing',
  'advisoryTimeout',
  'trail',
  'fallback',
  'cache',
  'revocations',
  'tokenPairs',
] as const satisfies readonly (keyof SessionManagerOptions)[];
/** Beyond this, a skewed clock is a misconfigured server, not leeway. */
const MAX_CLOCK_TOLERANCE_MS = 120_000;

/** The options without key material: what the manager's parts other than the key holders see. */
export type PolicyOptions = Omit<ResolvedOptions, 'secret' | 'signingKeys'>;

export function resolveOptions(options: SessionManagerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'must be an object');
  checkKeys(options, OPTION_KEYS, null);
  const secret = assertStrongSecret(options.secret, 'secret');
  const signingKeys = options.signingKeys === undefined ? [derivedSigningKey(secret)] : validateSigningKeys(options.signingKeys);

  const { expiry, limit } = options;
  const touchIntervalMs = toMilliseconds(options.touchInterval ?? '1m', 'touchInterval');
  // Static policies are checked now, so a typo fails at startup; functions are checked per call.
  const staticExpiry = typeof expiry === 'function' ? null : resolveExpiry(expiry ?? {}, 'expiry', touchIntervalMs);
  const staticLimit = typeof limit === 'function' ? null : resolveLimit(limit ?? null, 'limit');

  const audit = options.auditSink ?? new MemoryAuditSink({ capacity: 1000 });
  const clock = optionalFunction(options.clock, 'clock') ?? Date.now;
  const store = port(options.store, 'store', ['create', 'touch', 'revoke', 'list']) ?? new MemorySessionStore({ clock });
  const resolved: ResolvedOptions = {
    secret,
    signingKeys,
    issuer: nonEmptyString(options.issuer ?? 'sessionward', 'issuer'),
    audience: nonEmptyString(options.audience ?? 'sessionward', 'audience'),
    touchIntervalMs,
    clockToleranceMs: clockTolerance(options.clockTolerance),
    store,
    fingerprinter: port(options.fingerprinter, 'fingerprinter', ['fingerprint']) ?? new UserAgentFingerprinter(),
    geoResolver: port(options.geoResolver, 'geoResolver', ['resolve']) ?? new NullGeoResolver(),
    anomalyDetector: port(options.anomalyDetector, 'anomalyDetector', ['evaluate']) ?? new RuleBasedDetector(),
    anomalyPolicy: new AnomalyPolicy(options.anomalyPolicy),
    truncateIp: ipTruncation(options.truncateIp),
    hashIp: ipPrivacy(options),
    auditSinks: (Array.isArray(audit) ? audit : [audit]).map((sink, i) => port(sink, `auditSink[${i}]`, ['emit'])!),
    onError: optionalFunction(options.onError, 'onError') ?? defaultOnError,
    advisoryTimeoutMs: toMilliseconds(options.advisoryTimeout ?? '50ms', 'advisoryTimeout'),
    onStoreCall: optionalFunction(options.onStoreCall, 'onStoreCall'),
    verifiedCredentialCacheSize: cacheSize(options.verifiedCredentialCacheSize),
    // One time source: the store's clock when it keeps one.
    clock: typeof store.now === 'function' ? () => store.now!() : clock,
    guessing: guessing(options.guessing),
    fallback: fallbackOptions(options.fallback),
    cache: cacheOptions(options.cache, options.revocations, store),
    trail: trailOptions(options.trail),
    tokenPairs: tokenPairOptions(options.tokenPairs, store),
    expiryFor: (subject) => staticExpiry ?? resolveExpiry((expiry as (s: SessionSubject) => ExpiryPolicy)(subject), 'expiry()', touchIntervalMs),
    limitFor: (subject) => (typeof limit === 'function' ? resolveLimit(limit(subject), 'limit()') : staticLimit),
  };
  return Object.freeze(resolved);
}

function resolveExpiry(policy: ExpiryPolicy, option: string, touchIntervalMs: number): ResolvedExpiry {
  if (typeof policy !== 'object' || policy === null) throw invalidOption(option, 'must be an object');
  checkKeys(policy, ['idleTimeout', 'absoluteLifetime'], option);
  const idleTimeoutMs = toMilliseconds(policy.idleTimeout ?? '30m', `${option}.idleTimeout`);
  const absoluteLifetimeMs = toMilliseconds(policy.absoluteLifetime ?? '12h', `${option}.absoluteLifetime`);
  if (idleTimeoutMs > absoluteLifetimeMs) {
    throw invalidOption(`${option}.idleTimeout`, 'must not be longer than absoluteLifetime');
  }
  if (touchIntervalMs >= idleTimeoutMs) {
    throw invalidOption('touchInterval', `must be shorter than ${option}.idleTimeout, or active sessions would expire between writes`);
  }
  return Object.freeze({ idleTimeoutMs, absoluteLifetimeMs });
}

function resolveLimit(setting: LimitSetting, option: string): ConcurrencyLimit | null {
  if (setting === null || setting === undefined) return null;
  if (typeof setting === 'object') checkKeys(setting, ['max', 'policy'], option);
  const { max, policy = 'reject' } = typeof setting === 'number' ? { max: setting } : setting;
  if (!Number.isInteger(max) || max < 1 || max > 10_000) throw invalidOption(`${option}.max`, 'must be an integer from 1 to 10000');
  if (!policies.has(policy)) throw invalidOption(`${option}.policy`, `must be one of ${[...policies].join(', ')}`);
  return Object.freeze({ max, policy });
}

function guessing(value: SessionManagerOptions['guessing']): ResolvedGuessing | null {
  if (value === false) return null;
  if (value !== undefined && (typeof value !== 'object' || value === null)) throw invalidOption('guessing', 'must be an object or false');
  checkKeys(value, ['threshold', 'window', 'onDetected'], 'guessing');
  const threshold = value?.threshold ?? 20;
  if (!Number.isInteger(threshold) || threshold < 1) throw invalidOption('guessing.threshold', 'must be a positive integer');
  return Object.freeze({
    threshold,
    windowMs: toMilliseconds(value?.window ?? '1m', 'guessing.window'),
    onDetected: optionalFunction(value?.onDetected, 'guessing.onDetected'),
  });
}

/** The longest a fallback may trust an old confirmation: past it, an outage is a 503 again. */
const MAX_FALLBACK_AGE_MS = 15 * 60_000;

function fallbackOptions(value: SessionManagerOptions['fallback']): { maxAgeMs: number; maxEntries: number } | null {
  const window = timeWindow(value, 'fallback', 'maxAge', MAX_FALLBACK_AGE_MS, '15 minutes', "'2m'");
  return window && Object.freeze({ maxAgeMs: window.ms, maxEntries: window.maxEntries });
}

/** `{ <field>: Duration, maxEntries? }` or null: the shape both the fallback and the cache take. */
function timeWindow(value: unknown, option: string, field: string, maxMs: number, maxText: string, example: string): { ms: number; maxEntries: number } | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') throw invalidOption(option, `must be an object ({ ${field} }) or null`);
  checkKeys(value, [field, 'maxEntries'], option);
  const fields = value as Record<string, unknown>;
  if (fields[field] === undefined) throw invalidOption(`${option}.${field}`, `is required (e.g. ${example})`);
  const ms = toMilliseconds(fields[field], `${option}.${field}`);
  if (ms <= 0 || ms > maxMs) throw invalidOption(`${option}.${field}`, `must be above 0 and at most ${maxText}`);
  const maxEntries = fields.maxEntries ?? 10_000;
  if (typeof maxEntries !== 'number' || !Number.isInteger(maxEntries) || maxEntries < 1)
    throw invalidOption(`${option}.maxEntries`, 'must be a positive integer');
  return { ms, maxEntries };
}

/** Beyond this, a cache would keep answering for a revoked session too long to call it strict. */
const MAX_STALENESS_MS = 60_000;

function cacheOptions(value: SessionManagerOptions['cache'], revocations: RevocationChannel | undefined, store: SessionStore): ResolvedOptions['cache'] {
  if (revocations !== undefined) port(revocations, 'revocations', ['publish', 'subscribe', 'close']);
  const window = timeWindow(value, 'cache', 'maxStaleness', MAX_STALENESS_MS, '60 seconds', "'2s'");
  if (!window) return null;
  if (!revocations && !(store instanceof MemorySessionStore)) {
    throw invalidOption('revocations', 'is required with cache: other servers must hear revocations (e.g. new RedisRevocationChannel({ client }))');
  }
  const channel = revocations ?? new InProcessRevocationHub().channel();
  return Object.freeze({ maxStalenessMs: window.ms, maxEntries: window.maxEntries, channel });
}

function tokenPairOptions(value: SessionManagerOptions['tokenPairs'], store: SessionStore): ResolvedOptions['tokenPairs'] {
  if (value !== undefined && (typeof value !== 'object' || value === null)) throw invalidOption('tokenPairs', 'must be an object');
  checkKeys(value, ['accessTtl', 'reuseGrace'], 'tokenPairs');
  if (value !== undefined && typeof store.refresh !== 'function') throw invalidOption('tokenPairs', 'needs a store that implements refresh()');
  const accessTtlMs = toMilliseconds(value?.accessTtl ?? '5m', 'tokenPairs.accessTtl');
  if (accessTtlMs < 10_000 || accessTtlMs > 3_600_000) throw invalidOption('tokenPairs.accessTtl', 'must be between 10 seconds and 1 hour');
  const reuseGraceMs = toMilliseconds(value?.reuseGrace ?? '5s', 'tokenPairs.reuseGrace');
  if (reuseGraceMs > 60_000) throw invalidOption('tokenPairs.reuseGrace', 'must be at most 60 seconds');
  return Object.freeze({ accessTtlMs, reuseGraceMs });
}

function trailOptions(value: SessionManagerOptions['trail']): { retentionMs: number; maxDevices: number } | null {
  if (value === false) return null;
  if (value !== undefined && (typeof value !== 'object' || value === null)) throw invalidOption('trail', 'must be an object or false');
  checkKeys(value, ['retention', 'maxDevices'], 'trail');
  const maxDevices = value?.maxDevices ?? 10;
  if (!Number.isInteger(maxDevices) || maxDevices < 1 || maxDevices > 100) throw invalidOption('trail.maxDevices', 'must be an integer from 1 to 100');
  return Object.freeze({ retentionMs: toMilliseconds(value?.retention ?? '30d', 'trail.retention'), maxDevices });
}

function clockTolerance(value: unknown): number {
  if (value === undefined) return 5_000;
  if (value === 0) return 0;
  const ms = toMilliseconds(value, 'clockTolerance');
  if (ms > MAX_CLOCK_TOLERANCE_MS)
    throw invalidOption('clockTolerance', `must be at most ${MAX_CLOCK_TOLERANCE_MS / 1000}s; fix the servers' clocks (NTP) instead`);
  return ms;
}

function ipTruncation(value: unknown): IpTruncation | null {
  if (value === undefined || value === false) return null;
  if (value === true) return {};
  if (typeof value !== 'object' || value === null) throw invalidOption('truncateIp', 'must be a boolean or { v4, v6 }');
  checkKeys(value, ['v4', 'v6'], 'truncateIp');
  const { v4, v6 } = value as IpTruncation;
  if (v4 !== undefined && (!Number.isInteger(v4) || v4 < 0 || v4 > 32))
    throw invalidOption('truncateIp.v4', 'must be an integer from 0 to 32 (prefix bits kept)');
  if (v6 !== undefined && (!Number.isInteger(v6) || v6 < 0 || v6 > 128))
    throw invalidOption('truncateIp.v6', 'must be an integer from 0 to 128 (prefix bits kept)');
  return { ...(v4 === undefined ? {} : { v4 }), ...(v6 === undefined ? {} : { v6 }) };
}

function optionalFunction<T>(value: T | undefined, option: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalidOption(option, 'must be a function');
  return value;
}

function ipPrivacy(options: SessionManagerOptions): boolean {
  if (options.hashIp && options.truncateIp) throw invalidOption('hashIp', 'choose either hashIp or truncateIp');
  return options.hashIp === true;
}

function port<T>(value: T | undefined, option: string, methods: string[]): T | undefined {
  if (value === undefined) return undefined;
  for (const method of methods) {
    if (typeof (value as Record<string, unknown> | null)?.[method] !== 'function') {
      throw invalidOption(option, `must implement ${method}()`);
    }
  }
  return value;
}

function nonEmptyString(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidOption(option, 'must be a non-empty string');
  return value;
}

function cacheSize(value: unknown): number {
  if (value === undefined) return 10_000;
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw invalidOption('verifiedCredentialCacheSize', 'must be a non-negative integer');
  }
  return value as number;
}

function defaultOnError(error: unknown, part: AdvisoryPart): void {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`sessionward ${part} failed (failing open): ${message}`, { code: 'SESSIONWARD_ADVISORY' });
}
