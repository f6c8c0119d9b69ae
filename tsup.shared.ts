import { defineConfig, type Options } from 'tsup'

/** The build every package shares: ESM for Node 20 with type declarations; packages add entries and externals. */
export function packageBuild(options: Pick<Options, 'entry' | 'external'> = {}) {
  return defineConfig({
    entry: { index: 'src/index.ts' },
    ...options,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
    // Classes that refer to themselves are emitted as `class _PacelineError`; without this, that mangled name
    // is what Node prints for an uncaught error.
    keepNames: true,
  })
}
