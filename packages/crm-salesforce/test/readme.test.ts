import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readmeExamples } from '../../../test-support/readme-examples'
import { FakeSalesforce } from './fakes/salesforce-server'

// The examples run against a local stand-in of a Salesforce org, as SALESFORCE_INSTANCE_URL tells them to.
const org = new FakeSalesforce()
beforeAll(async () => {
  await org.start()
  process.env.SALESFORCE_INSTANCE_URL = org.url
  process.env.SALESFORCE_ACCESS_TOKEN = org.accessToken
})
afterAll(async () => {
  delete process.env.SALESFORCE_INSTANCE_URL
  delete process.env.SALESFORCE_ACCESS_TOKEN
  await org.stop()
})

readmeExamples(join(dirname(fileURLToPath(import.meta.url)), '..'), 2)

// The examples print what they get; these check it reached the org as the README says.
describe('what the README examples wrote', () => {
  it('Eva is a Contact of Lind AB, with an email logged and a completed task', () => {
    const eva = org.records('Contact').find((row) => row.Email === 'eva@lind.se')
    const lind = org.records('Account').find((row) => row.Name === 'Lind AB')
    expect(eva?.AccountId).toBe(lind?.Id)
    expect(org.records('Task').map((task) => [task.Subject, task.TaskSubtype, task.IsClosed])).toEqual(
      expect.arrayContaining([
        ['Email: Quick question', 'Email', true],
        ['Call Eva', 'Task', true],
      ]),
    )
  })

  it('the engine synced Nils once, with his company as the primary account and the campaign status', () => {
    const nils = org.records('Contact').filter((row) => row.Email === 'nils@berg.se')
    expect(nils).toHaveLength(1)
    const berg = org.records('Account').find((row) => row.Website === 'berg.se')
    expect(nils[0]).toMatchObject({ FirstName: 'Nils', LeadSource: 'Other', AccountId: berg?.Id })
    expect(nils[0]?.Paceline_Engagement_Status__c).toEqual(expect.any(String))
  })
})
