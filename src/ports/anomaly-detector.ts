import type { DeviceFingerprint, LocationInfo, Session } from '../types.js';
import type { UserTrail } from './session-store.js';

export type AnomalySeverity = 'low' | 'medium' | 'high' | 'critical';

export interface AnomalyFinding {
  /** Stable rule name, e.g. `impossible-travel`. */
  rule: string;
  severity: AnomalySeverity;
  /** 0..1, how sure the rule is. */
  score: number;
  /** What the rule saw (distances, speeds, before/after values). Never secrets. */
  evidence: Record<string, unknown>;
}

export interface AnomalyInput {
  /** `login` when a session is being created, `request` when an existing one is used from a changed context. */
  kind: 'login' | 'request';
  userId: string;
  /** The session as it was before this request (null at login). */
  previous: Session | null;
  current: { deviceInfo: DeviceFingerprint; locationInfo: LocationInfo | null; at: number };
  /**
   * The user's other live sessions, for rules such as "new device". Empty at login when the store
   * keeps trails: `trail` carries the user's history then.
   */
  recent: readonly Session[];
  /**
   * At login, from a store that keeps trails: where the user was last seen and the device families
   * they used, across sessions (so a logout does not wipe the slate). Null for a user never seen.
   */
  trail?: UserTrail | null;
}

/**
 * Inspects a login or a changed request and reports findings; it decides nothing. The manager's
 * anomaly policy maps findings to actions. Advisory: a detector that throws fails open.
 * The same input must always produce the same findings.
 */
export interface AnomalyDetector {
  evaluate(input: AnomalyInput): Promise<AnomalyFinding[]>;
  /** True when it needs `recent` at login; the manager then lists the user's sessions first (one more store call). */
  readonly usesHistory?: boolean;
}
