import * as assert from 'node:assert/strict';
import { callsIn, codeOnly } from '../src/code/calls';

describe('what code calls (a long undocumented function summarized)', () => {
  it('codeOnly drops comments and string literals, and keeps the code inside a template literal', () => {
    assert.equal(codeOnly('a("x(y)"); // f(z)\n/* g(1) */ b(\'q\')', 'typescript'), 'a(""); \n b(\'\')');
    assert.equal(codeOnly('out += `${table(rows)} and f(x) ${ {a: b(1)}.a }`;', 'typescript'), 'out += `${table(rows)}${ {a: b(1)}.a }`;');
    assert.equal(codeOnly('s = """f(x)\nstill(text)"""  # g(y)\nh(1)', 'python'), 's = ""  \nh(1)');
    assert.equal(codeOnly('p := `raw\\` f(x)', 'go'), 'p := `` f(x)');
  });

  it('callsIn: the calls in a body, each once, without the signature, its own inner definitions, builtins or local values\' common methods', () => {
    const py = [
      'def __setitem__(self, key, value):',
      '    maxsize = self.__maxsize',
      '    size = self.getsizeof(value)',
      '    if size > maxsize:',
      '        raise ValueError("value too large (max %d)" % len(x))',
      '    while self.__currsize + size > maxsize:',
      '        self.popitem()',
      '    parts = ",".join(str(p) for p in key.split(" "))',
      '    self.getsizeof(parts)',
    ].join('\n');
    assert.deepEqual(callsIn(py, 'python'), { calls: ['self.getsizeof', 'self.popitem'], raises: ['ValueError'] });
    const ts = [
      'function formatter(results: Result[], options: Options) {',
      '  results.forEach(function (result) {',
      '    output += `${table(result.messages.map((m) => [m.line, styleText("red", m.text)]), {',
      '      stringLength(str: string): number {',
      '        return Math.max(...stripAnsi(str).split("\\n").map(widthOfString));',
      '      },',
      '    })}`;',
      '  });',
      '  function helper(x) { return x; }',
      '  if (!helper(output)) throw new TypeError(`bad ${kind(output)}`);',
      '  if (seen.has(output) || cache.set.call(cache, new Map())) throw invalidChar(output);',
      '  return output + pluralize("error", n);',
      '}',
    ].join('\n');
    assert.deepEqual(callsIn(ts, 'typescript'), { calls: ['table', 'styleText', 'stripAnsi', 'kind', 'invalidChar', 'pluralize'], raises: ['TypeError'] });
    const go = ['func (r *Router) Match(req *http.Request) bool {', '\tfor _, route := range r.routes {', '\t\tif route.Match(req, match) {', '\t\t\treturn len(r.x) > int(n) && string(b) != ""', '\t\t}', '\t}', '\tpanic(fmt.Sprintf("no %s", req))', '}'].join('\n');
    assert.deepEqual(callsIn(go, 'go'), { calls: ['route.Match', 'fmt.Sprintf'], raises: ['panic'] });
  });
});
