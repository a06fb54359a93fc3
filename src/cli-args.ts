import { parseArgs } from 'node:util';

/**
 * The one command-line parser of `samba` and every bench/ entry point: `--help` prints the usage;
 * an unknown option, a missing value or a bad number ends with the problem and the usage line
 * (exit 2), never a stack trace. Numbers are checked whole ("1.5", "", "1e9", ",," are refused
 * where they make no sense) and against bounds, so nothing downstream allocates an absurd size.
 */
export type Option =
  | { readonly type: 'string'; readonly default?: string; readonly choices?: readonly string[] }
  | { readonly type: 'boolean' }
  | { readonly type: 'int'; readonly default?: number; readonly min: number; readonly max: number }
  | { readonly type: 'number'; readonly default?: number; readonly min: number; readonly max: number }
  /** A comma-separated list of integers, each within [min, max]. */
  | { readonly type: 'ints'; readonly default?: readonly number[]; readonly min: number; readonly max: number };

type ValueOf<O extends Option> = O extends { type: 'int' | 'number' }
  ? number
  : O extends { type: 'ints' }
    ? number[]
    : O extends { type: 'boolean' }
      ? boolean
      : string;
type Defaulted<O extends Option> = O extends { default: unknown } ? ValueOf<O> : ValueOf<O> | undefined;
export type Values<S extends Record<string, Option>> = { [K in keyof S]: Defaulted<S[K]> };

export class UsageError extends Error {}

const INT = /^[+-]?\d+$/;
const NUM = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses `argv` against `options`, or throws UsageError (see cliArgs for the printing). */
export function parseCommandLine<S extends Record<string, Option>>(argv: readonly string[], options: S, allowPositionals = false): { values: Values<S>; positionals: string[]; help: boolean } {
  const spec: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(options)) spec[name] = { type: o.type === 'boolean' ? 'boolean' : 'string' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: spec, allowPositionals, strict: true });
  } catch (e) {
    // node's messages name the option ("Unknown option '--x'", "Option '--max-tokens <value>' argument missing").
    throw new UsageError((e as Error).message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, ''));
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  const values: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(options)) {
    const v = raw[name];
    if (v === undefined) {
      values[name] = 'default' in o ? o.default : undefined;
      continue;
    }
    if (o.type === 'boolean') values[name] = v;
    else values[name] = convert(name, o, String(v));
  }
  return { values: values as Values<S>, positionals: parsed.positionals, help: raw.help === true };
}

function convert(name: string, o: Exclude<Option, { type: 'boolean' }>, s: string): unknown {
  const bad = (what: string) => new UsageError(`--${name} ${what}, not ${JSON.stringify(s)}`);
  if (o.type === 'string') {
    if (o.choices && !o.choices.includes(s)) throw bad(`must be ${o.choices.join(', ').replace(/, ([^,]*)$/, ' or $1')}`);
    return s;
  }
  const one = (part: string): number => {
    const ok = o.type === 'number' ? NUM.test(part) : INT.test(part);
    const n = Number(part);
    if (!ok || !Number.isFinite(n)) throw bad(o.type === 'number' ? 'must be a number' : o.type === 'ints' ? 'must be comma-separated integers' : 'must be an integer');
    if (n < o.min || n > o.max) throw bad(`must be between ${o.min} and ${o.max}`);
    return n;
  };
  if (o.type === 'ints') return s.split(',').map((p) => one(p.trim()));
  return one(s.trim());
}

/**
 * For entry points: the parsed options, or (for `--help`) the usage on stdout and exit 0, or (for bad
 * arguments) "error: ..." and the usage line on stderr and exit 2.
 */
export function cliArgs<S extends Record<string, Option>>(usage: string, options: S, argv = process.argv.slice(2), allowPositionals = false): { values: Values<S>; positionals: string[] } {
  let r: ReturnType<typeof parseCommandLine<S>>;
  try {
    r = parseCommandLine(argv, options, allowPositionals);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`error: ${e.message}\n${usageLine(usage)}\n(--help for all options)\n`);
    process.exit(2);
  }
  if (r.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return r;
}

/** The first line of a usage text, as "usage: ...". */
export function usageLine(usage: string): string {
  const first = usage.split('\n')[0];
  return first.startsWith('usage:') ? first : `usage: ${first}`;
}
