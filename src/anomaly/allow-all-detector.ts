import type { AnomalyDetector, AnomalyFinding } from '../ports/anomaly-detector.js';

/** Finds nothing. The default until rules are configured. */
export class AllowAllDetector implements AnomalyDetector {
  async evaluate(): Promise<AnomalyFinding[]> {
    return [];
  }
}
