import { describe, expect, it } from 'vitest';
import { UserAgentFingerprinter } from 'sessionward';

const fingerprinter = new UserAgentFingerprinter();
const REDUCED_ANDROID = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const REDUCED_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('Client Hints overlay', () => {
  it('names the model and OS version a reduced Android user agent hides', async () => {
    const bare = await fingerprinter.fingerprint({ headers: { 'user-agent': REDUCED_ANDROID } });
    expect(bare).toMatchObject({ os: 'Android 10', device: 'mobile K' });
    const hinted = await fingerprinter.fingerprint({
      headers: {
        'user-agent': REDUCED_ANDROID,
        'sec-ch-ua': '"Chromium";v="131", "Google Chrome";v="131", "Not_A Brand";v="24"',
        'sec-ch-ua-mobile': '?1',
        'sec-ch-ua-model': '"Pixel 8"',
        'sec-ch-ua-platform': '"Android"',
        'sec-ch-ua-platform-version': '"14.0.0"',
      },
    });
    expect(hinted).toMatchObject({ browser: 'Chrome 131', os: 'Android 14', device: 'mobile Pixel 8' });
    expect(hinted.fingerprint).not.toBe(bare.fingerprint);
  });

  it('tells Windows 11 from Windows 10 behind the frozen "Windows NT 10.0"', async () => {
    const os = async (version: string) =>
      (
        await fingerprinter.fingerprint({
          headers: { 'user-agent': REDUCED_WINDOWS, 'sec-ch-ua-platform': '"Windows"', 'sec-ch-ua-platform-version': `"${version}"` },
        })
      ).os;
    expect(await os('15.0.0')).toBe('Windows 11');
    expect(await os('10.0.0')).toBe('Windows 10');
  });

  it('prefers the full version list and the specific brand over Chromium', async () => {
    const device = await fingerprinter.fingerprint({
      headers: {
        'user-agent': REDUCED_WINDOWS,
        'sec-ch-ua-full-version-list': '"Not A(Brand";v="8.0.0.0", "Chromium";v="132.0.6834.83", "Microsoft Edge";v="132.0.2957.115"',
      },
    });
    expect(device.browser).toBe('Edge 132');
  });

  it('flags bots and headless browsers', async () => {
    const flag = async (headers: Record<string, string>) => (await fingerprinter.fingerprint({ headers })).bot;
    expect(await flag({ 'user-agent': REDUCED_WINDOWS })).toBe(false);
    expect(await flag({ 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' })).toBe(true);
    expect(await flag({ 'user-agent': 'curl/8.5.0' })).toBe(true);
    expect(await flag({ 'user-agent': REDUCED_WINDOWS.replace('Chrome/', 'HeadlessChrome/') })).toBe(true);
    expect(await flag({ 'user-agent': REDUCED_WINDOWS, 'sec-ch-ua': '"HeadlessChrome";v="131"' })).toBe(true);
  });

  it('ignores hostile hint values', async () => {
    const device = await fingerprinter.fingerprint({
      headers: { 'user-agent': REDUCED_WINDOWS, 'sec-ch-ua': '"\r\nSet-Cookie: a=b', 'sec-ch-ua-model': `"${'M'.repeat(5000)}`, 'sec-ch-ua-platform': '?1' },
    });
    expect(device).toMatchObject({ browser: 'Chrome 131', os: 'Windows 10' });
  });

  it('treats unknown brands as GREASE, whatever their shape', async () => {
    const browser = async (list: string) => (await fingerprinter.fingerprint({ headers: { 'user-agent': REDUCED_WINDOWS, 'sec-ch-ua': list } })).browser;
    expect(await browser('"(Not;Browser";v="12", "Chromium";v="131"')).toBe('Chromium 131');
    expect(await browser('"Evil Browser";v="99", "Google Chrome";v="131", "Chromium";v="131"')).toBe('Chrome 131');
    expect(await browser('"(Not;Browser";v="12"')).toBe('Chrome 131'); // nothing known: the user agent decides
  });

  it('names a Chromebook the same with and without the platform hint', async () => {
    const CROS = 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const bare = await fingerprinter.fingerprint({ headers: { 'user-agent': CROS } });
    const hinted = await fingerprinter.fingerprint({
      headers: { 'user-agent': CROS, 'sec-ch-ua-platform': '"Chrome OS"', 'sec-ch-ua-platform-version': '"14541.0.0"' },
    });
    expect(bare.os).toBe('Chrome OS 14541.0.0');
    expect(hinted.os).toBe('Chrome OS 14541');
    expect(hinted.fingerprint).toBe(bare.fingerprint);
  });

  it('ignores hints that are oversized or not the sf-string the spec requires, rather than half-reading them', async () => {
    const os = async (platform: string) => (await fingerprinter.fingerprint({ headers: { 'user-agent': REDUCED_WINDOWS, 'sec-ch-ua-platform': platform } })).os;
    expect(await os(`"${'W'.repeat(100_000)}"`)).toBe('Windows 10');
    expect(await os('*')).toBe('Windows 10');
    expect(await os('Linux')).toBe('Windows 10'); // a token, not a string
    expect(await os('42')).toBe('Windows 10');
    expect(await os('"Linux"')).toBe('Linux');
    const model = await fingerprinter.fingerprint({ headers: { 'user-agent': REDUCED_ANDROID, 'sec-ch-ua-model': `"${'M'.repeat(600)}"` } });
    expect(model.device).toBe('mobile K');
  });

  it('names command-line and library HTTP clients by family', async () => {
    const browser = async (ua: string) => (await fingerprinter.fingerprint({ headers: { 'user-agent': ua } })).browser;
    expect(await browser('curl/8.5.0')).toBe('curl 8');
    expect(await browser('python-requests/2.31.0')).toBe('python-requests 2');
    expect(await browser('Go-http-client/1.1')).toBe('Go-http-client 1');
  });

  it('hashes only the configured components', async () => {
    const byBrowserOnly = new UserAgentFingerprinter({ components: ['browser'] });
    const a = await byBrowserOnly.fingerprint({ headers: { 'user-agent': REDUCED_WINDOWS } });
    const b = await byBrowserOnly.fingerprint({ headers: { 'user-agent': REDUCED_ANDROID, 'accept-language': 'fr' } });
    expect(a.fingerprint).toBe(b.fingerprint);
  });
});
