import { packageBuild } from '../../tsup.shared'

export default packageBuild({
  entry: {
    index: 'src/index.ts',
    ports: 'src/ports/index.ts',
    testing: 'src/testing/index.ts',
    conformance: 'src/conformance/index.ts',
  },
  // The conformance suites run inside the adapter's own vitest.
  external: ['vitest'],
})
