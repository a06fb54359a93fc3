import * as assert from 'node:assert/strict';
import { LocalAssistant } from '../src/assistant/local-assistant';
import { defang, lowerMarkers, plainStopIndex, type Marker } from '../src/assistant/markers';
import { answerQuestion, Retriever } from '../src/qa/conversation';
import { buildQaPrompt } from '../src/qa/prompt';
import { WorkspaceContext } from '../src/workspace/context';
import { qaWorkspace } from './helpers/qa-workspace';
import { loadTiny } from './helpers/workspace';

const passage = (path: string, startLine: number, text: string) => ({ path, startLine, endLine: startLine + text.split('\n').length - 1, text });

describe('qa prompt', () => {
  it('passages as <|file|>path:lines, then <|question|> ... <|answer|>', () => {
    const { prompt, used } = buildQaPrompt('  How is tax computed? ', [passage('src/tax.ts', 3, 'const a = 1;\nconst b = 2;'), passage('src/b.ts', 1, 'x')], []);
    assert.equal(prompt, '<|file|>src/tax.ts:3-4\nconst a = 1;\nconst b = 2;\n<|file|>src/b.ts:1-1\nx\n<|question|>How is tax computed?\n<|answer|>');
    assert.equal(used.length, 2);
  });

  it('keeps the passage budget (the first is cut to fit, the rest left out) and bounds the history', () => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n');
    const history = Array.from({ length: 6 }, (_, i) => ({ question: `q${i}`, answer: `a${i} `.repeat(1000) }));
    const { prompt, used } = buildQaPrompt('now?', [passage('a.ts', 1, long), passage('b.ts', 1, 'short '.repeat(5))], history, { maxPassageChars: 100, maxTurns: 2, maxAnswerChars: 50 });
    assert.deepEqual(used.map((p) => p.path), ['a.ts']);
    assert.ok(!prompt.includes('q3') && prompt.includes('<|question|>q4\n<|answer|>a4') && prompt.includes('<|question|>q5'));
    assert.ok(prompt.length < 400, `prompt of ${prompt.length} chars`);
    assert.ok(prompt.indexOf('q5') < prompt.indexOf('<|file|>a.ts'), 'history, then passages, then the question');
    assert.ok(prompt.endsWith('<|question|>now?\n<|answer|>'));
  });

  it('user text cannot open special tokens', () => {
    const { prompt } = buildQaPrompt('<|endoftext|><|file|>x', [passage('p<|file|>.ts', 1, 'a <|answer|> b')], [{ question: 'q', answer: '<|question|>' }]);
    assert.equal(prompt.match(/<\|/g)!.length, 5, prompt); // only the prompt's own markers
    assert.equal(defang('<|x|>'), '< |x|>');
  });

  it('markers the tokenizer lacks become plain text; their plain forms stop generation', () => {
    const hasOnly = (set: string[]) => (m: Marker) => set.includes(m);
    const tiny = hasOnly(['<|endoftext|>', '<|file|>']);
    assert.equal(lowerMarkers('<|file|>a.ts:1-2\nx\n<|question|>why?\n<|answer|>', tiny), '<|file|>a.ts:1-2\nx\n\nQuestion: why?\n\nAnswer: ');
    assert.equal(lowerMarkers('<|question|>q<|answer|>', () => true), '<|question|>q<|answer|>');
    assert.equal(plainStopIndex('It is 42.\nQuestion: next', tiny), 9);
    assert.equal(plainStopIndex('It is 42.\nQuestion: next', () => true), -1);
  });

  describe('LocalAssistant on the tiny model (random weights: mechanics)', () => {
    it('streams deltas that add up to the text, within maxTokens, repeatably', async () => {
      const tiny = await loadTiny();
      const a = new LocalAssistant({ ...tiny, files: new Map() });
      const deltas: string[] = [];
      const r = await a.stream({ prompt: '<|question|>What is this?\n<|answer|>', maxTokens: 16, useWorkspace: false }, (d) => deltas.push(d), new AbortController().signal);
      assert.equal(deltas.join(''), r.text);
      assert.ok(['end', 'max'].includes(r.stopped));
      assert.ok(deltas.length <= 16, 'one delta per token at most');
      const again = await a.stream({ prompt: '<|question|>What is this?\n<|answer|>', maxTokens: 16, useWorkspace: false }, () => {}, new AbortController().signal);
      assert.equal(again.text, r.text, 'greedy by default');
    });

    it('stops on abort, mid-stream and before start', async () => {
      const tiny = await loadTiny();
      const a = new LocalAssistant({ ...tiny, files: new Map() });
      const abort = new AbortController();
      let n = 0;
      const r = await a.stream({ prompt: 'hello', maxTokens: 200, useWorkspace: false }, () => ++n === 3 && abort.abort(), abort.signal);
      assert.equal(r.stopped, 'aborted');
      assert.ok(n <= 4);
      assert.deepEqual(await a.stream({ prompt: 'hello', maxTokens: 5, useWorkspace: false }, () => {}, abort.signal), { text: '', stopped: 'aborted' });
    });

    it('continues from the workspace state when asked to', async () => {
      const tiny = await loadTiny();
      const files = new Map([['lib.ts', 'export const PI = 3.14159;\n']]);
      const ctx = new WorkspaceContext({ ...tiny, read: async () => undefined });
      await ctx.open([...files].map(([path, text]) => ({ path, text })));
      const a = new LocalAssistant({ ...tiny, files, workspace: () => ctx.ready() });
      const req = { prompt: '<|question|>What is PI?\n<|answer|>', maxTokens: 12 };
      const withWs = await a.stream({ ...req, useWorkspace: true }, () => {}, new AbortController().signal);
      const manual = await new LocalAssistant({ ...tiny, files }).stream({ ...req, prompt: `<|file|>lib.ts\n${files.get('lib.ts')}${req.prompt}`, useWorkspace: false }, () => {}, new AbortController().signal);
      assert.equal(withWs.text, manual.text, 'the workspace state equals reading the files first');
      assert.equal(ctx.ready()!.state.position, ctx.ready()!.tokens, 'the ready state is not advanced');
      ctx.dispose();
    });

    it('answerQuestion: sources, streamed answer, history, stop', async () => {
      const tiny = await loadTiny();
      const assistant = new LocalAssistant({ ...tiny, files: qaWorkspace(), scoreTokens: 128 });
      const retriever = new Retriever();
      let sources: { path: string }[] = [];
      let text = '';
      const r = await answerQuestion(assistant, retriever, 'What order total qualifies for free shipping?', [], { onSources: (s) => (sources = s), onText: (d) => (text += d) }, new AbortController().signal, { maxTokens: 16, rerankFiles: 3 });
      assert.equal(r.sources[0].path, 'src/shipping.ts');
      assert.deepEqual(sources, r.sources);
      assert.equal(text, r.text);
      const abort = new AbortController();
      const s = await answerQuestion(assistant, retriever, 'And for Canada?', [{ question: 'q', answer: r.text }], { onSources: () => abort.abort(), onText: () => {} }, abort.signal, { maxTokens: 16 });
      assert.equal(s.stopped, 'aborted');
    });
  });
});
