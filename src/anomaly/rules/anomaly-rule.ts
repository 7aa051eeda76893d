import type { AnomalyFinding, AnomalyInput } from '../../ports/anomaly-detector.js';

/** One independent check. Pure: the same input always gives the same finding. */
export interface AnomalyRule {
  readonly name: string;
  /** Whether the rule looks at the user's other sessions (the manager then lists them at login). */
  readonly usesHistory: boolean;
  evaluate(input: AnomalyInput): AnomalyFinding | null;
}
