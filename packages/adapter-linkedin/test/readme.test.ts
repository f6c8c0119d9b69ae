import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll } from 'vitest'
import { readmeExamples } from '../../../test-support/readme-examples'
import { FakeEdges } from './fakes/edges-server'

// The Edges example runs against the local stand-in, as EDGES_BASE_URL tells it to.
const edges = new FakeEdges({ apiKey: 'edges-readme-key' })
beforeAll(async () => {
  await edges.start()
  edges.identity('edges-identity-ana', 'ana-ruiz')
  edges.member('eva-lind')
  process.env.EDGES_BASE_URL = edges.url
})
afterAll(async () => {
  delete process.env.EDGES_BASE_URL
  await edges.stop()
})

readmeExamples(join(dirname(fileURLToPath(import.meta.url)), '..'), 3)
