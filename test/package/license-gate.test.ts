import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkLicenses, isPermissive } from '../../scripts/license-gate.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'sessionward-licences-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fakeProject(dependencies: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, 'p-'));
  const versions = Object.fromEntries(Object.keys(dependencies).map((name) => [name, '1.0.0']));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fake', version: '1.0.0', dependencies: versions }));
  for (const [name, license] of Object.entries(dependencies)) {
    mkdirSync(join(dir, 'node_modules', name), { recursive: true });
    writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '1.0.0', license }));
  }
  return dir;
}

describe('licence gate', () => {
  it.each([
    ['MIT', true],
    ['(MIT OR GPL-3.0)', true],
    ['Apache-2.0 AND MIT', true],
    ['AGPL-3.0-or-later', false],
    ['GPL-2.0', false],
    ['LGPL-3.0', false],
    ['SSPL-1.0', false],
    ['MIT AND GPL-3.0', false],
    ['', false],
    [undefined, false],
  ])('%s permissive: %s', (expression, expected) => {
    expect(isPermissive(expression)).toBe(expected);
  });

  it('fails a tree with an AGPL runtime dependency, naming it', () => {
    const { offenders } = checkLicenses(fakeProject({ fine: 'MIT', 'ua-parser-js': 'AGPL-3.0-or-later' }));
    expect(offenders).toEqual([['ua-parser-js@1.0.0', 'AGPL-3.0-or-later']]);
  });

  it('passes this package', () => {
    const { checked, offenders } = checkLicenses(root);
    expect(offenders).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(2);
  });
});
