import { crmConformance } from '@paceline/core/conformance'
import { createSalesforceCrm } from '../src/index'
import { FakeSalesforce } from './fakes/salesforce-server'

// Each test gets a fresh org: a local Salesforce stand-in with the integration user and one more active
// user, reached through the real jsforce client.
crmConformance({
  name: 'Salesforce (fake server)',
  create: async () => {
    const org = new FakeSalesforce()
    org.user('Ana', 'Ruiz', 'ana@example.com')
    await org.start()
    const crm = createSalesforceCrm({
      instanceUrl: org.url,
      accessToken: org.accessToken,
      requestsPerSecond: 1_000,
      retryBaseMs: 1,
    })
    return {
      crm,
      close: async () => {
        await crm.close()
        await org.stop()
      },
    }
  },
  fields: {
    contact: {
      firstName: 'FirstName',
      lastName: 'LastName',
      email: 'Email',
      text: 'Title',
      linkedinUrl: 'LinkedIn_URL__c',
    },
    company: { name: 'Name', domain: 'Website' },
  },
})
