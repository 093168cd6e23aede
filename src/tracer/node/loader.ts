// Node's own CommonJS loader, taught the user's TypeScript, JSX and ES-module files: the file's
// imports resolve exactly as Node resolves them (relative paths, node_modules, index files), and
// imported user files are transpiled on the fly (without probes: only the entry unit has sites).
// Files inside node_modules are left to Node.

import * as fs from 'fs';
import Module from 'module';
import { needsTranspile, transpile } from './transpile';

/** The loader's internals this file relies on (stable since Node 12, used by every require hook). */
interface LoaderModule {
  _compile(code: string, filename: string): unknown;
  exports: unknown;
  loaded: boolean;
  filename: string;
  id: string;
  paths: string[];
}
type Extension = (module: LoaderModule, filename: string) => void;
interface LoaderStatics {
  _extensions: Record<string, Extension>;
  _resolveFilename: (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
  _cache: Record<string, LoaderModule>;
  _nodeModulePaths(dir: string): string[];
  new (id: string, parent: unknown): LoaderModule;
}

export const loader = Module as unknown as LoaderStatics;

const NEW_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.jsx'];

/** Modules the stand-ins answer for when the program imports them and they are not installed. */
export type VirtualModules = Record<string, unknown>;

export function installLoader(virtual: VirtualModules): void {
  const compileTranspiled: Extension = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    module._compile(transpile(source, filename), filename);
  };
  for (const ext of NEW_EXTENSIONS) loader._extensions[ext] = compileTranspiled;
  for (const ext of ['.js', '.mjs']) {
    const original = loader._extensions[ext] ?? loader._extensions['.js'];
    loader._extensions[ext] = (module, filename) => {
      if (!isInNodeModules(filename)) {
        const source = fs.readFileSync(filename, 'utf8');
        if (ext === '.mjs' || needsTranspile(filename, source)) {
          module._compile(transpile(source, filename), filename);
          return;
        }
      }
      original(module, filename);
    };
  }

  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request, parent, isMain, options) {
    try {
      return resolve.call(this, request, parent, isMain, options);
    } catch (err) {
      // TypeScript's ESM style: `import './engine.js'` names the file that is `engine.ts` on disk.
      const m = /^(\.{1,2}\/.*)\.(m|c)?jsx?$/.exec(request);
      if (m) {
        for (const ext of ['.ts', '.tsx', '.mts', '.cts']) {
          try {
            return resolve.call(this, m[1] + ext, parent, isMain, options);
          } catch {
            // try the next spelling
          }
        }
      }
      if (Object.prototype.hasOwnProperty.call(virtual, request)) return virtualId(request);
      throw err;
    }
  };
  for (const [name, exports] of Object.entries(virtual)) {
    const module = new loader(virtualId(name), null);
    module.exports = exports;
    module.loaded = true;
    loader._cache[virtualId(name)] = module;
  }
}

function virtualId(request: string): string {
  return `gradlens-stand-in:${request}`;
}

function isInNodeModules(filename: string): boolean {
  return /[\\/]node_modules[\\/]/.test(filename);
}
