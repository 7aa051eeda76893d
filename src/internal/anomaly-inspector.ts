import { stepUpReason } from '../anomaly/anomaly-policy.js';
import type { ValidationResult } from '../session-results.js';
import type { RequestContext, Session } from '../types.js';
import { isUnknownDevice } from './device-observer.js';
import type { ManagerParts } from './manager-parts.js';
import { checkedFindings } from './port-answers.js';

/**
 * A live session seen from another IP or user agent: describe the request, let the detector judge
 * it against the session as it was, apply the strongest action, and remember what was seen so the
 * next request from the same place costs nothing extra.
 */
export class AnomalyInspector {
  readonly #parts: ManagerParts;

  constructor(parts: ManagerParts) {
    this.#parts = parts;
  }

  async inspect(session: Session, context: RequestContext, now: number): Promise<ValidationResult> {
    const { options, observer, calls, writes, refusals, hasher } = this.#parts;
    const observed = await observer.observe(context);
    const current = { deviceInfo: observed.deviceInfo, locationInfo: observed.locationInfo && { ...observed.locationInfo, seenAt: now } };
    const findings = await calls.advisory('anomalyDetector', [], async () =>
      checkedFindings(
        await options.anomalyDetector.evaluate({ kind: 'request', userId: session.userId, previous: session, current: { ...current, at: now }, recent: [] }),
      ),
    );
    const action = options.anomalyPolicy.actionFor(findings);
    if (findings.length > 0) {
      const client = observer.client(context);
      calls.emit({ type: 'session.anomaly', v: 1, at: now, sessionId: session.id, userId: session.userId, findings, action, client });
    }
    if (action === 'revoke' || action === 'revoke-all') {
      if (action === 'revoke') await writes.revoke(session.id, { reason: 'anomaly', context });
      else await writes.revokeAll(hasher.userKey(session.userId), { reason: 'anomaly' });
      return refusals.refuse('revoked', session.id, session.userId, now, context);
    }
    const stepUp = action === 'step-up' && !session.stepUp ? { reason: stepUpReason(findings), since: now } : undefined;
    // Remember what was seen, but never forget what is known: a failed fingerprint keeps the stored
    // device (with the new IP), a request without a location keeps the last known one.
    const deviceInfo = isUnknownDevice(current.deviceInfo) ? { ...session.deviceInfo, ipAddress: current.deviceInfo.ipAddress } : current.deviceInfo;
    const seen = { deviceInfo, ...(current.locationInfo ? { locationInfo: current.locationInfo } : {}) };
    const trail = writes.keepsTrails ? writes.trailUpdate({ deviceInfo, locationInfo: current.locationInfo }) : undefined;
    const updated = await writes.patch(session.id, { ...seen, ...(stepUp ? { stepUp } : {}) }, trail);
    if (!updated) return refusals.refuse('revoked', session.id, session.userId, now, context);
    if (updated.stepUp) return { ok: false, reason: 'step-up-required', session: updated };
    return { ok: true, session: updated };
  }
}
