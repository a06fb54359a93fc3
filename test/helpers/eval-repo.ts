import { tempDir, writeFiles } from './workspace';

/** A small folder of code: three files with indented lines, blank lines and trivial lines. */
export async function writeEvalRepo(): Promise<string> {
  const root = tempDir('eval');
  await writeFiles(root, {
    'src/math.ts': [
      "import { clamp } from './util';",
      '',
      'export function add(a: number, b: number): number {',
      '  return a + b;',
      '}',
      '',
      'export function scale(values: number[], k: number): number[] {',
      '  const out: number[] = [];',
      '  for (const v of values) out.push(clamp(v * k, 0, 100));',
      '  return out;',
      '}',
      '',
    ].join('\n'),
    'src/util.ts': [
      'export function clamp(x: number, lo: number, hi: number): number {',
      '  if (x < lo) return lo;',
      '  if (x > hi) return hi;',
      '  return x;',
      '}',
      `export const LONG = '${'x'.repeat(220)}';`,
      '',
    ].join('\n'),
    'README.md': ['# tiny', '', 'Adds and scales numbers.', ''].join('\n'),
  });
  return root;
}
