// Model output to safe HTML: marked renders the markdown, DOMPurify keeps only a small list of tags
// and attributes that markdown produces (no ids, classes, styles, dialogs, popovers, images, frames,
// forms, background= ...) and https links. The webview's CSP is the second wall.
import DOMPurify from 'dompurify';
import { marked } from 'marked';

const PURIFY = {
  ALLOWED_TAGS: ['p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'b', 'i', 'del', 's', 'code', 'pre', 'kbd', 'sub', 'sup', 'blockquote', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  ALLOWED_ATTR: ['href', 'title', 'align', 'start'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: /^https:\/\//i,
};

let hooked = false;

/**
 * Deeper nesting than this is no answer to render: marked recurses once per level, and whether 1,900
 * nested quotes overflowed the stack depended on the JIT (a full test run once rendered them).
 */
const MAX_DEPTH = 64;

/** A line that opens more than MAX_DEPTH blockquotes, or a list item indented past that many levels. */
function tooDeep(markdown) {
  for (const line of markdown.split('\n')) {
    const quotes = /^[\s>]*/.exec(line)[0].replace(/[^>]/g, '').length;
    const item = /^([ \t]*)(?:[-*+]|\d+[.)])\s/.exec(line);
    if (quotes > MAX_DEPTH || (item && item[1].replace(/\t/g, '    ').length > 2 * MAX_DEPTH)) return true;
  }
  return false;
}

/** Sanitised HTML for a markdown string (the same function the Q&A webview renders answers with). */
export function renderMarkdown(markdown) {
  if (!hooked) {
    // Links that survive (https only) open outside the webview, without a referrer.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        if (node.hasAttribute('href')) node.setAttribute('rel', 'noopener noreferrer');
        else node.removeAttribute('title');
      }
    });
    hooked = true;
  }
  if (tooDeep(String(markdown))) throw new RangeError(`markdown nested deeper than ${MAX_DEPTH} levels`);
  const html = marked.parse(String(markdown), { async: false, gfm: true });
  return DOMPurify.sanitize(html, PURIFY);
}
