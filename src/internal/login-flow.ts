import { ErrorCode, invalidArgument, isSessionError, SessionError } from '../errors.js';
import { stepUpReason } from '../anomaly/anomaly-policy.js';
import type { AnomalyFinding } from '../ports/anomaly-detector.js';
import type { AuditClient } from '../ports/audit-sink.js';
import type { CreateResult, StoredSession } from '../ports/session-store.js';
import type { CreateSessionInput, CreatedSession } from '../session-results.js';
import { summarizeSession } from '../session-summary.js';
import { randomToken } from '../tokens/random.js';
import { newSessionId } from '../tokens/session-id.js';
import type { Session } from '../types.js';
import { checkKeys } from './option-keys.js';
import { checkedFindings } from './port-answers.js';
import type { ManagerParts } from './manager-parts.js';
import { publicSession } from './public-session.js';
import { checkAmr, checkUserId, jsonData } from './session-arguments.js';

// What a login takes (CreateSessionInput): any other key is a mistake, not something to ignore.
const LOGIN_INPUT_KEYS = ['userId', 'roles', 'data', 'amr', 'context', 'tokens'] as const satisfies readonly (keyof CreateSessionInput)[];

/**
 * A login: a new session with a fresh random id (never one the client chose), created together
 * with the concurrent-login check in one atomic store step, then judged by the anomaly rules.
 */
export class LoginFlow {
  readonly #parts: ManagerParts;

  constructor(parts: ManagerParts) {
    this.#parts = parts;
  }

  async login(input: CreateSessionInput): Promise<CreatedSession> {
    const { options, observer, calls, store, hasher, codec, ambiguous, writes, pairs } = this.#parts;
    checkKeys(input, LOGIN_INPUT_KEYS, 'input', 'argument');
    const userId = checkUserId(input?.userId);
    const pair = tokensOf(input.tokens) === 'pair';
    if (pair) pairs.assertSupported();
    const data = input.data === undefined ? {} : jsonData(input.data, 'data');
    const amr = checkAmr(input.amr, 'amr');
    const subject = { userId, ...(input.roles ? { roles: input.roles } : {}) };
    const expiry = options.expiryFor(subject);
    const limit = options.limitFor(subject);
    const context = input.context ?? { headers: {} };
    const client = observer.client(context);
    const userKey = hasher.userKey(userId);
    // A store that keeps trails answers the user's history in the login's own round trip.
    const keepsTrails = writes.keepsTrails;
    const [observed, recent] = await Promise.all([
      observer.observe(context),
      options.anomalyDetector.usesHistory && !keepsTrails ? calls.store('list', () => store.list(userKey, { now: options.clock() })) : [],
    ]);

    const now = options.clock();
    const { deviceInfo } = observed;
    // Object.assign: a resolver's answer has no seenAt, and a property added after a spread is V8's slow path.
    const locationInfo = observed.locationInfo && Object.assign({}, observed.locationInfo, { seenAt: now });
    const secret = randomToken();
    const absoluteExpiresAt = now + expiry.absoluteLifetimeMs;
    const stored: StoredSession = {
      id: newSessionId(userKey),
      userId,
      deviceInfo,
      locationInfo,
      createdAt: now,
      lastAccess: now,
      expiresAt: Math.min(now + expiry.idleTimeoutMs, absoluteExpiresAt),
      absoluteExpiresAt,
      authTime: now,
      amr,
      isActive: true,
      version: 1,
      stepUp: null,
      data,
      secretHash: hasher.secretHash(secret),
      idleTimeoutMs: expiry.idleTimeoutMs,
      endedAt: null,
      endReason: null,
      endedBy: null,
      ...(pair ? { tokenPair: true as const } : {}),
    };
    // Signed before the store write, so a session never exists without its credential.
    const issued = pair
      ? await pairs.issue(stored, pairs.first(stored, secret), now)
      : { token: await codec.sign({ sessionId: stored.id, secret, expiresAt: absoluteExpiresAt, now }) };
    const trail = keepsTrails ? writes.trailUpdate({ deviceInfo, locationInfo }) : undefined;
    await ambiguous.reclaim(userKey);
    let result: CreateResult;
    try {
      result = await calls.store('create', () => store.create(stored, { userKey, limit, now, ...(trail ? { trail } : {}) }));
    } catch (error) {
      // It may still be applied, leaving a session whose credential nobody holds: end it once the
      // store answers, before the user's retry is counted against the limit.
      if (isSessionError(error, ErrorCode.StoreUnavailable)) ambiguous.ghost({ id: stored.id, userKey }, now);
      throw error;
    }
    calls.reportEnded(result.expired, now);

    if (!result.created) {
      const sessions = result.sessions.map((stored) => summarizeSession(publicSession(stored)));
      calls.emit({ type: 'login.refused-by-limit', v: 1, at: now, userId, limit: limit?.max ?? 0, sessionIds: sessions.map((s) => s.id), client });
      throw new SessionError(ErrorCode.LimitExceeded, 'Concurrent session limit reached', {
        details: { sessions, limit: limit?.max ?? 0, reason: 'limit-exceeded' },
      });
    }
    calls.reportEnded(result.evicted, now);
    const created = publicSession(result.session);
    calls.emit({
      type: 'session.created',
      v: 1,
      at: now,
      sessionId: created.id,
      userId,
      ip: deviceInfo.ipAddress,
      device: deviceInfo.fingerprint,
      country: locationInfo?.country ?? null,
      absoluteExpiresAt,
      client,
    });
    const findings = await calls.advisory('anomalyDetector', [], async () =>
      checkedFindings(
        await options.anomalyDetector.evaluate({
          kind: 'login',
          userId,
          previous: null,
          current: { deviceInfo, locationInfo, at: now },
          recent: recent.map(publicSession),
          ...(result.trail === undefined ? {} : { trail: result.trail }),
        }),
      ),
    );
    const session = await this.#judge(created, userKey, findings, client, now);
    return { session, ...issued, evicted: result.evicted };
  }

  /**
   * The user has just proved who they are, so a login is never refused by an anomaly: anything
   * above "log" holds the new session for step-up (before its credential leaves here), and
   * revoke-all also ends the user's other sessions.
   */
  async #judge(session: Session, userKey: string, findings: AnomalyFinding[], client: AuditClient, now: number): Promise<Session> {
    if (findings.length === 0) return session;
    const { options, calls, ambiguous, writes } = this.#parts;
    const action = options.anomalyPolicy.actionFor(findings);
    calls.emit({ type: 'session.anomaly', v: 1, at: now, sessionId: session.id, userId: session.userId, findings, action, client });
    if (action === 'log') return session;
    let held: Session;
    try {
      held = (await writes.patch(session.id, { stepUp: { reason: stepUpReason(findings), since: now } })) ?? session;
    } catch (error) {
      // The login fails; its session (whose credential never leaves here) must not linger unheld.
      if (isSessionError(error, ErrorCode.StoreUnavailable)) ambiguous.ghost({ id: session.id, userKey }, now);
      throw error;
    }
    if (action === 'revoke-all') await writes.revokeAll(userKey, { except: [session.id], reason: 'anomaly' });
    return held;
  }
}

function tokensOf(value: unknown): 'session' | 'pair' {
  if (value === undefined || value === 'session' || value === 'pair') return value ?? 'session';
  throw invalidArgument('tokens', "must be 'session' or 'pair'");
}
