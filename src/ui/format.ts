import type { ContextReport } from '../worker/protocol';
import type { SnippetWhy } from '../completion/context-block';

// Text the UI shows, without the vscode API, so tests can check it.

/** 20K, 1.5K, 800; 1.2M. */
export function formatTokens(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}K` : String(n);
}

/** 320 ms, 1.2 s, 55 s, 2 min. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** ": a.ts, b.ts and 3 more", or nothing for no files. */
function listed(files: readonly string[]): string {
  if (!files.length) return '';
  const more = files.length > 5 ? ` and ${files.length - 5} more` : '';
  return `: ${files.slice(0, 5).join(', ')}${more}`;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/**
 * The Output channel's line at the end of a read. The file being edited is out of the chain while
 * it is edited (its prompt holds it): said, so the line does not seem to lose a file the read's plan
 * counted (a pluggy trial: "7 files, 7668 tokens" planned, "6 files, 4177 tokens" read).
 */
export function contextReadLine(r: ContextReport, ms: number): string {
  const parked = r.activePath && !r.files.some((f) => f.path === r.activePath) ? `; ${r.activePath}, being edited, is read from the prompt` : '';
  return `context: ${r.files.length} files, ${r.totalTokens} tokens in ${ms} ms (${r.skipped.length} skipped, ${r.overBudget.length} over budget${parked})`;
}

export function renderContext(r: ContextReport): string {
  const lines = [
    '# Samba: workspace context',
    '',
    `${r.files.filter((f) => !f.stale).length} files, ${r.totalTokens} tokens (budget ${r.budgetTokens}), ${r.ready ? 'up to date' : `updating (${r.pendingChanges} changes pending)`}.`,
    r.root ? `Folder: \`${r.root}\`` : '',
    r.gpuBytes ? `GPU memory: ${mib(r.gpuBytes)} MiB now, ${mib(r.peakGpuBytes)} MiB at most.` : '',
    r.activePath ? `Active file (in the prompt; left out of the context while you edit it): \`${r.activePath}\`` : '',
    r.lastUpdate ? `Last update: ${new Date(r.lastUpdate.at).toLocaleTimeString()}, ${r.lastUpdate.tokens} tokens in ${formatMs(r.lastUpdate.ms)}${r.lastUpdate.fromStore ? ' (from the saved state)' : ''}${listed(r.lastUpdate.files)}.` : '',
    '',
    ...renderLastBlock(r.lastBlock),
    '## Files, in the order the model reads them',
    '',
    '| # | file | tokens | ends at |',
    '|---|---|---|---|',
    ...r.files.map((f, i) => `| ${i + 1} | \`${f.path}\`${f.stale ? ' (old copy: edited since; dropped when the workspace is idle)' : ''} | ${f.tokens} | ${f.end} |`),
  ];
  // 16 M characters: MAX_SEARCH_CHARS (src/workspace/files.ts), which the host does not import.
  if (r.overBudget.length) lines.push('', '## Not read by the model: over the token budget', '', 'Questions, summaries and suggestions still search their text, the first 16 M characters of it (`samba.context.budgetTokens` sets the budget).', '', ...r.overBudget.map((p) => `- \`${p}\``));
  if (r.skipped.length) lines.push('', '## Left out by the filter', '', ...r.skipped.map((s) => `- \`${s.path}\`: ${s.reason}`));
  if (r.overBudget.length || r.skipped.length) lines.push('', 'Patterns in `samba.context.exclude` keep more out; a negated one (`!dist/`) lets a default exclusion back in.');
  return lines.filter((l, i, a) => l !== '' || a[i - 1] !== '').join('\n') + '\n';
}

const WHY: Record<SnippetWhy, string> = {
  continuation: 'follows, in that file, the line above the cursor',
  definition: 'defines a name the file imports',
  similar: 'similar to the lines before the cursor',
  recent: 'recently edited',
};

/** The in-window block of the last completion: each snippet as path:lines, its tokens and why it was chosen. */
export function renderLastBlock(b: ContextReport['lastBlock']): string[] {
  const head = '## In the window for the last completion';
  if (!b) return [head, '', 'No completion yet.', ''];
  const where = `\`${b.path}\` line ${b.line + 1}, ${new Date(b.at).toLocaleTimeString()}`;
  if (!b.enabled) return [head, '', `${where}: no context block (the other files' texts were not at hand).`, ''];
  if (!b.snippets.length) return [head, '', `${where}: the block was empty (nothing in the other files matched the cursor's imports or lines). Prompt: ${b.promptTokens} tokens.`, ''];
  return [
    head,
    '',
    `${where}: ${b.snippets.length} snippets, ${b.tokens} of the prompt's ${b.promptTokens} tokens; the model reads them in this order, the last one nearest the cursor.`,
    '',
    '| # | snippet | tokens | why |',
    '|---|---|---|---|',
    ...b.snippets.map((s, i) => `| ${i + 1} | \`${s.path}:${s.startLine}-${s.endLine}\` | ${s.tokens} | ${WHY[s.why]} |`),
    '',
  ];
}
