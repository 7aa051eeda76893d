import { invalidOption } from '../errors.js';
import type { RevocationChannel, RevocationListener } from '../ports/revocation-channel.js';
import { isCluster, type RedisCommander } from './redis-client.js';

/** What the channel needs of an ioredis client (standalone, Sentinel or Cluster), typed structurally. */
export interface SubscribableClient extends RedisCommander {
  duplicate(): SubscriberClient;
  /** A Cluster client announces when it has found its masters. */
  once?(event: 'ready', listener: () => void): unknown;
}

export interface SubscriberClient {
  subscribe(channel: string): Promise<unknown>;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  on(event: 'ready' | 'close' | 'end' | 'reconnecting' | 'error', listener: (...args: unknown[]) => void): unknown;
  readonly status?: string;
  disconnect(): void;
}

export interface RedisRevocationChannelOptions {
  /** Your ioredis client; publishes go through it, and a duplicate of it subscribes. */
  client: SubscribableClient;
  /** The pub/sub channel. @default 'sw:revocations' */
  channel?: string;
}

const MAX_KEYS_PER_MESSAGE = 1_000;
const RESUBSCRIBE_DELAY_MS = 200;

/**
 * Revocations over Redis pub/sub. Classic `PUBLISH`/`SUBSCRIBE` rather than sharded pub/sub: every
 * manager must hear every user's revocations, and on a cluster a classic message reaches every
 * node's subscribers, so one subscription works the same on standalone, Sentinel and Cluster
 * (sharded pub/sub would need one subscription per shard to hear the same). The subscriber is a
 * duplicate connection (on a cluster, a plain connection to one master, whose drops are visible,
 * unlike the Cluster client's internal subscriber): it is live only between a confirmed SUBSCRIBE
 * and the next disconnect.
 */
export class RedisRevocationChannel implements RevocationChannel {
  readonly #client: SubscribableClient;
  readonly #channel: string;
  #subscriber: SubscriberClient | null = null;
  #closed = false;

  constructor(options: RedisRevocationChannelOptions) {
    if (typeof options?.client?.duplicate !== 'function') throw invalidOption('client', 'must be an ioredis client (Redis or Cluster)');
    this.#client = options.client;
    this.#channel = options.channel ?? 'sw:revocations';
    if (typeof this.#channel !== 'string' || this.#channel === '') throw invalidOption('channel', 'must be a non-empty string');
  }

  async publish(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += MAX_KEYS_PER_MESSAGE) {
      await this.#client.call('PUBLISH', this.#channel, JSON.stringify(keys.slice(i, i + MAX_KEYS_PER_MESSAGE)));
    }
  }

  subscribe(listener: RevocationListener): void {
    if (this.#closed) return;
    const subscriber = subscriberOf(this.#client);
    if (!subscriber) {
      // A cluster client still discovering its nodes: subscribe once it knows them (not live until then).
      this.#client.once?.('ready', () => this.subscribe(listener));
      return;
    }
    this.#subscriber = subscriber;
    const down = () => listener.live(false);
    const up = () => {
      // Live only once this subscription is confirmed; a reconnect without it missed messages.
      subscriber.subscribe(this.#channel).then(
        () => listener.live(true),
        () => listener.live(false),
      );
    };
    subscriber.on('message', (channel, message) => {
      if (channel !== this.#channel) return;
      const keys = parse(message);
      if (keys) listener.revoked(keys);
      else {
        // Unreadable: it may have named anything, so everything cached goes.
        listener.live(false);
        listener.live(true);
      }
    });
    for (const event of ['close', 'end', 'reconnecting', 'error'] as const) subscriber.on(event, down);
    // A connection that gave up (a cluster node's does not retry): start over with a fresh one.
    subscriber.on('end', () => {
      if (this.#closed || this.#subscriber !== subscriber) return;
      this.#subscriber = null;
      setTimeout(() => this.subscribe(listener), RESUBSCRIBE_DELAY_MS).unref();
    });
    subscriber.on('ready', up);
    // A lazily connecting duplicate (a cluster node's) connects on its first command.
    if (subscriber.status === 'ready' || subscriber.status === 'wait') up();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#subscriber?.disconnect();
    this.#subscriber = null;
  }
}

function subscriberOf(client: SubscribableClient): SubscriberClient | null {
  if (!isCluster(client)) return client.duplicate();
  const node = client.nodes('master')[0] as Partial<SubscribableClient> | undefined;
  return typeof node?.duplicate === 'function' ? node.duplicate() : null;
}

function parse(message: string): string[] | null {
  try {
    const keys: unknown = JSON.parse(message);
    return Array.isArray(keys) && keys.every((key) => typeof key === 'string') ? keys : null;
  } catch {
    return null;
  }
}
