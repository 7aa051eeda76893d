import { parseItem, parseList, type BareItem, type Item } from 'structured-headers';
import type { RequestContext } from '../types.js';
import { canonicalOs } from './names.js';

/** What the User-Agent Client Hints say, where they say anything. */
export interface ClientHints {
  browser?: { name: string; version: string };
  os?: { name: string; version: string };
  model?: string;
  mobile?: boolean;
  headless?: boolean;
}

/**
 * Brands worth naming, as ua-parser-js names the same browsers (so a device reads the same with
 * or without hints). Any other brand is treated as GREASE: the spec lets browsers send arbitrary
 * decoy names ("Not?A_Brand", "(Not;Browser") precisely so servers don't trust unknown ones.
 */
const KNOWN_BRANDS: Record<string, string> = {
  'Google Chrome': 'Chrome',
  HeadlessChrome: 'Chrome',
  Chromium: 'Chromium',
  'Microsoft Edge': 'Edge',
  Opera: 'Opera',
  'Opera GX': 'Opera GX',
  Brave: 'Brave',
  Vivaldi: 'Vivaldi',
  'Samsung Internet': 'Samsung Internet',
  YaBrowser: 'Yandex',
  Whale: 'Whale',
  'Android WebView': 'Chrome WebView',
};
/** A hint longer than this is hostile, not truncated: it is ignored whole. */
const MAX_HINT_LENGTH = 512;

export function readClientHints(context: RequestContext): ClientHints {
  const hints: ClientHints = {};
  const brands = brandList(context, 'sec-ch-ua-full-version-list') ?? brandList(context, 'sec-ch-ua') ?? [];
  hints.headless = brands.some((brand) => brand.brand === 'HeadlessChrome');
  // The specific brand (Chrome, Edge, Opera...) over the engine it is built on.
  const brand = brands.find((b) => b.brand !== 'Chromium') ?? brands[0];
  if (brand) hints.browser = { name: KNOWN_BRANDS[brand.brand]!, version: brand.version };

  const platform = stringHint(context, 'sec-ch-ua-platform');
  if (platform) hints.os = osFromPlatform(platform, stringHint(context, 'sec-ch-ua-platform-version') ?? '');
  const model = stringHint(context, 'sec-ch-ua-model');
  if (model) hints.model = model;
  const mobile = item(context, 'sec-ch-ua-mobile')?.[0];
  if (typeof mobile === 'boolean') hints.mobile = mobile;
  return hints;
}

function raw(context: RequestContext, name: string): string | null {
  const value = context.headers[name];
  const text = Array.isArray(value) ? value.join(', ') : value;
  return typeof text === 'string' && text.length > 0 && text.length <= MAX_HINT_LENGTH ? text : null;
}

/** One structured-field item, or null when the header is missing, oversized or malformed. */
function item(context: RequestContext, name: string): Item | null {
  const text = raw(context, name);
  if (text === null) return null;
  try {
    return parseItem(text);
  } catch {
    return null;
  }
}

/** Hints the spec defines as sf-string: anything else (a token, a number) is ignored, not coerced. */
function stringHint(context: RequestContext, name: string): string | null {
  const value: BareItem | undefined = item(context, name)?.[0];
  return typeof value === 'string' && value !== '' && printable(value) ? value : null;
}

function brandList(context: RequestContext, name: string): { brand: string; version: string }[] | null {
  const text = raw(context, name);
  if (text === null) return null;
  try {
    const known = parseList(text).flatMap(([value, params]) => {
      const version = params.get('v');
      return typeof value === 'string' && value in KNOWN_BRANDS && typeof version === 'string' && /^[\d.]{1,32}$/.test(version)
        ? [{ brand: value, version }]
        : [];
    });
    return known.length > 0 ? known : null;
  } catch {
    return null;
  }
}

function printable(value: string): boolean {
  return /^[\x20-\x7e]{1,128}$/.test(value);
}

/** Platform names as ua-parser-js reports them, with the version the hint carries. */
function osFromPlatform(platform: string, version: string): { name: string; version: string } {
  const [major = '', minor = ''] = /^[\d.]{0,32}$/.test(version) ? version.split('.') : [];
  if (platform === 'Windows') {
    // Sec-CH-UA-Platform-Version 13+ is Windows 11; 1-10 is Windows 10 (a frozen UA says "Windows NT 10.0" for both).
    const n = Number(major);
    return { name: 'Windows', version: n >= 13 ? '11' : n >= 1 ? '10' : '' };
  }
  if (platform === 'macOS') return { name: 'Mac OS', version: [major, minor].filter(Boolean).join('.') };
  return { name: canonicalOs(platform), version: major };
}
