import * as assert from 'node:assert/strict';
import { passageKeys, runsInFiles, streamSupported, SupportedLines, supports } from '../src/qa/support';

// A passage as retrieval cites it (a definition without a doc comment), and what a small model
// wrote after the lead in a trial: the help text of another file, then a line about the code.
const PASSAGE = `  compareMain (other) {
    if (!(other instanceof SemVer)) {
      other = new SemVer(other, this.options)
    }

    return (
      compareIdentifiers(this.major, other.major) ||
      compareIdentifiers(this.minor, other.minor) ||
      compareIdentifiers(this.patch, other.patch)
    )
  }
`;

describe('Q&A: the answer says what its passage supports', () => {
  const known = (text: string) => new SupportedLines(text);

  it('a line about the cited code is kept; a doc comment copied from other code is not', () => {
    const keys = passageKeys(PASSAGE);
    assert.ok(supports(keys, ' Compares the major, minor and patch identifiers of the other version.\n'));
    assert.ok(!supports(keys, ' Coerce a string into SemVer if possible (does not imply --loose)\n'));
    assert.ok(supports(keys, '}\n'), 'too few words to judge');
    assert.ok(supports(keys, '2 import\n') && !supports(keys, '\uFFFD2 import\n'), 'bytes that decode to no character');
    assert.ok(supports(passageKeys('import \uFFFD from x'), '\uFFFD2 import\n'), '... unless the passage has them too');
    assert.ok(!supports(passageKeys('function LRUCache(capacity) {'), 'LRUCache.\n'), 'one word alone says nothing (an H200 mnemonist trial)');
    assert.ok(supports(passageKeys('function LRUCache(capacity) {'), 'Returns it.\n') && supports(keys, 'Yes, `major`.\n'), 'two words are judged as before');
    // Words match by their first five letters, identifiers by their parts.
    assert.ok(supports(passageKeys('processResult(result)'), 'processing the results'));
  });

  it('a line that runs as another cited passage does (a doc copied whole) is not the lead\'s, even when their words meet', () => {
    // json5 in a trial: the lead named serializeProperty, the model went on with parse's doc comment.
    const lead = "function serializeProperty (key, holder) {\n  let value = holder[key]\n  if (value != null) {\n    if (typeof value.toJSON5 === 'function') value = value.toJSON5(key)\n  }\n  switch (typeof value) {\n  case 'string': return quoteString(value, false)\n  case 'object': return serializeObject(value)\n  }\n}\n// JSON5 string\n";
    const parseDoc = '/**\n * Parses a JSON5 string, constructing the JavaScript value or object described\n * by the string.\n */\ndeclare function parse<T = any>(text: string): T\n';
    const line = ' Parses a JSON5 string, constructing the JavaScript value or object described by the string.\n';
    assert.ok(supports(passageKeys(lead), line), 'its words alone are common enough to pass');
    const g = new SupportedLines(lead, [parseDoc]);
    assert.equal(g.push(line), '');
    assert.ok(g.stopped);
    // The same words in the lead's own passage are its own; a short line is not judged by runs.
    const own = new SupportedLines(lead + parseDoc, [parseDoc]);
    assert.equal(own.push(line), line);
    const short = new SupportedLines(lead, [parseDoc]);
    assert.equal(short.push(' Parses a JSON5 string.\n'), ' Parses a JSON5 string.\n');
  });

  it('a line that runs as a file retrieval did not cite does (the model read every file) is not the lead\'s', () => {
    // A ccache trial: the lead named `bucket`, which has no doc; the model went on with a comment of configuration.go.
    const lead = 'func (c *Cache) set(key string, value interface{}, duration time.Duration) *Item {\n\titem, existing := c.bucket(key).set(key, value, duration)\n\tc.promote(item)\n\treturn item\n}\n\nfunc (c *Cache) bucket(key string) *bucket {\n\th := fnv.New32a()\n\th.Write([]byte(key))\n\treturn c.buckets[h.Sum32()&c.bucketMask]\n}\n';
    const files = new Map([
      ['cache.go', `package ccache\n\n// An LRU cache\ntype Cache struct{}\n\n${lead}`],
      ['configuration.go', '// Typically, a cache is agnostic about how cached values are use. This is fine\n// for a typical cache usage.\nfunc (c *Configuration) Track() *Configuration {\n'],
    ]);
    const line = ' The cache is agnostic about how cached values are use. This is fine\n';
    assert.ok(supports(passageKeys(lead), line), 'its words alone pass');
    assert.equal(new SupportedLines(lead, []).push(line), line, 'without the workspace');
    const g = new SupportedLines(lead, [], runsInFiles(files));
    assert.equal(g.push(line), '');
    assert.ok(g.stopped);
    const own = ' Hashes the key with FNV and picks the cache bucket by its low bits.\n';
    assert.equal(new SupportedLines(lead, [], runsInFiles(files)).push(own), own, 'a line of its own words');
    // The lead passage's own words, found in its file too, are its own.
    const doc = '// Returns the bucket that holds the given key, by its hash\n' + lead;
    const files2 = new Map([['cache.go', doc]]);
    const quoted = ' Returns the bucket that holds the given key, by its hash.\n';
    assert.equal(new SupportedLines(doc, [], runsInFiles(files2)).push(quoted), quoted);
    assert.equal(new SupportedLines(lead, [], runsInFiles(files2)).push(quoted), '', 'said by the file, not by the passage');
    // A file edited since: its old words are gone.
    files2.set('cache.go', lead);
    assert.equal(new SupportedLines(lead, [], runsInFiles(files2)).push(quoted), quoted, 'no file says it now');
  });

  it('a line with a number the cited text never writes (two digits or more; 1_000_000 and 1,000,000 alike) is not supported', () => {
    // A humanize trial: the answer paraphrased intword's doc with a figure it never gave.
    const doc = 'def intword(value):\n    """Converts a large integer to a friendly text representation.\n\n    Works best for numbers over 1 million. For example, 1_000_000 becomes "1.0 million",\n    1200000 becomes "1.2 million" and "1_200_000_000" becomes "1.2 billion". Supports up\n    to decillion (33 digits) and googol (100 digits).\n    """\n    value = int64(value)\n';
    const wrong = 'For example, 1_000_000 becomes "1.0 million", 2_400_000_000_000 becomes "1.2 billion".\n';
    assert.ok(supports(passageKeys(doc), wrong), 'its words alone pass');
    const g = new SupportedLines(doc);
    assert.equal(g.push(wrong), '');
    assert.ok(g.stopped);
    const right = 'For example, 1,000,000 becomes "1.0 million" and 1_200_000_000 becomes "1.2 billion", up to 33 digits in 2 ways.\n';
    assert.equal(new SupportedLines(doc).push(right), right, 'numbers it writes, however grouped; one digit is not judged; int64 is a name');
  });

  it('streams whole lines, stops at the first unsupported one and keeps what followed it apart', () => {
    const g = known(PASSAGE);
    let shown = '';
    for (const delta of [' Compares the major, ', 'minor and patch', ' of the other.\nCoerce a string ', 'into SemVer if possible\n', 'more text\n']) shown += g.push(delta);
    shown += g.end();
    assert.equal(shown, ' Compares the major, minor and patch of the other.\n');
    assert.equal(g.kept, shown);
    assert.ok(g.stopped);
    assert.equal(g.dropped, 'Coerce a string into SemVer if possible\nmore text\n');
  });

  it('a line shown as code must be a line of the cited text: a misquoted example, or a fence, ends the text', () => {
    // A toml trial's summary of dumps(): the doc's example "quoted" with "I't" for "I'm".
    const doc = `def dumps(o, encoder=None):\n    \"\"\"Stringifies input dict as toml\n\n    Examples:\n        >>> import toml\n        >>> output = {\n        ... 'a': "I'm a string",\n        ... 'b': ["I'm", "a", "list"],\n        ... }\n    \"\"\"\n    retval = ""\n`;
    const g = known(doc);
    let shown = '';
    for (const line of ['Toml:\n', '    >>> import toml\n', "    ... 'a': \"I'm a string\",\n", '    ... \'b\': ["I\'t", "a", "list"],\n', '    ... }\n']) shown += g.push(line);
    assert.equal(shown, "Toml:\n    >>> import toml\n    ... 'a': \"I'm a string\",\n");
    assert.ok(g.stopped);
    // A fence ends the text (the answer ends with the cited code; user2's answers opened one and the gate left it open).
    const f = known(doc);
    assert.equal(f.push(' Stringifies the dict.\n```python\nretval = ""\n```\n'), ' Stringifies the dict.\n');
    assert.ok(f.stopped);
    // Prose is not judged as code.
    assert.equal(known(doc).push(' Stringifies the dict as toml.\n'), ' Stringifies the dict as toml.\n');
    // Doc markup ends it too, though the cited doc spells it (a mnemonist trial: "@param  {any} key   - Key.").
    const jsdoc = known('/**\n * Sets the value for the key.\n *\n * @param  {any} key   - Key.\n */\nLRUCache.prototype.set = function(key, value) {\n');
    assert.equal(jsdoc.push(' Sets the value for the key.\n@param  {any} key   - Key.\n'), ' Sets the value for the key.\n');
    assert.ok(jsdoc.stopped);
  });

  it('an answer stopped by a loop does not show its unfinished last line (where the repeat began)', async () => {
    const run = async (stopped: 'loop' | 'end') => {
      let shown = '';
      const text = ' Compares the major and minor of the other.\n Compares the major and minor';
      const r = await streamSupported(async (onText) => (onText(text), { text, stopped }), known(PASSAGE), (d) => (shown += d), new AbortController().signal);
      return { r, shown };
    };
    assert.deepEqual(await run('loop'), { r: 'loop', shown: ' Compares the major and minor of the other.\n' });
    assert.deepEqual(await run('end'), { r: 'end', shown: ' Compares the major and minor of the other.\n Compares the major and minor' });
  });

  it('the last line without a line end is judged at the end', () => {
    const ok = known(PASSAGE);
    assert.equal(ok.push(' compares major and minor'), '');
    assert.equal(ok.end(), ' compares major and minor');
    const bad = known(PASSAGE);
    bad.push(' Coerce a string into SemVer if possible');
    assert.equal(bad.end(), '');
    assert.ok(bad.stopped);
  });
});
