import * as assert from 'node:assert/strict';
import { followerCounts, pickFollowers } from '../src/completion/followers';

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
