import * as assert from 'node:assert/strict';
import { documentText, modelText, modelWindows } from '../src/code/line-ends';
import { ModelSession } from '../src/worker/session';
import { fixtureDir } from './helpers/fixtures';
import { tempDir, writeFiles } from './helpers/workspace';

// A CRLF file reads as the model was trained to read code: with "\n" line ends (training/corpus.py
// normalized them; a tabulate.py trial in CRLF got no suggestion worth showing).

const LF = 'def _padboth(width, s):\n    """Center string."""\n    fmt = "{0:^%ds}" % width\n    return fmt.format(s)\n\n\ndef _padnone(ignore_width, s):\n    return s\n';
const CRLF = LF.replace(/\n/g, '\r\n');

describe('line ends: what the model reads', () => {
  it('modelText ends every line in "\\n" (CRLF and a lone CR alike) and leaves LF text as it is', () => {
    assert.equal(modelText(CRLF), LF);
    assert.equal(modelText('a\rb\r\nc\n'), 'a\nb\nc\n');
    assert.equal(modelText(LF), LF);
    assert.equal(modelText(CRLF).split('\n').length, CRLF.split('\r\n').length, 'line numbers stay');
  });

  it("a CRLF document's completion windows are the LF document's, and the prefix starts where it does in the LF text", () => {
    // The provider's cut: a window of the document's characters before and after the cursor.
    const cursor = CRLF.indexOf('fmt = ');
    for (const start of [0, 5, CRLF.indexOf('    """'), cursor]) {
      const line = CRLF.slice(0, start).split('\r\n').length - 1;
      const w = modelWindows(CRLF.slice(start, cursor), CRLF.slice(cursor, cursor + 40), start, line, true);
      const lfCursor = LF.indexOf('fmt = ');
      assert.equal(LF.slice(w.prefixOffset, lfCursor), w.prefix, `window from ${start}`);
      assert.ok(!w.prefix.includes('\r') && !w.suffix.includes('\r'));
      assert.ok(LF.slice(lfCursor).startsWith(w.suffix));
    }
    assert.deepEqual(modelWindows('a\r\n', 'b', 7, 2, false), { prefix: 'a\r\n', suffix: 'b', prefixOffset: 7 }, 'an LF document is sent as it is');
  });

  it("a suggestion goes back in the document's line ends", () => {
    assert.equal(documentText('x = 1\ny = 2', true), 'x = 1\r\ny = 2');
    assert.equal(documentText('x = 1\ny = 2', false), 'x = 1\ny = 2');
  });

  it('the worker reads a CRLF file on disk and CRLF editor text as their LF versions: the same text for questions, the same tokens for the state', async function () {
    this.timeout(120_000);
    const root = tempDir('line-ends');
    // Paths of the same tokens, so the two files' token counts differ only by their text.
    await writeFiles(root, { 'a/m.py': CRLF, 'b/m.py': LF });
    const s = new ModelSession();
    await s.load({ modelDir: fixtureDir('samba-tiny'), backend: 'cpu' });
    try {
      await s.open({ root, filter: {}, budgetTokens: 100_000 });
      const tokens = () => Object.fromEntries(s.describe().files.map((f) => [f.path, f.tokens]));
      assert.equal(tokens()['a/m.py'], tokens()['b/m.py']);
      let texts = await s.assistant().files();
      assert.equal(texts.get('a/m.py'), LF);
      // Unsaved editor text in CRLF (an editor keeps a file's own line ends).
      const edited = CRLF.replace('return s', 'return s.strip()');
      s.update([{ kind: 'edit', path: 'a/m.py', text: edited }]);
      await s.whenIdle();
      texts = await s.assistant().files();
      assert.equal(texts.get('a/m.py'), modelText(edited));
      assert.ok(![...texts.values()].some((t) => t.includes('\r')));
    } finally {
      s.dispose();
    }
  });
});
