import { describe, expect, it } from 'vitest'
import {
  type CustomOperator,
  type CustomRuleGroup,
  type CustomValue,
  defineLead,
  hasLinkedInProfile,
  hasMobilePhone,
  hasProfessionalEmail,
  matchesCustomRules,
} from '../../src/index'

const lead = defineLead({
  id: 'l1',
  profile: {
    firstName: 'Eva',
    jobTitle: 'Head of Operations',
    company: { name: 'Northwind', size: 120 },
    country: 'ES',
    linkedinUrl: 'https://www.linkedin.com/in/eva',
    tags: [],
  },
})

const rule = (field: string, operator: CustomOperator, value?: CustomValue): CustomRuleGroup => ({
  match: 'all',
  rules: [{ field, operator, ...(value === undefined ? {} : { value }) }],
})

describe('matchesCustomRules', () => {
  it.each([
    ['jobTitle', 'equals', 'head of operations', true],
    ['jobTitle', 'not_equals', 'CEO', true],
    ['jobTitle', 'contains', 'OPERATIONS', true],
    ['jobTitle', 'not_contains', 'sales', true],
    ['jobTitle', 'starts_with', 'head', true],
    ['jobTitle', 'ends_with', 'operations', true],
    ['jobTitle', 'is_empty', undefined, false],
    ['mobilePhone', 'is_empty', undefined, true],
    ['tags', 'is_empty', undefined, true],
    ['company.size', 'is_not_empty', undefined, true],
    ['company.size', 'greater_than', 100, true],
    ['company.size', 'greater_or_equal', 120, true],
    ['company.size', 'less_than', 120, false],
    ['company.size', 'less_or_equal', 120, true],
    ['company.size', 'equals', 120, true],
    ['country', 'in', ['FR', 'ES'], true],
    ['country', 'not_in', ['FR', 'ES'], false],
    ['missing.path', 'greater_than', 1, false],
    ['missing', 'equals', 'x', false],
  ] as const)('%s %s %j is %s', (field, operator, value, expected) => {
    expect(matchesCustomRules(rule(field, operator, value), lead)).toBe(expected)
  })

  it('combines rules with AND and OR, nested', () => {
    const group: CustomRuleGroup = {
      match: 'any',
      rules: [
        { field: 'country', operator: 'equals', value: 'FR' },
        {
          match: 'all',
          rules: [
            { field: 'company.size', operator: 'greater_than', value: 50 },
            { field: 'jobTitle', operator: 'contains', value: 'head' },
          ],
        },
      ],
    }
    expect(matchesCustomRules(group, lead)).toBe(true)
    expect(matchesCustomRules({ ...group, match: 'all' }, lead)).toBe(false)
  })
})

describe('profile conditions', () => {
  it('checks the LinkedIn profile id, not the URL', () => {
    expect(hasLinkedInProfile(lead)).toBe(false)
    expect(hasLinkedInProfile(defineLead({ id: 'x', profile: { linkedinProfileId: 'ACoAAB' } }))).toBe(true)
  })

  it('checks the professional email and the mobile phone fields', () => {
    expect(hasProfessionalEmail(lead)).toBe(false)
    expect(hasMobilePhone(lead)).toBe(false)
    const full = defineLead({
      id: 'y',
      profile: { professionalEmail: 'eva@northwind.io', mobilePhone: '+34 600 000 000' },
    })
    expect(hasProfessionalEmail(full)).toBe(true)
    expect(hasMobilePhone(full)).toBe(true)
  })
})
