/**
 * A source file's language, by its extension: the one rule every reader of code in the extension
 * uses (the completion's context block, Q&A passages, summaries, the evaluations), so a file is
 * code to all of them or to none.
 */

export type Language = 'typescript' | 'javascript' | 'python' | 'go' | 'other';

export function languageOf(path: string): Language {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1].toLowerCase() ?? '';
  if (['ts', 'tsx', 'mts', 'cts'].includes(ext)) return 'typescript';
  if (['js', 'jsx', 'mjs', 'cjs'].includes(ext)) return 'javascript';
  if (ext === 'py' || ext === 'pyi') return 'python';
  if (ext === 'go') return 'go';
  return 'other';
}

/** TypeScript or JavaScript: one syntax to the line scanners (their imports, exports and declarations read alike). */
export function isJs(language: Language): boolean {
  return language === 'typescript' || language === 'javascript';
}
