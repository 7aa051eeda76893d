import { describe, expect, it } from 'vitest';
import { UserAgentFingerprinter } from 'sessionward';
import { parseItem, parseList } from '../../src/fingerprint/structured-header.js';

const fingerprinter = new UserAgentFingerprinter();
const REDUCED_ANDROID = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const REDUCED_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('structured header parsing (RFC 8941 subset)', () => {
  it('parses brand lists with parameters, strings and booleans', () => {
    expect(parseList('"Chromium";v="131", "Google Chrome";v="131", "Not_A Brand";v="24"')).toEqual([
      { value: 'Chromium', params: { v: '131' } },
      { value: 'Google Chrome', params: { v: '131' } },
      { value: 'Not_A Brand', params: { v: '24' } },
    ]);
    expect(parseItem('"Windows"')).toBe('Windows');
    expect(parseItem('?1')).toBe(true);
    expect(parseItem('"say \\"hi\\""')).toBe('say "hi"');
  });

  it.each(['"unterminated', '"a",', ',"a"', '?2', '"bad\u0001char"', '"a" "b"', '"x";=1', 'a'.repeat(2000)])('refuses %j without throwing', (input) => {
    expect(parseList(input)).toBeNull();
  });
});

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
      (await fingerprinter.fingerprint({ headers: { 'user-agent': REDUCED_WINDOWS, 'sec-ch-ua-platform': '"Windows"', 'sec-ch-ua-platform-version': `"${version}"` } })).os;
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
      headers: { 'user-agent': REDUCED_WINDOWS, 'sec-ch-ua': '"\r\nSet-Cookie: a=b', 'sec-ch-ua-model': '"' + 'M'.repeat(5000), 'sec-ch-ua-platform': '?1' },
    });
    expect(device).toMatchObject({ browser: 'Chrome 131', os: 'Windows 10' });
  });

  it('hashes only the configured components', async () => {
    const byBrowserOnly = new UserAgentFingerprinter({ components: ['browser'] });
    const a = await byBrowserOnly.fingerprint({ headers: { 'user-agent': REDUCED_WINDOWS } });
    const b = await byBrowserOnly.fingerprint({ headers: { 'user-agent': REDUCED_ANDROID, 'accept-language': 'fr' } });
    expect(a.fingerprint).toBe(b.fingerprint);
  });
});
