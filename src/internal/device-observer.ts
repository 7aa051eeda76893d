import type { AdvisoryPart } from '../options.js';
import { cleanText, headerValue } from './header-value.js';
import type { AuditClient } from '../ports/audit-sink.js';
import { checkedDevice, checkedLocation } from './port-answers.js';
import type { Fingerprinter } from '../ports/fingerprinter.js';
import type { GeoResolver } from '../ports/geo-resolver.js';
import { normalizeIp } from '../request/ip-address.js';
import type { DeviceFingerprint, LocationInfo, RequestContext } from '../types.js';

/** The stand-in when fingerprinting failed. Its empty fingerprint marks it: rules never compare it as a device. */
const UNKNOWN_DEVICE: DeviceFingerprint = { userAgent: '', ipAddress: '', browser: 'unknown', os: 'unknown', device: '', fingerprint: '', bot: false };

/** True for the stand-in of a failed fingerprint, which says nothing about the device. */
export function isUnknownDevice(device: DeviceFingerprint): boolean {
  return device.fingerprint === '';
}

export interface Observation {
  deviceInfo: DeviceFingerprint;
  locationInfo: LocationInfo | null;
}

/**
 * What a request says about its device and place. Fingerprinting and geolocation are advisory:
 * a failure is reported and replaced by "unknown". The IP is located in full and stored as
 * `storedIp` makes it (as is, truncated, or a keyed hash).
 */
export class DeviceObserver {
  readonly #fingerprinter: Fingerprinter;
  readonly #geoResolver: GeoResolver;
  readonly #storedIp: (ip: string) => string;
  readonly #storesIpAsIs: boolean;
  readonly #advisory: <T>(part: AdvisoryPart, fallback: T, run: () => Promise<T>) => Promise<T>;

  constructor(
    fingerprinter: Fingerprinter,
    geoResolver: GeoResolver,
    /** How a session keeps the IP (truncated, a keyed hash); null keeps it as it is. */
    storedIp: ((ip: string) => string) | null,
    advisory: <T>(part: AdvisoryPart, fallback: T, run: () => Promise<T>) => Promise<T>,
  ) {
    this.#fingerprinter = fingerprinter;
    this.#geoResolver = geoResolver;
    this.#storedIp = storedIp ?? ((ip) => ip);
    this.#storesIpAsIs = storedIp === null;
    this.#advisory = advisory;
  }

  async observe(context: RequestContext): Promise<Observation> {
    const ip = normalizeIp(context.ip) ?? '';
    const [device, locationInfo] = await Promise.all([
      this.#advisory('fingerprinter', UNKNOWN_DEVICE, async () => {
        const answer = checkedDevice(await this.#fingerprinter.fingerprint({ ...context, ip }));
        if (!answer) throw new TypeError('the fingerprinter answered something that is not a DeviceFingerprint');
        return answer;
      }),
      ip ? this.#advisory('geoResolver', null, async () => checkedLocation(await this.#geoResolver.resolve(ip))) : Promise.resolve(null),
    ]);
    // A failed fingerprint stores no user agent, so the next request tries again and learns the device.
    return { deviceInfo: { ...device, ipAddress: ip ? this.#storedIp(ip) : '' }, locationInfo };
  }

  /** The request as the audit trail keeps it: the IP stored as session IPs are, a bounded user agent. */
  client(context: RequestContext): AuditClient {
    const ip = normalizeIp(context.ip) ?? '';
    const requestId = cleanText(context.requestId, 128);
    return { ip: ip ? this.#storedIp(ip) : '', userAgent: headerValue(context, 'user-agent', 128), ...(requestId ? { requestId } : {}) };
  }

  /**
   * Whether a request comes from another IP or user agent than the session last saw: the only case
   * in which `validate` fingerprints and locates again. Costs a header read and a string compare.
   */
  changed(device: DeviceFingerprint, context: RequestContext): boolean {
    // Nearly every request: the address and agent as stored, byte for byte. A stored IP is
    // normalised and a stored agent clean, so equal raw text is unchanged (0.9 µs of normalising
    // and cleaning saved). Only where IPs are kept as they are: a truncated or hashed form says
    // nothing when compared with the raw address.
    if (this.#storesIpAsIs && context.ip === device.ipAddress && context.headers['user-agent'] === device.userAgent) return false;
    const ip = normalizeIp(context.ip) ?? '';
    if ((ip ? this.#storedIp(ip) : '') !== device.ipAddress) return true;
    const userAgent = headerValue(context, 'user-agent', 1024);
    // Stored user agents are cut short; the same agent still starts with what was stored.
    return device.userAgent === '' ? userAgent !== '' : !userAgent.startsWith(device.userAgent);
  }
}
