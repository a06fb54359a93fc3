import * as assert from 'node:assert/strict';
import { otherFunctionsLocal } from '../src/code/scope';
import type { Language } from '../src/code/language';
import { postprocess } from '../src/completion/postprocess';

/** The name `line` reads out of scope when written at `|` of `file` (the line `|` stands on is replaced). */
function check(file: string, line: string, language: Language): string | undefined {
  const at = file.indexOf('|');
  const start = file.lastIndexOf('\n', at) + 1;
  const end = file.indexOf('\n', at);
  const lineHead = file.slice(start, at);
  return otherFunctionsLocal(lineHead + line, lineHead, file.slice(0, start), end < 0 ? '' : file.slice(end), language);
}

// golang-lru v2's lru.go, shortened: RemoveOldest's body is being written.
const GO = `package lru

// Add adds a value to the cache. Returns true if an eviction occurred.
func (c *Cache[K, V]) Add(key K, value V) (evicted bool) {
	var k K
	var v V
	c.lock.Lock()
	evicted = c.lru.Add(key, value)
	if c.onEvictedCB != nil && evicted {
		k, v = c.evictedKeys[0], c.evictedVals[0]
	}
	c.lock.Unlock()
	return
}

func (c *Cache[K, V]) initEvictBuffers() {
	c.evictedKeys = make([]K, 0, DefaultEvictedBufferSize)
	for i, pending := range c.queue {
		c.evictedVals = append(c.evictedVals, pending)
		_ = i
	}
}

// RemoveOldest removes the oldest item from the cache.
func (c *Cache[K, V]) RemoveOldest() (key K, value V, ok bool) {
	var k K
	c.lock.Lock()
	key, value, ok = c.lru.RemoveOldest()
	|
}
`;

const PY = `import logging

_LOG = logging.getLogger(__name__)


def total_size(parts):
    total = 0
    f = None
    for part in parts:
        total += len(part)
    return total


def describe(parts, label=None):
    """Say what the parts hold.

    The total is not counted here.
    |
    """
`;

const PY_BODY = PY.replace('    """Say what the parts hold.\n\n    The total is not counted here.\n    |\n    """\n', '    """Say what the parts hold."""\n    |\n');

const JS = `function stringify (value, replacer) {
  const partial = []
  let keys = Object.keys(value)
  keys.forEach(key => {
    partial.push(key)
  })
  return partial.join(',')
}

function serializeArray (value) {
  const stack = []
  stack.push(value)
  |
}
`;

const JAVA = `class Counter {
  private int limit = 10;

  int countUp(int[] values) {
    int count = 0;
    for (int v : values) count += v;
    return count;
  }

  int clamp(int value) {
    |
  }
}
`;

describe('code scope: a line reading another function\'s local', () => {
  it('names a Go result of another method, not the function\'s own or a package-level name', () => {
    assert.equal(check(GO, 'if c.onEvictedCB != nil && evicted {', 'go'), 'evicted');
    assert.equal(check(GO, 'if c.onEvictedCB != nil && ok {', 'go'), undefined);
    // A range variable of another function; declared on the line itself it is the line's own.
    assert.equal(check(GO, 'c.onEvictedCB(key, pending)', 'go'), 'pending');
    assert.equal(check(GO, 'for _, pending := range c.queue {', 'go'), undefined);
    // Another function reads it but none declares it: another file's (the package's) name.
    assert.equal(check(GO, 'c.evictedKeys = make([]K, 0, DefaultEvictedBufferSize)', 'go'), undefined);
    // Members and keys are not bare reads; the language's own names never are another's local.
    assert.equal(check(GO, 'c.evicted = c.stats{evicted: len(c.queue)}', 'go'), undefined);
  });

  it('names a Python local of another function, not a module-level name, a keyword argument or docstring prose', () => {
    assert.equal(check(PY_BODY, 'return total', 'python'), 'total');
    assert.equal(check(PY_BODY, 'return part.name', 'python'), 'part');
    assert.equal(check(PY_BODY, '_LOG.debug("parts: %d", len(parts))', 'python'), undefined);
    assert.equal(check(PY_BODY, 'total = sum(len(p) for p in parts)', 'python'), undefined);
    assert.equal(check(PY_BODY, 'return dict(total=len(parts), label=label)', 'python'), undefined);
    assert.equal(check(PY, 'The total is summed by total_size.', 'python'), undefined);
  });

  it('names a JavaScript local of another function; a closure\'s outer names and object keys are readable', () => {
    assert.equal(check(JS, "return partial.join(',')", 'javascript'), 'partial');
    assert.equal(check(JS, 'return { partial: stack.pop() }', 'javascript'), undefined);
    assert.equal(check(JS, 'const partial = stack.map(String)', 'javascript'), undefined);
    // Inside the callback of stringify, stringify's own locals are in scope.
    const inner = JS.replace('    partial.push(key)\n', '    |\n');
    assert.equal(check(inner, 'partial.push(keys.length)', 'javascript'), undefined);
  });

  it('does not judge Java, where a method reads an inherited field bare', () => {
    assert.equal(check(JAVA, 'return Math.min(value, count);', 'java'), undefined);
  });

  it('takes a parameter list being written, a call and a string prefix as no read of a local', () => {
    const signature = PY_BODY.replace('def describe(parts, label=None):\n    """Say what the parts hold."""\n    |\n', 'def describe(\n    parts,\n    |\n):\n    pass\n');
    assert.equal(check(signature, 'total=0,', 'python'), undefined);
    assert.equal(check(PY_BODY, 'return f"{len(parts)} parts"', 'python'), undefined);
    // Go: a package-level function of another file, called, though another function declares the name.
    assert.equal(check(GO.replace('_ = i', 'pending(i)'), 'pending(c.queue)', 'go'), undefined);
  });

  it('reads a window of the file: a function cut at its top is not the module', () => {
    // A long function whose start lies above the 80 lines read; its tail names `evicted`.
    const long = `func (c *Cache[K, V]) Long() (evicted bool) {\n${'\tc.touch()\n'.repeat(90)}\tevicted = c.full()\n\treturn\n}\n\n`;
    const file = GO.replace('// Add adds a value', `${long}// Add adds a value`);
    assert.equal(check(file, 'if c.onEvictedCB != nil && evicted {', 'go'), 'evicted');
  });

  it('says nothing outside a function', () => {
    assert.equal(check(JS.replace('function serializeArray (value) {\n  const stack = []\n  stack.push(value)\n  |\n}\n', '|\n'), 'module.exports = partial', 'javascript'), undefined);
  });

  it('makes postprocess show nothing for such a line', () => {
    const at = GO.indexOf('|');
    const prefix = GO.slice(0, at);
    const suffix = GO.slice(at + 1);
    assert.equal(postprocess({ completion: 'if c.onEvictedCB != nil && evicted {', prefix, suffix, mode: 'single', language: 'go' }), undefined);
    assert.equal(postprocess({ completion: 'if c.onEvictedCB != nil && ok {', prefix, suffix, mode: 'single', language: 'go' }), 'if c.onEvictedCB != nil && ok {');
  });
});
