import { deviceFamily } from '../fingerprint/device-family.js';
import type { PolicyOptions } from '../options.js';
import type { EndedSession, SessionPatch, SessionStore, TrailUpdate } from '../ports/session-store.js';
import type { RevokeOptions } from '../session-results.js';
import type { DeviceFingerprint, LocationInfo, Session } from '../types.js';
import { type DeviceObserver, isUnknownDevice } from './device-observer.js';
import type { ConfirmedSessions } from './confirmed-sessions.js';
import type { GuardedCalls } from './guarded-calls.js';
import { publicSession } from './public-session.js';
import { refOf } from './session-arguments.js';

/**
 * The writes the login, request and admin paths share: manager-field patches, and ending one or
 * all of a user's sessions. Each reports what it ended to the audit sinks exactly once.
 */
export class SessionWrites {
  readonly #options: PolicyOptions;
  readonly #store: SessionStore;
  readonly #calls: GuardedCalls;
  readonly #observer: DeviceObserver;
  readonly #confirmed: ConfirmedSessions | null;

  constructor(options: PolicyOptions, store: SessionStore, calls: GuardedCalls, observer: DeviceObserver, confirmed: ConfirmedSessions | null) {
    this.#confirmed = confirmed;
    this.#options = options;
    this.#store = store;
    this.#calls = calls;
    this.#observer = observer;
  }

  /** Whether sightings go to the store's per-user trail (the store keeps one and it is not turned off). */
  get keepsTrails(): boolean {
    return this.#store.keepsTrails === true && this.#options.trail !== null;
  }

  /** What a sighting adds to the user's trail: the device family (when known) and the place (when located). */
  trailUpdate(seen: { deviceInfo: DeviceFingerprint; locationInfo: LocationInfo | null }): TrailUpdate {
    const { retentionMs, maxDevices } = this.#options.trail!;
    return { device: isUnknownDevice(seen.deviceInfo) ? null : deviceFamily(seen.deviceInfo), location: seen.locationInfo, retentionMs, maxDevices };
  }

  /** A manager-field update of a live session (no app data), or null when it is not live. */
  async patch(sessionId: string, patch: SessionPatch, trail?: TrailUpdate): Promise<Session | null> {
    const ref = refOf(sessionId);
    if (!ref) return null;
    const now = this.#options.clock();
    const result = await this.#calls.store('update', () => this.#store.update(ref, patch, { now, ...(trail ? { trail } : {}) }));
    if (result.status === 'ended' && result.justEnded) this.#calls.reportEnded([result.session], now);
    // A hold or a new device must reach every cache at once.
    if (result.status === 'updated') this.#calls.announce([sessionId]);
    return result.status === 'updated' ? publicSession(result.session) : null;
  }

  /** Ends one session, or answers null when it was not live. */
  async revoke(sessionId: string, options: RevokeOptions = {}): Promise<Session | null> {
    const ref = refOf(sessionId);
    if (!ref) return null;
    // Forgotten before the store is asked: an ended session is never served degraded from here.
    this.#confirmed?.forget(sessionId);
    const now = this.#options.clock();
    const actor = options.actor ?? 'system';
    const ended = await this.#calls.store('revoke', () => this.#store.revoke(ref, { reason: options.reason ?? 'revoked', actor, now }));
    if (!ended) return null;
    this.#calls.reportEnded([ended as EndedSession], now, options.context ? this.#observer.client(options.context) : undefined);
    return publicSession(ended);
  }

  /** Ends every live session of the user behind `userKey`, except the given ids. */
  async revokeAll(userKey: string, options: RevokeOptions & { except?: readonly string[] } = {}): Promise<EndedSession[]> {
    const now = this.#options.clock();
    const actor = options.actor ?? 'system';
    const reason = options.reason ?? 'revoked';
    const except = [...(options.except ?? [])];
    this.#confirmed?.forgetUser(userKey, except);
    const ended = await this.#calls.store('revokeAll', () => this.#store.revokeAll(userKey, { reason, actor, now, except }));
    this.#calls.reportEnded(ended, now);
    return ended;
  }
}
