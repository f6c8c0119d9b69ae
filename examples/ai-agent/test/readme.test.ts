import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readmeExamples } from '../../../test-support/readme-examples'

// Every ```ts block of this example's README runs offline (the ```typescript one calls a vendor: shown only).
readmeExamples(join(dirname(fileURLToPath(import.meta.url)), '..'), 2)
