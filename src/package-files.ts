import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { SambaError } from './model/errors';

let root: string | undefined;

/**
 * The package's own folder, where kernels/, models/ and media/ live: the first folder above this
 * module holding package.json and kernels/ (this module runs from dist/ when bundled, from
 * out/src/ in tests, and from an installed extension's dist/). The extension host also knows it as
 * context.extensionPath.
 */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'kernels'))) return (root = dir);
    if (path.dirname(dir) === dir) break;
  }
  throw new SambaError('gpu', `The package folder (package.json with kernels/ beside it) was not found above ${__dirname}. The installation is incomplete; reinstall the extension.`);
}

/** A file or folder of the package, e.g. packagePath('models', 'default'). */
export function packagePath(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}
