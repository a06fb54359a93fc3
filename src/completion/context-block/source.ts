// One file of the workspace with the facts the context block reads from it, each computed on first use.
import { jsExports, topLevelDefinitions, type Def, type JsExports } from '../../code/declarations';
import { languageOf, type Language } from '../../code/language';
import { scanLines, type Shape } from '../../code/shape';
import { parseImports, type ImportRef } from './parse-imports';

export class SourceFile {
  readonly lang: Language;
  private linesMemo?: readonly string[];
  private shapeMemo?: Shape;
  private defsMemo?: Map<string, Def[]>;
  private exportsMemo?: JsExports;
  private importsMemo?: ImportRef[];

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.lang = languageOf(path);
  }

  get lines(): readonly string[] {
    return (this.linesMemo ??= splitLines(this.text));
  }

  get shape(): Shape {
    return (this.shapeMemo ??= scanLines(this.lines, this.lang));
  }
  get defs(): Map<string, Def[]> {
    return (this.defsMemo ??= topLevelDefinitions(this.lines, this.shape, this.lang));
  }
  get exports(): JsExports {
    return (this.exportsMemo ??= jsExports(this.lines, this.shape));
  }
  get imports(): ImportRef[] {
    return (this.importsMemo ??= parseImports(this.lang, this.text));
  }
  /** Go: the name in the `package` clause. */
  get goPackage(): string | undefined {
    return /^package\s+(\w+)/m.exec(this.text)?.[1];
  }
}

/** Lines without their terminators (a final newline adds no empty line). */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}
