import { crmConformance } from '@paceline/core/conformance'
import { hubspotFixture } from './support/hubspot-setup'

crmConformance({
  name: 'HubSpot (fake server)',
  create: async () => {
    const { crm, close } = await hubspotFixture()
    return { crm, close }
  },
  fields: {
    contact: {
      firstName: 'firstname',
      lastName: 'lastname',
      email: 'email',
      text: 'jobtitle',
      linkedinUrl: 'hs_linkedin_url',
    },
    company: { name: 'name', domain: 'domain' },
  },
})
