import * as assert from 'node:assert/strict';
import { findDefinitions, moduleDoc, type Definition } from '../src/code/definitions';
import { languageOf } from '../src/code/language';
import { scanLines } from '../src/code/shape';
import { indexFiles, retrieve } from '../src/qa/retrieval';
import { definitionSymbols, filePlan } from '../src/summarize/prompt';

/** [name, kind, owner, line, endLine] of each definition. */
const shape = (defs: Definition[]) => defs.map((d) => [d.name, d.kind, d.owner, d.line, d.endLine]);

const RUST = [
  '//! Small vectors that keep their first items inline.', // 1
  '', // 2
  '/// A vector that stores up to `N` items without allocating.', // 3
  '#[derive(Debug, Clone)]', // 4
  'pub struct InlineVec<T, const N: usize> {', // 5
  '    len: usize,', // 6
  '}', // 7
  '', // 8
  "impl<'a, T: Clone, const N: usize> InlineVec<T, N>", // 9
  'where', // 10
  '    T: Default,', // 11
  '{', // 12
  '    /// Appends an item, spilling to the heap when full.', // 13
  "    pub fn push(&mut self, item: T) -> Result<(), &'a str> {", // 14
  "        if self.len == N { return Err(\"full: '}'\"); }", // 15
  "        let _c = '{';", // 16
  '        self.len += 1;', // 17
  '        Ok(())', // 18
  '    }', // 19
  '', // 20
  '    fn first<\'b>(&\'b self) -> Option<&\'b T> {', // 21
  '        None', // 22
  '    }', // 23
  '}', // 24
  '', // 25
  'pub trait Spill {', // 26
  '    /// Moves the items to the heap.', // 27
  '    fn spill(&mut self);', // 28
  '    fn spilled(&self) -> bool {', // 29
  '        false', // 30
  '    }', // 31
  '}', // 32
  '', // 33
  "impl<'a, T> Iterator for &'a InlineVec<T, 4> {", // 34
  '    type Item = &\'a T;', // 35
  '    fn next(&mut self) -> Option<Self::Item> {', // 36
  '        None', // 37
  '    }', // 38
  '}', // 39
  '', // 40
  '/// Builds a vector from a slice.', // 41
  'pub(crate) fn from_slice<T: Clone>(', // 42
  '    items: &[T],', // 43
  ') -> InlineVec<T, 4> {', // 44
  '    todo!()', // 45
  '}', // 46
  '', // 47
  '#[cfg(test)]', // 48
  'mod tests {', // 49
  '    #[test]', // 50
  '    fn push_spills() {', // 51
  '        assert!(true);', // 52
  '    }', // 53
  '}', // 54
  '',
].join('\n');

const JAVA = [
  'package org.example.cache;', // 1
  '', // 2
  '/**', // 3
  ' * A cache that evicts the least recently used entry.', // 4
  ' */', // 5
  'public class LruCache<K, V> extends Base implements Cache<K, V> {', // 6
  '    private final Map<K, V> map = new LinkedHashMap<>(16, 0.75f, true);', // 7
  '', // 8
  '    /** Makes a cache that holds at most {@link #capacity} entries. */', // 9
  '    public LruCache(int capacity) {', // 10
  '        this.capacity = capacity;', // 11
  '    }', // 12
  '', // 13
  '    @Override', // 14
  '    @SuppressWarnings("unchecked")', // 15
  '    public synchronized <R> V get(Object key,', // 16
  '                                 Function<K, R> loader) {', // 17
  '        if (key == null) {', // 18
  '            throw new IllegalArgumentException("key");', // 19
  '        }', // 20
  "        char c = '}';", // 21
  '        return map.get(key);', // 22
  '    }', // 23
  '', // 24
  '    interface Listener {', // 25
  '        void evicted(Object key);', // 26
  '    }', // 27
  '}', // 28
  '',
].join('\n');

const C = [
  '/* Copyright 2020 Someone. MIT license. */', // 1
  '#include <stddef.h>', // 2
  '', // 3
  '/* A bucket of the table. */', // 4
  'typedef struct', // 5
  '{', // 6
  '   size_t hash;', // 7
  '} bucket_t;', // 8
  '', // 9
  'int table_find(const table_t *t, const char *key);', // 10
  '', // 11
  '/* Hashes a string with the seed. */', // 12
  'static size_t', // 13
  'hash_string (const char *str, size_t seed)', // 14
  '{', // 15
  "   if (*str == '{') return 0;", // 16
  '   FOR_EACH(str) {', // 17
  '      seed ^= (size_t)*str;', // 18
  '   }', // 19
  '   return seed;', // 20
  '}', // 21
  '', // 22
  '#define MAX(a, b) ((a) > (b) ? (a) : (b))', // 23
  'void table_free(void)', // 24
  '{', // 25
  '   free(NULL);', // 26
  '}', // 27
  '',
].join('\n');

const CPP = [
  'namespace json', // 1
  '{', // 2
  '/*!', // 3
  '@brief lexical analysis of a JSON text', // 4
  '*/', // 5
  'template<typename Input>', // 6
  'class lexer : public lexer_base', // 7
  '{', // 8
  '  public:', // 9
  '    explicit lexer(Input&& adapter) noexcept', // 10
  '        : ia(std::move(adapter))', // 11
  '        , comments(false)', // 12
  '    {}', // 13
  '', // 14
  '    /// scan a string literal', // 15
  '    token scan_string()', // 16
  '    {', // 17
  '        /* reads the text (until the closing quote) */', // 18
  '        return token::value;', // 19
  '    }', // 20
  '};', // 21
  '', // 22
  'std::string lexer_base::token_name(const token t) const', // 23
  '{', // 24
  '    return "}";', // 25
  '}', // 26
  '}  // namespace json', // 27
  '',
].join('\n');

describe('definitions in Rust, Java, C and C++', () => {
  it('knows the languages by their extensions', () => {
    assert.deepEqual(['lib.rs', 'A.java', 'x.c', 'x.h', 'x.cc', 'x.cpp', 'x.hpp', 'x.txt'].map(languageOf), ['rust', 'java', 'c', 'c', 'cpp', 'cpp', 'cpp', 'other']);
  });

  it("Rust: an impl's functions are its type's methods (a where clause, lifetimes and character literals in the way); a trait's declared method and a unit test are none", () => {
    const defs = findDefinitions(RUST, 'rust');
    assert.deepEqual(shape(defs), [
      ['InlineVec', 'class', undefined, 5, 7],
      ['push', 'method', 'InlineVec', 14, 19],
      ['first', 'method', 'InlineVec', 21, 23],
      ['Spill', 'class', undefined, 26, 32],
      ['spilled', 'method', 'Spill', 29, 31],
      ['next', 'method', 'InlineVec', 36, 38],
      ['from_slice', 'function', undefined, 42, 46],
    ]);
    const push = defs[1];
    assert.equal(push.doc, 'Appends an item, spilling to the heap when full.');
    assert.equal(push.param, 'item', '`&mut self` passed over');
    assert.equal(defs[0].doc, 'A vector that stores up to `N` items without allocating.', 'the attribute between the doc and the struct skipped');
    assert.equal(defs[0].docLine, 3);
    assert.equal(defs[6].param, 'items');
    assert.equal(moduleDoc(RUST, 'rust'), 'Small vectors that keep their first items inline.');
    // A lifetime is no quote: the brackets of the lines stay balanced.
    const s = scanLines(RUST.split('\n'), 'rust');
    assert.equal(s.depthEnd[13], 2, "push's body open after its signature");
    assert.equal(s.depthEnd[15], 2, "'{' is a character");
    assert.equal(s.depthEnd[23], 0);
  });

  it('Java: a class, its constructor and methods (annotations and a signature over two lines), not a field, a call or an interface method without a body', () => {
    const defs = findDefinitions(JAVA, 'java');
    assert.deepEqual(shape(defs), [
      ['LruCache', 'class', undefined, 6, 28],
      ['LruCache', 'method', 'LruCache', 10, 12],
      ['get', 'method', 'LruCache', 16, 23],
      ['Listener', 'class', undefined, 25, 27],
    ]);
    assert.equal(defs[0].doc, 'A cache that evicts the least recently used entry.');
    assert.equal(defs[1].doc, 'Makes a cache that holds at most #capacity entries.');
    assert.equal(defs[1].param, 'capacity');
    assert.equal(defs[2].docLine, 14, 'its annotations belong to it');
    assert.equal(defs[2].param, 'key');
  });

  it('C: a function whose return type stands on the line above, an anonymous typedef named after its brace; not a prototype, a macro or a call', () => {
    const defs = findDefinitions(C, 'c');
    assert.deepEqual(shape(defs), [
      ['bucket_t', 'class', undefined, 5, 8],
      ['hash_string', 'function', undefined, 13, 21],
      ['table_free', 'function', undefined, 24, 27],
    ]);
    assert.equal(defs[0].doc, 'A bucket of the table.');
    assert.equal(defs[1].doc, 'Hashes a string with the seed.');
    assert.equal(defs[1].param, 'str');
    assert.equal(defs[2].param, undefined, '(void) has no parameter');
  });

  it("C and C++: a documented prototype is a definition (an API's header), as is Java's documented interface method, unless the file also gives it a body; a block comment without stars is its doc, a linter's directive is none", () => {
    const header = [
      '#ifndef INI_H', // 1
      '#define INI_H', // 2
      '', // 3
      'int undocumented(void);', // 4
      '', // 5
      '/* Parse given INI-style file. May have [section]s.', // 6
      '', // 7
      '   For each name=value pair parsed, call handler function.', // 8
      '*/', // 9
      'INI_API int ini_parse(const char* filename, ini_handler handler, void* user);', // 10
      '', // 11
      '/* Typedef for prototype of fgets-style reader function. */', // 12
      'typedef char* (*ini_reader)(char* str, int num, void* stream);', // 13
      '', // 14
      '// Frees the table.', // 15
      'void table_free(table_t *t);', // 16
      '', // 17
      'class Reader {', // 18
      ' public:', // 19
      '    // Return the result of ini_parse().', // 20
      '    int ParseError() const;', // 21
      '    // NOLINTNEXTLINE(readability-redundant-declaration)', // 22
      '    friend bool operator!=(const Reader& a, const Reader& b);', // 23
      '};', // 24
      '', // 25
      'void table_free(table_t *t) {', // 26
      '  free(t);', // 27
      '}', // 28
    ].join('\n');
    const defs = findDefinitions(header, 'cpp');
    assert.deepEqual(shape(defs), [
      ['ini_parse', 'function', undefined, 10, 10],
      ['Reader', 'class', undefined, 18, 24],
      ['ParseError', 'method', 'Reader', 21, 21],
      ['table_free', 'function', undefined, 26, 28],
    ]);
    assert.equal(defs[0].doc, 'Parse given INI-style file. May have [section]s.');
    assert.deepEqual(defs[0].docMore, ['For each name=value pair parsed, call handler function.']);
    assert.equal(defs[0].docLine, 6, 'the block comment from its `/*`, though its lines have no stars');
    assert.equal(defs[2].doc, 'Return the result of ini_parse().');
    // Java's interface method under its Javadoc, as BeanShell's `Node.jjtGetChild`; not one without.
    const java = findDefinitions(['public interface Node {', '    /** This method returns a child node. */', '    Node jjtGetChild(int i);', '    int jjtGetNumChildren();', '}'].join('\n'), 'java');
    assert.deepEqual(shape(java), [
      ['Node', 'class', undefined, 1, 5],
      ['jjtGetChild', 'method', 'Node', 3, 3],
    ]);
  });

  it("C and C++: a file's opening comment is its module doc, unless it is a licence, a banner or its first definition's doc", () => {
    assert.equal(moduleDoc(C, 'c'), undefined, 'a licence');
    assert.equal(moduleDoc('// stb_rect_pack.h - v1.01 - rectangle packing\n// Sean Barrett 2014\n//\n// Useful for atlases.\n\n#ifndef STB_RECT_PACK_H\n', 'c'), 'stb_rect_pack.h - v1.01 - rectangle packing Sean Barrett 2014');
    assert.equal(moduleDoc('/**\n * @file lexer.hpp\n * @brief Splits JSON text into tokens.\n */\n#pragma once\n', 'cpp'), 'Splits JSON text into tokens.');
    assert.equal(moduleDoc('//     __ _____ _____\n//  __|  |   __|     |   JSON\n\n#pragma once\n', 'cpp'), undefined, 'a banner');
    assert.equal(moduleDoc('/* Frees the table. */\nvoid table_free(table_t *t) {\n}\n', 'c'), undefined, "the first function's doc");
  });

  it("C++: a namespace's class with Doxygen's doc, its constructor (not its initializers) and methods, a method defined outside its class", () => {
    const defs = findDefinitions(CPP, 'cpp');
    assert.deepEqual(shape(defs), [
      ['lexer', 'class', undefined, 7, 21],
      ['lexer', 'method', 'lexer', 10, 13],
      ['scan_string', 'method', 'lexer', 16, 20],
      ['token_name', 'method', 'lexer_base', 23, 26],
    ]);
    assert.equal(defs[0].doc, 'lexical analysis of a JSON text', "`@brief` is the summary, not a tag");
    assert.equal(defs[0].docLine, 3, 'the template head between the doc and the class skipped');
    assert.equal(defs[2].doc, 'scan a string literal');
    assert.equal(defs[3].param, 't');
  });

  it('a summary names their types by keyword and lists them; a question cites the Rust method that answers it', () => {
    const symbols = definitionSymbols('src/lib.rs', RUST);
    assert.deepEqual(symbols.map((s) => [s.name, s.kind]), [
      ['InlineVec', 'Struct'],
      ['InlineVec.push', 'Method'],
      ['InlineVec.first', 'Method'],
      ['Spill', 'Trait'],
      ['InlineVec.next', 'Method'],
      ['from_slice', 'Function'],
    ]);
    assert.equal(filePlan('src/lib.rs', RUST, symbols)[0].text, 'Defines `InlineVec`, `Spill` and `from_slice`.\n\nSmall vectors that keep their first items inline.\n');
    const files = new Map([
      ['src/lib.rs', RUST],
      ['src/Cache.java', JAVA],
      ['README.md', '# inline\n\nA vector that spills to the heap when it is full.\n'],
    ]);
    const hits = retrieve(indexFiles(files), 'Where does the vector spill an item to the heap when it is full?');
    assert.equal(hits[0].path, 'src/lib.rs');
    assert.ok(hits[0].startLine <= 14 && hits[0].endLine >= 19, `the whole of push is cited (${hits[0].startLine}-${hits[0].endLine})`);
  });
});
