import * as assert from 'node:assert/strict';
import { AcceptedSuggestions } from '../src/completion/accepted';
import { takenThisSession } from '../src/completion/confidence';

describe('accepted suggestions: the next one waits for a new line', () => {
  const insert = (offset: number, text: string) => [{ offset, removed: 0, text }];

  it('an insert of the shown text at its place is an accept; the cursor at its end has just accepted', () => {
    const a = new AcceptedSuggestions();
    a.show('f.go', 100, 'enc.needSep = true', 1);
    a.edited('f.go', insert(100, 'enc.needSep = true'));
    assert.ok(a.justAccepted('f.go', 118));
    assert.ok(!a.justAccepted('f.go', 100) && !a.justAccepted('g.go', 118));
    // Typing after it ends the accept.
    a.edited('f.go', insert(118, 'x'));
    assert.ok(!a.justAccepted('f.go', 118) && !a.justAccepted('f.go', 119));
  });

  it('typing through the shown text, then Tab for the rest, is an accept too', () => {
    const a = new AcceptedSuggestions();
    a.show('f.py', 10, 'section_list = []', 1);
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
      a.show('f.ts', 10, 'x = 1', 1);
      a.edited('f.ts', changes);
      assert.ok(!a.justAccepted('f.ts', 15) && !a.justAccepted('f.ts', 16), what);
    }
    const a = new AcceptedSuggestions();
    a.show('f.ts', 10, 'x = 1', 1);
    a.edited('f.ts', insert(10, 'x = 1'));
    a.forget('f.ts');
    assert.ok(!a.justAccepted('f.ts', 15), 'a closed document forgets');
  });

  it('counts suggestions offered and taken: the rest of one being typed through is the same one, and typing it to its end takes it', () => {
    const a = new AcceptedSuggestions();
    assert.equal(takenThisSession(a.tally()), '', 'nothing offered: nothing to say');
    a.show('f.py', 10, 'section_list = []', 1);
    a.show('f.py', 10, 'section_list = []', 1); // asked again at the same place: the same suggestion
    assert.equal(a.edited('f.py', insert(10, 'sec')), false, 'typed into: not taken yet');
    a.show('f.py', 13, 'tion_list = []', 1); // the editor re-asks while it is typed through
    assert.deepEqual(a.tally(), { offered: 1, taken: 0 });
    assert.equal(a.edited('f.py', insert(13, 'tion_list = []')), true, 'typed to its end: taken');
    assert.deepEqual(a.tally(), { offered: 1, taken: 1 });
    // A second suggestion, typed over with something else; a third, accepted with Tab in another file.
    a.show('f.py', 40, 'return section_list', 1);
    a.edited('f.py', insert(40, 'pass'));
    a.show('g.go', 5, 'return nil', 1);
    a.edited('g.go', insert(5, 'return nil'));
    assert.deepEqual(a.tally(), { offered: 3, taken: 2 });
    assert.equal(takenThisSession(a.tally()), '; this session 2 of 3 suggestions taken (67%)');
  });

  it('a suggestion typed over is not offered again a few lines on; short ones, other places and other documents are', () => {
    const a = new AcceptedSuggestions();
    // radash's fork written as a user: `acc.push(a)` offered at line 4 and `if (...) {` typed instead.
    a.show('a.ts', 100, 'acc.push(a)', 4);
    a.edited('a.ts', insert(100, 'i'));
    assert.ok(a.passedOver('a.ts', 5, 'acc.push(a)'));
    assert.ok(a.passedOver('a.ts', 16, '  acc.push(a)'), 'indentation aside');
    assert.ok(a.passedOver('a.ts', 5, 'acc.push(a)\n    return acc'), 'the same first line, more after it');
    assert.ok(!a.passedOver('a.ts', 17, 'acc.push(a)'), 'far below');
    assert.ok(!a.passedOver('b.ts', 5, 'acc.push(a)'), 'another document');
    assert.ok(!a.passedOver('a.ts', 5, 'acc.push(b)'), 'another suggestion');
    // Typed through to its middle, then something else: all of it was typed over.
    a.show('a.ts', 200, 'return [a, b]', 8);
    a.edited('a.ts', insert(200, 'ret'));
    a.show('a.ts', 203, 'urn [a, b]', 8);
    a.edited('a.ts', insert(203, 'u'));
    a.edited('a.ts', insert(204, 'x'));
    assert.ok(a.passedOver('a.ts', 9, 'return [a, b]') && !a.passedOver('a.ts', 9, 'urn [a, b]'));
    // A short one comes back (pkg/errors' `return`, typed over, was right a line later); taken or
    // left without typing at its place (an edit elsewhere, Enter's indentation) is not typed over.
    a.show('e.go', 10, 'return', 4);
    a.edited('e.go', insert(10, 'w'));
    assert.ok(!a.passedOver('e.go', 5, 'return'));
    a.show('e.go', 50, 'fmt.Println(x)', 6);
    a.edited('e.go', insert(80, 'y'));
    a.show('e.go', 90, 'fmt.Println(y)', 7);
    a.edited('e.go', insert(90, '\n\t'));
    a.show('e.go', 120, 'return nil, err', 9);
    a.edited('e.go', insert(120, 'return nil, err'));
    assert.ok(!a.passedOver('e.go', 8, 'fmt.Println(x)') && !a.passedOver('e.go', 8, 'fmt.Println(y)') && !a.passedOver('e.go', 10, 'return nil, err'));
    a.forget('a.ts');
    assert.ok(!a.passedOver('a.ts', 5, 'acc.push(a)'), 'a closed document forgets');
  });
});
