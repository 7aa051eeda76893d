import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from 'sessionward';
import { ResponseCode } from 'sessionward/http';
import { OPTION_KEYS } from '../../src/options.js';
import { HTTP_OPTION_KEYS } from '../../src/http/http-sessions.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = (heading: string) => readme.slice(readme.indexOf(`\n## ${heading}\n`), readme.indexOf('\n## ', readme.indexOf(`\n## ${heading}\n`) + 4));

describe('the README tables match the code', () => {
  it('the options table lists exactly the options SessionManager accepts', () => {
    const rows = [...section('Options').matchAll(/^\| `([^`]+)`(?: \/ `([^`]+)`)? \|/gm)].flatMap((m) => [m[1]!, m[2]].filter(Boolean));
    expect([...new Set(rows)].sort()).toEqual([...OPTION_KEYS].sort());
  });

  it('the errors table lists exactly the thrown codes, and the response labels follow it', () => {
    const errors = section('Errors');
    const [table, labels] = errors.split('Response labels');
    const codes = (text: string) => [...new Set([...text!.matchAll(/`(ERR_SESSION)?(_[A-Z_]+)`/g)].map((m) => `ERR_SESSION${m[2]}`))].sort();
    expect(codes(table!)).toEqual(Object.values(ErrorCode).sort());
    expect(codes(labels!)).toEqual(Object.values(ResponseCode).sort());
  });

  it('the HTTP options table in docs/http.md lists exactly the options the adapters accept', () => {
    const page = readFileSync(new URL('../../docs/http.md', import.meta.url), 'utf8');
    const table = page.slice(page.indexOf('\n## Options\n'), page.indexOf('\n## ', page.indexOf('\n## Options\n') + 4));
    const rows = [...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
    expect(['manager', ...rows].sort()).toEqual([...HTTP_OPTION_KEYS].sort());
  });
});
