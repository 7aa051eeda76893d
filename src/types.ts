/** JSON-serialisable application data kept on a session, field by field. */
export type SessionData = Record<string, unknown>;

/** What the fingerprinter makes of a request's device. */
export interface DeviceFingerprint {
  /** The User-Agent header, truncated. */
  userAgent: string;
  /** The client IP as resolved by the adapter (optionally truncated for privacy). */
  ipAddress: string;
  /** e.g. `Chrome 131` */
  browser: string;
  /** e.g. `Windows 10` */
  os: string;
  /** e.g. `desktop`, `mobile Apple iPhone` */
  device: string;
  /** Stable hash of the configured device components (never includes the IP). */
  fingerprint: string;
  /** Looks automated: a crawler, a command-line client or a headless browser. */
  bot: boolean;
}

/** Where an IP address appears to be. `null` on a session means "unknown", never an error. */
export interface LocationInfo {
  /** ISO 3166-1 alpha-2, e.g. `KR`. */
  country: string | null;
  city: string | null;
  subdivision: string | null;
  latitude: number | null;
  longitude: number | null;
  /** The database's own uncertainty, in kilometres. */
  accuracyRadiusKm: number | null;
  timeZone: string | null;
  /** Autonomous system number, when an ASN database is configured. */
  asn: number | null;
  asOrganization: string | null;
  /**
   * On a stored session: when this location was last observed (epoch ms). A request without a
   * location never erases it, so travel is timed from the last place the session was really seen.
   */
  seenAt?: number;
}

/** Why `validate` refused a credential. Stable strings: clients may show or switch on them. */
export type RefusalReason =
  | 'missing'
  | 'malformed'
  | 'invalid'
  | 'expired-idle'
  | 'expired-absolute'
  | 'revoked'
  | 'evicted'
  | 'rotated'
  | 'logged-out'
  | 'step-up-required'
  /** A spent refresh token came back (API token pairs): the session is ended, with every token of it. */
  | 'refresh-reused'
  /** The last authentication is older than the route allows (`requireRecentAuth`). */
  | 'reauthentication-required';

/** Why a session ended. */
export type EndReason = 'logout' | 'revoked' | 'evicted' | 'rotated' | 'expired-idle' | 'expired-absolute' | 'anomaly' | 'refresh-reused';

/** A pending step-up: the session is kept but refused until the app confirms re-authentication. */
export interface StepUpState {
  reason: string;
  since: number;
}

/**
 * A session as the application sees it. Carries no secret: `id` is a handle that can be shown in
 * a "your devices" list and passed to `revoke`, but can never authenticate on its own.
 */
export interface Session {
  id: string;
  userId: string;
  /** How the session was observed. Read-only: the Redis store hands it out frozen, shared between reads. */
  deviceInfo: DeviceFingerprint;
  /** Where the session was located (null when unknown); read-only like `deviceInfo`. */
  locationInfo: LocationInfo | null;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Last recorded activity (written at most once per touch interval). */
  lastAccess: number;
  /** When the session expires unless used again: `min(lastAccess + idle timeout, absoluteExpiresAt)`. */
  expiresAt: number;
  /** The hard deadline. Never extended by activity, renewal or rotation. */
  absoluteExpiresAt: number;
  /** When the user last proved who they are (login or step-up). */
  authTime: number;
  /** How the user proved it then (RFC 8176 method references, e.g. `['pwd', 'otp']`); empty when the app did not say. */
  amr: string[];
  isActive: boolean;
  /** Increases with every write; pass it back as `expectedVersion` for guarded updates. */
  version: number;
  stepUp: StepUpState | null;
  data: SessionData;
}

/** The input every framework adapter builds from its request. The core never sees a framework. */
export interface RequestContext {
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Client IP after trusted-proxy resolution. */
  ip?: string | undefined;
  /** A correlation id for the audit trail (e.g. the proxy's `X-Request-Id`); cut to 128 characters. */
  requestId?: string | undefined;
}

/** Who a session is for. Policies (expiry, limit) may depend on it. */
export interface SessionSubject {
  userId: string;
  roles?: readonly string[];
}
