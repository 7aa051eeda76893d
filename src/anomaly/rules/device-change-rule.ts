import type { AnomalyFinding, AnomalyInput } from '../../ports/anomaly-detector.js';
import type { DeviceFingerprint } from '../../types.js';
import { family } from '../../fingerprint/device-family.js';
import type { AnomalyRule } from './anomaly-rule.js';

/**
 * A session that changes browser or OS family mid-way is likely a stolen credential (high). A
 * version bump is nothing; a different device model or type with the same browser and OS is low.
 */
export class DeviceChangeRule implements AnomalyRule {
  readonly name = 'device-change';
  readonly usesHistory = false;

  evaluate(input: AnomalyInput): AnomalyFinding | null {
    const before = input.previous?.deviceInfo;
    const now = input.current.deviceInfo;
    // A failed fingerprint (empty) says nothing about the device: never compare it.
    if (!before || before.fingerprint === '' || now.fingerprint === '') return null;
    const changed = (['browser', 'os'] as const).filter((part) => family(before[part]) !== family(now[part]));
    if (changed.length > 0) {
      return {
        rule: this.name,
        severity: 'high',
        score: changed.length === 2 ? 0.9 : 0.7,
        evidence: { changed, before: describe(before), after: describe(now) },
      };
    }
    if (before.device !== now.device) {
      return { rule: this.name, severity: 'low', score: 0.3, evidence: { changed: ['device'], before: describe(before), after: describe(now) } };
    }
    return null;
  }
}

function describe(device: DeviceFingerprint): string {
  return `${device.browser} on ${device.os} (${device.device})`;
}
