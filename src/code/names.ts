// Each language's keywords and the names it provides without a declaration: never a name a file
// defines or a local of some function.

import type { Language } from './language';

export const KEYWORDS: Record<Language, ReadonlySet<string>> = {
  typescript: words(
    'abstract any as asserts async await bigint boolean break case catch class const constructor continue debugger declare default delete do else enum export extends false finally for from function get if implements import in infer instanceof interface is keyof let module namespace never new null number object of override package private protected public readonly require return satisfies set static string super switch symbol this throw true try type typeof undefined unique unknown var void while with yield',
  ),
  javascript: words(
    'async await break case catch class const continue debugger default delete do else export extends false finally for from function get if import in instanceof let new null of return set static super switch this throw true try typeof undefined var void while with yield',
  ),
  python: words(
    'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self cls',
  ),
  go: words(
    'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var nil true false iota',
  ),
  rust: words(
    'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while',
  ),
  java: words(
    'abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for goto if implements import instanceof int interface long native new null package private protected public return short static strictfp super switch synchronized this throw throws transient true false try void volatile while var record',
  ),
  c: words(
    'auto break case char const continue default do double else enum extern float for goto if inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while NULL',
  ),
  cpp: words(
    'alignas alignof auto bool break case catch char class const constexpr const_cast continue decltype default delete do double dynamic_cast else enum explicit export extern false float for friend goto if inline int long mutable namespace new noexcept nullptr operator private protected public register reinterpret_cast return short signed sizeof static static_assert static_cast struct switch template this throw true try typedef typeid typename union unsigned using virtual void volatile while override final',
  ),
  other: words(''),
};

/** Names the language provides: a file that happens to define one (a Go method `string`) does not make a line cross-file. */
export const BUILTINS: Record<Language, ReadonlySet<string>> = {
  typescript: words('Object Array String Number Boolean Promise Map Set WeakMap WeakSet JSON Math console Error TypeError Symbol Date RegExp Reflect Proxy parseInt parseFloat isNaN length prototype toString valueOf constructor'),
  javascript: words('Object Array String Number Boolean Promise Map Set WeakMap WeakSet JSON Math console Error TypeError Symbol Date RegExp Reflect Proxy parseInt parseFloat isNaN length prototype toString valueOf constructor module exports require'),
  python: words('str int float bool bytes list dict set frozenset tuple object type len print range open isinstance issubclass super getattr setattr hasattr iter next min max sum any all sorted reversed enumerate zip map filter repr hash id format vars ValueError TypeError KeyError IndexError Exception RuntimeError'),
  go: words('string int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr float32 float64 complex64 complex128 bool byte rune error any comparable len cap append make new delete copy panic recover print println close complex real imag max min clear'),
  rust: words('Option Some None Result Ok Err Vec String Box Rc Arc Self usize isize u8 u16 u32 u64 u128 i8 i16 i32 i64 i128 f32 f64 bool char str'),
  java: words('String Object Integer Long Double Boolean List Map Set ArrayList HashMap HashSet Exception RuntimeException IllegalArgumentException IllegalStateException System Math'),
  c: words('size_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t malloc calloc realloc free memcpy memset strlen printf'),
  cpp: words('std size_t string vector map unique_ptr shared_ptr make_unique make_shared move'),
  other: words(''),
};

function words(s: string): ReadonlySet<string> {
  return new Set(s.split(/\s+/).filter(Boolean));
}

