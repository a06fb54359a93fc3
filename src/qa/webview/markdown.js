// Model output to safe HTML: marked renders the markdown, DOMPurify removes everything that could
// run code or load anything (scripts, event handlers, javascript: and data: URLs, styles, images,
// frames, forms). The webview's CSP is the second wall.
import DOMPurify from 'dompurify';
import { marked } from 'marked';

const PURIFY = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'img', 'picture', 'video', 'audio', 'source', 'iframe', 'form', 'input', 'button', 'textarea', 'select', 'svg', 'math', 'link', 'meta', 'base'],
  FORBID_ATTR: ['style', 'srcset', 'src', 'action', 'formaction', 'target'],
  ALLOWED_URI_REGEXP: /^https:\/\//i,
};

let hooked = false;

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
  const html = marked.parse(String(markdown), { async: false, gfm: true });
  return DOMPurify.sanitize(html, PURIFY);
}
