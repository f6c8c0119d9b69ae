import { crmConformance } from '../../src/conformance/index'
import { createMemoryCrm } from '../../src/testing/index'

crmConformance({
  name: 'memory CRM',
  create: async () => ({ crm: createMemoryCrm() }),
  fields: {
    contact: {
      firstName: 'firstname',
      lastName: 'lastname',
      email: 'email',
      text: 'jobtitle',
      linkedinUrl: 'linkedin_url',
    },
    company: { name: 'name', domain: 'domain' },
  },
})

crmConformance({
  name: 'memory CRM without primary associations',
  create: async () => ({ crm: createMemoryCrm({ primaryAssociations: false }) }),
  fields: {
    contact: {
      firstName: 'firstname',
      lastName: 'lastname',
      email: 'email',
      text: 'jobtitle',
      linkedinUrl: 'linkedin_url',
    },
    company: { name: 'name', domain: 'domain' },
  },
})
