import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadTokenizer } from '../src/model/tokenizer';
import { LocalAssistant } from '../src/assistant/local-assistant';
import { answerQuestion, nothingSupported, questionPrompt } from '../src/qa/conversation';
import { SupportedLines } from '../src/qa/support';
import { Bm25Index } from '../src/qa/bm25';
import { CLOSE_SHARE, answerExcerpt, answerLead, buildQaPrompt } from '../src/qa/prompt';
import { splitPassages } from '../src/qa/passages';
import { SPECIAL_NAMES, filePieces, piecesToIds, plainStopIndex, renderPieces, type Piece } from '../src/prompt';
import type { Tokenizer } from '../src/model/tokenizer';
import { WorkspaceContext } from '../src/workspace/context';
import { qaWorkspace } from './helpers/qa-workspace';
import { loadTiny } from './helpers/workspace';

const QUESTION: Piece[] = [['special', '<|question|>'], ['text', 'What is this?\n'], ['special', '<|answer|>']];
const HELLO: Piece[] = [['text', 'hello']];
const passage = (file: string, startLine: number, text: string) => ({ path: file, startLine, endLine: startLine + text.split('\n').length - 1, text });

describe('qa prompt', () => {
  it('passages as <|file|>path:lines, best last, then <|question|> ... <|answer|> and the lead naming the best; the sources best first', () => {
    const { prompt, used, lead } = buildQaPrompt('  How is tax computed? ', [passage('src/tax.ts', 3, 'const a = 1;\nconst b = 2;'), passage('src/b.ts', 1, 'x')], []);
    assert.equal(lead, 'In src/tax.ts, lines 3-4:', 'the lead names the best-ranked passage, not the one laid out last');
    assert.equal(renderPieces(prompt), '<|file|>src/b.ts:1-1\nx\n<|file|>src/tax.ts:3-4\nconst a = 1;\nconst b = 2;\n<|question|>How is tax computed?\n<|answer|>In src/tax.ts, lines 3-4:');
    assert.deepEqual(prompt.filter((p) => p[0] === 'special').map((p) => p[1]), ['<|file|>', '<|file|>', '<|question|>', '<|answer|>']);
    assert.deepEqual(used.map((p) => p.path), ['src/tax.ts', 'src/b.ts']);
    // A passage that defines names: training's answer form, with the one the question names.
    const defs = { ...passage('src/retry.ts', 40, 'x\n'.repeat(19)), symbols: [{ name: 'sleep', line: 41, kind: 'code' as const }, { name: 'Retry.backoff', line: 50, kind: 'code' as const }] };
    assert.equal(answerLead(defs, 'Where is the retry backoff computed?'), '`backoff` in src/retry.ts, line 50:');
    assert.equal(answerLead(defs, 'What happens on failure?'), '`sleep` in src/retry.ts, line 41:', 'no name asked: the first');
    assert.equal(answerLead({ ...defs, symbols: [{ name: 'separatorChar', line: 3, kind: 'code' }, { name: 'formatChar', line: 7, kind: 'code' }] }, 'Where is the char formatted?'), '`formatChar` in src/retry.ts, line 7:');
    // Met as often, a type and a function: "how" names the code that runs, "what" the first.
    const geometry = splitPassages('src/geometry.ts', 'export interface Point {\n  x: number;\n}\n\nexport function distance(a: Point, b: Point): number {\n  return Math.hypot(a.x - b.x);\n}\n')[0];
    assert.equal(answerLead(geometry, 'How is the distance between two points computed?'), '`distance` in src/geometry.ts, line 5:');
    assert.equal(answerLead(geometry, 'What is the distance between two points?'), '`Point` in src/geometry.ts, line 1:');
    // No name met: the definition whose lines or doc the words meet; none where they meet only lines outside every definition (graceful-fs).
    const gfs = splitPassages('polyfills.js', ['    fs.lchownSync = function () {}', '  }', '', '  // on Windows, A/V software can lock the directory, causing this', '  // to fail with an EACCES or EPERM. Try again on failure, for up to 60 seconds.', '  if (platform === "win32") {', '    fs.rename = fs$rename', '  }', ''].join('\n'))[0];
    assert.deepEqual(gfs.symbols?.map((s) => s.name), ['fs.lchownSync']);
    assert.equal(answerLead(gfs, 'How does it retry on Windows when the directory is locked?'), 'In polyfills.js, lines 1-8:');
    const long = splitPassages('polyfills.js', ['    fs.lchownSync = function () {}', '  }', ...Array.from({ length: 14 }, (_, i) => `  // note ${i}`), '  // on Windows the directory may be locked: try again.', '  if (platform === "win32") {', '    fs.rename = fs$rename', '  }', ''].join('\n'))[0];
    const ex = answerExcerpt(long, 'How does it retry on Windows when the directory is locked?');
    assert.ok(!ex.includes('lchownSync') && ex.includes('// on Windows the directory may be locked'), `the lines the words meet, not the first definition's line: ${ex}`);
    assert.equal(answerLead(gfs, 'What happens then?'), '`lchownSync` in polyfills.js, line 1:', 'the words meet no line: its first, as before');
    const documented = splitPassages('src/lock.js', '/** Tries again while Windows keeps the directory locked. */\nfunction keepTrying(cb) {\n  return cb()\n}\n\nfunction other() {}\n')[0];
    assert.equal(answerLead(documented, 'How does it retry when the directory is locked?'), '`keepTrying` in src/lock.js, line 2: Tries again while Windows keeps the directory locked.\n', 'its doc meets the words');
    assert.equal(answerLead(passage('a.md', 7, 'x'), 'q?'), 'In a.md, line 7:');
    // Names met alike or nearly (inih's ini_parse and ini_parse_file): the one whose doc the question's words meet more.
    const inih = splitPassages('ini.h', ['/* Parse given INI-style file.', '', '   For each name=value pair parsed, call handler function with given user pointer.', '*/', 'int ini_parse(const char* filename, ini_handler handler, void* user);', '', '/* Same as ini_parse(), but takes a FILE* instead of filename. */', 'int ini_parse_file(FILE* file, ini_handler handler, void* user);', ''].join('\n'))[0];
    assert.deepEqual(inih.symbols?.map((s) => s.name), ['ini_parse', 'ini_parse_file']);
    assert.match(answerLead(inih, 'How do I get a callback for each name=value pair while parsing an INI file?'), /^`ini_parse` in ini\.h, line 5:/);
    assert.match(answerLead(inih, 'How do I parse an INI file I already opened as a FILE?'), /^`ini_parse_file` in ini\.h, line 8:/);
    const none = buildQaPrompt('Hi?', [], []);
    assert.equal(none.lead, '', 'nothing cited: no lead');
    assert.ok(renderPieces(none.prompt).endsWith('<|answer|>'));
  });

  it("the lead quotes the definition's doc comment (training's answer form), past notes to tools, never a license", () => {
    const lead = (file: string, text: string, q: string) => answerLead(splitPassages(file, text)[0], q);
    const draftable = '/** Returns true if the given value can be drafted by Immer */\n/*#__PURE__*/\nexport function isDraftable(value: any): boolean {\n  return !!value;\n}\n';
    assert.equal(lead('utils/common.ts', draftable, 'Can a value be drafted?'), '`isDraftable` in utils/common.ts, line 3: Returns true if the given value can be drafted by Immer\n');
    const eslint = '// Adds two numbers together.\n// eslint-disable-next-line no-unused-vars\nfunction add(a, b) {\n  return a + b;\n}\n';
    assert.equal(lead('a.ts', eslint, 'add?'), '`add` in a.ts, line 3: Adds two numbers together.\n');
    assert.equal(lead('b.ts', '// Copyright 2020 Someone. MIT License.\nexport function f() {\n}\n', 'f?'), '`f` in b.ts, line 2:');
    const long = lead('c.py', `def g(x):\n    """${'word '.repeat(200)}"""\n    return x\n`, 'g?');
    assert.ok(long.length < 700 && long.endsWith('word ...\n'), long.slice(-40));
  });

  it("the lead quotes the doc's later paragraph a question asks about, after its first (where the question meets it twice more)", () => {
    const doc = 'Set the value for *key* to *val*.';
    const asked = 'If *val* is already associated with a different key, an exception is raised to protect against accidental removal.';
    const setitem = { ...passage('_bidict.py', 42, 'x\n'.repeat(20)), symbols: [{ name: 'bidict.__setitem__', line: 42, kind: 'code' as const, doc, docMore: ['Use put instead to choose what happens.', asked] }] };
    assert.equal(answerLead(setitem, 'Which exception is raised when a value is already mapped to a different key?'), `\`bidict.__setitem__\` in _bidict.py, line 42: ${doc} ... ${asked}\n`);
    assert.equal(answerLead(setitem, 'How is a value set for a key?'), `\`bidict.__setitem__\` in _bidict.py, line 42: ${doc}\n`, 'the first paragraph answers: it alone');
    // Both longer than a lead quotes: the asked paragraph alone.
    const long = { ...setitem, symbols: [{ ...setitem.symbols[0], doc: `${doc} ${'More words here. '.repeat(30)}` }] };
    assert.equal(answerLead(long, 'Which exception is raised when a value is already mapped to a different key?'), `\`bidict.__setitem__\` in _bidict.py, line 42: ${asked}\n`);
    // A constructor is named with its class (every class has one); another method by its own name, as in training.
    const range = { ...passage('classes/range.js', 7, 'x\n'.repeat(20)), symbols: [{ name: 'Range.constructor', line: 7, kind: 'code' as const }, { name: 'Range.format', line: 20, kind: 'code' as const }] };
    assert.equal(answerLead(range, 'What happens if I make a Range out of an existing Range?'), '`Range.constructor` in classes/range.js, line 7:');
    assert.equal(answerLead(range, 'How is a range formatted?'), '`format` in classes/range.js, line 20:');
  });

  it('the answer ends with the code the lead names: its definition from the signature (past 12 lines, around the question\'s words), dedented, fenced so the code cannot close the fence', () => {
    const text = ['/** Backoff. */', 'class Retry {', '  /** Waits. */', '  backoff(attempt) {', ...Array.from({ length: 14 }, (_, i) => `    step${i}()`), '  }', '}', ''].join('\n');
    const p = splitPassages('src/retry.js', text)[0];
    const ex = answerExcerpt(p, 'Where is the backoff computed?');
    assert.equal(ex, ['', '', '```js', 'backoff(attempt) {', ...Array.from({ length: 11 }, (_, i) => `  step${i}()`), '...', '```', ''].join('\n'));
    // Longer than fits, with the question's words past the first lines: the signature, then around them.
    const long = ['function fixScripts(data) {', ...Array.from({ length: 11 }, (_, i) => `  check${i}(data)`), '  if (x) {', '  }', '  y()', '  z()', '  if (typeof data.scripts[k] !== "string") {', '    delete data.scripts[k]', '  }', ...Array.from({ length: 6 }, (_, i) => `  after${i}(data)`), '}', ''].join('\n');
    const around = answerExcerpt(splitPassages('lib/fix.js', long)[0], 'Where are non-string scripts dropped?');
    assert.equal(around, ['', '', '```js', 'function fixScripts(data) {', '...', '  y()', '  z()', '  if (typeof data.scripts[k] !== "string") {', '    delete data.scripts[k]', '  }', '  after0(data)', '  after1(data)', '  after2(data)', '  after3(data)', '  after4(data)', '...', '```', ''].join('\n'), 'not opening on a lone closer');
    // A short definition joined with the next in one passage: only its own lines.
    const two = splitPassages('src/geo.ts', 'export function distance(a, b) {\n  return a - b;\n}\n\nexport function centroid(ps) {\n  return ps[0];\n}\n')[0];
    assert.equal(answerExcerpt(two, 'How is the distance computed?'), '\n\n```ts\nexport function distance(a, b) {\n  return a - b;\n}\n```\n');
    // A one-line extent left open (semver's CLI: a help text in a template at column 0): the lines after it.
    const help = splitPassages('bin/semver.js', 'const help = () => console.log(\n`SemVer 7\n\nUsage: semver [options] <version>\n\n-i --increment [<level>]\n        Increment a version\n`)\n')[0];
    const shown = answerExcerpt(help, 'Where is a prerelease version incremented?');
    assert.ok(shown.includes('const help = () => console.log(\n`SemVer 7') && shown.includes('Increment a version'), shown);
    // A later window of a long method (toml's load_value): the method's signature first, not a nested line.
    const body = ['class Decoder:', '    def load_value(self, v):', ...Array.from({ length: 60 }, (_, i) => `        if v == ${i}:\n            step${i}(v)`), '        return v', ''].join('\n');
    const later = splitPassages('toml/decoder.py', body).filter((p) => !p.symbols);
    assert.ok(later.length >= 2 && later.every((p) => p.within?.name === 'Decoder.load_value' && p.within.line === 2), JSON.stringify(later.map((p) => p.within)));
    const inside = answerExcerpt(later[1], 'Where is step45 done?');
    assert.ok(inside.startsWith('\n\n```python\ndef load_value(self, v):\n...\n    '), inside);
    // A Python definition's docstring is the lead's quote, not the excerpt's code (tenacity's wait_random_exponential).
    const py = ['class wait_random_exponential(wait_exponential):', '    """Random wait with exponentially widening window.', '', '    An exponential backoff strategy.', '    """', '', '    def __call__(self, retry_state):', '        high = self.max', '        return random.uniform(0, high)', ''].join('\n');
    const doc = splitPassages('tenacity/wait.py', py)[0];
    assert.match(answerLead(doc, 'How is the exponential wait randomized?'), /: Random wait with exponentially widening window\./);
    assert.equal(answerExcerpt(doc, 'How is the exponential wait randomized?'), ['', '', '```python', 'class wait_random_exponential(wait_exponential):', '...', '    def __call__(self, retry_state):', '        high = self.max', '        return random.uniform(0, high)', '```', ''].join('\n'));
    // A class whose methods are the next passages: its docstring after the paragraph the lead quotes
    // (voluptuous's Optional: its examples), closing quotes left out; with one paragraph, its signature.
    const classWith = (doc: string[]) => [...doc, '', '    def __call__(self, retry_state):', ...Array.from({ length: 30 }, (_, i) => `        step${i}(retry_state)`), ''].join('\n');
    const [classDoc, method] = splitPassages('tenacity/wait.py', classWith(py.split('\n').slice(0, 5)));
    assert.deepEqual([classDoc.endLine, method.symbols?.[0].name], [6, 'wait_random_exponential.__call__']);
    assert.equal(answerExcerpt(classDoc, 'How is the exponential wait randomized?'), '\n\n```python\nclass wait_random_exponential(wait_exponential):\n...\n    An exponential backoff strategy.\n```\n');
    const optional = ['class Optional(Marker):', '    """Mark a node in the schema as optional', '', "    >>> schema = Schema({Optional('key'): str})", '    >>> schema({})', '    {}', '    """'];
    const [optionalDoc] = splitPassages('schema_builder.py', classWith(optional));
    assert.equal(answerExcerpt(optionalDoc, 'How do I make a key optional?'), "\n\n```python\nclass Optional(Marker):\n...\n    >>> schema = Schema({Optional('key'): str})\n    >>> schema({})\n    {}\n```\n");
    const [oneParagraph] = splitPassages('tenacity/wait.py', classWith(['class wait_none(wait_fixed):', '    """Wait strategy that doesn\'t wait at all', '    before retrying."""']));
    assert.equal(answerExcerpt(oneParagraph, 'How is the wait skipped?'), '\n\n```python\nclass wait_none(wait_fixed):\n...\n```\n');
    const onlyDoc = splitPassages('a.py', 'def f():\n    """Does nothing."""\n')[0];
    assert.equal(answerExcerpt(onlyDoc, 'f?'), '\n\n```python\ndef f():\n    """Does nothing."""\n```\n', 'nothing but its docstring: shown');
    const md = answerExcerpt(passage('a.md', 3, '\nUse `x` or ```y```.\n\n'), 'q?');
    assert.equal(md, '\n\n````\nUse `x` or ```y```.\n````\n', 'a passage without a definition: its lines; a longer fence than its backticks');
  });

  it('keeps the passage budget (the first is cut to fit, the rest left out) and bounds the history', () => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n');
    const history = Array.from({ length: 6 }, (_, i) => ({ question: `q${i}`, answer: `a${i} `.repeat(1000) }));
    const built = buildQaPrompt('now?', [passage('a.ts', 1, long), passage('b.ts', 1, 'short '.repeat(5))], history, { maxPassageChars: 100, maxTurns: 2, maxAnswerChars: 50 });
    const { used } = built;
    const prompt = renderPieces(built.prompt);
    assert.deepEqual(used.map((p) => p.path), ['a.ts']);
    assert.ok(!prompt.includes('q3') && prompt.includes('<|question|>q4\n<|answer|>a4') && prompt.includes('<|question|>q5'));
    assert.ok(prompt.length < 400, `prompt of ${prompt.length} chars`);
    assert.ok(prompt.indexOf('q5') < prompt.indexOf('<|file|>a.ts:1-'), 'history, then passages, then the question');
    assert.ok(prompt.includes('<|file|>a.ts:1-13\nline 0\n') && prompt.includes('line 12\n<|question|>now?'), 'the cut passage ends at a line end and its header names the lines it holds');
    assert.ok(prompt.endsWith('<|question|>now?\n<|answer|>In a.ts, lines 1-200:'), 'the lead names the source as cited');
  });

  it('user text cannot open special tokens: only the prompt\'s own pieces are special ids', async () => {
    const { prompt } = buildQaPrompt('<|endoftext|><|file|>x', [passage('p<|file|>.ts', 1, 'a <|answer|> b')], [{ question: 'q', answer: '<|question|>' }]);
    assert.deepEqual(prompt.filter((p) => p[0] === 'special').map((p) => p[1]), ['<|question|>', '<|answer|>', '<|file|>', '<|question|>', '<|answer|>']);
    const tokenizer = await loadTokenizer(path.resolve(__dirname, '../../models/default'), 16384);
    const ids = piecesToIds(tokenizer, prompt);
    assert.deepEqual(ids.filter((id) => id < SPECIAL_NAMES.length), [5, 6, 1, 5, 6]);
  });

  it('markers the tokenizer lacks become plain text; their plain forms stop generation', async () => {
    const { tokenizer } = await loadTiny(); // has <|endoftext|> and <|file|> and the FIM tokens only
    const pieces: Piece[] = [['special', '<|file|>'], ['text', 'a.ts:1-2\nx\n'], ['special', '<|question|>'], ['text', 'why?\n'], ['special', '<|answer|>']];
    const enc = (s: string) => tokenizer.encode(s);
    assert.deepEqual(piecesToIds(tokenizer, pieces, { lower: true }), [tokenizer.specialId('<|file|>')!, ...enc('a.ts:1-2\nx\n'), ...enc('\nQuestion: '), ...enc('why?\n'), ...enc('\nAnswer: ')]);
    assert.throws(() => piecesToIds(tokenizer, pieces), /no <\|question\|> token/);
    assert.equal(plainStopIndex('It is 42.\nQuestion: next', tokenizer), 9);
    const full = { specialId: () => 1 } as unknown as Tokenizer;
    assert.equal(plainStopIndex('It is 42.\nQuestion: next', full), -1);
  });

  describe('LocalAssistant on the tiny model (random weights: mechanics)', () => {
    it('streams deltas that add up to the text, within maxTokens, repeatably', async () => {
      const tiny = await loadTiny();
      const a = new LocalAssistant({ ...tiny, files: new Map() });
      const deltas: string[] = [];
      const r = await a.stream({ prompt: QUESTION, maxTokens: 16, useWorkspace: false }, (d) => deltas.push(d), new AbortController().signal);
      assert.equal(deltas.join(''), r.text);
      assert.ok(['end', 'max', 'loop'].includes(r.stopped));
      assert.ok(deltas.length <= 16, 'one delta per token at most');
      const again = await a.stream({ prompt: QUESTION, maxTokens: 16, useWorkspace: false }, () => {}, new AbortController().signal);
      assert.equal(again.text, r.text, 'greedy by default');
    });

    it('stops on abort, mid-stream and before start', async () => {
      const tiny = await loadTiny();
      const a = new LocalAssistant({ ...tiny, files: new Map() });
      const abort = new AbortController();
      let n = 0;
      // Plain greedy (no penalty, no loop guard): the random model's long stream, stopped mid-way.
      const r = await a.stream({ prompt: HELLO, maxTokens: 200, useWorkspace: false, repetition: { penalty: 1, ngram: 0, lines: false } }, () => ++n === 3 && abort.abort(), abort.signal);
      assert.equal(r.stopped, 'aborted');
      assert.ok(n <= 4);
      assert.deepEqual(await a.stream({ prompt: HELLO, maxTokens: 5, useWorkspace: false }, () => {}, abort.signal), { text: '', stopped: 'aborted' });
    });

    it('continues from the workspace state when asked to', async () => {
      const tiny = await loadTiny();
      const files = new Map([['lib.ts', 'export const PI = 3.14159;\n']]);
      const ctx = new WorkspaceContext({ ...tiny, read: async () => undefined });
      await ctx.open([...files].map(([path, text]) => ({ path, text })));
      const a = new LocalAssistant({ ...tiny, files, workspace: () => ctx.ready() });
      const req = { prompt: buildQaPrompt('What is PI?', [], []).prompt, maxTokens: 12 };
      const withWs = await a.stream({ ...req, useWorkspace: true }, () => {}, new AbortController().signal);
      const manual = await new LocalAssistant({ ...tiny, files }).stream({ ...req, prompt: [...filePieces('lib.ts', files.get('lib.ts')!), ...req.prompt], useWorkspace: false }, () => {}, new AbortController().signal);
      assert.equal(withWs.text, manual.text, 'the workspace state equals reading the files first');
      assert.equal(ctx.ready()!.state.position, ctx.ready()!.tokens, 'the ready state is not advanced');
      ctx.dispose();
    });

    it('answerQuestion: sources, streamed answer, history, stop', async () => {
      const tiny = await loadTiny();
      const files = qaWorkspace();
      const assistant = new LocalAssistant({ ...tiny, files, scoreTokens: 128 });
      const index = new Bm25Index();
      let sources: { path: string }[] = [];
      let text = '';
      const r = await answerQuestion(assistant, index, files, 'What order total qualifies for free shipping?', [], { onSources: (s) => (sources = s), onText: (d) => (text += d) }, new AbortController().signal, { maxTokens: 16, rerankFiles: 3 });
      assert.equal(r.sources[0].path, 'src/shipping.ts');
      assert.deepEqual(sources, r.sources);
      assert.equal(text, r.text);
      assert.match(r.lead, /^`\w+` in src\/shipping\.ts, line \d+:$/);
      assert.ok(r.text.startsWith(r.lead), `the answer starts where the best source is: ${r.text}`);
      const q = await questionPrompt(assistant, new Bm25Index(), files, 'What order total qualifies for free shipping?', [], new AbortController().signal, { rerankFiles: 3 });
      const model = await assistant.stream({ prompt: q.prompt, maxTokens: 16, useWorkspace: true }, () => {}, new AbortController().signal);
      // The model continues after the lead (its prompt ends with it); the answer keeps the lines the lead's passage supports.
      const gate = new SupportedLines(q.leadPassage, q.otherPassages);
      const shown = gate.push(model.text) + (model.stopped === 'loop' ? '' : gate.end()); // a loop's unfinished line is its repeat's start
      assert.equal(r.text, r.lead + shown + (gate.stopped && !shown.trim() ? nothingSupported(shown) : '') + r.excerpt);
      assert.deepEqual([nothingSupported(''), nothingSupported(' '), nothingSupported('\n\n')].map((n) => n.slice(0, 4)), [' see', ' see', 'See '], 'on the lead\'s line, or a paragraph of its own');
      // It ends with the code the lead names, from its signature's line.
      const line = Number(/line (\d+):$/.exec(r.lead)![1]);
      assert.ok(r.excerpt.startsWith(`\n\n\`\`\`ts\n${files.get('src/shipping.ts')!.split('\n')[line - 1].trim()}\n`), r.excerpt);
      assert.ok(r.excerpt.endsWith('\n```\n'), r.excerpt);
      assert.equal(r.stopped, gate.stopped ? 'unsupported' : model.stopped);
      assert.ok(model.text.startsWith(shown + (r.dropped ?? '')), 'what was left out is what the model wrote next');
      assert.deepEqual(index.paths, [...files.keys()], 'the question indexed the files');
      const abort = new AbortController();
      const s = await answerQuestion(assistant, index, files, 'And for Canada?', [{ question: 'q', answer: r.text }], { onSources: () => abort.abort(), onText: () => {} }, abort.signal, { maxTokens: 16 });
      assert.equal(s.stopped, 'aborted');
    });

    it('where retrieval cannot tell which place answers, the answer lists the closest places, and the model writes nothing after them', async () => {
      const doc = (name: string, what: string) => `/** ${what}. More about it. */\nexport function ${name}(x: number): number {\n  return x;\n}\n`;
      const at = (file: string, text: string, score: number) => ({ ...splitPassages(file, text)[0], score });
      const a = at('src/a.ts', doc('roundPrice', 'Rounds a price to whole cents'), 10);
      const b = at('src/b.ts', doc('roundTotal', 'Rounds a total to whole cents'), 10 * CLOSE_SHARE);
      const c = at('src/c.ts', doc('roundTax', 'Rounds the tax'), 5);
      const q = 'How is an amount rounded?';
      const listed = buildQaPrompt(q, [a, b, c], []);
      assert.equal(listed.lead, 'Several places match the question about equally well:\n- `roundPrice` in src/a.ts, line 2: Rounds a price to whole cents.\n- `roundTotal` in src/b.ts, line 2: Rounds a total to whole cents.\n- `roundTax` in src/c.ts, line 2: Rounds the tax.\n');
      assert.deepEqual(listed.listed?.map((s) => `${s.path}:${s.startLine}-${s.endLine}`), ['src/a.ts:2-4', 'src/b.ts:2-4', 'src/c.ts:2-4']);
      assert.equal(listed.excerpt, '', 'no one place\'s code');
      assert.deepEqual(listed.leadAt, listed.listed![0]);
      // The best stands clear: the lead names it alone, as before.
      const clear = buildQaPrompt(q, [a, { ...b, score: 10 * CLOSE_SHARE - 0.01 }, c], []);
      assert.equal(clear.listed, undefined);
      assert.equal(clear.lead, answerLead(a, q));
      assert.equal(buildQaPrompt(q, [{ ...a, score: undefined }, { ...b, score: undefined }], []).listed, undefined, 'no scores: nothing to compare');
      // Another window of the same definition is the same place, not a rival.
      const window = { ...a, startLine: 3, text: a.text.split('\n').slice(2).join('\n'), symbols: [], within: { name: 'roundPrice', signature: 'export function roundPrice(x: number): number {', line: 2 } };
      assert.equal(buildQaPrompt(q, [a, { ...window, score: 10 }, { ...c, score: 4 }], []).listed, undefined);
      // A passage that names no definition is listed by its lines, and the definition it lies in.
      const body = { path: 'src/d.ts', startLine: 30, endLine: 41, text: 'x\n'.repeat(12), score: 9.5, within: { name: 'Ledger.settle', signature: 'settle() {', line: 20 } };
      assert.equal(buildQaPrompt(q, [a, body], []).lead.split('\n')[2], '- In src/d.ts, lines 30-41 (of `settle`)');

      // The worker's path, with the tiny model: two files that say the same thing tie.
      const tiny = await loadTiny();
      const files = new Map([['src/a.ts', doc('roundPrice', 'Rounds a price to whole cents')], ['src/b.ts', doc('roundPrice', 'Rounds a price to whole cents')]]);
      const assistant = new LocalAssistant({ ...tiny, files, scoreTokens: 64 });
      let text = '';
      const r = await answerQuestion(assistant, new Bm25Index(), files, 'How is a price rounded to cents?', [], { onSources: () => {}, onText: (d) => (text += d) }, new AbortController().signal, { maxTokens: 16 });
      assert.equal(r.listed?.length, 2, r.text);
      assert.match(r.text, /^Several places match the question about equally well:\n- `roundPrice` in src\/[ab]\.ts, line 2: Rounds a price to whole cents\.\n- `roundPrice` in src\/[ab]\.ts, line 2: Rounds a price to whole cents\.\n$/);
      assert.equal(text, r.text, 'what was streamed is the answer');
      assert.deepEqual([r.lead, r.excerpt, r.stopped], [r.text, '', 'end']);
    });

    it('answerQuestion reads the files as they are now: an edited file is indexed again, a deleted one is gone', async () => {
      const tiny = await loadTiny();
      const files = new Map(qaWorkspace());
      const assistant = new LocalAssistant({ ...tiny, files, scoreTokens: 64 });
      const index = new Bm25Index();
      const ask = (q: string) => answerQuestion(assistant, index, files, q, [], { onSources: () => {}, onText: () => {} }, new AbortController().signal, { maxTokens: 2, rerankFiles: 1 });
      assert.notEqual((await ask('Which parcel weight bands exist?')).sources[0]?.path, 'src/parcels.ts');
      files.set('src/parcels.ts', '// Parcel weight bands: light, medium, heavy.\nexport const PARCEL_WEIGHT_BANDS = ["light", "medium", "heavy"];\n');
      assert.equal((await ask('Which parcel weight bands exist?')).sources[0].path, 'src/parcels.ts');
      files.delete('src/parcels.ts');
      assert.ok(!(await ask('Which parcel weight bands exist?')).sources.some((x) => x.path === 'src/parcels.ts'));
    });
  });
});
