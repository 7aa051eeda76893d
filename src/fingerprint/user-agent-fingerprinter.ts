import { createHash } from 'node:crypto';
import { UAParser } from 'ua-parser-js';
import type { Fingerprinter } from '../ports/fingerprinter.js';
import type { DeviceFingerprint, RequestContext } from '../types.js';
import { headerValue } from './header-value.js';

export interface UserAgentFingerprinterOptions {
  /** User agents are stored cut to this many characters. @default 256 */
  maxUserAgentLength?: number;
}

/**
 * Describes a device from its User-Agent with ua-parser-js 1.0.41 (the last MIT release).
 * `fingerprint` hashes what stays stable across requests of one device — browser family and major
 * version, OS family, device type/vendor/model, preferred language — and never the IP.
 */
export class UserAgentFingerprinter implements Fingerprinter {
  readonly #maxUserAgentLength: number;

  constructor(options: UserAgentFingerprinterOptions = {}) {
    this.#maxUserAgentLength = options.maxUserAgentLength ?? 256;
  }

  async fingerprint(context: RequestContext): Promise<DeviceFingerprint> {
    const userAgent = headerValue(context, 'user-agent', this.#maxUserAgentLength);
    const { browser, os, device } = new UAParser(userAgent).getResult();
    const language = headerValue(context, 'accept-language', 64).split(',')[0]?.trim().toLowerCase() ?? '';
    const deviceType = device.type ?? 'desktop';
    const components = [browser.name, browser.major, os.name, deviceType, device.vendor, device.model, language];
    return {
      userAgent,
      ipAddress: context.ip ?? '',
      browser: join(browser.name, browser.major) || 'unknown',
      os: join(os.name, os.version) || 'unknown',
      device: join(deviceType, device.vendor, device.model),
      fingerprint: createHash('sha256').update(components.map((part) => part ?? '').join('\u001f')).digest('base64url').slice(0, 22),
    };
  }
}

function join(...parts: (string | undefined)[]): string {
  return parts.filter((part) => part !== undefined && part !== '').join(' ');
}
