import { folderSummaryPieces, summaryPieces } from '../prompt/assist';
import { cutAtLineEnd } from '../prompt/stop';
import { definesLine, definitionSymbols, nameList, type SummaryPart } from './prompt';
import { quotedDoc } from '../qa/prompt';
import { moduleDoc } from '../code/definitions';
import { isJs, isTestOrDeclaration, languageOf, type Language } from '../code/language';

export interface FolderInfo {
  /** Relative folder, '.' for files at the root. */
  readonly folder: string;
  readonly files: readonly string[];
  /** The files that say most about the folder, best first. */
  readonly keyFiles: readonly string[];
}

export interface OutlineOptions {
  /** Folders deeper than this are counted in their ancestor at this depth. */
  readonly depth?: number;
  readonly maxFolders?: number;
  readonly keyFiles?: number;
}

/** Names that describe or start a project or a package. */
const KEY_NAME = /^(readme(\.\w+)?|package\.json|cargo\.toml|pyproject\.toml|setup\.py|go\.mod|pom\.xml|build\.gradle(\.kts)?|makefile|cmakelists\.txt|(index|main|mod|lib|app|extension|__init__|cli|server)\.\w+)$/i;

/**
 * Folders (to `depth` levels) with their files and key files, most files first. `naming`: how many
 * files name each word (filesNaming), where the caller has it already.
 */
export function workspaceOutline(files: ReadonlyMap<string, string>, o: OutlineOptions = {}, naming = filesNaming(files)): FolderInfo[] {
  const depth = o.depth ?? 2;
  const byFolder = new Map<string, string[]>();
  for (const path of files.keys()) {
    const dirs = path.split('/').slice(0, -1);
    const folder = dirs.slice(0, depth).join('/') || '.';
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), path]);
  }
  const mentions = mentionCounts(files, naming);
  return [...byFolder]
    .sort((a, b) => (a[0] === '.' ? -1 : b[0] === '.' ? 1 : b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)))
    .slice(0, o.maxFolders ?? 12)
    .map(([folder, paths]) => ({
      folder,
      files: paths.sort(),
      keyFiles: [...paths].sort((a, b) => keyScore(b, files, mentions) - keyScore(a, files, mentions) || (a < b ? -1 : 1)).slice(0, o.keyFiles ?? 3),
    }));
}

/** A key file's characters in its folder's prompt. */
const KEY_FILE_CHARS = 1500;

/** An overview of the workspace (folders and the READMEs at the root), then one part per folder (workspaceOutline's). */
export function workspacePlan(files: ReadonlyMap<string, string>, o: OutlineOptions = {}): SummaryPart[] {
  const naming = filesNaming(files);
  const outline = workspaceOutline(files, o, naming);
  const listing = outline.map((f) => `${f.folder}/ (${f.files.length} files; key: ${f.keyFiles.join(', ')})`).join('\n');
  const readme = [...files.keys()].find((p) => /^readme(\.\w+)?$/i.test(p));
  const readmeText = readme ? cutAtLineEnd(files.get(readme)!, 3000) : '';
  // The project's own first paragraph, where it has one, is the overview (as a symbol's doc is its
  // summary): the model's paragraph on cron was dropped as unsupported, where doc.go says what it is.
  const own = projectDoc(files);
  const total = outline.reduce((n, f) => n + f.files.length, 0);
  const parts: SummaryPart[] = [
    own
      ? { heading: '## Overview', text: `_From \`${own.path}\`:_ ${quotedDoc(own.text)}\n` }
      : { heading: '## Overview', model: { prompt: summaryPieces(readme ?? 'workspace folders', readme ? readmeText : listing, readme ? `Folders of this workspace:\n${listing}\n` : ''), maxTokens: 256, support: `${listing}\n${readmeText}`, fallback: `${count(total, 'file')} in ${count(outline.length, 'folder')}.` } },
  ];
  for (const f of outline) {
    const heading = `### ${f.folder}/ (${count(f.files.length, 'file')}; key ${f.keyFiles.length === 1 ? 'file' : 'files'}: ${f.keyFiles.map((p) => `\`${p}\``).join(', ')})`;
    // A folder of code is what it defines: the model's sentence of one named a function's work
    // (a retryablehttp trial: "Parse the request body into a string.") or was dropped (mnemonist's sort/).
    const defines = folderDefines(f, files, naming);
    if (defines) {
      parts.push({ heading, text: defines });
      continue;
    }
    const names = f.files.slice(0, 40).map((p) => p.split('/').pop()).join(', ') + (f.files.length > 40 ? ', …' : '');
    const keyFiles = f.keyFiles.map((p) => ({ path: p, text: cutAtLineEnd(files.get(p) ?? '', KEY_FILE_CHARS) }));
    const intro = `Folder ${f.folder}/ holds ${f.files.length} files: ${names}`;
    const prompt = folderSummaryPieces(intro, keyFiles);
    const support = [intro, ...keyFiles.map((k) => `${k.path}\n${k.text}`)].join('\n');
    const fallback = `Holds ${nameList(f.files.map((p) => p.split('/').pop()!), 12)}.`;
    parts.push({ heading, model: { prompt, maxTokens: 160, support, fallback } });
  }
  return parts;
}

/**
 * "Defines ..." of the top-level definitions in a folder's code (tests left out), types first,
 * then the names most files use (a retryablehttp trial's list opened on `ReaderFunc` and
 * `ResponseHandlerFunc`, with `Client` among "17 more"); '' for none.
 */
function folderDefines(f: FolderInfo, files: ReadonlyMap<string, string>, uses: ReadonlyMap<string, number>): string {
  const code = [...f.keyFiles, ...f.files.filter((p) => !f.keyFiles.includes(p))].filter((p) => languageOf(p) !== 'other' && !isTestOrDeclaration(p));
  const symbols = code.flatMap((p) => definitionSymbols(p, files.get(p) ?? '').filter((s) => !s.name.includes('.')).map((s) => ({ ...s, language: languageOf(p) })));
  // Types (classes, Go's structs and interfaces; in JavaScript a capitalized function, a
  // constructor) before functions: `push` and `set` are in most of mnemonist's files, as methods,
  // and its top-level helpers of those names came before `Heap`. TypeScript's interfaces and type
  // aliases are many (tanstack's features/ has 110): they go by use, as functions do.
  // An error class is a type that says what can go wrong, not what the folder does: last (a
  // Python package's list opened on its exception classes).
  const type = (s: { kind: string; name: string; language: Language }) => {
    if (s.kind === 'Function') return isJs(s.language) && /^[A-Z]\w*[a-z]/.test(s.name) ? 0 : 1;
    if (ERROR_TYPE.test(s.name)) return 2;
    return s.language === 'typescript' && s.kind !== 'Class' ? 1 : 0;
  };
  // Array.prototype.sort is stable: equally used names keep the files' order.
  symbols.sort((a, b) => type(a) - type(b) || (uses.get(b.name) ?? 0) - (uses.get(a.name) ?? 0));
  // One language decides what is private (Go's lower case): the folder's first file's.
  return definesLine(symbols.map((s) => s.name), 12, code.length ? languageOf(code[0]) : 'other');
}

const ERROR_TYPE = /[a-z](Error|Exception|Warning)$/;

/** A word of code (an identifier, or a hyphenated file name as an import spells it: `lru-cache`). */
const WORD = /[A-Za-z0-9_$-]+/g;

/**
 * How many of the workspace's files name each word: what the key files (a file other files name)
 * and a folder's list (a name other files use is its API) both rank by, counted once.
 */
export function filesNaming(files: ReadonlyMap<string, string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of files.values()) for (const w of new Set(text.match(WORD) ?? [])) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

/**
 * What the project says it is, first paragraph only: the root README's first prose (no heading,
 * badge, image or HTML), else a Go package's doc (doc.go first) or a Python package's docstring
 * (src/code/definitions.ts moduleDoc), each at the root or one folder down.
 */
export function projectDoc(files: ReadonlyMap<string, string>): { path: string; text: string } | undefined {
  const shallow = [...files.keys()].filter((p) => p.split('/').length <= 2).sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  const readme = shallow.find((p) => /^readme(\.(md|markdown|rst|txt))?$/i.test(p));
  const prose = readme && readmeParagraph(files.get(readme)!);
  if (prose) return { path: readme, text: prose };
  const modules = [
    ...shallow.filter((p) => /(^|\/)doc\.go$/.test(p)),
    ...shallow.filter((p) => p.endsWith('.go') && !p.endsWith('_test.go')),
    ...shallow.filter((p) => /(^|\/)__init__\.py$/.test(p)),
  ];
  for (const path of modules) {
    const text = moduleDoc(files.get(path)!, languageOf(path));
    if (text) return { path, text };
  }
  return undefined;
}

/** A README's first paragraph of prose: no heading, badge, image, HTML, rule, table or license line. */
function readmeParagraph(text: string): string {
  for (const block of text.split(/\n[ \t]*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() && !/^\s*(#|!\[|\[!\[|<|={3,}|-{3,}|\|)/.test(l));
    // Inline HTML keeps its text (wretch's README: `<a href="...">fetch</a>`).
    const para = lines.join(' ').replace(/<\/?[A-Za-z][^<>]*>/g, '').replace(/\s+/g, ' ').trim();
    if (/[a-z]{3,}.*[a-z]{3,}/i.test(para) && !/^(copyright|\(c\)|licensed|spdx)/i.test(para)) return para;
  }
  return '';
}

/** How many other files name each file (its base name without extension): a cheap import graph. */
function mentionCounts(files: ReadonlyMap<string, string>, naming: ReadonlyMap<string, number>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [p, text] of files) {
    const base = p.split('/').pop()!.replace(/\.[^.]+$/, '');
    if (base.length < 3 || /^(index|main|mod|lib|test|types?|utils?)$/i.test(base)) continue;
    const self = new RegExp(`(?<![A-Za-z0-9_$-])${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_$-])`).test(text) ? 1 : 0;
    const n = (naming.get(base) ?? 0) - self;
    if (n > 0) counts.set(p, n);
  }
  return counts;
}

function keyScore(path: string, files: ReadonlyMap<string, string>, mentions: Map<string, number>): number {
  const name = path.split('/').pop()!;
  // Tests use the folder's code; they are not what says most about it (a retryablehttp trial listed client_test.go).
  return (KEY_NAME.test(name) ? 10 : 0) - (isTestOrDeclaration(path) ? 5 : 0) + (mentions.get(path) ?? 0) * 2 + Math.log10(1 + (files.get(path)?.length ?? 0));
}

/** "1 file", "2 files". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
