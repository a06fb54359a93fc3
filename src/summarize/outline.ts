import { folderSummaryPieces, summaryPieces } from '../prompt/assist';
import { cutAtLineEnd } from '../prompt/stop';
import type { SummaryPart } from './prompt';

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

/** Folders (to `depth` levels) with their files and key files, most files first. */
export function workspaceOutline(files: ReadonlyMap<string, string>, o: OutlineOptions = {}): FolderInfo[] {
  const depth = o.depth ?? 2;
  const byFolder = new Map<string, string[]>();
  for (const path of files.keys()) {
    const dirs = path.split('/').slice(0, -1);
    const folder = dirs.slice(0, depth).join('/') || '.';
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), path]);
  }
  const mentions = mentionCounts(files);
  return [...byFolder]
    .sort((a, b) => (a[0] === '.' ? -1 : b[0] === '.' ? 1 : b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)))
    .slice(0, o.maxFolders ?? 12)
    .map(([folder, paths]) => ({
      folder,
      files: paths.sort(),
      keyFiles: [...paths].sort((a, b) => keyScore(b, files, mentions) - keyScore(a, files, mentions) || (a < b ? -1 : 1)).slice(0, o.keyFiles ?? 3),
    }));
}

/** An overview of the workspace (folders and the READMEs at the root), then one part per folder. */
export function workspacePlan(files: ReadonlyMap<string, string>, outline: readonly FolderInfo[], maxKeyChars = 1500): SummaryPart[] {
  const listing = outline.map((f) => `${f.folder}/ (${f.files.length} files; key: ${f.keyFiles.join(', ')})`).join('\n');
  const readme = [...files.keys()].find((p) => /^readme(\.\w+)?$/i.test(p));
  const readmeText = readme ? cutAtLineEnd(files.get(readme)!, 3000) : '';
  const overview = summaryPieces(readme ?? 'workspace folders', readme ? readmeText : listing, readme ? `Folders of this workspace:\n${listing}\n` : '');
  const parts: SummaryPart[] = [{ heading: '## Overview', prompt: overview, maxTokens: 256, support: `${listing}\n${readmeText}` }];
  for (const f of outline) {
    const names = f.files.slice(0, 40).map((p) => p.split('/').pop()).join(', ') + (f.files.length > 40 ? ', …' : '');
    const keyFiles = f.keyFiles.map((p) => ({ path: p, text: cutAtLineEnd(files.get(p) ?? '', maxKeyChars) }));
    const intro = `Folder ${f.folder}/ holds ${f.files.length} files: ${names}`;
    const prompt = folderSummaryPieces(intro, keyFiles);
    const support = [intro, ...keyFiles.map((k) => `${k.path}\n${k.text}`)].join('\n');
    parts.push({ heading: `### ${f.folder}/ (${f.files.length} files; key files: ${f.keyFiles.map((p) => `\`${p}\``).join(', ')})`, prompt, maxTokens: 160, support });
  }
  return parts;
}

/** How many other files name each file (its base name without extension): a cheap import graph. */
function mentionCounts(files: ReadonlyMap<string, string>): Map<string, number> {
  const owners = new Map<string, string[]>();
  for (const p of files.keys()) {
    const base = p.split('/').pop()!.replace(/\.[^.]+$/, '');
    if (base.length < 3 || /^(index|main|mod|lib|test|types?|utils?)$/i.test(base)) continue;
    owners.set(base, [...(owners.get(base) ?? []), p]);
  }
  const counts = new Map<string, number>();
  for (const [p, text] of files) {
    for (const word of new Set(text.match(/[A-Za-z0-9_-]{3,}/g) ?? [])) {
      for (const o of owners.get(word) ?? []) if (o !== p) counts.set(o, (counts.get(o) ?? 0) + 1);
    }
  }
  return counts;
}

function keyScore(path: string, files: ReadonlyMap<string, string>, mentions: Map<string, number>): number {
  const name = path.split('/').pop()!;
  return (KEY_NAME.test(name) ? 10 : 0) + (mentions.get(path) ?? 0) * 2 + Math.log10(1 + (files.get(path)?.length ?? 0));
}
