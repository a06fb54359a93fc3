/**
 * A source file's language, by its extension: the one rule every reader of code in the extension
 * uses (the completion's context block, Q&A passages, summaries, the evaluations), so a file is
 * code to all of them or to none.
 */

export type Language = 'typescript' | 'javascript' | 'python' | 'go' | 'rust' | 'java' | 'c' | 'cpp' | 'other';

export function languageOf(path: string): Language {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1].toLowerCase() ?? '';
  if (['ts', 'tsx', 'mts', 'cts'].includes(ext)) return 'typescript';
  if (['js', 'jsx', 'mjs', 'cjs'].includes(ext)) return 'javascript';
  if (ext === 'py' || ext === 'pyi') return 'python';
  if (ext === 'go') return 'go';
  if (ext === 'rs') return 'rust';
  if (ext === 'java') return 'java';
  // A header may be either; C's regular expressions read C++'s free functions too.
  if (ext === 'c' || ext === 'h') return 'c';
  if (['cc', 'cpp', 'cxx', 'c++', 'hpp', 'hh', 'hxx', 'h++', 'ipp', 'tpp'].includes(ext)) return 'cpp';
  return 'other';
}

/** TypeScript or JavaScript: one syntax to the line scanners (their imports, exports and declarations read alike). */
export function isJs(language: Language): boolean {
  return language === 'typescript' || language === 'javascript';
}

/** Rust, Java, C or C++: braces, C's comments, and `'` for a character, not a string (Rust's `'a` is a lifetime). */
export function isCLike(language: Language): boolean {
  return language === 'rust' || language === 'java' || language === 'c' || language === 'cpp';
}

/** Documentation and prose, by extension or folder: it tells what code does; the code shows where and how. */
export function isProse(path: string): boolean {
  return /\.(md|markdown|mdx|rst|txt|adoc|asciidoc|org|html?)$/i.test(path) || /(^|\/)(docs?|documentation|site)\//i.test(path) || !/\.[^/]+$/.test(path);
}

/** Tests and type declarations: they use or describe code; the code itself shows where and how. */
export function isTestOrDeclaration(path: string): boolean {
  return /(^|\/)(tests?|__tests__|testdata|spec)\//i.test(path) || /(_test\.go|\.(test|spec)\.[cm]?[jt]sx?|(^|\/)test_[^/]*\.py|_test\.py|\.d\.[cm]?ts|\.js\.flow|\.pyi)$/i.test(path);
}
