// Runs every feature of the model side once (load, read a workspace, complete, answer, summarize),
// in a process where test/helpers/no-network.cjs refuses the network. Prints a JSON report.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ModelSession } from '../../src/worker/session';
import { questionPieces, summaryPieces } from '../../src/prompt';

async function main(): Promise<void> {
  const modelDir = process.argv[2];
  const root = mkdtempSync(path.join(tmpdir(), 'samba-offline-'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'src', 'math.ts'), 'export function square(x: number): number {\n  return x * x;\n}\n');
  writeFileSync(path.join(root, 'README.md'), '# Offline\nSee https://example.com/docs for more.\n');
  const session = new ModelSession();
  const engine = await session.load({ modelDir, backend: 'auto', storageDir: mkdtempSync(path.join(tmpdir(), 'samba-offline-store-')) });
  const context = await session.open({ root, filter: {}, budgetTokens: 0 });
  const completion = await session.complete({ path: 'src/main.ts', prefix: 'import { square } from "./math";\nconsole.log(', suffix: ');\n', maxTokens: 8, lineBudgetMs: 5000, deadlineMs: 10000 });
  const signal = new AbortController().signal;
  let streamed = '';
  const answer = await session.assistant().stream({ prompt: questionPieces('What does square do?'), maxTokens: 8, useWorkspace: true }, (d) => (streamed += d), signal);
  const summary = await session.assistant().stream({ prompt: summaryPieces('src/math.ts', 'export function square(x: number) { return x * x; }\n'), maxTokens: 8, useWorkspace: false }, () => undefined, signal);
  const scores = await session.assistant().scoreFiles('square', ['src/math.ts', 'README.md'], signal);
  session.dispose();
  console.log(JSON.stringify({ backend: engine.backend, files: context.files.length, completionTokens: completion.generated, answerTokens: answer.text.length, streamed: streamed.length, summary: summary.text.length, scored: scores.size }));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
