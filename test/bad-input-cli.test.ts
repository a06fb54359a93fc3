import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseCommandLine, UsageError } from '../src/cli-args';
import { fixtureDir } from './helpers/fixtures';

// Bad command lines for `samba` and every bench/ entry point (issue 16, item 9 and the weak CLI cases).

const ROOT = path.resolve(__dirname, '../..');
function run(script: string, args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, script), ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XDG_RUNTIME_DIR: '/tmp' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BENCHES = ['attention-speed', 'cross-file', 'decode-profile', 'dispatch-floor', 'engine-speed', 'load', 'matvec-speed', 'parity', 'token-floor', 'tokenizer-speed', 'workspace-speed'];

describe('bad input: command lines', function () {
  this.timeout(300_000);

  it('the parser checks numbers whole and within bounds', () => {
    const spec = { n: { type: 'int', default: 64, min: 1, max: 65536 }, t: { type: 'ints', min: 0, max: 100 }, p: { type: 'number', default: 1, min: 0, max: 1 }, s: { type: 'string', choices: ['a', 'b'] } } as const;
    assert.deepEqual(parseCommandLine(['--n', '8', '--t', '1, 2,3', '--p=0.5', '--s', 'b'], spec).values, { n: 8, t: [1, 2, 3], p: 0.5, s: 'b' });
    assert.deepEqual(parseCommandLine([], spec).values, { n: 64, t: undefined, p: 1, s: undefined });
    for (const args of [['--n', '-5'], ['--n=-5'], ['--n', '1e9'], ['--n', ''], ['--n', '1.5'], ['--n', 'x'], ['--t', ',,'], ['--t', '-1'], ['--t', '1,,2'], ['--p', '2'], ['--p', 'NaN'], ['--s', 'c'], ['--bogus'], ['--n']]) {
      assert.throws(() => parseCommandLine(args, spec), UsageError, args.join(' '));
    }
  });

  it('samba: --help, unknown options and commands, missing values and bad numbers get a usage line, never a stack trace', () => {
    const help = run('dist/cli.js', ['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: samba <command>/);
    const model = ['--model', fixtureDir('samba-tiny')];
    const bad: [string[], RegExp][] = [
      [['generate', '--bogus'], /Unknown option '--bogus'/],
      [['generate', '--prompt'], /'--prompt( <value>)?' argument (missing|is ambiguous)/],
      [['logits', '--tokens=-1'], /--tokens must be between 0 and/],
      [['logits', '--tokens', '-1'], /'--tokens' argument is ambiguous.*--tokens=-XYZ/],
      [['logits', '--tokens', ',,'], /--tokens must be comma-separated integers/],
      [['generate', '--prompt', 'x', '--max-tokens=-5'], /--max-tokens must be between 1 and 65536/],
      [['generate', '--prompt', 'x', '--max-tokens', '1e9'], /--max-tokens must be an integer/],
      [['generate', '--prompt', 'x', '--max-tokens', ''], /--max-tokens must be an integer, not ""/],
      [['generate', '--prompt', 'x', '--max-tokens', '1.5'], /--max-tokens must be an integer/],
      [['bench', '--prompt-tokens=-8'], /--prompt-tokens must be between 1/],
      [['bench', '--decode-tokens=-1'], /--decode-tokens must be between 1/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['info', '--backend', 'tpu'], /--backend must be auto, gpu or cpu/],
    ];
    for (const [args, why] of bad) {
      const r = run('dist/cli.js', [...args, ...model]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, why, args.join(' '));
      assert.match(r.stderr, /^usage: samba <command> \[options\]$/m, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, `a stack trace for ${args.join(' ')}`);
    }
  });

  it('every bench/ entry point answers --help with its usage and a bad option with a usage line', () => {
    for (const b of BENCHES) {
      const help = run(`out/bench/${b}.js`, ['--help']);
      assert.equal(help.code, 0, `${b} --help: ${help.stderr}`);
      assert.match(help.stdout, /^usage: node \S+\.js/, b);
      const bad = run(`out/bench/${b}.js`, ['--no-such-option']);
      assert.equal(bad.code, 2, `${b}: ${bad.stderr}`);
      assert.match(bad.stderr, /error: Unknown option '--no-such-option'.*\nusage: node /, b);
    }
    const neg = run('out/bench/workspace-speed.js', ['--sizes=8,-16']);
    assert.equal(neg.code, 2);
    assert.match(neg.stderr, /--sizes must be between 1 and/);
  });
});
