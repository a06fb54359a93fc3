import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';
import { Rules } from '../src/workspace/rules';
import { DEFAULT_SECRETS } from '../src/workspace/filter';
import { DEFAULT_EXCLUDES } from '../src/workspace/default-excludes';

/** This repository's own files and folders (folders end in `/`), as a scan would name them. */
function repositoryPaths(): string[] {
  const root = path.join(__dirname, '..', '..');
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.push(`${rel}/`);
        if (depth < 3 && e.name !== 'node_modules' && e.name !== '.git') walk(rel, depth + 1);
      } else out.push(rel);
    }
  };
  walk('', 0);
  return out;
}

/** Names the rules below are about, in other cases and places, and near misses. */
const NAMES = [
  '.env', '.env.local', 'prod.env', 'x.ENV', '.Env', 'id_rsa', 'id_rsa.pub', 'ID_RSA', 'server.pem', 'server.pem.txt', 'credentials', 'credentials.json',
  'aws-credentials-prod.json', 'config', 'config.json', 'hosts.yml', '.kube', '.docker', '.aws', '.config', 'gh', 'secrets', 'secrets.yaml', 'Secrets',
  'node_modules', 'Node_Modules', 'dist', 'DIST', 'a.min.js', 'a.min.jsx', 'yarn.lock', 'x.lock', 'file~', '~file', 'a.po', 'build', 'build.ts', 'important.tmp',
  'other.tmp', 'x.log', 'logs', 'a?b', 'foo', 'foo.bar', 'tabbed', 'tabbed\t', 'spaced ', 'main.go', 'lib.rs', 'README.md', '.gitignore', '.git', '.pnp.cjs', 'x.egg-info', 'Pods',
];

function syntheticPaths(): string[] {
  const out: string[] = [];
  let seed = 7;
  const pick = () => NAMES[((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % NAMES.length];
  for (let i = 0; i < 3000; i++) {
    const depth = 1 + (i % 4);
    const parts = Array.from({ length: depth }, pick);
    out.push(parts.join('/') + (i % 5 === 0 ? '/' : ''));
  }
  return out;
}

const GITIGNORES = [
  'build/\n*.tmp\n',
  '!important.tmp\n',
  '# comment\n\n/dist\nlogs/**\n!logs/keep.log\n**/foo/bar\n*.log   \n',
  'a?b\nfoo*\n!foo.bar\nsecrets/\ntabbed\t\nspaced \n',
  '\\#notacomment\n[Bb]uild/\n*.py[cod]\n', // escapes and classes: node-ignore judges every path
  '/\n', // slashes alone
  '',
];

describe('workspace rules (node-ignore behind a quick no)', () => {
  const paths = [...repositoryPaths(), ...syntheticPaths()];
  const sets: [string, string | readonly string[]][] = [
    ['secrets', DEFAULT_SECRETS],
    ['vcs', ['.git/', '.hg/', '.svn/']],
    ...Object.entries(DEFAULT_EXCLUDES).map(([k, v]): [string, readonly string[]] => [k, v]),
    ['all default excludes', Object.values(DEFAULT_EXCLUDES).flat()],
    ...GITIGNORES.map((g, i): [string, string] => [`gitignore ${i}`, g]),
  ];

  it('answers every path as node-ignore does, for the default lists and .gitignore files', () => {
    assert.ok(paths.length > 3100, `${paths.length} paths`);
    for (const [name, patterns] of sets) {
      const ours = new Rules(patterns);
      const theirs = ignore().add(typeof patterns === 'string' ? patterns : [...patterns]);
      let touched = 0;
      for (const p of paths) {
        const answer = theirs.test(p);
        assert.deepEqual(ours.test(p), answer, `${name}: test(${p})`);
        assert.equal(ours.ignores(p), theirs.ignores(p), `${name}: ignores(${p})`);
        if (answer.ignored || answer.unignored) touched++;
      }
      // Each set with a rule that can match says something of some paths and nothing of others, so the comparison says something.
      if (/[a-z*]/i.test(String(patterns))) assert.ok(touched > 0 && touched < paths.length, `${name}: ${touched} of ${paths.length} touched`);
    }
  });

  it('answers the repository’s own .gitignore as node-ignore does', () => {
    const text = readFileSync(path.join(__dirname, '..', '..', '.gitignore'), 'utf8');
    const ours = new Rules(text);
    const theirs = ignore().add(text);
    for (const p of paths) assert.deepEqual(ours.test(p), theirs.test(p), p);
  });
});
