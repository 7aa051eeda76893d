/**
 * Hears what every manager needs to drop from its validation cache: a session id, or a bare user
 * key (every session of that user). Publishers send after the store has ended or held the session.
 */
export interface RevocationListener {
  revoked(keys: readonly string[]): void;
  /**
   * `true` once the subscription is confirmed, `false` the moment it may have missed a message
   * (disconnected, not yet resubscribed). The cache answers only while it is `true`.
   */
  live(isLive: boolean): void;
}

/**
 * The push channel of the validation cache (`cache` option). Implementations: an in-process hub
 * (one process, the memory store) and `RedisRevocationChannel` (`sessionward/redis`, Redis pub/sub,
 * works on standalone, Sentinel and Cluster).
 */
export interface RevocationChannel {
  /** Tells every subscribed manager. May fail (the store's bound on staleness still holds). */
  publish(keys: readonly string[]): Promise<void>;
  /** Starts listening; the listener hears `live(true)` once the subscription is confirmed. */
  subscribe(listener: RevocationListener): void;
  close(): Promise<void>;
}
