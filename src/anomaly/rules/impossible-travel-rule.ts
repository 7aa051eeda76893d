import type { AnomalyFinding, AnomalyInput } from '../../ports/anomaly-detector.js';
import type { LocationInfo } from '../../types.js';
import { distanceKm } from '../geo-distance.js';
import type { AnomalyRule } from './anomaly-rule.js';

export interface ImpossibleTravelOptions {
  /** Faster than this between two sightings is impossible travel. @default 1000 (km/h, a long-haul flight) */
  maxSpeedKmh?: number;
}

type Located = LocationInfo & { latitude: number; longitude: number };

/**
 * The distance between where the session was last seen and where it is now, minus both locations'
 * accuracy radii (so coarse, country-level answers do not fabricate travel), divided by the time
 * between the two sightings. At login, the user's most recently active session is the "before".
 * Unknown locations (private IPs, addresses the database does not know) are never judged.
 */
export class ImpossibleTravelRule implements AnomalyRule {
  readonly name = 'impossible-travel';
  readonly usesHistory = true;
  readonly #maxSpeedKmh: number;

  constructor(options: ImpossibleTravelOptions = {}) {
    this.#maxSpeedKmh = options.maxSpeedKmh ?? 1000;
  }

  evaluate(input: AnomalyInput): AnomalyFinding | null {
    const before = input.previous ?? [...input.recent].sort((a, b) => b.lastAccess - a.lastAccess)[0];
    const from = before?.locationInfo;
    const to = input.current.locationInfo;
    if (!before || !located(from) || !located(to)) return null;
    const rawKm = distanceKm(from, to);
    const slackKm = (from.accuracyRadiusKm ?? 0) + (to.accuracyRadiusKm ?? 0);
    const distance = rawKm - slackKm;
    if (distance <= 0) return null;
    const hours = Math.max(input.current.at - before.lastAccess, 0) / 3_600_000;
    const speedKmh = hours === 0 ? Number.POSITIVE_INFINITY : distance / hours;
    if (speedKmh <= this.#maxSpeedKmh) return null;
    return {
      rule: this.name,
      severity: speedKmh > this.#maxSpeedKmh * 5 ? 'critical' : 'high',
      score: Math.min(1, 0.5 + speedKmh / (this.#maxSpeedKmh * 20)),
      evidence: {
        from: place(from),
        to: place(to),
        distanceKm: Math.round(rawKm),
        distanceBeyondAccuracyKm: Math.round(distance),
        elapsedMinutes: Math.round(hours * 60),
        speedKmh: Number.isFinite(speedKmh) ? Math.round(speedKmh) : null,
        maxSpeedKmh: this.#maxSpeedKmh,
      },
    };
  }
}

function located(location: LocationInfo | null | undefined): location is Located {
  return location !== null && location !== undefined && location.latitude !== null && location.longitude !== null;
}

function place(location: LocationInfo): string {
  return [location.city, location.country].filter(Boolean).join(', ') || 'unknown';
}
