import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readmeExamples } from '../../../test-support/readme-examples'
import { FakeEdges } from './fakes/edges-server'
import { FakeUnipile, type UnipileMember } from './fakes/unipile-server'

// The Edges example runs against the local stand-in, as EDGES_BASE_URL tells it to.
const edges = new FakeEdges({ apiKey: 'edges-readme-key' })
// And the Unipile example against its own, as UNIPILE_DSN tells it to.
const unipile = new FakeUnipile({ apiKey: 'unipile-readme-key' })
let eva: UnipileMember
beforeAll(async () => {
  await unipile.start()
  unipile.account('unipile-account-ana', 'ana-ruiz')
  eva = unipile.member('eva-lind', 'Eva', 'Lind')
  unipile.connect('unipile-account-ana', eva) // messages go to 1st-degree connections only
  process.env.UNIPILE_DSN = unipile.dsn
  await edges.start()
  edges.identity('edges-identity-ana', 'ana-ruiz')
  edges.member('eva-lind')
  edges.sessions.set('AQEDAR-readme-session', 'ana-ruiz')
  process.env.EDGES_BASE_URL = edges.url
})
afterAll(async () => {
  delete process.env.EDGES_BASE_URL
  delete process.env.UNIPILE_DSN
  await edges.stop()
  await unipile.stop()
})

readmeExamples(join(dirname(fileURLToPath(import.meta.url)), '..'), 6)

// The examples print what they get; these check it reached the providers as the README says.
describe('what the README examples sent', () => {
  it('Edges: the connection check ran on the identity', () => {
    expect(edges.runsOf('linkedin-extract-sent-invitations').length).toBeGreaterThan(0)
  })
  it('Unipile: the hosted auth link was asked for LinkedIn, and the notified account checked', () => {
    expect(unipile.requestsOf('POST /hosted/accounts/link').map((each) => each.json?.providers)).toEqual([
      ['LINKEDIN'],
      ['LINKEDIN'],
    ])
    expect(unipile.requestsOf('GET /accounts/:account_id').map((each) => each.status)).toEqual([200])
  })
  it('Edges: an engagement identity was created and its LinkedIn session connected', () => {
    const [created] = [...edges.integrations.values()]
    expect(created?.status).toBe('VALID')
    expect(edges.identities.get(created?.identityUid ?? '')?.type).toBe('engagement')
  })
  it('Unipile: both chunks reached Eva, in order', () => {
    expect(unipile.sentTo('unipile-account-ana', eva)).toEqual(['Hi Eva!', 'Loved your talk on pricing.'])
  })
})
