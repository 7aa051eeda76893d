import { invalidOption } from '../errors.js';
import { checkKeys } from '../internal/option-keys.js';
import type { AnomalyFinding, AnomalySeverity } from '../ports/anomaly-detector.js';

/**
 * What a finding does to the session:
 * - `log`: recorded in the audit trail, nothing else;
 * - `step-up`: the session is kept but refused (`step-up-required`) until the app confirms the user re-authenticated;
 * - `revoke`: the session ends;
 * - `revoke-all`: every session of the user ends.
 */
export type AnomalyAction = 'log' | 'step-up' | 'revoke' | 'revoke-all';

/** By severity, and optionally per rule (a rule's entry wins). */
export interface AnomalyPolicyOptions {
  bySeverity?: Partial<Record<AnomalySeverity, AnomalyAction>>;
  byRule?: Record<string, AnomalyAction | Partial<Record<AnomalySeverity, AnomalyAction>>>;
}

const ACTIONS: readonly AnomalyAction[] = ['log', 'step-up', 'revoke', 'revoke-all'];
const DEFAULT_BY_SEVERITY: Record<AnomalySeverity, AnomalyAction> = { low: 'log', medium: 'log', high: 'step-up', critical: 'revoke' };

/** Maps findings to the strongest action any of them calls for. */
export class AnomalyPolicy {
  readonly #bySeverity: Record<AnomalySeverity, AnomalyAction>;
  readonly #byRule: AnomalyPolicyOptions['byRule'];

  constructor(options: AnomalyPolicyOptions = {}) {
    checkKeys(options, ['bySeverity', 'byRule'], 'anomalyPolicy');
    checkKeys(options.bySeverity, ['low', 'medium', 'high', 'critical'], 'anomalyPolicy.bySeverity');
    this.#bySeverity = { ...DEFAULT_BY_SEVERITY, ...options.bySeverity };
    for (const [severity, action] of Object.entries(this.#bySeverity)) check(action, `anomalyPolicy.bySeverity.${severity}`);
    for (const [rule, entry] of Object.entries(options.byRule ?? {})) {
      if (typeof entry === 'string') check(entry, `anomalyPolicy.byRule.${rule}`);
      else for (const [severity, action] of Object.entries(entry)) check(action, `anomalyPolicy.byRule.${rule}.${severity}`);
    }
    this.#byRule = options.byRule;
  }

  actionFor(findings: readonly AnomalyFinding[]): AnomalyAction {
    let strongest: AnomalyAction = 'log';
    for (const finding of findings) {
      const action = this.#actionOf(finding);
      if (ACTIONS.indexOf(action) > ACTIONS.indexOf(strongest)) strongest = action;
    }
    return strongest;
  }

  #actionOf(finding: AnomalyFinding): AnomalyAction {
    const entry = this.#byRule?.[finding.rule];
    if (typeof entry === 'string') return entry;
    return entry?.[finding.severity] ?? this.#bySeverity[finding.severity];
  }
}

function check(action: unknown, option: string): void {
  if (!ACTIONS.includes(action as AnomalyAction)) throw invalidOption(option, `must be one of ${ACTIONS.join(', ')}`);
}

/** The step-up reason a set of findings records: the rules that fired. */
export function stepUpReason(findings: readonly AnomalyFinding[]): string {
  return findings.map((finding) => finding.rule).join(',');
}
