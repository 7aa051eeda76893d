import type { AnomalyDetector, AnomalyFinding, AnomalyInput } from '../ports/anomaly-detector.js';
import type { AnomalyRule } from './rules/anomaly-rule.js';
import { DeviceChangeRule } from './rules/device-change-rule.js';
import { ImpossibleTravelRule, type ImpossibleTravelOptions } from './rules/impossible-travel-rule.js';
import { CountryChangeRule, NetworkChangeRule } from './rules/location-change-rules.js';
import { NewDeviceRule } from './rules/new-device-rule.js';

export interface RuleBasedDetectorOptions {
  /** The rules to run. @default impossible travel, device change, country change, network change, new device */
  rules?: readonly AnomalyRule[];
  impossibleTravel?: ImpossibleTravelOptions;
}

/**
 * Runs independent rules and reports every finding. A rule that throws is skipped (it is
 * advisory); the others still run. Add your own by implementing `AnomalyRule`.
 */
export class RuleBasedDetector implements AnomalyDetector {
  readonly rules: readonly AnomalyRule[];
  readonly usesHistory: boolean;

  constructor(options: RuleBasedDetectorOptions = {}) {
    this.rules = options.rules ?? [
      new ImpossibleTravelRule(options.impossibleTravel),
      new DeviceChangeRule(),
      new CountryChangeRule(),
      new NetworkChangeRule(),
      new NewDeviceRule(),
    ];
    this.usesHistory = this.rules.some((rule) => rule.usesHistory);
  }

  async evaluate(input: AnomalyInput): Promise<AnomalyFinding[]> {
    const findings: AnomalyFinding[] = [];
    for (const rule of this.rules) {
      try {
        const finding = rule.evaluate(input);
        if (finding) findings.push(finding);
      } catch {
        // One broken rule must not silence the others.
      }
    }
    return findings;
  }
}
