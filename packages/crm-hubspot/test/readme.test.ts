import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readmeExamples } from '../../../test-support/readme-examples'
import { FakeHubspot } from './fakes/hubspot-server'

// The examples run against the local stand-in, as HUBSPOT_BASE_PATH and HUBSPOT_ACCESS_TOKEN tell them to.
const hubspot = new FakeHubspot({ accessToken: 'pat-na1-readme-token' })
beforeAll(async () => {
  await hubspot.start()
  process.env.HUBSPOT_BASE_PATH = hubspot.url
  process.env.HUBSPOT_ACCESS_TOKEN = hubspot.accessToken
})
afterAll(async () => {
  delete process.env.HUBSPOT_BASE_PATH
  delete process.env.HUBSPOT_ACCESS_TOKEN
  await hubspot.stop()
})

readmeExamples(join(dirname(fileURLToPath(import.meta.url)), '..'), 2)

// The examples assert what they get; these check it reached HubSpot as the README says.
describe('what the README examples wrote to HubSpot', () => {
  it('the sync created Eva and Lind AB once, associated as primary, owned by the integration user', () => {
    const eva = hubspot.all('contacts').find((each) => each.properties.email === 'eva@lind.se')
    const lind = hubspot.all('companies').filter((each) => each.properties.domain === 'lind.se')
    expect(lind).toHaveLength(1)
    expect(eva?.properties).toMatchObject({ firstname: 'Eva', hubspot_owner_id: '41629779' })
    expect(eva?.properties.paceline_idempotency_key).toMatch(/\S/)
    expect(hubspot.associated('contacts', eva?.id ?? '', 'companies')).toEqual([
      { id: lind[0]?.id, typeIds: [1, 279] },
    ])
  })
  it('the direct example logged one LinkedIn message and one completed task on Ada', () => {
    const ada = hubspot.all('contacts').find((each) => each.properties.firstname === 'Ada')
    const messages = hubspot.all('communications')
    expect(messages).toHaveLength(1)
    expect(hubspot.associated('communications', messages[0]?.id ?? '', 'contacts')).toEqual([
      { id: ada?.id, typeIds: [81] },
    ])
    expect(hubspot.all('tasks').map((each) => each.properties.hs_task_status)).toEqual(['COMPLETED'])
  })
})
