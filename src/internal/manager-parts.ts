import { ActivityCounters } from '../monitoring/activity-counters.js';
import type { PolicyOptions, ResolvedOptions } from '../options.js';
import type { SessionStore } from '../ports/session-store.js';
import { truncateIp } from '../request/ip-address.js';
import { CredentialCodec } from '../tokens/credential-codec.js';
import { KeyedHasher } from '../tokens/keyed-hasher.js';
import { RefreshTokens } from '../tokens/refresh-tokens.js';
import { UserIdSealer } from '../tokens/user-id-sealer.js';
import { AmbiguousOutcomes } from './ambiguous-outcomes.js';
import { ConfirmedSessions } from './confirmed-sessions.js';
import { DeviceObserver } from './device-observer.js';
import { GuardedCalls } from './guarded-calls.js';
import { Refusals } from './refusals.js';
import { sealUserIds } from './sealed-user-store.js';
import { SessionWrites } from './session-writes.js';
import { TokenPairs } from './token-pairs.js';
import { ValidationCache } from './validation-cache.js';

/** What one manager is made of, built once from its options and shared by its flows. */
export interface ManagerParts {
  /** Everything but the key material, which only the hasher, the codec, the user-id sealer and the refresh tokens hold. */
  readonly options: PolicyOptions;
  /** The only holder of the secret's derived keys (ids, secrets, IPs); the codec and sealer get theirs. */
  readonly hasher: KeyedHasher;
  readonly codec: CredentialCodec;
  /** The configured store, seen through user-id sealing. */
  readonly store: SessionStore;
  readonly activity: ActivityCounters;
  readonly calls: GuardedCalls;
  readonly observer: DeviceObserver;
  readonly refusals: Refusals;
  readonly ambiguous: AmbiguousOutcomes;
  readonly writes: SessionWrites;
  /** What the fallback may answer during an outage (null when `fallback` is off). */
  readonly confirmed: ConfirmedSessions | null;
  /** The validation cache (null when `cache` is off). */
  readonly cache: ValidationCache | null;
  /** API token pairs: issuing and refreshing (the refresh-token key is theirs alone). */
  readonly pairs: TokenPairs;
}

export function assembleParts(resolved: ResolvedOptions): ManagerParts {
  const { secret, signingKeys, ...options } = resolved;
  const hasher = new KeyedHasher(secret);
  const store = sealUserIds(options.store, new UserIdSealer(secret));
  const codec = new CredentialCodec({
    keys: signingKeys,
    issuer: options.issuer,
    audience: options.audience,
    clockToleranceMs: options.clockToleranceMs,
    memoSize: options.verifiedCredentialCacheSize,
    hasher,
  });
  const activity = new ActivityCounters();
  const confirmed = options.fallback ? new ConfirmedSessions(options.fallback.maxEntries) : null;
  const calls = new GuardedCalls(options, activity, (userId) => hasher.userKey(userId));
  const cache =
    options.cache &&
    new ValidationCache({
      ...options.cache,
      onState: (live) => calls.emit({ type: live ? 'cache.resumed' : 'cache.suspended', v: 1, at: options.clock() }),
    });
  if (cache) calls.announceTo((keys) => cache.announce(keys));
  const { fingerprinter, geoResolver, truncateIp: truncation, hashIp } = options;
  const storedIp = hashIp ? (ip: string) => hasher.ipHash(ip) : truncation ? (ip: string) => truncateIp(ip, truncation) : null;
  const observer = new DeviceObserver(fingerprinter, geoResolver, storedIp, (part, fallback, run) => calls.advisory(part, fallback, run));
  const refusals = new Refusals(options, calls, observer);
  const ambiguous = new AmbiguousOutcomes(store, calls, options.clock);
  const pairs = new TokenPairs({ options, codec, store, calls, hasher, refusals, observer, confirmed, ambiguous }, new RefreshTokens(secret));
  return {
    options,
    hasher,
    codec,
    store,
    activity,
    calls,
    observer,
    refusals,
    ambiguous,
    writes: new SessionWrites(options, store, calls, observer, confirmed),
    confirmed,
    cache,
    pairs,
  };
}
