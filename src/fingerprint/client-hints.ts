import type { RequestContext } from '../types.js';
import { headerValue } from './header-value.js';
import { parseItem, parseList } from './structured-header.js';

/** What the User-Agent Client Hints say, where they say anything. */
export interface ClientHints {
  browser?: { name: string; version: string };
  os?: { name: string; version: string };
  model?: string;
  mobile?: boolean;
  headless?: boolean;
}

const BRAND_NAMES: Record<string, string> = { 'Google Chrome': 'Chrome', 'Microsoft Edge': 'Edge', HeadlessChrome: 'Chrome' };
// GREASE brands ("Not_A Brand", "Not/A)Brand", ...) exist only to keep parsers honest.
const GREASE = /not.?a.?brand/i;

export function readClientHints(context: RequestContext): ClientHints {
  const hints: ClientHints = {};
  const header = (name: string) => headerValue(context, name, 512);

  const brands = parseList(header('sec-ch-ua-full-version-list')) ?? [];
  const fallback = parseList(header('sec-ch-ua')) ?? [];
  const candidates = (brands.length > 0 ? brands : fallback)
    .filter((m) => typeof m.value === 'string' && !GREASE.test(m.value) && typeof m.params.v === 'string')
    .map((m) => ({ name: m.value as string, version: m.params.v as string }));
  hints.headless = candidates.some((brand) => brand.name === 'HeadlessChrome');
  // The specific brand (Chrome, Edge, Opera...) over the engine it is built on.
  const brand = candidates.find((b) => b.name !== 'Chromium') ?? candidates[0];
  if (brand) hints.browser = { name: BRAND_NAMES[brand.name] ?? brand.name, version: brand.version };

  const platform = parseItem(header('sec-ch-ua-platform'));
  if (typeof platform === 'string' && platform !== '') {
    const version = parseItem(header('sec-ch-ua-platform-version'));
    hints.os = osFromPlatform(platform, typeof version === 'string' ? version : '');
  }
  const model = parseItem(header('sec-ch-ua-model'));
  if (typeof model === 'string' && model !== '') hints.model = model;
  const mobile = parseItem(header('sec-ch-ua-mobile'));
  if (typeof mobile === 'boolean') hints.mobile = mobile;
  return hints;
}

/** Platform names as ua-parser-js reports them, with the version the hint carries. */
function osFromPlatform(platform: string, version: string): { name: string; version: string } {
  const [major = '', minor = ''] = version.split('.');
  if (platform === 'Windows') {
    // Sec-CH-UA-Platform-Version 13+ is Windows 11; 1-10 is Windows 10 (a frozen UA says "Windows NT 10.0" for both).
    const n = Number(major);
    return { name: 'Windows', version: n >= 13 ? '11' : n >= 1 ? '10' : '' };
  }
  if (platform === 'macOS') return { name: 'Mac OS', version: [major, minor].filter(Boolean).join('.') };
  return { name: platform, version: major };
}
