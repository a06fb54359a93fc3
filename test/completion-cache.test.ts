import * as assert from 'node:assert/strict';
import { CompletionCache } from '../src/completion/cache';

describe('completion cache', () => {
  it('returns exact hits and evicts the least recently used', () => {
    const c = new CompletionCache({ maxEntries: 2 });
    c.set('a.ts', 'let x = ', ';', '1');
    c.set('a.ts', 'let y = ', ';', '2');
    assert.equal(c.get('a.ts', 'let x = ', ';'), '1'); // touches x
    c.set('a.ts', 'let z = ', ';', '3');
    assert.equal(c.size, 2);
    assert.equal(c.get('a.ts', 'let y = ', ';'), undefined);
    assert.equal(c.get('a.ts', 'let x = ', ';'), '1');
    assert.equal(c.get('b.ts', 'let x = ', ';'), undefined, 'keyed by file');
    assert.equal(c.get('a.ts', 'let x = ', ')'), undefined, 'keyed by suffix head');
  });

  it('keys on the prefix tail, so edits far above the cursor still hit', () => {
    const c = new CompletionCache({ prefixChars: 10 });
    c.set('a.ts', 'AAAA\n'.repeat(10) + 'const v = ', '', 'compute()');
    assert.equal(c.get('a.ts', 'BBBB\n'.repeat(10) + 'const v = ', ''), 'compute()');
  });

  it('gives the rest of a shown suggestion while the user types into it', () => {
    const c = new CompletionCache();
    const prefix = 'function area(r) {\n  return ';
    c.set('m.ts', prefix, '\n}', 'Math.PI * r * r;');
    assert.equal(c.get('m.ts', prefix + 'M', '\n}'), 'ath.PI * r * r;');
    assert.equal(c.get('m.ts', prefix + 'Math.PI', '\n}'), ' * r * r;');
    assert.equal(c.get('m.ts', prefix + 'Mx', '\n}'), undefined, 'typed something else');
    assert.equal(c.get('m.ts', prefix + 'Math.PI * r * r;', '\n}'), undefined, 'typed it all');
    assert.equal(c.get('m.ts', 'other\n' + 'Math', '\n}'), undefined, 'the text before differs');
  });
});
