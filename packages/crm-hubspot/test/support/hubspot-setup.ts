import { randomUUID } from 'node:crypto'
import { type CreateHubspotCrmOptions, createHubspotCrm, type HubspotCrm } from '../../src/index'
import { FakeHubspot, type FakeHubspotOptions } from '../fakes/hubspot-server'

/**
 * A started fake HubSpot with a fresh token (limiter state is per token, so tests never share it) and a
 * CRM pointed at it, with limits loose enough that tests do not wait on them unless they mean to.
 */
export async function hubspotFixture(
  fakeOptions: FakeHubspotOptions = {},
  crmOptions: Partial<CreateHubspotCrmOptions> = {},
): Promise<{
  fake: FakeHubspot
  crm: HubspotCrm
  connect(options?: Partial<CreateHubspotCrmOptions>): HubspotCrm
  close(): Promise<void>
}> {
  const fake = await new FakeHubspot({
    accessToken: `pat-na1-${randomUUID()}`,
    tenSecondlyLimit: 100_000,
    searchPerSecondLimit: 100_000,
    ...fakeOptions,
  }).start()
  const opened: HubspotCrm[] = []
  const connect = (options: Partial<CreateHubspotCrmOptions> = {}) => {
    const crm = createHubspotCrm({
      accessToken: fake.accessToken,
      basePath: fake.url,
      requestsPerTenSeconds: 100_000,
      searchRequestsPerSecond: 10_000,
      ...crmOptions,
      ...options,
    })
    opened.push(crm)
    return crm
  }
  const crm = connect()
  return {
    fake,
    crm,
    connect,
    async close() {
      for (const each of opened) await each.close()
      await fake.stop()
    },
  }
}
