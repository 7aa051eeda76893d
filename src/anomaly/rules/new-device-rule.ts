import type { AnomalyFinding, AnomalyInput } from '../../ports/anomaly-detector.js';
import type { AnomalyRule } from './anomaly-rule.js';

/** A login from a device none of the user's live sessions has (low). A user's first session is not judged. */
export class NewDeviceRule implements AnomalyRule {
  readonly name = 'new-device';
  readonly usesHistory = true;

  evaluate(input: AnomalyInput): AnomalyFinding | null {
    if (input.kind !== 'login' || input.recent.length === 0) return null;
    const fingerprint = input.current.deviceInfo.fingerprint;
    if (input.recent.some((session) => session.deviceInfo.fingerprint === fingerprint)) return null;
    return {
      rule: this.name,
      severity: 'low',
      score: 0.3,
      evidence: { device: `${input.current.deviceInfo.browser} on ${input.current.deviceInfo.os}`, knownDevices: input.recent.length },
    };
  }
}
