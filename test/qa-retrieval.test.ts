import * as assert from 'node:assert/strict';
import { LocalAssistant } from '../src/assistant/local-assistant';
import { splitPassages } from '../src/qa/passages';
import { MODEL_MARGIN, NO_CODE_WEIGHT, asksForCode, contendingFiles, indexFiles, lexicalFiles, mostlyText, retrieve } from '../src/qa/retrieval';
import { isTestOrDeclaration } from '../src/code/language';
import { Bm25Index } from '../src/qa/bm25';
import { queryTerms, terms } from '../src/qa/terms';
import { hitRates, qaQuestions, qaWorkspace } from './helpers/qa-workspace';
import { loadTiny } from './helpers/workspace';

/** An index without the ranker's word vectors (src/qa/ranker.ts): what the lexical rules alone do. */
function bm25Only(files: ReadonlyMap<string, string>): Bm25Index {
  const index = new Bm25Index({}, null);
  index.sync(files);
  return index;
}

describe('qa retrieval', () => {
  it('splits identifiers on camelCase, snake_case and acronyms, and stems lightly', () => {
    assert.deepEqual(terms('getUserName'), ['user', 'name', 'getusername']);
    assert.deepEqual(terms('FREE_SHIPPING_THRESHOLD'), ['free', 'shipp', 'threshold', 'free_shipping_threshold']);
    assert.deepEqual(terms('HTTPServer parses'), ['http', 'server', 'httpserver', 'pars']);
    assert.deepEqual(terms('parsing parsed parse'), ['pars', 'pars', 'pars']);
    assert.deepEqual(terms('What is the'), []);
    // A stop word stays out however it stems ("where" stems to "wher", "there" to "ther").
    assert.deepEqual(terms('Where are there numbers'), ['number']);
    // A negated word also counts as its root; a short root does not ("index", "until").
    assert.deepEqual(terms('InvalidVersion unknown index until'), ['invalid', 'valid', 'version', 'invalidversion', 'unknown', 'known', 'index', 'until']);
    // "file" is a word code names (FilesCompleter, a file name), but not in "Which file ...", which asks where.
    assert.ok(terms('FilesCompleter').includes('file') && queryTerms('How are file names filtered?').includes('file'));
    assert.ok(!queryTerms('Which file parses the version?').includes('file') && !queryTerms('what files hold tests').includes('file'));
  });

  it("a question's words in a row meet an identifier's adjacent parts; questions the code answers prefer it to tests and declarations", () => {
    assert.deepEqual(terms('isRowSelected', true).filter((t) => t.startsWith('+')).sort(), ['+isrow', '+isrowselected', '+rowselected']);
    assert.ok(!terms('isRowSelected').some((t) => t.startsWith('+')), 'runs only when asked (indexing)');
    // A "word" of thousands of parts (a base64 blob) gives runs of at most 6 parts, not every run of it.
    const runs = terms('Ab'.repeat(3000), true).filter((t) => t.startsWith('+'));
    assert.ok(runs.length <= 5 * 3000 && runs.length > 3000, `${runs.length} runs`);
    assert.ok(runs.includes('+ababab') && runs.every((t) => t.length <= 1 + 6 * 2), 'of 2 to 6 parts');
    assert.ok(queryTerms('How is it decided whether it is row selected?').includes('+isrowselected'));
    // Every word of "is function" is a stop word alone; joined, they name isFunction.
    const files = new Map([
      ['src/util.ts', 'export function isFunction(x: unknown): boolean {\n  return typeof x === "function";\n}\n'],
      ['src/other.ts', 'export function run(f: () => void) {\n  f();\n}\n'],
      ['src/util.test.ts', 'import { isFunction } from "./util";\nit("isFunction", () => expect(isFunction(() => 1)).toBe(true));\n'],
      ['types/util.d.ts', 'export declare function isFunction(x: unknown): boolean;\n'],
    ]);
    const index = indexFiles(files);
    assert.deepEqual(terms('is function'), []);
    const ranked = retrieve(index, 'How is it decided whether it is function?').map((p) => p.path);
    assert.equal(ranked[0], 'src/util.ts');
    assert.ok(ranked.indexOf('src/util.test.ts') > 0 && ranked.indexOf('types/util.d.ts') > 0);
    for (const p of ['src/util.test.ts', 'types/util.d.ts']) {
      const bm25 = index.search('How is it decided whether it is function?').find((h) => h.passage.path === p)!.score;
      assert.equal(retrieve(index, 'How is it decided whether it is function?').find((x) => x.path === p)!.score, bm25 * 0.5, `${p} weighed down`);
      assert.equal(retrieve(index, 'what is function').find((x) => x.path === p)!.score, bm25, 'not for a question of what something is');
    }
    // Behaviour asked as "what happens" or "when ..." is answered by the code too.
    assert.ok(asksForCode('What happens when the value is a function?') && asksForCode('When converting, how is it checked?') && !asksForCode('What is a function?'));
    assert.ok(asksForCode('Are infinite values allowed?') && asksForCode('If I pass "300", what unit is assumed?') && asksForCode('Why does "8.00" convert?') && asksForCode('During tab completion, how is a flag offered?'));
    assert.ok(!asksForCode("What's a draft?") && !asksForCode('What are the defaults?'), 'what something is: a document may say it as well');
    assert.ok(!asksForCode('How do I install it?') && !asksForCode('Where is the license?') && !asksForCode('Which docs explain the cache?'), 'the project\'s documents');
    assert.ok(asksForCode('Whatever is passed, how is it checked?') && asksForCode('How are the dockets sorted?'), 'whole words only');
    assert.ok(isTestOrDeclaration('cmd/args_test.go') && isTestOrDeclaration('types/index.js.flow') && isTestOrDeclaration('tests/test_x.py') && !isTestOrDeclaration('src/testing.ts'));
  });

  it('code that is mostly text (a CLI help, not a docstring) is weighed down like documentation for a question the code answers', () => {
    const help = 'const help = () => console.log(\n`SemVer\n\nUsage: semver [options] <version>\n\n-i --increment [<level>]\n        Increment a version by the specified level.\n        Level can be one of: major, minor, patch, premajor,\n        preminor, prepatch, or prerelease.\n`)\n';
    const files = new Map([
      ['bin/semver.js', help],
      ['classes/semver.js', 'class SemVer {\n  inc (release, identifier) {\n    switch (release) {\n      case \'prerelease\':\n        this.prerelease.push(0)\n        break\n    }\n    return this\n  }\n}\n'],
    ]);
    const index = indexFiles(files);
    const q = 'Where is a prerelease version incremented?';
    const bm25 = (path: string) => index.search(q).find((h) => h.passage.path === path)!.score;
    const got = (question: string, path: string) => retrieve(index, question).find((x) => x.path === path)!.score;
    assert.equal(got(q, 'bin/semver.js'), bm25('bin/semver.js') * 0.5, 'the help text weighed down');
    assert.equal(got(q, 'classes/semver.js'), bm25('classes/semver.js'), 'the code not');
    assert.equal(got('What is the prerelease version incremented by?', 'bin/semver.js'), bm25('bin/semver.js'), 'not for a question of what something is');
    const passage = (path: string, text: string) => ({ path, startLine: 1, endLine: text.split('\n').length, text });
    assert.ok(mostlyText(passage('bin/semver.js', help)));
    const py = 'def parse(version):\n    """Parse the given version string.\n\n    Returns a Version.\n    It raises when invalid.\n    """\n    return Version(version)\n';
    assert.ok(!mostlyText(passage('version.py', py)), 'a docstring is not text in code');
    assert.ok(mostlyText(passage('cli.py', 'USAGE = """\nusage: tool [options]\n  -h  help\n  -v  verbose\n"""\n')));
    assert.ok(!mostlyText(passage('a.ts', '/**\n * A long comment\n * over lines\n */\nexport const x = 1;\n')), 'comments are not strings');
  });

  it('a passage where no code starts or runs (constants, types) weighs NO_CODE_WEIGHT for a question the code answers, unless it asks for a type', () => {
    // The shape of golang-lru's 2q.go (a user trial): a const block whose comments share the question's words, then the method that does it.
    const go = [
      'package lru',
      '',
      'const (',
      '\t// Default2QRecentRatio is the ratio of the 2Q cache dedicated',
      '\t// to recently added entries that have only been accessed once.',
      '\tDefault2QRecentRatio = 0.25',
      ')',
      '',
      '// TwoQueueCache is a fixed size 2Q cache.',
      'type TwoQueueCache struct {',
      '\tsize int',
      '}',
      '',
      '// Get looks up a key\'s value from the cache.',
      'func (c *TwoQueueCache) Get(key interface{}) (value interface{}, ok bool) {',
      '\t// If the value is contained in recent, then we',
      '\t// promote it to frequent',
      '\tif val, ok := c.recent.Peek(key); ok {',
      '\t\tc.frequent.Add(key, val)',
      '\t\treturn val, ok',
      '\t}',
      '\treturn nil, false',
      '}',
      '',
    ].join('\n');
    const index = indexFiles(new Map([['2q.go', go]]), { joinLines: 1 });
    const score = (q: string, line: number) => ({ bm25: index.search(q).find((h) => h.passage.startLine === line)!.score, got: retrieve(index, q).find((x) => x.startLine === line)!.score });
    const q = 'What happens to a recently added entry when it is read again?';
    const head = score(q, 1);
    assert.equal(head.got, head.bm25 * NO_CODE_WEIGHT, 'the const block weighed down');
    const get = score(q, 14);
    assert.equal(get.got, get.bm25, 'the method not');
    const type = score('Which struct holds a 2Q cache that is recently added to?', 9);
    assert.equal(type.got, type.bm25, 'a question that asks for a type: types keep their weight');
    assert.equal(score('What are recently added entries?', 1).got, score('What are recently added entries?', 1).bm25, 'not for a question of what something is');
  });

  it('"can be drafted" meets the adjective code names it by (isDraftable), not only the verb (isDraft)', () => {
    const files = new Map([
      ['src/draft.ts', '/** Returns true if the value is a draft */\nexport function isDraft(value: any): boolean {\n  return !!value && !!value[STATE];\n}\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n'],
      ['src/kinds.ts', 'export function isDraftable(value: any): boolean {\n  return isPlainObject(value) || Array.isArray(value);\n}\n'],
      ['src/create.ts', 'export function createDraft(base: any) {\n  const draft = makeDraft(base);\n  return draft;\n}\n'],
    ]);
    assert.ok(queryTerms('Can a value be drafted?').includes(terms('draftable')[0]));
    assert.ok(queryTerms('is it parsed').every((t) => !t.includes('able')), 'only after "be"');
    // BM25's terms alone: the ranker's vectors know "draft" and "value" but not the rarer "draftable"
    // (outside their 7,000 terms), so with them isDraft's documented passage leads this miniature.
    assert.equal(retrieve(bm25Only(files), 'How is it decided whether a value can be drafted?')[0].path, 'src/kinds.ts');
  });

  it('the passage that defines what a question names outranks one that uses its words more', () => {
    const files = new Map([
      ['src/aggregationFns.ts', 'export const median: AggregationFn = (columnId, leafRows) => {\n  const sorted = leafRows.map((row) => row.getValue(columnId)).sort((a, b) => a - b)\n  const mid = Math.floor(sorted.length / 2)\n  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2\n}\n'],
      ['src/grouping.ts', '// For each group the aggregated value of a column is calculated: its sum, mean or median,\n// as the column says, from the values of the column in the grouped rows.\nexport function aggregateGroups(groups, column) {\n  for (const g of groups) g.values[column.id] = column.aggregate(g.rows.map((r) => r.values[column.id]))\n}\n'],
      ...['sorting', 'filtering', 'paging', 'pinning', 'sizing', 'ordering'].map((f): [string, string] => [`src/${f}.ts`, `export function ${f}(rows, column) {\n  return rows.filter((row) => column.accepts(row.values[column.id]))\n}\n`]),
    ]);
    assert.equal(retrieve(indexFiles(files), "How is the median of a column's values calculated?")[0].path, 'src/aggregationFns.ts');
  });

  it("a method's passage meets the question's words in a row that name its class (\"the TTL cache\": TTLCache.expire, not the class's header)", () => {
    const others = ['FIFO', 'LFU', 'LRU', 'MRU', 'RR'].map((k) => [`class ${k}Cache(Cache):`, `    """${k} cache implementation."""`, '', '    def __init__(self, maxsize):', '        Cache.__init__(self, maxsize)', '        self.__order = {}', '', '    def popitem(self):', '        """Remove and return the `(key, value)` pair first inserted."""', '        key = next(iter(self.__order))', '        return (key, self.pop(key))', '', '    def __update(self, key):', '        self.__order[key] = None', '', ''].join('\n'));
    const ttl = [
      'class TTLCache(Cache):',
      '    """LRU Cache implementation with per-item time-to-live (TTL) value."""',
      '',
      '    class _Link:',
      '        __slots__ = ("key", "expires", "next", "prev")',
      '',
      '        def __init__(self, key=None, expires=None):',
      '            self.key = key',
      '            self.expires = expires',
      '',
      '        def __reduce__(self):',
      '            return TTLCache._Link, (self.key, self.expires)',
      '',
      '    def __init__(self, maxsize, ttl, timer=None):',
      '        Cache.__init__(self, maxsize)',
      '        self.__links = {}',
      '        self.__ttl = ttl',
      '',
      '    def __setitem__(self, key, value):',
      '        with self.timer as time:',
      '            self.expire(time)',
      '            Cache.__setitem__(self, key, value)',
      '        link = self.__links[key] = TTLCache._Link(key)',
      '        link.expires = time + self.__ttl',
      '',
      '    @property',
      '    def ttl(self):',
      '        """The time-to-live value of the cache\'s items."""',
      '        return self.__ttl',
      '',
      '    def expire(self, time=None):',
      '        """Remove expired items from the cache."""',
      '        for key, link in list(self.__links.items()):',
      '            if not (time < link.expires):',
      '                Cache.__delitem__(self, key)',
      '                del self.__links[key]',
      '',
    ];
    const files = new Map([['cachetools/__init__.py', [...others, ...ttl].join('\n')]]);
    const [lead] = retrieve(bm25Only(files), 'Where are expired items removed from the TTL cache?');
    assert.deepEqual(lead.symbols?.map((s) => s.name), ['TTLCache.expire']);
  });

  it('splits files into overlapping passages with 1-based line ranges', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const ps = splitPassages('a.ts', text, { lines: 40, overlap: 10 });
    assert.deepEqual(ps.map((p) => [p.startLine, p.endLine]), [[1, 40], [31, 70], [61, 100]]);
    assert.equal(ps[1].text.split('\n')[0], 'line 31');
    assert.equal(ps[2].text.split('\n').at(-1), 'line 100');
    assert.deepEqual(splitPassages('b.ts', 'one\ntwo').map((p) => [p.startLine, p.endLine]), [[1, 2]]);
    assert.deepEqual(splitPassages('c.ts', '').map((p) => [p.startLine, p.endLine]), [[1, 1]]);
  });

  it('BM25 finds the file that answers each question (hit rate @1 and @3)', () => {
    const files = qaWorkspace();
    const questions = qaQuestions();
    assert.ok(questions.length >= 20);
    const index = indexFiles(files);
    const ranked = questions.map(({ q }) => retrieve(index, q, { limit: 6 }).map((p) => p.path));
    const { at1, at3 } = hitRates(ranked, questions.map((x) => x.file));
    const misses = questions.filter((x, i) => ranked[i][0] !== x.file).map((x, i) => `${x.q} -> ${ranked[questions.indexOf(x)][0]}`);
    console.log(`      BM25 over ${questions.length} questions, ${files.size} files: hit@1 ${(at1 * 100).toFixed(0)}%, hit@3 ${(at3 * 100).toFixed(0)}%`);
    for (const m of misses) console.log(`        miss@1: ${m}`);
    void misses;
    assert.ok(at1 >= 0.85, `hit@1 ${at1}`);
    assert.ok(at3 >= 0.95, `hit@3 ${at3}`);
  });

  it('passages carry path, lines and a descending score; at most maxPerFile per file', () => {
    const index = indexFiles(qaWorkspace());
    const r = retrieve(index, 'session token expiry refresh', { limit: 5, maxPerFile: 1 });
    assert.equal(r[0].path, 'src/auth/session.ts');
    assert.equal(new Set(r.map((p) => p.path)).size, r.length);
    for (let i = 1; i < r.length; i++) assert.ok(r[i - 1].score >= r[i].score);
    for (const p of r) assert.ok(p.startLine >= 1 && p.endLine >= p.startLine && p.text.length > 0);
  });

  it("a passage with most of the question's words leads one whose short name is a single word of it (tinydb: 'the next row I add' is not `add`)", () => {
    // As in Debian's tinydb 3.15 (a user trial): operations.py's one-word `add` outscored
    // Table._get_next_id, which holds "table" and "next", until the share of the question counted.
    const py = (lines: string[]) => lines.join('\n') + '\n';
    const files = new Map([
      ['tinydb/operations.py', py(['def add(field, n):', '    """Add n to a given field in the document."""', '    def transform(doc):', '        doc[field] += n', '    return transform', '', '', 'def delete(field):', '    """Delete a given field from the document."""', '    def transform(doc):', '        del doc[field]', '    return transform'])],
      ['tinydb/database.py', py([
        'class TinyDB(object):', '    """The main class: it opens the storage and hands out tables."""', '',
        '    def table(self, name):', '        """Get access to a specific table, creating it if needed."""', '        if name in self._tables:', '            return self._tables[name]', '        table = Table(self._storage, name)', '        self._tables[name] = table', '        return table', '',
        '    def tables(self):', '        """Get the names of all tables in the database."""', '        return set(self._storage.read())', '',
        '    def purge_tables(self):', '        """Purge all tables from the database, whatever their number."""', '        self._storage.write({})', '        self._tables.clear()', '',
        'class Table(object):', '    """Represents a single TinyDB table."""', '',
        '    def __init__(self, storage, name):', '        """Get access to a table: its storage, name and the last ID used."""', '        self._storage = storage', '        self._name = name', '        self._query_cache = {}', '        data = self._read()', '        if data:', '            self._last_id = max(int(i) for i in data)', '        else:', '            self._last_id = 0', '',
        '    def clear_cache(self):', '        """Clear the query cache."""', '        self._query_cache.clear()', '',
        '    def _get_next_id(self):', '        """Increment the ID used the last time and return it."""', '        current_id = self._last_id + 1', '        self._last_id = current_id', '        return current_id', '',
        '    def insert(self, document):', '        """', '        Insert a new document into the table.', '', '        :param document: the document to insert', '        :returns: the inserted document\'s ID', '        """', '        if not isinstance(document, Mapping):', "            raise ValueError('Document is not a Mapping')", '        doc_id = self._get_next_id()', '        data = self._read()', '        data[doc_id] = dict(document)', '        self._write(data)', '        return doc_id', '',
        '    def remove(self, cond):', '        """Remove all matching documents from the table."""', '        return self.process_elements(lambda data, doc_id: data.pop(doc_id), cond)',
      ])],
      ['tinydb/utils.py', py(['def freeze(obj):', '    """Give back an immutable copy of obj."""', '    if isinstance(obj, dict):', '        return FrozenDict((k, freeze(v)) for k, v in obj.items())', '    return obj'])],
      ['tinydb/storages.py', py(['class MemoryStorage(object):', '    """Store every row of every table as JSON in memory."""', '    def read(self):', '        return self.memory', '', '    def write(self, data):', '        self.memory = data'])],
    ]);
    const first = retrieve(indexFiles(files), 'How does a table decide which number to give the next row I add?')[0];
    assert.equal(first.path, 'tinydb/database.py');
    assert.ok(first.symbols?.some((s) => s.name === 'Table._get_next_id'), `the lead: ${first.path}:${first.startLine} ${JSON.stringify(first.symbols?.map((s) => s.name))}`);
  });

  it('the index follows the files one file at a time, and scores as a fresh index over the same files would', () => {
    const files = new Map(qaWorkspace());
    const index = new Bm25Index();
    assert.equal(index.sync(files), files.size);
    assert.equal(index.sync(files), 0, 'nothing changed, nothing indexed again');
    files.set('src/shipping.ts', files.get('src/shipping.ts')!.replace('FREE_SHIPPING', 'NO_CHARGE_SHIPPING'));
    files.delete('src/logger.ts');
    files.set('src/parcels.ts', 'export const PARCEL_BANDS = ["light", "heavy"];\n');
    assert.equal(index.sync(files), 2, 'the edited file and the new one');
    assert.deepEqual(index.paths, [...files.keys()]);
    for (const q of ['free shipping threshold', 'no charge shipping', 'logger level', 'parcel bands', 'session token expiry refresh']) {
      const fresh = indexFiles(files).search(q).map((h) => [h.passage.path, h.passage.startLine, h.score.toFixed(9)]);
      assert.deepEqual(index.search(q).map((h) => [h.passage.path, h.passage.startLine, h.score.toFixed(9)]), fresh, q);
    }
    assert.deepEqual(index.search('logger'), indexFiles(files).search('logger'));
  });

  it('a large sync hands the event loop back while it works (the worker serves completions meanwhile) and ends as sync() does', async () => {
    // About 2 M characters: a second or more of indexing on the 2-core machine.
    const files = new Map<string, string>();
    for (const [p, t] of qaWorkspace()) for (let k = 0; k < 100; k++) files.set(`copy${k}/${p}`, `${t}\n// copy ${k}\n`.repeat(2));
    const index = new Bm25Index();
    let turns = 0;
    const timer = setInterval(() => turns++, 1);
    try {
      assert.equal(await index.syncSliced(files), files.size);
    } finally {
      clearInterval(timer);
    }
    assert.ok(turns >= 5, `the event loop turned ${turns} times`);
    const q = 'free shipping threshold';
    assert.deepEqual(index.search(q).slice(0, 20).map((h) => [h.passage.path, h.score.toFixed(9)]), indexFiles(files).search(q).slice(0, 20).map((h) => [h.passage.path, h.score.toFixed(9)]));
    // Aborted, it stops early; the next sync goes on from there.
    const more = new Map([...files].map(([p, t]) => [p, `${t}// edited\n`]));
    const abort = new AbortController();
    abort.abort();
    const done = await index.syncSliced(more, abort.signal);
    assert.ok(done < more.size, `${done} of ${more.size} indexed before stopping`);
    assert.equal(index.sync(more), more.size - done);
  });

  it('with margin 1 the model orders every file it scored, and a file only the model ranks enters', () => {
    // BM25 alone (the ranker's vectors would let every passage near the question in).
    const index = bm25Only(qaWorkspace());
    const q = 'Where is the order total computed?';
    const lexical = [...new Set(retrieve(index, q, { limit: 30 }).map((p) => p.path))];
    assert.ok(lexical.length >= 4 && !lexical.includes('README.md'));
    const modelScores = new Map([[lexical[2], -1], [lexical[0], -5], ['README.md', -2]]);
    const ranked = [...new Set(retrieve(index, q, { modelScores, modelMargin: 1, limit: 30 }).map((p) => p.path))];
    assert.deepEqual(ranked.slice(0, 3), [lexical[2], 'README.md', lexical[0]]);
    assert.deepEqual(ranked.slice(3), lexical.filter((p) => ![lexical[0], lexical[2]].includes(p)).slice(0, ranked.length - 3), 'the rest in BM25 order');
    assert.deepEqual(lexicalFiles(index, 'rate limiter token bucket', 2)[0], 'src/http/rateLimit.ts');
  });

  it("the model reorders only files within the margin of BM25's best (by default none); where BM25 matches nothing, it ranks alone", () => {
    const index = bm25Only(qaWorkspace());
    const q = 'shipping cost of an order'; // not a "where"/"how" question: BM25's scores as they are
    const hits = index.search(q);
    const best = new Map<string, number>();
    for (const h of hits) if (!best.has(h.passage.path)) best.set(h.passage.path, h.score);
    const [[first, top], ...rest] = [...best];
    const last = rest.at(-1)![0];
    // The model prefers BM25's last file over everything.
    const modelScores = new Map([...best.keys()].map((p) => [p, p === last ? -1 : -5]));
    assert.equal(MODEL_MARGIN, 0);
    assert.equal(retrieve(index, q, { modelScores })[0].path, first, 'by default BM25 decides');
    assert.deepEqual(contendingFiles(index, q, 8), [], 'so nothing is scored');
    assert.equal(retrieve(index, q, { modelScores, modelMargin: 1 })[0].path, last, 'margin 1: the model decides');
    // A margin just wide enough to take in the last file lets the model pick it; one just short does not.
    const needed = 1 - best.get(last)! / top;
    assert.equal(retrieve(index, q, { modelScores, modelMargin: needed + 1e-9 })[0].path, last);
    assert.equal(retrieve(index, q, { modelScores, modelMargin: needed - 1e-6 })[0].path, first);
    assert.ok(contendingFiles(index, q, 8, needed + 1e-9).includes(last));
    assert.ok(!contendingFiles(index, q, 8, needed - 1e-6).includes(last));
    // No word of the question is in any file: the model's ranking alone, whatever the margin.
    const none = 'zzz qqq?';
    assert.equal(index.search(none).length, 0);
    assert.deepEqual(retrieve(index, none, { modelScores: new Map([['src/logger.ts', -1], ['README.md', -3]]) }).map((p) => p.path), ['src/logger.ts', 'README.md']);
  });

  it('the model ranking from LocalAssistant.scoreFiles: its best file first at margin 1, nothing changed by default (tiny random model: mechanics only)', async () => {
    const tiny = await loadTiny();
    const files = qaWorkspace();
    const assistant = new LocalAssistant({ ...tiny, files, scoreTokens: 256 });
    const index = indexFiles(files);
    for (const { q } of qaQuestions().slice(0, 8)) {
      const candidates = lexicalFiles(index, q, 4);
      const modelScores = await assistant.scoreFiles(q, candidates, new AbortController().signal);
      assert.deepEqual([...modelScores.keys()].sort(), [...candidates].sort());
      for (const v of modelScores.values()) assert.ok(Number.isFinite(v) && v < 0, `mean log-probability ${v}`);
      const modelBest = [...modelScores].sort((x, y) => y[1] - x[1])[0][0];
      assert.equal(retrieve(index, q, { modelScores, modelMargin: 1 })[0].path, modelBest, q);
      assert.deepEqual(retrieve(index, q, { modelScores }), retrieve(index, q), q);
    }
  });

  it('scoreFiles stops at an abort and skips unknown paths', async () => {
    const tiny = await loadTiny();
    const assistant = new LocalAssistant({ ...tiny, files: qaWorkspace(), scoreTokens: 64 });
    const abort = new AbortController();
    abort.abort();
    assert.equal((await assistant.scoreFiles('tax', ['src/pricing/tax.ts'], abort.signal)).size, 0);
    const s = await assistant.scoreFiles('tax', ['nope.ts', 'src/pricing/tax.ts'], new AbortController().signal);
    assert.deepEqual([...s.keys()], ['src/pricing/tax.ts']);
  });
});
