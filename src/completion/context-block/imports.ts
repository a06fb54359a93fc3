// What the current file imports, resolved to the files and definitions of the workspace that hold it,
// for TypeScript/JavaScript (ESM and require), Python (relative and package-local absolute), Go
// (packages of the module named in go.mod), Rust (`crate::`, `self::`, `super::` paths), Java (classes
// by package path) and C/C++ (`#include`, by path). Imports of outside packages resolve to nothing.
import { posix } from 'node:path';
import type { Def } from '../../code/declarations';
import { isJs } from '../../code/language';
import type { SourceFile } from './source';
import { ID, lineIndex } from './parse-imports';

/** The files of the workspace, as resolution needs them. */
export interface Workspace {
  source(path: string): SourceFile | undefined;
  /** Non-test .go files directly in `dir` ('' for the root). */
  goPackageFiles(dir: string): readonly string[];
  /** Every go.mod: its directory and module path. */
  goModules(): readonly { readonly dir: string; readonly module: string }[];
  /** The files named `name` (a base name), anywhere in the workspace. */
  filesNamed(name: string): readonly string[];
}

/** A definition the current file imports, and the 0-based lines of the current file that use it. */
export interface ImportedDef {
  readonly path: string;
  readonly def: Def;
  readonly uses: number[];
}

const JS_EXTS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

/** The workspace file a JS/TS specifier names, relative or through a `src/` base (`@/x`, `~/x`); undefined for packages. */
export function resolveJs(ws: Workspace, from: string, spec: string): string | undefined {
  const bases = spec.startsWith('.') ? [join(posix.dirname(from), spec)]
    : /^[@~]\//.test(spec) ? [join('src', spec.slice(2)), spec.slice(2)]
    : [spec, join('src', spec)];
  for (const base of bases) {
    if (base === undefined) continue;
    const candidates = [base, ...JS_EXTS.map((e) => base + e), ...JS_EXTS.map((e) => `${base}/index${e}`)];
    // TypeScript's ESM style names the emitted `.js` for a `.ts` source.
    const js = /\.[mc]?jsx?$/.exec(base);
    if (js) candidates.push(...['.ts', '.tsx', '.mts', '.cts'].map((e) => base.slice(0, -js[0].length) + e));
    const hit = candidates.find((c) => ws.source(c));
    if (hit) return hit;
  }
  return undefined;
}

/** Python module `spec` (dots for relative) as a file, `pkg/__init__.py` for a package; also the package directory. */
function resolvePy(ws: Workspace, from: string, spec: string): { file?: string; dir: string }[] {
  const dots = /^\.*/.exec(spec)![0].length;
  const parts = spec.slice(dots).split('.').filter(Boolean);
  let roots: string[];
  if (dots) {
    let dir = posix.dirname(from);
    for (let i = 1; i < dots; i++) dir = posix.dirname(dir);
    roots = [dir === '.' ? '' : dir];
  } else {
    // Package-local absolute imports: the package may sit at the root, under src/, or beside this file.
    const ancestors: string[] = [];
    for (let d = posix.dirname(from); d !== '.' && d !== '/' && d !== ''; d = posix.dirname(d)) ancestors.unshift(d);
    roots = ['', ...ancestors, 'src', 'lib'];
  }
  const out: { file?: string; dir: string }[] = [];
  for (const root of new Set(roots)) {
    const base = join(root, parts.join('/'));
    if (base === undefined) continue;
    const file = [`${base}.py`, `${base}/__init__.py`].find((f) => ws.source(f));
    if (file || !parts.length) out.push({ file, dir: base });
    else if (ws.source(`${base}.pyi`)) out.push({ file: `${base}.pyi`, dir: base });
  }
  return out;
}

/** The Go package an import path names inside this workspace: its files. */
function resolveGo(ws: Workspace, from: string, spec: string): readonly string[] {
  const mods = ws.goModules().filter((m) => !m.dir || from.startsWith(m.dir + '/')).sort((a, b) => b.dir.length - a.dir.length);
  for (const m of mods) {
    if (spec !== m.module && !spec.startsWith(m.module + '/')) continue;
    const dir = join(m.dir, spec.slice(m.module.length + 1));
    return dir === undefined ? [] : ws.goPackageFiles(dir);
  }
  if (mods.length) return [];
  // No go.mod: the longest tail of the import path that is a directory of .go files.
  const parts = spec.split('/');
  for (let i = 1; i < parts.length; i++) {
    const files = ws.goPackageFiles(parts.slice(i).join('/'));
    if (files.length) return files;
  }
  return [];
}

/** A Rust module's file: `dir.rs` or `dir/mod.rs` (the crate root's is its lib.rs or main.rs). */
function rustModuleFile(ws: Workspace, dir: string, root: string): string | undefined {
  const files = dir === root ? ['lib.rs', 'main.rs'].map((f) => (root ? `${root}/${f}` : f)) : [`${dir}.rs`, `${dir}/mod.rs`];
  return files.find((f) => ws.source(f));
}

/** The file of the module a Rust path names from `from` (`crate::a::b`, `self::x`, `super::y`); undefined for another crate's. */
function resolveRust(ws: Workspace, from: string, spec: string): string | undefined {
  const parts = spec.split('::');
  const fromDir = posix.dirname(from) === '.' ? '' : posix.dirname(from);
  // The crate's root: the nearest folder up with a lib.rs or main.rs (the workspace's root if none).
  let root = fromDir;
  while (root && !ws.source(`${root}/lib.rs`) && !ws.source(`${root}/main.rs`)) root = root.includes('/') ? root.slice(0, root.lastIndexOf('/')) : '';
  // A module's folder: `a/b.rs` is module a::b, whose submodules are in a/b/; mod.rs, lib.rs and main.rs are their folder's.
  const own = /(^|\/)(mod|lib|main)\.rs$/.test(from) ? fromDir : from.slice(0, -3);
  const parent = (d: string) => (d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '');
  let dir = parts[0] === 'crate' ? root : own;
  let at = 1;
  if (parts[0] === 'super') {
    for (at = 0; parts[at] === 'super'; at++) {
      if (dir === root) return undefined;
      dir = parent(dir);
    }
  } else if (parts[0] !== 'crate' && parts[0] !== 'self') return undefined;
  for (const part of parts.slice(at)) {
    const next = join(dir, part);
    // A path may go on into an item of the module (`use crate::a::Type::Variant`): stop at the last module.
    if (next === undefined || !rustModuleFile(ws, next, root)) break;
    dir = next;
  }
  return rustModuleFile(ws, dir, root);
}

/** The file of Java class `name` in package `pkg` (`org.x`): by its path, else the one file of that name. */
function resolveJava(ws: Workspace, pkg: string, name: string): string | undefined {
  const files = ws.filesNamed(`${name}.java`);
  const tail = `${pkg.replace(/\./g, '/')}/${name}.java`;
  return files.find((f) => f === tail || f.endsWith(`/${tail}`)) ?? (files.length === 1 ? files[0] : undefined);
}

/**
 * The header a C or C++ `#include "spec"` names: beside the file, else the file of that name whose
 * path shares the most of the spec's last folders (an include path may name folders above the
 * workspace's root: `<nlohmann/detail/value_t.hpp>` in the nlohmann folder itself).
 */
function resolveInclude(ws: Workspace, from: string, spec: string): string | undefined {
  const near = join(posix.dirname(from), spec);
  if (near !== undefined && ws.source(near)) return near;
  const want = spec.split('/').reverse();
  let best: string | undefined;
  let bestShared = 0;
  for (const f of ws.filesNamed(posix.basename(spec))) {
    const have = f.split('/').reverse();
    let shared = 0;
    while (shared < want.length && shared < have.length && want[shared] === have[shared]) shared++;
    if (shared > bestShared) [best, bestShared] = [f, shared];
  }
  return best;
}

/** posix join, normalized; undefined when it leaves the workspace. */
function join(dir: string, rel: string): string | undefined {
  const p = posix.normalize(posix.join(dir || '.', rel || '.'));
  if (p === '.' || p === './') return '';
  return p.startsWith('../') || p === '..' ? undefined : p.replace(/\/$/, '');
}

/** The definition of `name` exported by the module file `path`, following re-exports a few steps. */
export function findDefinition(ws: Workspace, path: string, name: string, depth = 0): { path: string; def: Def } | undefined {
  const src = ws.source(path);
  if (!src || depth > 4) return undefined;
  const defs = src.defs.get(name);
  if (defs) return { path, def: defs.find((d) => d.kind !== 'method') ?? defs[0] };
  if (isJs(src.lang)) {
    const ex = src.exports;
    const alias = ex.aliases.get(name);
    if (alias && alias !== name) return findDefinition(ws, path, alias, depth + 1);
    const from = ex.from.get(name);
    if (from) {
      const target = resolveJs(ws, path, from[0]);
      return target ? findDefinition(ws, target, from[1], depth + 1) : undefined;
    }
    for (const spec of ex.star) {
      const target = resolveJs(ws, path, spec);
      const hit = target && findDefinition(ws, target, name, depth + 1);
      if (hit) return hit;
    }
    // `import x from './m'` where m has `export default function () {}` defines 'default' itself; else nothing.
  } else if (src.lang === 'python') {
    // A package's __init__.py re-exporting `from .core import name`.
    for (const ref of src.imports) {
      const n = ref.named.find((x) => x.local === name);
      if (!n) continue;
      for (const m of resolvePy(ws, path, ref.spec)) {
        const hit = m.file && findDefinition(ws, m.file, n.imported, depth + 1);
        if (hit) return hit;
      }
    }
  }
  return undefined;
}

function goDefinition(ws: Workspace, files: readonly string[], name: string): { path: string; def: Def } | undefined {
  let method: { path: string; def: Def } | undefined;
  for (const f of files) {
    const defs = ws.source(f)?.defs.get(name);
    const d = defs?.find((x) => x.kind !== 'method');
    if (d) return { path: f, def: d };
    if (defs && !method) method = { path: f, def: defs[0] };
  }
  return method;
}

/**
 * The definitions the current file imports and where it uses them. A name imported but never used
 * still counts (with no uses): the user may be about to use it.
 */
export function importedDefinitions(ws: Workspace, current: SourceFile): ImportedDef[] {
  const text = current.text;
  const lineAt = lineIndex(text);
  const importLines = new Set(current.imports.map((r) => r.line));
  const idLines = new Map<string, number[]>();
  const identUses = (id: string): number[] => {
    let lines = idLines.get(id);
    if (!lines) {
      lines = [];
      const re = new RegExp(`(?<![\\w$.])${escape(id)}(?![\\w$])`, 'g');
      for (const m of text.matchAll(re)) {
        const l = lineAt(m.index);
        if (!importLines.has(l) && lines.at(-1) !== l) lines.push(l);
      }
      idLines.set(id, lines);
    }
    return lines;
  };
  /** `ns.Name` uses, by Name. */
  const memberUses = (ns: string, exportedOnly: boolean): Map<string, number[]> => {
    const out = new Map<string, number[]>();
    const re = new RegExp(`(?<![\\w$.])${escape(ns)}\\s*\\.\\s*(${ID})`, 'g');
    for (const m of text.matchAll(re)) {
      if (exportedOnly && !/^[A-Z]/.test(m[1])) continue;
      const l = lineAt(m.index);
      const list = out.get(m[1]) ?? [];
      if (list.at(-1) !== l) list.push(l);
      out.set(m[1], list);
    }
    return out;
  };

  const found = new Map<string, ImportedDef>();
  const add = (hit: { path: string; def: Def } | undefined, uses: number[]) => {
    if (!hit || hit.path === current.path) return;
    const key = `${hit.path}:${hit.def.start}`;
    const had = found.get(key);
    if (had) had.uses.push(...uses);
    else found.set(key, { ...hit, uses: [...uses] });
  };
  for (const ref of current.imports) {
    if (isJs(current.lang)) {
      const target = resolveJs(ws, current.path, ref.spec);
      if (!target) continue;
      for (const n of ref.named) add(findDefinition(ws, target, n.imported), identUses(n.local));
      if (ref.namespace) for (const [name, uses] of memberUses(ref.namespace, false)) add(findDefinition(ws, target, name), uses);
    } else if (current.lang === 'python') {
      const mods = resolvePy(ws, current.path, ref.spec);
      for (const n of ref.named) {
        for (const m of mods) {
          const hit = m.file && findDefinition(ws, m.file, n.imported);
          if (hit) {
            add(hit, identUses(n.local));
            break;
          }
          // `from pkg import module`: the module's names used as `module.name`.
          const sub = [`${m.dir ? m.dir + '/' : ''}${n.imported}.py`, `${m.dir ? m.dir + '/' : ''}${n.imported}/__init__.py`].find((f) => ws.source(f));
          if (sub) {
            for (const [name, uses] of memberUses(n.local, false)) add(findDefinition(ws, sub, name), uses);
            break;
          }
        }
      }
      if (ref.namespace) {
        const file = mods.find((m) => m.file)?.file;
        if (file) for (const [name, uses] of memberUses(ref.namespace, false)) add(findDefinition(ws, file, name), uses);
      }
    } else if (current.lang === 'rust') {
      // Not through a crate root's `pub use crate::map::IndexMap;` (`use crate::IndexMap`): following
      // those lost 3 of 200 exact lines on indexmap, on a GPU (stop 52).
      const file = resolveRust(ws, current.path, ref.spec);
      if (file) for (const n of ref.named) add(findDefinition(ws, file, n.imported), identUses(n.local));
    } else if (current.lang === 'java') {
      // The classes it imports by name. Not those of its own package, which it names without an
      // import: with them BeanShell's blocks (one package of 150 classes) filled with class outlines,
      // and exact lines fell 16 -> 11 of 60 (`samba eval --backend cpu`, stop 51).
      for (const n of ref.named) {
        const file = resolveJava(ws, ref.spec, n.imported);
        if (file) add(findDefinition(ws, file, n.imported), identUses(n.local));
      }
    } else if (current.lang === 'go') {
      const files = resolveGo(ws, current.path, ref.spec);
      if (!files.length) continue;
      const ns = ref.namespace ?? ws.source(files[0])?.goPackage ?? ref.spec.split('/').at(-1)!;
      for (const [name, uses] of memberUses(ns, true)) add(goDefinition(ws, files, name), uses);
    }
  }
  if (current.lang === 'c' || current.lang === 'cpp') {
    // C and C++: the names this file uses that a header it includes declares.
    const headers = current.imports.map((r) => resolveInclude(ws, current.path, r.spec)).filter((f): f is string => !!f && f !== current.path);
    if (headers.length)
      for (const name of freeNames(current)) {
        for (const h of headers) {
          const hit = findDefinition(ws, h, name);
          if (hit) {
            add(hit, identUses(name));
            break;
          }
        }
      }
  } else if (current.lang === 'go') {
    // Go: the other files of the same package, whose names this file uses unqualified.
    const dir = current.path.includes('/') ? current.path.slice(0, current.path.lastIndexOf('/')) : '';
    const siblings = ws.goPackageFiles(dir).filter((f) => f !== current.path);
    if (siblings.length)
      for (const name of freeNames(current)) {
        const hit = goDefinition(ws, siblings, name);
        if (hit && hit.def.kind !== 'method') add(hit, identUses(name));
      }
  }
  return [...found.values()];
}

/** The names a file uses unqualified (not after a `.`) and does not define itself, each once. */
function* freeNames(current: SourceFile): Generator<string> {
  const seen = new Set<string>();
  for (const m of current.text.matchAll(/(?<![\w.])[A-Za-z_]\w*/g)) {
    if (seen.has(m[0]) || current.defs.has(m[0])) continue;
    seen.add(m[0]);
    yield m[0];
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
