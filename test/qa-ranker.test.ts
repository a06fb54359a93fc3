import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Bm25Index } from '../src/qa/bm25';
import { embed, loadTermVectors, nearness, shippedTermVectors } from '../src/qa/ranker';
import { retrieve } from '../src/qa/retrieval';
import { terms } from '../src/qa/terms';

const SHIPPED = path.resolve(__dirname, '../../models/qa-ranker');

/** Code that means nothing any question below asks about. */
const UNRELATED = {
  'misc/color.py': 'def to_rgb(hex_code):\n    return tuple(int(hex_code[i:i + 2], 16) for i in (1, 3, 5))\n',
  'misc/units.go': 'package misc\n\nfunc celsiusToFahrenheit(c float64) float64 {\n\treturn c*9/5 + 32\n}\n',
  'misc/shape.ts': 'export function area(w: number, h: number): number {\n  return w * h\n}\n',
};

/** Questions whose answer shares none of their words (a newcomer's wording), a file that shares some, and the answer. */
const CASES: [string, Record<string, string>, string][] = [
  ['Where is the password checked against the stored hash?', {
    'auth/login.py': 'def verify_credentials(user, secret):\n    digest = bcrypt.hashpw(secret, user.salt)\n    return hmac.compare_digest(digest, user.digest)\n',
    'auth/store.py': 'def save_user(user, stored):\n    stored[user.name] = user\n    return stored\n',
  }, 'auth/login.py'],
  ['How long does it wait before trying the request again?', {
    'net/backoff.go': 'package net\n\nfunc retryDelay(attempt int) time.Duration {\n\treturn time.Duration(1<<attempt) * 100 * time.Millisecond\n}\n',
    'net/request.go': 'package net\n\nfunc newRequest(url string) *http.Request {\n\treq, _ := http.NewRequest("GET", url, nil)\n\treturn req\n}\n',
  }, 'net/backoff.go'],
  ['Where are spaces removed from both ends of the text?', {
    'src/strings.ts': 'export function trim(s: string): string {\n  return s.replace(/^\\s+|\\s+$/g, "")\n}\n',
    'src/text.ts': 'export function textLength(text: string): number {\n  return text.length\n}\n',
  }, 'src/strings.ts'],
];

describe('qa ranker (word vectors learned from doc comments and their code)', () => {
  it('the shipped vectors load: 64 dimensions, thousands of terms as src/qa/terms.ts writes them', () => {
    const v = shippedTermVectors();
    assert.equal(v.dim, 64);
    assert.ok(v.rows.size > 5000, `${v.rows.size} terms`);
    for (const t of terms('parse version retry delay')) assert.ok(v.rows.has(t), t);
    const a = embed(v, terms('compare two versions'))!;
    assert.ok(Math.abs(nearness(a, a) - 1) < 1e-5, 'a unit vector');
    assert.equal(embed(v, ['no-such-term-zzz']), undefined);
  });

  it('a passage that shares no word with the question but means what it asks is cited, above code that means something else', () => {
    for (const [question, files, answer] of CASES) {
      const all = new Map(Object.entries({ ...files, ...UNRELATED }));
      const lexical = new Bm25Index({}, null);
      lexical.sync(all);
      assert.ok(!retrieve(lexical, question).some((p) => p.path === answer), `BM25 alone does not cite ${answer}: it shares no word with "${question}"`);
      const index = new Bm25Index();
      index.sync(all);
      const cited = retrieve(index, question).map((p) => p.path);
      assert.ok(cited.includes(answer), `${answer} cited for "${question}": ${cited.join(', ')}`);
      for (const other of Object.keys(UNRELATED)) if (cited.includes(other)) assert.ok(cited.indexOf(answer) < cited.indexOf(other), `${answer} before ${other}: ${cited.join(', ')}`);
    }
  });

  it('a damaged or missing vectors file is an error that names it and says what to do', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'samba-ranker-'));
    try {
      assert.throws(() => loadTermVectors(dir), (e: Error) => e.message.includes(path.join(dir, 'vectors.bin')) && /Reinstall/.test(e.message));
      const good = readFileSync(path.join(SHIPPED, 'vectors.bin'));
      writeFileSync(path.join(dir, 'vectors.bin'), good.subarray(0, good.length - 7));
      assert.throws(() => loadTermVectors(dir), (e: Error) => e.message.includes('is damaged') && e.message.includes(path.join(dir, 'vectors.bin')));
      const wrong = Buffer.from(good);
      wrong.write('XXXX', 0, 'latin1');
      writeFileSync(path.join(dir, 'vectors.bin'), wrong);
      assert.throws(() => loadTermVectors(dir), /does not start with QAR4/);
      assert.deepEqual(loadTermVectors(SHIPPED).rows, shippedTermVectors().rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
