import ignore, { type Ignore } from 'ignore';

/** What `test` says of a path no rule touches. */
const UNTOUCHED = Object.freeze({ ignored: false, unignored: false });

/**
 * Gitignore-style rules (node-ignore's) behind a quick "no". A rule can only match a path through one
 * of its segments: the rule's last segment names the file, or a folder the file sits in. So one test
 * of every rule's last segment, joined in one expression, rules most paths out, and node-ignore
 * answers the rest. Why: node-ignore tries each rule's expression in turn, and a fresh process
 * compiles each one at its first use (the secret and default lists: 17 ms of a 64-file cold read,
 * bench/RESULTS.md, stop 69).
 */
export class Rules {
  /** node-ignore's rules, made at the first path they must judge (making them costs as much as the test). */
  private ig: Ignore | undefined;
  /** Matches one path segment that some rule's last segment may match; undefined: every path goes to node-ignore. */
  private readonly lastSegment: RegExp | undefined;

  /** `patterns`: globs, or a .gitignore file's text. */
  constructor(private readonly patterns: string | readonly string[]) {
    this.lastSegment = lastSegments(typeof patterns === 'string' ? patterns.split(/\r?\n/) : patterns);
  }

  ignores(p: string): boolean {
    return this.mayMatch(p) && this.rules().ignores(p);
  }

  /** node-ignore's `test`: whether a rule ignores `p` (or a folder above it), or a negation lets it back in. */
  test(p: string): { ignored: boolean; unignored: boolean } {
    return this.mayMatch(p) ? this.rules().test(p) : UNTOUCHED;
  }

  private rules(): Ignore {
    const p = this.patterns;
    return (this.ig ??= ignore().add(typeof p === 'string' ? p : [...p]));
  }

  private mayMatch(p: string): boolean {
    const re = this.lastSegment;
    if (!re) return true;
    for (let at = 0; at <= p.length; ) {
      const slash = p.indexOf('/', at);
      const end = slash < 0 ? p.length : slash;
      if (re.test(p.slice(at, end))) return true;
      if (slash < 0) break;
      at = slash + 1;
    }
    return false;
  }
}

/**
 * One expression for the rules' last segments (`*` and `?` within one segment, any case, as
 * node-ignore's default), or undefined where a rule is beyond this reading (escapes, character
 * classes): then node-ignore judges every path, as before.
 */
function lastSegments(lines: readonly string[]): RegExp | undefined {
  const sources: string[] = [];
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    // Trailing white space is dropped here and allowed after any segment below: whatever node-ignore keeps of it, this test still says "may".
    const rule = (line.startsWith('!') ? line.slice(1) : line).trimEnd();
    if (rule.includes('\\') || rule.includes('[')) return undefined;
    const body = rule.replace(/\/+$/, '');
    if (!body) {
      if (rule) return undefined; // a rule of slashes alone
      continue; // a blank line
    }
    const last = body.slice(body.lastIndexOf('/') + 1);
    if (!last) return undefined;
    sources.push(last.replace(/[.+^${}()|]/g, '\\$&').replace(/\*+/g, '[^/]*').replace(/\?/g, '[^/]'));
  }
  return new RegExp(sources.length ? `^(?:${sources.join('|')})\\s*$` : '(?!)', 'i');
}
