/** Words a question is made of that say nothing about where its answer lives. */
const STOP = new Set(
  ('a an and are as at be by can do does for from how i if in into is it its me my of on or so that the then this to ' +
    'was what when where which who why will with you your there their they we our use used uses using get gets ' +
    'code function functions method methods class return returns ' +
    // How a question asks ("how is it decided whether ..."), not what about.
    'whether decid')
    .split(' '),
);

/** An identifier's parts: split on snake_case, camelCase and digits ("isRowSelected": is, Row, Selected). */
function parts(word: string): string[] {
  return word.split('_').flatMap((p) => p.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []);
}

/**
 * The most parts an identifier's run joins. A question's runs join 2 or 3 of its words, so longer
 * runs are never met; every run of a word of P parts cost O(P^3) (a base64 blob in a source file,
 * one "word" of thousands of parts, took 0.5 s to index alone).
 */
const MAX_RUN = 6;

/**
 * Identifiers and words of `text`, split on camelCase, snake_case and digits, lower-cased and lightly
 * stemmed. With `runs` (passages to index), also each identifier's runs of two or more adjacent
 * parts, joined and marked ("isRowSelected": "+isrow", "+rowselected", "+isrowselected"): what a
 * question's words in a row meet (queryTerms), so "is row selected" finds the passage that names it.
 */
export function terms(text: string, runs = false): string[] {
  const out: string[] = [];
  for (const word of text.match(/[A-Za-z][A-Za-z0-9_]*|[0-9]+/g) ?? []) {
    const ps = parts(word);
    for (const p of ps) {
      const t = stem(p.toLowerCase());
      if (t.length > 1 && !STOP.has(t) && !STOP.has(p.toLowerCase())) out.push(t);
      // "invalid" is also "valid": a user asks what happens when a version is "not valid", the code
      // raises InvalidVersion (a root of 5 letters at least: "index", "inline", "until" stay whole).
      const negated = /^(?:in|un|non)([a-z]{5,})$/.exec(t);
      if (negated) out.push(negated[1]);
    }
    // The whole identifier too, so a question naming it exactly ranks its definition first.
    if (ps.length > 1) out.push(word.toLowerCase());
    if (runs && ps.length > 1) {
      const lower = ps.map((p) => p.toLowerCase());
      for (let i = 0; i < lower.length; i++) for (let j = i + 2; j <= Math.min(lower.length, i + MAX_RUN); j++) out.push('+' + lower.slice(i, j).join(''));
    }
  }
  return out;
}

/** Plurals and common verb endings, so "strings" meets "string" and "parsing" meets "parse". */
function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  // parse, parsed, parses, parsing all end as "pars".
  return w.length > 4 && w.endsWith('e') ? w.slice(0, -1) : w;
}

/** A question without "file" where it asks where ("Which file ..."): a "file name" or a "file completer" is what code names. */
export function askedAbout(question: string): string {
  return question.replace(/\b(which|what)(\s+)files?\b/gi, '$1$2');
}

/**
 * A question's terms: terms(), its words in a row (2 or 3) joined as terms(text, true) marks an
 * identifier's runs, and for "can be drafted" the adjective code would name it by ("draftable", as
 * in isDraftable), which the question's words alone never meet.
 */
export function queryTerms(text: string): string[] {
  const words = (text.match(/[A-Za-z][A-Za-z0-9]*|[0-9]+/g) ?? []).map((w) => w.toLowerCase());
  const out = terms(askedAbout(text));
  for (let i = 0; i < words.length; i++) for (let n = 2; n <= 3 && i + n <= words.length; n++) out.push('+' + words.slice(i, i + n).join(''));
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    if (words[i - 1] !== 'be' || w.length < 5 || !w.endsWith('ed')) continue;
    const base = w.slice(0, -2);
    // drafted -> draftable; parsed -> parsable / parseable; serialized -> serializable
    for (const adj of new Set([`${base}able`, `${base}eable`, `${base.replace(/([^aeiou])\1$/, '$1')}able`])) out.push(stem(adj));
  }
  return out;
}
