import type { DeviceFingerprint, RequestContext } from '../types.js';

/**
 * Turns a request into a device description. Advisory: the manager fails open when it throws
 * (the session gets an "unknown" device and an `onError` health event), so it can never block a login.
 * Called at login and when a session's user agent or IP changes, not on every request.
 */
export interface Fingerprinter {
  fingerprint(context: RequestContext): Promise<DeviceFingerprint>;
  /**
   * The high-entropy Client Hints it reads (e.g. `Sec-CH-UA-Model`), which browsers send only when
   * asked: the HTTP layer's `clientHints` option sends them in `Accept-CH`.
   */
  readonly clientHints?: readonly string[];
}
