import * as assert from 'node:assert/strict';
import { SambaError, type SambaErrorCode } from '../../src/model/errors';

/** Asserts that `p` rejects with a SambaError of `code` whose message mentions each of `mentions`; returns the message. */
export async function rejects(p: Promise<unknown>, code: SambaErrorCode, ...mentions: (string | RegExp)[]): Promise<string> {
  let message = '';
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof SambaError, `expected a SambaError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const m of mentions) assert.ok(typeof m === 'string' ? e.message.includes(m) : m.test(e.message), `message should mention ${m}: ${e.message.slice(0, 300)}`);
    message = e.message;
    return true;
  });
  return message;
}
