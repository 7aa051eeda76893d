import { describe, expect, it } from 'vitest';
import { RuleBasedDetector, type Session } from 'sessionward';
import { AnomalyPolicy } from '../../src/anomaly/anomaly-policy.js';
import { generateJourneys, type Journey } from '../support/journeys.js';

const DEVICE = { userAgent: 'ua', ipAddress: '203.0.113.1', browser: 'Chrome 131', os: 'Windows 10', device: 'desktop', fingerprint: 'f', bot: false };
const detector = new RuleBasedDetector();
const policy = new AnomalyPolicy();

async function actionFor(journey: Journey) {
  const previous: Session = {
    id: 's',
    userId: 'u',
    deviceInfo: DEVICE,
    locationInfo: { ...journey.from, seenAt: 0 },
    createdAt: 0,
    lastAccess: 0,
    expiresAt: 1e12,
    absoluteExpiresAt: 1e12,
    authTime: 0,
    amr: [],
    isActive: true,
    version: 1,
    stepUp: null,
    data: {},
  };
  const findings = await detector.evaluate({
    kind: 'request',
    userId: 'u',
    previous,
    current: { deviceInfo: DEVICE, locationInfo: journey.to, at: journey.elapsedMs },
    recent: [],
  });
  return policy.actionFor(findings);
}

describe('travel rules on 2,000 generated journeys (default rules and policy)', () => {
  it('punish almost no plausible journey, revoke none, and catch the impossible ones', async () => {
    const journeys = generateJourneys();
    const byKind = new Map<string, { total: number; held: number; revoked: number }>();
    for (const journey of journeys) {
      const action = await actionFor(journey);
      const row = byKind.get(journey.kind) ?? { total: 0, held: 0, revoked: 0 };
      row.total += 1;
      if (action !== 'log') row.held += 1;
      if (action === 'revoke' || action === 'revoke-all') row.revoked += 1;
      byKind.set(journey.kind, row);
    }
    const plausible = [...byKind].filter(([kind]) => kind !== 'impossible').map(([, row]) => row);
    const falsePositives = plausible.reduce((sum, row) => sum + row.held, 0) / plausible.reduce((sum, row) => sum + row.total, 0);
    const impossible = byKind.get('impossible')!;
    const detection = impossible.held / impossible.total;
    // The README quotes these lines.
    console.log(`journeys: ${JSON.stringify(Object.fromEntries(byKind))}`);
    console.log(`false positives (held or revoked): ${(falsePositives * 100).toFixed(2)}%, detection: ${(detection * 100).toFixed(2)}%`);
    expect(plausible.reduce((sum, row) => sum + row.revoked, 0)).toBe(0);
    expect(falsePositives).toBeLessThanOrEqual(0.01);
    expect(detection).toBeGreaterThanOrEqual(0.95);
    expect(impossible.revoked / impossible.total).toBeGreaterThan(0.5);
  });
});
