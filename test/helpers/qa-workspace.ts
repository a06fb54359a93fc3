import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixtureDir } from './fixtures';

/** test/fixtures/qa-workspace: a small bookshop backend, path -> text (questions.json left out). */
export function qaWorkspace(): Map<string, string> {
  return fixtureTree('qa-workspace');
}

/** Every file of a fixture folder (but a questions.json), path -> text, in path order. */
export function fixtureTree(name: string): Map<string, string> {
  const root = fixtureDir(name);
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (rel !== 'questions.json') files.set(rel, readFileSync(path.join(root, rel), 'utf8'));
    }
  };
  walk('');
  return files;
}

/** Questions whose answer lives in exactly one file of the workspace. */
export function qaQuestions(): { q: string; file: string }[] {
  return JSON.parse(readFileSync(path.join(fixtureDir('qa-workspace'), 'questions.json'), 'utf8'));
}

/** Hit rate @1 and @3: the known file among the first 1 / 3 distinct files retrieved. */
export function hitRates(ranked: string[][], expected: string[]): { at1: number; at3: number } {
  let at1 = 0;
  let at3 = 0;
  ranked.forEach((files, i) => {
    const distinct = [...new Set(files)];
    if (distinct[0] === expected[i]) at1++;
    if (distinct.slice(0, 3).includes(expected[i])) at3++;
  });
  return { at1: at1 / expected.length, at3: at3 / expected.length };
}
