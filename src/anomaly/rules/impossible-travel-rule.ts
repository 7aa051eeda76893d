import type { AnomalyFinding, AnomalyInput, AnomalySeverity } from '../../ports/anomaly-detector.js';
import type { LocationInfo } from '../../types.js';
import { distanceKm } from '../geo-distance.js';
import type { AnomalyRule } from './anomaly-rule.js';

export interface ImpossibleTravelOptions {
  /** Faster than this between two sightings is impossible travel. @default 1000 (km/h, a long-haul flight) */
  maxSpeedKmh?: number;
  /**
   * Jumps shorter than this (beyond both accuracy radii) are never travel: mobile carriers route
   * through gateways hundreds of kilometres away, and databases place neighbouring cities apart.
   * @default 500
   */
  minDistanceKm?: number;
  /** A reading with an accuracy radius this large (or no city) is coarse: country-level at best. @default 100 */
  coarseRadiusKm?: number;
}

type Located = LocationInfo & { latitude: number; longitude: number };

/**
 * The distance between where the session was last seen and where it is now, minus both locations'
 * accuracy radii, divided by the time since the earlier location was seen. At login, the user's
 * most recently active session is the "before". Unknown locations are never judged.
 *
 * Severity follows how much the readings can be trusted, so normal life is never punished:
 * - the same network (ASN) in two far places is a geolocation artefact: low;
 * - one coarse reading (country-level, as for many IPv6 networks: a dual-stack flip), or a jump
 *   inside one country: medium (logged by default), never a revocation;
 * - city-level readings in different countries: high, critical above 5× the speed limit.
 */
export class ImpossibleTravelRule implements AnomalyRule {
  readonly name = 'impossible-travel';
  readonly usesHistory = true;
  readonly #maxSpeedKmh: number;
  readonly #minDistanceKm: number;
  readonly #coarseRadiusKm: number;

  constructor(options: ImpossibleTravelOptions = {}) {
    this.#maxSpeedKmh = options.maxSpeedKmh ?? 1000;
    this.#minDistanceKm = options.minDistanceKm ?? 500;
    this.#coarseRadiusKm = options.coarseRadiusKm ?? 100;
  }

  evaluate(input: AnomalyInput): AnomalyFinding | null {
    const sighting = lastSighting(input);
    const from = sighting?.location;
    const to = input.current.locationInfo;
    if (!sighting || !located(from) || !located(to)) return null;
    const rawKm = distanceKm(from, to);
    const slackKm = (from.accuracyRadiusKm ?? 0) + (to.accuracyRadiusKm ?? 0);
    const distance = rawKm - slackKm;
    if (distance < this.#minDistanceKm) return null;
    const hours = Math.max(input.current.at - sighting.at, 0) / 3_600_000;
    const speedKmh = hours === 0 ? Number.POSITIVE_INFINITY : distance / hours;
    if (speedKmh <= this.#maxSpeedKmh) return null;
    const severity = this.#severity(from, to, speedKmh);
    return {
      rule: this.name,
      severity,
      score: severity === 'low' ? 0.2 : severity === 'medium' ? 0.4 : Math.min(1, 0.5 + speedKmh / (this.#maxSpeedKmh * 20)),
      evidence: {
        from: place(from),
        to: place(to),
        distanceKm: Math.round(rawKm),
        distanceBeyondAccuracyKm: Math.round(distance),
        elapsedMinutes: Math.round(hours * 60),
        speedKmh: Number.isFinite(speedKmh) ? Math.round(speedKmh) : null,
        maxSpeedKmh: this.#maxSpeedKmh,
        ...(severity === 'high' || severity === 'critical' ? {} : { downgraded: this.#why(from, to) }),
      },
    };
  }

  #severity(from: Located, to: Located, speedKmh: number): AnomalySeverity {
    const why = this.#why(from, to);
    if (why === 'same-network') return 'low';
    if (why !== null) return 'medium';
    return speedKmh > this.#maxSpeedKmh * 5 ? 'critical' : 'high';
  }

  /** Why the readings cannot carry a strong verdict, or null when they can. */
  #why(from: Located, to: Located): 'same-network' | 'coarse-location' | 'same-country' | null {
    if (from.asn !== null && from.asn === to.asn) return 'same-network';
    const coarse = (l: Located) => !l.city || (l.accuracyRadiusKm ?? 0) >= this.#coarseRadiusKm;
    if (coarse(from) || coarse(to)) return 'coarse-location';
    if (from.country !== null && from.country === to.country) return 'same-country';
    return null;
  }
}

/**
 * Where and when the user was last seen: the session itself mid-session; at login the user's trail
 * (which survives logout), else the most recently active live session.
 */
function lastSighting(input: AnomalyInput): { location: LocationInfo | null; at: number } | null {
  const session = input.previous ?? (input.trail?.location ? null : [...input.recent].sort((a, b) => b.lastAccess - a.lastAccess)[0]);
  if (session) return { location: session.locationInfo, at: session.locationInfo?.seenAt ?? session.lastAccess };
  const location = input.trail?.location;
  return location ? { location, at: location.seenAt ?? input.current.at } : null;
}

function located(location: LocationInfo | null | undefined): location is Located {
  return location !== null && location !== undefined && Number.isFinite(location.latitude) && Number.isFinite(location.longitude);
}

function place(location: LocationInfo): string {
  return [location.city, location.country].filter(Boolean).join(', ') || 'unknown';
}
