/**
 * Shortens the stored device part: the fragments most user agents are made of, and the most common
 * parsed names with the JSON around them, each stored as one control byte. A Chrome user agent of
 * 111 characters is stored in 9, and a Chrome-on-Windows session's record in about 210 bytes: with
 * its entry, one 320-byte allocation in Redis (448 without the fragments).
 *
 * JSON never contains a raw control byte (it escapes every one below 0x20), so the bytes used here
 * cannot come from the JSON itself: shortening and expanding give back the same JSON text, whatever
 * the user agent says. The user-agent fragments hold no character JSON escapes, so they match inside
 * the JSON string as they do in the user agent. 0x1e and 0x1f stay free for the record's
 * separators, and tab, line feed and carriage return are not used.
 * Fragments may be added at the end, never changed or reordered: stored records depend on them.
 */
const FRAGMENTS = [
  'Mozilla/5.0 (',
  'AppleWebKit/537.36 (KHTML, like Gecko) ',
  'AppleWebKit/605.1.15 (KHTML, like Gecko) ',
  'Windows NT 10.0; Win64; x64) ',
  'Macintosh; Intel Mac OS X 10_15_7) ',
  'X11; Linux x86_64',
  'Linux; Android ',
  'iPhone; CPU iPhone OS ',
  'iPad; CPU OS ',
  ' like Mac OS X) ',
  'Gecko/20100101 Firefox/',
  'Chrome/',
  '.0.0.0 ',
  'Mobile Safari/537.36',
  'Safari/537.36',
  'Safari/605.1.15',
  'Safari/604.1',
  'Mobile/15E148 ',
  'Version/',
  'Edg/',
  'CriOS/',
  '; rv:',
  // The parsed names after the IP, with the JSON before them: the most common browser, system and device kinds.
  '","Chrome ',
  '","Windows ',
  '","desktop',
  '","mobile',
] as const;

// 0x01 to 0x1d without tab, line feed and carriage return: room for 26 fragments, all used. A longer
// table would be stored under a new part name, so that parts written with this one still read.
const BYTES = Array.from({ length: 0x1d }, (_, i) => i + 1).filter((byte) => byte !== 0x09 && byte !== 0x0a && byte !== 0x0d);
if (FRAGMENTS.length > BYTES.length) throw new Error('device-fragments: more fragments than free bytes');
const EXPANSION: string[] = [];
FRAGMENTS.forEach((fragment, i) => {
  EXPANSION[BYTES[i]!] = fragment;
});

// One pass over the JSON: the leftmost fragment at each point, the first in the table where two start
// there. A replaceAll per fragment scanned the text 26 times (1.8 µs per login against 1.1).
const ANY_FRAGMENT = new RegExp(FRAGMENTS.map((fragment) => fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
const BYTE_OF = new Map<string, string>(FRAGMENTS.map((fragment, i) => [fragment, String.fromCharCode(BYTES[i]!)]));

/** The device part's JSON with each known fragment as its byte. */
export function shortenDevice(json: string): string {
  return json.replace(ANY_FRAGMENT, (fragment) => BYTE_OF.get(fragment)!);
}

/** The device part's JSON as it was before `shortenDevice`; a part without those bytes is returned as it is. */
export function expandDevice(stored: string): string {
  let json = '';
  let from = 0;
  for (let i = 0; i < stored.length; i += 1) {
    const code = stored.charCodeAt(i);
    if (code >= 0x20) continue;
    json += stored.slice(from, i) + (EXPANSION[code] ?? stored[i]); // an unknown byte stays, and JSON.parse refuses it
    from = i + 1;
  }
  return from === 0 ? stored : json + stored.slice(from);
}
