import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readmeExamples } from '../../../test-support/readme-examples'

readmeExamples(join(dirname(fileURLToPath(import.meta.url)), '..'), 3)
