import * as assert from 'node:assert/strict';
import { AcceptedSuggestions } from '../src/completion/accepted';
import { takenThisSession } from '../src/completion/confidence';

describe('accepted suggestions: the next one waits for a new line', () => {
  const insert = (offset: number, text: string) => [{ offset, removed: 0, text }];

  it('an insert of the shown text at its place is an accept; the cursor at its end has just accepted', () => {
    const a = new AcceptedSuggestions();
    a.show('f.go', 100, 'enc.needSep = true');
    a.edited('f.go', insert(100, 'enc.needSep = true'));
    assert.ok(a.justAccepted('f.go', 118));
    assert.ok(!a.justAccepted('f.go', 100) && !a.justAccepted('g.go', 118));
    // Typing after it ends the accept.
    a.edited('f.go', insert(118, 'x'));
    assert.ok(!a.justAccepted('f.go', 118) && !a.justAccepted('f.go', 119));
  });

  it('typing through the shown text, then Tab for the rest, is an accept too', () => {
    const a = new AcceptedSuggestions();
    a.show('f.py', 10, 'section_list = []');
    a.edited('f.py', insert(10, 'sec'));
    assert.ok(!a.justAccepted('f.py', 13));
    a.edited('f.py', insert(13, 'tion_list = []'));
    assert.ok(a.justAccepted('f.py', 27));
  });

  it('other edits are no accept: typed text that differs, a replacement, several changes, another place', () => {
    const cases: [string, { offset: number; removed: number; text: string }[]][] = [
      ['a different text', insert(10, 'total = 0')],
      ['a replacement', [{ offset: 10, removed: 3, text: 'x = 1' }]],
      ['two cursors', [...insert(10, 'x = 1'), ...insert(40, 'x = 1')]],
      ['elsewhere', insert(11, 'x = 1')],
    ];
    for (const [what, changes] of cases) {
      const a = new AcceptedSuggestions();
      a.show('f.ts', 10, 'x = 1');
      a.edited('f.ts', changes);
      assert.ok(!a.justAccepted('f.ts', 15) && !a.justAccepted('f.ts', 16), what);
    }
    const a = new AcceptedSuggestions();
    a.show('f.ts', 10, 'x = 1');
    a.edited('f.ts', insert(10, 'x = 1'));
    a.forget('f.ts');
    assert.ok(!a.justAccepted('f.ts', 15), 'a closed document forgets');
  });

  it('counts suggestions offered and taken: the rest of one being typed through is the same one, and typing it to its end takes it', () => {
    const a = new AcceptedSuggestions();
    assert.equal(takenThisSession(a.tally()), '', 'nothing offered: nothing to say');
    a.show('f.py', 10, 'section_list = []');
    a.show('f.py', 10, 'section_list = []'); // asked again at the same place: the same suggestion
    assert.equal(a.edited('f.py', insert(10, 'sec')), false, 'typed into: not taken yet');
    a.show('f.py', 13, 'tion_list = []'); // the editor re-asks while it is typed through
    assert.deepEqual(a.tally(), { offered: 1, taken: 0 });
    assert.equal(a.edited('f.py', insert(13, 'tion_list = []')), true, 'typed to its end: taken');
    assert.deepEqual(a.tally(), { offered: 1, taken: 1 });
    // A second suggestion, typed over with something else; a third, accepted with Tab in another file.
    a.show('f.py', 40, 'return section_list');
    a.edited('f.py', insert(40, 'pass'));
    a.show('g.go', 5, 'return nil');
    a.edited('g.go', insert(5, 'return nil'));
    assert.deepEqual(a.tally(), { offered: 3, taken: 2 });
    assert.equal(takenThisSession(a.tally()), '; this session 2 of 3 suggestions taken (67%)');
  });
});
