import type { AnomalyFinding, AnomalyInput } from '../../ports/anomaly-detector.js';
import type { AnomalyRule } from './anomaly-rule.js';
import { deviceFamily } from '../../fingerprint/device-family.js';

/**
 * A login from a device family (browser, OS, device type and model, not versions) none of the
 * user's live sessions has (low). A user's first session, and failed fingerprints, are not judged.
 */
export class NewDeviceRule implements AnomalyRule {
  readonly name = 'new-device';
  readonly usesHistory = true;

  evaluate(input: AnomalyInput): AnomalyFinding | null {
    if (input.kind !== 'login' || input.current.deviceInfo.fingerprint === '') return null;
    // The trail (from stores that keep one) remembers devices across logouts; else the live sessions.
    const known =
      input.trail !== undefined
        ? (input.trail?.devices.map((device) => device.family) ?? [])
        : input.recent.filter((session) => session.deviceInfo.fingerprint !== '').map((session) => deviceFamily(session.deviceInfo));
    if (known.length === 0) return null;
    const current = deviceFamily(input.current.deviceInfo);
    if (known.includes(current)) return null;
    return {
      rule: this.name,
      severity: 'low',
      score: 0.3,
      evidence: { device: `${input.current.deviceInfo.browser} on ${input.current.deviceInfo.os}`, knownDevices: known.length },
    };
  }
}
