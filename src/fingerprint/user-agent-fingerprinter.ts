import { BoundedCache } from '../internal/bounded-cache.js';
import { hash } from 'node:crypto';
import { UAParser } from 'ua-parser-js';
import type { Fingerprinter } from '../ports/fingerprinter.js';
import type { DeviceFingerprint, RequestContext } from '../types.js';
import { readClientHints } from './client-hints.js';
import { headerValue } from '../internal/header-value.js';
import { canonicalOs, httpClient } from './names.js';

/** What the device fingerprint hash is made of. Never the IP: a phone changing networks is the same device. */
export type FingerprintComponent = 'browser' | 'browserMajor' | 'os' | 'deviceType' | 'deviceVendor' | 'deviceModel' | 'language';

export interface UserAgentFingerprinterOptions {
  /** User agents are stored cut to this many characters. @default 256 */
  maxUserAgentLength?: number;
  /** @default all of them */
  components?: readonly FingerprintComponent[];
}

const ALL_COMPONENTS: readonly FingerprintComponent[] = ['browser', 'browserMajor', 'os', 'deviceType', 'deviceVendor', 'deviceModel', 'language'];
const AUTOMATED =
  /bot\b|crawl|spider|slurp|headless|phantomjs|puppeteer|playwright|selenium|curl\/|wget\/|python-requests|httpclient|okhttp|go-http-client|java\//i;

/**
 * Describes a device from its User-Agent (ua-parser-js 1.0.41, the last MIT release), overlaid
 * with User-Agent Client Hints where the browser sends them: reduced user agents say only
 * "Android 10; K" or "Windows NT 10.0", the hints name the model and the real OS version.
 */
export class UserAgentFingerprinter implements Fingerprinter {
  /** The high-entropy hints read below; the low-entropy ones (`Sec-CH-UA`, `-Mobile`, `-Platform`) arrive unasked. */
  readonly clientHints: readonly string[] = ['Sec-CH-UA-Full-Version-List', 'Sec-CH-UA-Platform-Version', 'Sec-CH-UA-Model'];
  readonly #maxUserAgentLength: number;
  readonly #components: readonly FingerprintComponent[];

  constructor(options: UserAgentFingerprinterOptions = {}) {
    this.#maxUserAgentLength = options.maxUserAgentLength ?? 256;
    this.#components = options.components ?? ALL_COMPONENTS;
  }

  // A fleet sends few distinct user agents, and parsing one runs hundreds of regular expressions.
  readonly #parsed = new BoundedCache<string, UAParser.IResult>(1_000);

  #parse(userAgent: string): UAParser.IResult {
    let parsed = this.#parsed.get(userAgent);
    if (!parsed) {
      parsed = new UAParser(userAgent).getResult();
      this.#parsed.set(userAgent, parsed);
    }
    return parsed;
  }

  async fingerprint(context: RequestContext): Promise<DeviceFingerprint> {
    const userAgent = headerValue(context, 'user-agent', this.#maxUserAgentLength);
    const parsed = this.#parse(userAgent);
    const hints = readClientHints(context);
    const client = parsed.browser.name ? null : httpClient(userAgent);
    const browserName = hints.browser?.name ?? parsed.browser.name ?? client?.name;
    const browserMajor = (hints.browser?.version ?? parsed.browser.major ?? client?.major ?? '').split('.')[0];
    const parsedOs = parsed.os.name === undefined ? undefined : canonicalOs(parsed.os.name);
    const osName = hints.os?.name ?? parsedOs;
    // The user agent's version only describes the OS it names.
    const osVersion = hints.os?.version || (osName === parsedOs ? parsed.os.version : undefined);
    const deviceType = hints.mobile ? 'mobile' : (parsed.device.type ?? 'desktop');
    const vendor = parsed.device.vendor;
    const model = hints.model ?? parsed.device.model;
    const language = headerValue(context, 'accept-language', 64).split(',')[0]?.trim().toLowerCase();
    const values: Record<FingerprintComponent, string | undefined> = {
      browser: browserName,
      browserMajor,
      os: osName,
      deviceType,
      deviceVendor: vendor,
      deviceModel: model,
      language,
    };
    return {
      userAgent,
      ipAddress: context.ip ?? '',
      browser: join(browserName, browserMajor) || 'unknown',
      os: join(osName, osVersion) || 'unknown',
      device: join(deviceType, vendor, model),
      fingerprint: hash('sha256', this.#components.map((component) => values[component] ?? '').join('\u001f'), 'base64url').slice(0, 22),
      bot: hints.headless === true || AUTOMATED.test(userAgent),
    };
  }
}

function join(...parts: (string | undefined)[]): string {
  return parts.filter((part) => part !== undefined && part !== '').join(' ');
}
