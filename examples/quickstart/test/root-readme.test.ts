import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readmeExamples } from '../../../test-support/readme-examples'

// The repository's README is the first thing a user reads: its examples run from this package, whose
// dependencies hold every package they import (@paceline/core and @paceline/storage-sqlite).
const quickstart = join(dirname(fileURLToPath(import.meta.url)), '..')
readmeExamples(quickstart, 1, {
  readme: join(quickstart, '..', '..', 'README.md'),
  title: 'root README examples',
})
