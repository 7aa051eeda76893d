#!/usr/bin/env node
// Licence gate: every runtime (non-dev) dependency must carry a permissive licence. Copyleft
// (GPL, LGPL, AGPL, SSPL), source-available and unknown licences fail. ua-parser-js 2.x is AGPL,
// which is why it is pinned to 1.0.41; this gate keeps anything like it from slipping in.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const PERMISSIVE = new Set([
  'MIT',
  'MIT-0',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'Unlicense',
  'Python-2.0',
  'Zlib',
]);

/** Whether an SPDX expression is satisfiable with permissive licences only. */
export function isPermissive(expression) {
  if (typeof expression !== 'string' || expression.trim() === '') return false;
  const text = expression.trim().replace(/^\((.*)\)$/, '$1');
  if (/\sOR\s/i.test(text)) return text.split(/\s+OR\s+/i).some(isPermissive);
  if (/\sAND\s/i.test(text)) return text.split(/\s+AND\s+/i).every(isPermissive);
  return PERMISSIVE.has(text);
}

function licenceOf(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license?.type) return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => l.type ?? l).join(' OR ');
  return undefined;
}

/** Lists the production dependency tree of `root` with licences; returns the offenders. */
export function checkLicenses(root) {
  const tree = JSON.parse(
    execFileSync('npm', ['ls', '--omit=dev', '--omit=peer', '--omit=optional', '--all', '--json', '--long'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  const seen = new Map();
  const walk = (deps = {}) => {
    for (const [name, info] of Object.entries(deps)) {
      if (!info.path || seen.has(`${name}@${info.version}`)) continue;
      seen.set(`${name}@${info.version}`, licenceOf(info.path));
      walk(info.dependencies);
    }
  };
  walk(tree.dependencies);
  const offenders = [...seen].filter(([, licence]) => !isPermissive(licence));
  return { checked: seen.size, offenders };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { checked, offenders } = checkLicenses(process.cwd());
  if (offenders.length > 0) {
    for (const [name, licence] of offenders) console.error(`licence gate: ${name} is ${licence ?? 'UNKNOWN'}`);
    process.exit(1);
  }
  console.log(`licence gate: ${checked} runtime packages, all permissive`);
}
