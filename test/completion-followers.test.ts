import * as assert from 'node:assert/strict';
import { followerCounts, pickFollowers, precederCounts } from '../src/completion/followers';

/** What the pipeline offers: the search, then the narrowing by what the line holds. */
const followers = (q: { above: string; typed: string; texts: string[]; limit: number }) => pickFollowers(followerCounts(q.above, q.texts), q.typed, q.limit);

describe('lines the repository writes after the line above (followers)', () => {
  const a = 'function f() {\n  if (err) {\n    return done(err);\n  }\n}\n';
  const b = 'if (err) {\n  return done(err);\n}\n\n  if (err) {\n\n    throw err;\n  }\n  if (err) { // not this line\n    log(err);\n';
  const c = '    if (err) {\n        return done(err);\n';

  it('counts what follows the same line, trimmed, anywhere in the texts: most frequent first, ties first seen first', () => {
    assert.deepEqual(followers({ above: '  if (err) {', typed: '', texts: [a, b, c], limit: 5 }), ['return done(err);', 'throw err;']);
    assert.deepEqual(followers({ above: 'if (err) {', typed: '', texts: [b, a], limit: 1 }), ['return done(err);']);
  });

  it('a follower starts with what the line holds and adds to it; the line above again is no follower', () => {
    assert.deepEqual(followers({ above: 'if (err) {', typed: 'th', texts: [a, b, c], limit: 5 }), ['throw err;']);
    assert.deepEqual(followers({ above: 'if (err) {', typed: 'throw err;', texts: [a, b, c], limit: 5 }), []);
    assert.deepEqual(followers({ above: 'x,', typed: '', texts: ['x,\nx,\ny,\n'], limit: 5 }), ['y,']);
  });

  it('the texts are apart: the last line of one is not followed by the first of the next', () => {
    // The document before the cursor's line and after it: the cursor's own place is no example.
    assert.deepEqual(followers({ above: 'if (err) {', typed: '', texts: ['if (err) {\n', 'throw err;\n'], limit: 5 }), []);
    assert.deepEqual(followers({ above: '', typed: '', texts: [a], limit: 5 }), []);
  });
});

describe('lines the repository writes before the line below (precederCounts)', () => {
  const preceders = (q: { above: string; below: string; typed?: string; texts: string[]; limit?: number }) => pickFollowers(precederCounts(q.above, q.below, q.texts).counts, q.typed ?? '', q.limit ?? 5);
  const handlers = [
    'func getUser(w http.ResponseWriter) {\n\tid := parseID(r)\n\tuser := store.Load(id)\n\twriteJSON(w, user)\n}\n',
    'func getItem(w http.ResponseWriter) {\n\tid := parseID(r)\n\n\titem := store.Load(id)\n\twriteJSON(w, item)\n}\n',
    'func ping(w http.ResponseWriter) {\n\tlog.Println("ping")\n\twriteJSON(w, item)\n}\n',
  ];

  it('counts the line right before the line below, blank lines skipped; a place where the line above matches too counts twice', () => {
    const found = precederCounts('id := parseID(r)', 'writeJSON(w, item)', handlers);
    assert.deepEqual([...found.counts], [['item := store.Load(id)', 2], ['log.Println("ping")', 1]]);
    assert.deepEqual([...found.between], [['item := store.Load(id)', 1]], 'only getItem has the line above, the blank line skipped, then one line, then the line below');
    assert.deepEqual(preceders({ above: 'func getItem(w http.ResponseWriter) {', below: 'item := store.Load(id)', texts: handlers }), ['id := parseID(r)']);
    assert.equal(precederCounts('func getItem(w http.ResponseWriter) {', 'item := store.Load(id)', handlers).counts.get('id := parseID(r)'), 2);
    assert.deepEqual(preceders({ above: '', below: 'writeJSON(w, item)', typed: 'log', texts: handlers }), ['log.Println("ping")']);
  });

  it('a line below that says little or stands everywhere gives none: what comes before `}` is anything', () => {
    assert.deepEqual(preceders({ above: 'id := parseID(r)', below: '}', texts: handlers }), []);
    assert.deepEqual(preceders({ above: '', below: '  return;  ', texts: ['a();\nreturn;\n'] }), []);
    const everywhere = Array.from({ length: 17 }, (_, i) => `step${i}()\nif err != nil {\n`);
    assert.deepEqual(preceders({ above: '', below: 'if err != nil {', texts: everywhere }), []);
    assert.equal(preceders({ above: '', below: 'if err != nil {', texts: everywhere.slice(0, 16) }).length, 5);
    // Between both neighbours the line above anchors too: a line below in 18 places still finds it.
    const found = precederCounts('x := load()', 'if err != nil {', [...everywhere, 'x := load()\ncheck(x)\nif err != nil {\n']);
    assert.deepEqual([...found.counts], [], 'too many places for the lines before it alone');
    assert.deepEqual([...found.between], [['check(x)', 1]]);
    const banner = Array.from({ length: 257 }, (_, i) => `step${i}()\nif err != nil {\n`);
    assert.deepEqual([...precederCounts('x := load()', 'if err != nil {', [...banner, 'x := load()\ncheck(x)\nif err != nil {\n']).between], [], 'nor past MAX_BETWEEN_PLACES');
  });

  it('only whole lines count, and the first line of a text has nothing before it', () => {
    assert.deepEqual(preceders({ above: '', below: 'writeJSON(w, item)', texts: ['writeJSON(w, item)\n', 'x := 1; writeJSON(w, item)\n'] }), []);
  });
});
