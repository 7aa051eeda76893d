import { describe, expect, it } from 'vitest';
import { UserAgentFingerprinter } from 'sessionward';

const fingerprinter = new UserAgentFingerprinter();
const chrome = (major: number) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;

describe('UserAgentFingerprinter', () => {
  it('describes browser, OS and device from real user agents', async () => {
    expect(await fingerprinter.fingerprint({ headers: { 'user-agent': chrome(131) }, ip: '203.0.113.1' })).toMatchObject({
      browser: 'Chrome 131',
      os: 'Windows 10',
      device: 'desktop',
      ipAddress: '203.0.113.1',
    });
    const pixel = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
    expect(await fingerprinter.fingerprint({ headers: { 'user-agent': pixel } })).toMatchObject({
      browser: 'Chrome 131',
      os: 'Android 14',
      device: 'mobile Google Pixel 8',
    });
  });

  it('keeps the fingerprint stable across IPs and changes it across browsers', async () => {
    const a = await fingerprinter.fingerprint({ headers: { 'user-agent': chrome(131) }, ip: '203.0.113.1' });
    const b = await fingerprinter.fingerprint({ headers: { 'user-agent': chrome(131) }, ip: '198.51.100.2' });
    const firefox = await fingerprinter.fingerprint({ headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' } });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(firefox.fingerprint).not.toBe(a.fingerprint);
  });

  it('handles hostile headers without throwing: huge, CR/LF, non-ASCII, arrays, missing', async () => {
    const huge = await fingerprinter.fingerprint({ headers: { 'user-agent': 'A'.repeat(1_000_000) } });
    expect(huge.userAgent.length).toBe(256);
    const injected = await fingerprinter.fingerprint({ headers: { 'user-agent': 'Bot\r\nSet-Cookie: x=1\u0000' } });
    expect(injected.userAgent).toBe('BotSet-Cookie: x=1');
    const unicode = await fingerprinter.fingerprint({ headers: { 'user-agent': '브라우저 ☃ \ud800' } });
    expect(typeof unicode.fingerprint).toBe('string');
    const repeated = await fingerprinter.fingerprint({ headers: { 'user-agent': [chrome(130), chrome(131)] } });
    expect(repeated.browser).toBe('Chrome 130');
    expect(await fingerprinter.fingerprint({ headers: {} })).toMatchObject({ userAgent: '', browser: 'unknown', os: 'unknown' });
  });
});
