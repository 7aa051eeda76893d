import type { AnomalyFinding, AnomalyInput } from '../../ports/anomaly-detector.js';
import type { AnomalyRule } from './anomaly-rule.js';

/** The session's country changed since it was last seen (medium). Unknown locations are not judged. */
export class CountryChangeRule implements AnomalyRule {
  readonly name = 'country-change';
  readonly usesHistory = false;

  evaluate(input: AnomalyInput): AnomalyFinding | null {
    const before = input.previous?.locationInfo?.country;
    const after = input.current.locationInfo?.country;
    if (!before || !after || before === after) return null;
    return { rule: this.name, severity: 'medium', score: 0.5, evidence: { before, after } };
  }
}

/** The session's network (autonomous system) changed, e.g. home broadband to mobile (low). */
export class NetworkChangeRule implements AnomalyRule {
  readonly name = 'network-change';
  readonly usesHistory = false;

  evaluate(input: AnomalyInput): AnomalyFinding | null {
    const before = input.previous?.locationInfo;
    const after = input.current.locationInfo;
    if (!before?.asn || !after?.asn || before.asn === after.asn) return null;
    return {
      rule: this.name,
      severity: 'low',
      score: 0.2,
      evidence: { before: { asn: before.asn, organization: before.asOrganization }, after: { asn: after.asn, organization: after.asOrganization } },
    };
  }
}
