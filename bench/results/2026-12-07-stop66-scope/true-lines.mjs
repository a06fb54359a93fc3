// usage (repository root, after npm run build): node bench/results/2026-12-07-stop66-scope/true-lines.mjs REPO_FOLDER...
// Runs code/scope.ts on about 150 real lines of every file: each line it flags is a false alarm.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { otherFunctionsLocal } from '../../../out/src/code/scope.js';
import { languageOf } from '../../../out/src/code/language.js';
const roots = process.argv.slice(2);
let n = 0, flagged = 0; const ex = [];
const walk = (d) => readdirSync(d).flatMap((f) => { const p = join(d, f); return statSync(p).isDirectory() ? (f === 'dl' ? [] : walk(p)) : [p]; });
const t0 = performance.now();
for (const root of roots) for (const p of walk(root)) {
  const lang = languageOf(p); if (lang === 'other') continue;
  let text; try { text = readFileSync(p, 'utf8'); } catch { continue; }
  if (text.length > 300000) continue;
  const lines = text.split('\n');
  const step = Math.max(1, Math.floor(lines.length / 150));
  for (let i = 1; i < lines.length; i += step) {
    const L = lines[i]; if (!L.trim()) continue;
    const indent = /^[ \t]*/.exec(L)[0];
    const above = lines.slice(0, i).join('\n') + '\n';
    const below = '\n' + lines.slice(i + 1).join('\n');
    n++;
    const bad = otherFunctionsLocal(L, indent, above, below, lang);
    if (bad) { flagged++; ex.push(`${p.replace(root, '')}:${i + 1} [${bad}] ${L.trim().slice(0, 100)}`); }
  }
}
console.log('lines', n, 'flagged (false positives)', flagged, 'ms', Math.round(performance.now() - t0));
for (const e of ex.slice(0, 60)) console.log(e);
