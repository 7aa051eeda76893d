/**
 * One name per OS family, whichever source named it: ua-parser-js says "Chromium OS" for a CrOS
 * user agent, the platform hint says "Chrome OS" for the same Chromebook. A device must not look
 * new because a hint arrived.
 */
const OS_ALIASES: Record<string, string> = { 'Chromium OS': 'Chrome OS' };

export function canonicalOs(name: string): string {
  return OS_ALIASES[name] ?? name;
}

/**
 * Command-line and library HTTP clients, which ua-parser-js 1.0.41 leaves unnamed: named by
 * family, so switching from curl to python-requests is a device change, not "unknown" to "unknown".
 */
const CLIENTS: readonly [RegExp, string][] = [
  [/^curl\/(\d+)/i, 'curl'],
  [/^Wget\/(\d+)/i, 'Wget'],
  [/^python-requests\/(\d+)/i, 'python-requests'],
  [/^python-httpx\/(\d+)/i, 'python-httpx'],
  [/^Python-urllib\/(\d+)/i, 'Python-urllib'],
  [/^aiohttp\/(\d+)/i, 'aiohttp'],
  [/^Go-http-client\/(\d+)/i, 'Go-http-client'],
  [/^okhttp\/(\d+)/i, 'okhttp'],
  [/^PostmanRuntime\/(\d+)/i, 'PostmanRuntime'],
  [/^HTTPie\/(\d+)/i, 'HTTPie'],
  [/^axios\/(\d+)/i, 'axios'],
  [/^node-fetch\/(\d+)/i, 'node-fetch'],
  [/^undici/i, 'undici'],
  [/^Java\/(\d+)/i, 'Java'],
  [/^libwww-perl\/(\d+)/i, 'libwww-perl'],
];

export function httpClient(userAgent: string): { name: string; major: string } | null {
  for (const [pattern, name] of CLIENTS) {
    const match = pattern.exec(userAgent);
    if (match) return { name, major: match[1] ?? '' };
  }
  return null;
}
