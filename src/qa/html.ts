import { randomBytes } from 'node:crypto';

export interface QaHtmlParts {
  /** The webview's own source (webview.cspSource): the only origin styles and fonts may come from. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

/** Nothing loads but our stylesheet and the one script carrying the nonce; no network, no frames, no forms. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** media/qa.html with its placeholders filled, each value escaped for an attribute. */
export function qaHtml(template: string, parts: QaHtmlParts): string {
  const values: Record<string, string> = {
    csp: contentSecurityPolicy(parts.cspSource, parts.nonce),
    nonce: parts.nonce,
    scriptUri: parts.scriptUri,
    styleUri: parts.styleUri,
  };
  return template.replace(/\{\{(\w+)\}\}/g, (all, name: string) => (name in values ? escapeAttr(values[name]) : all));
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
