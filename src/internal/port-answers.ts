import { cleanText } from './header-value.js';
import type { AnomalyFinding, AnomalySeverity } from '../ports/anomaly-detector.js';
import type { DeviceFingerprint, LocationInfo } from '../types.js';

/**
 * What the advisory ports answer, checked before anything relies on it: a custom resolver that
 * returns `{ country: 'GB' }` must not produce NaN distances, and a fingerprinter returning junk
 * must not be stored as a device. Unusable parts become null; an unusable whole is a failure.
 */

const SEVERITIES = new Set<AnomalySeverity>(['low', 'medium', 'high', 'critical']);

const text = (value: unknown, max = 128) => (typeof value === 'string' ? cleanText(value, max) || null : null);
const within = (value: unknown, min: number, max: number) =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : null;

export function checkedLocation(value: unknown): LocationInfo | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  let latitude = within(v.latitude, -90, 90);
  let longitude = within(v.longitude, -180, 180);
  if (latitude === null || longitude === null) latitude = longitude = null; // half a coordinate is none
  const country = typeof v.country === 'string' && /^[A-Z]{2}$/.test(v.country) ? v.country : null;
  const asn = typeof v.asn === 'number' && Number.isInteger(v.asn) && v.asn > 0 ? v.asn : null;
  const location: LocationInfo = {
    country,
    city: text(v.city),
    subdivision: text(v.subdivision),
    latitude,
    longitude,
    accuracyRadiusKm: within(v.accuracyRadiusKm, 0, 20_000),
    timeZone: text(v.timeZone, 64),
    asn,
    asOrganization: text(v.asOrganization),
  };
  return country === null && latitude === null && asn === null ? null : location;
}

/** A fingerprint, or null when the answer is not one (the caller treats that as a failure). */
export function checkedDevice(value: unknown): DeviceFingerprint | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.fingerprint !== 'string' || v.fingerprint === '' || typeof v.browser !== 'string' || typeof v.os !== 'string') return null;
  return {
    userAgent: typeof v.userAgent === 'string' ? cleanText(v.userAgent, 1024) : '',
    ipAddress: typeof v.ipAddress === 'string' ? v.ipAddress : '',
    browser: cleanText(v.browser, 64) || 'unknown',
    os: cleanText(v.os, 64) || 'unknown',
    device: typeof v.device === 'string' ? cleanText(v.device, 128) : '',
    fingerprint: cleanText(v.fingerprint, 64),
    bot: v.bot === true,
  };
}

export function checkedFindings(value: unknown): AnomalyFinding[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (f): f is AnomalyFinding =>
      typeof f === 'object' &&
      f !== null &&
      typeof f.rule === 'string' &&
      f.rule !== '' &&
      SEVERITIES.has(f.severity) &&
      typeof f.score === 'number' &&
      Number.isFinite(f.score) &&
      typeof f.evidence === 'object' &&
      f.evidence !== null,
  );
}
