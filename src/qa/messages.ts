/** Messages the webview may send; anything else is dropped. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'ask'; readonly question: string }
  | { readonly type: 'stop' }
  | { readonly type: 'new' }
  | { readonly type: 'open'; readonly path: string; readonly line: number };

export interface Source {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
}

export interface StoredTurn {
  readonly question: string;
  readonly answer: string;
  readonly sources: readonly Source[];
  readonly stopped?: 'end' | 'max' | 'aborted' | 'loop' | 'unsupported' | 'error';
}

/** Messages the extension sends to the webview. */
export type HostMessage =
  | { readonly type: 'history'; readonly turns: readonly StoredTurn[]; readonly busy: boolean }
  | { readonly type: 'start'; readonly question: string }
  | { readonly type: 'sources'; readonly sources: readonly Source[] }
  | { readonly type: 'delta'; readonly text: string }
  | { readonly type: 'done'; readonly stopped: StoredTurn['stopped'] }
  | { readonly type: 'status'; readonly text: string };

export const MAX_QUESTION_CHARS = 4000;

const KEYS: Record<WebviewMessage['type'], readonly string[]> = {
  ready: ['type'],
  ask: ['type', 'question'],
  stop: ['type'],
  new: ['type'],
  open: ['type', 'path', 'line'],
};

/** The message if it is exactly one of WebviewMessage (no other keys, right types and bounds), else undefined. */
export function parseWebviewMessage(m: unknown): WebviewMessage | undefined {
  if (typeof m !== 'object' || m === null || Array.isArray(m) || Object.getPrototypeOf(m) !== Object.prototype) return undefined;
  const o = m as Record<string, unknown>;
  if (typeof o.type !== 'string' || !Object.hasOwn(KEYS, o.type)) return undefined;
  const keys = KEYS[o.type as WebviewMessage['type']];
  if (Object.keys(o).length !== keys.length || !keys.every((k) => Object.hasOwn(o, k))) return undefined;
  switch (o.type) {
    case 'ask':
      if (typeof o.question !== 'string' || !o.question.trim() || o.question.length > MAX_QUESTION_CHARS) return undefined;
      return { type: 'ask', question: o.question };
    case 'open': {
      const path = typeof o.path === 'string' ? citationPath(o.path) : undefined;
      if (path === undefined || !Number.isSafeInteger(o.line) || (o.line as number) < 1) return undefined;
      return { type: 'open', path, line: o.line as number };
    }
    default:
      return { type: o.type } as WebviewMessage;
  }
}

/**
 * A workspace-relative path with `/` separators, normalised, or undefined for anything that could
 * leave the workspace: absolute paths, `..`, URIs of any scheme, drive letters, backslashes, NUL.
 */
export function citationPath(p: string): string | undefined {
  if (!p || p.length > 1024 || /[\0\\]/.test(p) || p.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(p)) return undefined;
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (!parts.length || parts.includes('..')) return undefined;
  return parts.join('/');
}
