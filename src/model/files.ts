import { constants, promises as fs } from 'node:fs';
import { SambaError, type SambaErrorCode } from './errors';

/**
 * How the model folder's files are opened and parsed: regular files only (a FIFO or device named
 * config.json must not hang or stream forever), read through the one handle that was checked, with a
 * size cap; JSON with a UTF-8 BOM accepted, and duplicate keys or absurd nesting refused (a second
 * "vocab_size" or a repeated tensor name would silently change the model).
 */

/** Opens `file` for reading if it is a regular file; otherwise a SambaError that says what it is instead. */
export async function openRegular(file: string, code: SambaErrorCode, fix: string): Promise<{ handle: fs.FileHandle; size: number; mtimeMs: number }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new SambaError(code, `${file} ${openProblem(e as NodeJS.ErrnoException, await linkState(file))}. ${fix}`);
  }
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    const what = st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a named pipe (FIFO)' : st.isSocket() ? 'a socket' : 'a device';
    throw new SambaError(code, `${file} is ${what}, not a regular file. ${fix}`);
  }
  return { handle, size: st.size, mtimeMs: st.mtimeMs };
}

/** The whole of a small regular file (at most `maxBytes`). */
export async function readSmallFile(file: string, code: SambaErrorCode, maxBytes: number, fix: string): Promise<Buffer> {
  const { handle, size } = await openRegular(file, code, fix);
  try {
    if (size > maxBytes) throw new SambaError(code, `${file} is ${size} bytes, over the ${maxBytes}-byte limit for this file; it is not the file it should be. ${fix}`);
    const buf = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buf, 0, size, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The text of a small regular file, without a leading UTF-8 BOM (editors on Windows add one). */
export async function readSmallText(file: string, code: SambaErrorCode, maxBytes: number, fix: string): Promise<string> {
  return stripBom((await readSmallFile(file, code, maxBytes, fix)).toString('utf8'));
}

/** tokenizer.json of a 128K-256K vocabulary is 10-30 MB. */
export const MAX_TOKENIZER_BYTES = 128 << 20;

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function openProblem(e: NodeJS.ErrnoException, link: 'dangling' | 'loop' | undefined): string {
  if (link === 'dangling') return 'is a link to a file that does not exist';
  if (link === 'loop' || e.code === 'ELOOP') return 'is a link that loops back on itself';
  if (e.code === 'ENOENT') return 'is missing';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'cannot be read (permission denied)';
  return `cannot be opened (${e.code ?? e.message})`;
}

/** Whether `file` is a link that leads nowhere or in a circle (undefined: not a link, or a good one). */
async function linkState(file: string): Promise<'dangling' | 'loop' | undefined> {
  const l = await fs.lstat(file).catch(() => undefined);
  if (!l?.isSymbolicLink()) return undefined;
  const err = await fs.stat(file).then(() => undefined, (e: NodeJS.ErrnoException) => e.code);
  return err === 'ELOOP' ? 'loop' : err === 'ENOENT' ? 'dangling' : undefined;
}

/** Shortens what came from a file (a tensor name, a value) so a message stays readable. */
export function clip(s: string, max = 80): string {
  return s.length <= max ? s : `${s.slice(0, max - 20)}…(${s.length} characters)`;
}

/**
 * JSON.parse, after a scan that refuses duplicate keys in one object and nesting deeper than
 * `maxDepth`. Throws a SambaError naming `file`; `fix` says what to do.
 */
export function parseStrictJson(text: string, file: string, code: SambaErrorCode, fix: string, maxDepth = 64): unknown {
  // The scan first: nesting too deep is refused before JSON.parse spends time and memory on it.
  let problem: string | undefined;
  try {
    problem = scanJson(text, maxDepth);
  } catch {
    problem = undefined; // not JSON: JSON.parse says where
  }
  if (problem?.startsWith('nested')) throw new SambaError(code, `${file}: ${problem}. ${fix}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SambaError(code, `${file}: not valid JSON (${clip((e as Error).message, 120)}). ${fix}`);
  }
  if (problem) throw new SambaError(code, `${file}: ${problem}. ${fix}`);
  return value;
}

/** Duplicate keys or too deep nesting in valid JSON text, or undefined. One pass, no recursion. */
function scanJson(text: string, maxDepth: number): string | undefined {
  // One entry per open container: a Set of keys for objects, undefined for arrays.
  const stack: (Set<string> | undefined)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          escaped = true;
          j++;
        } else if (d === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.has(key)) return `the key ${JSON.stringify(clip(key))} appears twice in one object (which one counts is ambiguous)`;
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push(c === 0x7b ? new Set() : undefined);
      if (stack.length > maxDepth) return `nested more than ${maxDepth} levels deep`;
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] !== undefined;
    }
  }
  return undefined;
}
