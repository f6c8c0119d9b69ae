import { describe, expect, it } from 'vitest'
import {
  defineIdentity,
  type IdentityInput,
  identityWarnings,
  updateIdentity,
  validateIdentity,
  windowsOn,
  workingMinutesOn,
} from '../../src/index'
import { anaInput } from '../fixtures'
import { expectFailure, expectIssue, expectSuccess, expectThrows } from '../test-helpers'

const minimal = {
  id: 'min',
  name: 'Min',
  workingHours: { timezone: 'America/New_York' },
} satisfies IdentityInput

/** Defines an identity from `anaInput` with a change, expecting rejection, and returns the error. */
function rejected(input: unknown) {
  return expectFailure(validateIdentity(input), 'invalid_identity')
}

describe('defineIdentity', () => {
  it("accepts the README's identity exactly as written and fills in the documented defaults", () => {
    const ana = defineIdentity(anaInput)
    expect(ana.type).toBe('standard')
    expect(ana.workingHours).toEqual({
      timezone: 'Europe/Madrid',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      windows: [{ start: '09:00', end: '18:00' }],
    })
    expect(ana.linkedin?.limits).toEqual({
      connectionsPerDay: 20,
      invitationsPerWeek: 100,
      messagesPerDay: 100,
      profileVisitsPerDay: 50,
      minutesBetweenProfileVisits: 4,
      minutesBetweenPostReactions: 5,
      acceptanceChecks: { max: 5, perMinutes: 30 },
    })
    expect(ana.email.inboxes).toEqual([{ address: 'ana@acme.io', limits: { perDay: 30, perHour: 5 } }])
    expect(ana.linkedin?.autoWithdrawAfterDays).toBeUndefined()
    expect(ana.monthlyConversationLimit).toBeUndefined()
  })

  it('defaults working days to Monday-Friday 09:00-18:00 and inbox limits to 30/day and 5/hour', () => {
    const identity = defineIdentity({ ...minimal, email: { inboxes: [{ address: 'min@acme.io' }] } })
    expect(identity.workingHours.days).toEqual(['mon', 'tue', 'wed', 'thu', 'fri'])
    expect(identity.workingHours.windows).toEqual([{ start: '09:00', end: '18:00' }])
    expect(identity.email.inboxes[0]?.limits).toEqual({ perDay: 30, perHour: 5 })
    expect(identity.linkedin).toBeUndefined()
  })

  it('gives Premium accounts 150 profile visits a day and others 50', () => {
    const premium = defineIdentity({ ...minimal, linkedin: { accountId: 'p', premium: true } })
    const standard = defineIdentity({ ...minimal, linkedin: { accountId: 's' } })
    expect(premium.linkedin?.limits.profileVisitsPerDay).toBe(150)
    expect(standard.linkedin?.limits.profileVisitsPerDay).toBe(50)
  })

  it('keeps optional settings: engagement type, auto-withdrawal, monthly limit, signature, Sales Navigator', () => {
    const identity = defineIdentity({
      ...minimal,
      type: 'engagement',
      monthlyConversationLimit: 800,
      linkedin: {
        accountId: 'x',
        salesNavigator: true,
        autoWithdrawAfterDays: 15,
        limits: { scrapingsPerDay: 200 },
      },
      email: { inboxes: [{ address: 'a@acme.io' }], signature: 'Ana · Acme' },
    })
    expect(identity.type).toBe('engagement')
    expect(identity.monthlyConversationLimit).toBe(800)
    expect(identity.linkedin?.autoWithdrawAfterDays).toBe(15)
    expect(identity.linkedin?.limits.scrapingsPerDay).toBe(200)
    expect(identity.email.signature).toEqual({ text: 'Ana · Acme' })
  })

  it('canonicalises the time zone name', () => {
    expect(
      defineIdentity({ ...minimal, workingHours: { timezone: 'europe/madrid' } }).workingHours.timezone,
    ).toBe('Europe/Madrid')
  })

  it('supports several windows a day and per-day overrides', () => {
    const identity = defineIdentity({
      ...minimal,
      workingHours: {
        timezone: 'Europe/Madrid',
        windows: [
          { start: '15:00', end: '18:00' },
          { start: '09:00', end: '13:00' },
        ],
        windowsByDay: { fri: [{ start: '09:00', end: '14:00' }] },
      },
    })
    expect(windowsOn(identity.workingHours, 'mon')).toEqual([
      { start: 540, end: 780 },
      { start: 900, end: 1080 },
    ])
    expect(windowsOn(identity.workingHours, 'fri')).toEqual([{ start: 540, end: 840 }])
    expect(windowsOn(identity.workingHours, 'sat')).toEqual([])
    expect(workingMinutesOn(identity.workingHours, 'mon')).toBe(420)
  })

  it('throws a PacelineError naming the identity and every field that is wrong', () => {
    const error = expectThrows(
      () =>
        defineIdentity({
          ...anaInput,
          email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 81 } }] },
        }),
      'invalid_identity',
    )
    expect(error.message).toContain("Identity 'ana'")
    expectIssue(error, { rule: 'too_large', field: 'email.inboxes[0].limits.perDay' })
  })
})

describe('identity validation rules', () => {
  const cases: { name: string; input: unknown; rule: string; field: string }[] = [
    {
      name: 'an inbox sending 81 a day (80 is the hard maximum)',
      input: {
        ...anaInput,
        email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 81, perHour: 5 } }] },
      },
      rule: 'too_large',
      field: 'email.inboxes[0].limits.perDay',
    },
    {
      name: 'an inbox sending 11 an hour (10 is the hard maximum)',
      input: { ...anaInput, email: { inboxes: [{ address: 'ana@acme.io', limits: { perHour: 11 } }] } },
      rule: 'too_large',
      field: 'email.inboxes[0].limits.perHour',
    },
    {
      name: 'an hourly limit above the daily limit',
      input: {
        ...anaInput,
        email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 4, perHour: 5 } }] },
      },
      rule: 'hourly_above_daily',
      field: 'email.inboxes[0].limits.perHour',
    },
    {
      name: 'a zero daily email limit',
      input: { ...anaInput, email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 0 } }] } },
      rule: 'too_small',
      field: 'email.inboxes[0].limits.perDay',
    },
    {
      name: 'a fractional limit',
      input: { ...anaInput, linkedin: { accountId: 'x', limits: { connectionsPerDay: 2.5 } } },
      rule: 'not_integer',
      field: 'linkedin.limits.connectionsPerDay',
    },
    {
      name: 'the same inbox twice',
      input: { ...anaInput, email: { inboxes: [{ address: 'ana@acme.io' }, { address: 'ANA@acme.io' }] } },
      rule: 'duplicate_inbox',
      field: 'email.inboxes[1].address',
    },
    {
      name: 'an invalid inbox address',
      input: { ...anaInput, email: { inboxes: [{ address: 'not-an-address' }] } },
      rule: 'invalid_format',
      field: 'email.inboxes[0].address',
    },
    {
      name: 'an unknown time zone',
      input: { ...anaInput, workingHours: { ...anaInput.workingHours, timezone: 'Mars/Olympus_Mons' } },
      rule: 'unknown_time_zone',
      field: 'workingHours.timezone',
    },
    {
      name: 'a fixed offset instead of a zone',
      input: { ...anaInput, workingHours: { ...anaInput.workingHours, timezone: '+01:00' } },
      rule: 'unknown_time_zone',
      field: 'workingHours.timezone',
    },
    {
      name: 'a missing time zone',
      input: { ...anaInput, workingHours: { days: ['mon'] } },
      rule: 'required',
      field: 'workingHours.timezone',
    },
    {
      name: 'a window that ends before it starts',
      input: {
        ...anaInput,
        workingHours: { ...anaInput.workingHours, windows: [{ start: '18:00', end: '09:00' }] },
      },
      rule: 'window_order',
      field: 'workingHours.windows[0]',
    },
    {
      name: 'a time that is not HH:MM',
      input: {
        ...anaInput,
        workingHours: { ...anaInput.workingHours, windows: [{ start: '9am', end: '18:00' }] },
      },
      rule: 'invalid_format',
      field: 'workingHours.windows[0].start',
    },
    {
      name: 'overlapping windows',
      input: {
        ...anaInput,
        workingHours: {
          ...anaInput.workingHours,
          windows: [
            { start: '09:00', end: '13:00' },
            { start: '12:00', end: '18:00' },
          ],
        },
      },
      rule: 'windows_overlap',
      field: 'workingHours.windows[1]',
    },
    {
      name: 'no working day',
      input: { ...anaInput, workingHours: { ...anaInput.workingHours, days: [] } },
      rule: 'too_few',
      field: 'workingHours.days',
    },
    {
      name: 'a day listed twice',
      input: { ...anaInput, workingHours: { ...anaInput.workingHours, days: ['mon', 'mon'] } },
      rule: 'duplicate_day',
      field: 'workingHours.days',
    },
    {
      name: 'an unknown day',
      input: { ...anaInput, workingHours: { ...anaInput.workingHours, days: ['monday'] } },
      rule: 'invalid_value',
      field: 'workingHours.days[0]',
    },
    {
      name: 'windows for a day that is not worked',
      input: {
        ...anaInput,
        workingHours: { ...anaInput.workingHours, windowsByDay: { sat: [{ start: '10:00', end: '12:00' }] } },
      },
      rule: 'day_not_worked',
      field: 'workingHours.windowsByDay.sat',
    },
    {
      name: 'more connection requests than the cap of 100',
      input: { ...anaInput, linkedin: { accountId: 'x', limits: { connectionsPerDay: 101 } } },
      rule: 'too_large',
      field: 'linkedin.limits.connectionsPerDay',
    },
    {
      name: 'more than 50 profile visits without Premium',
      input: { ...anaInput, linkedin: { accountId: 'x', limits: { profileVisitsPerDay: 51 } } },
      rule: 'too_large',
      field: 'linkedin.limits.profileVisitsPerDay',
    },
    {
      name: 'more than 150 profile visits with Premium',
      input: {
        ...anaInput,
        linkedin: { accountId: 'x', premium: true, limits: { profileVisitsPerDay: 151 } },
      },
      rule: 'too_large',
      field: 'linkedin.limits.profileVisitsPerDay',
    },
    {
      name: 'profile visits closer than 4 minutes apart',
      input: { ...anaInput, linkedin: { accountId: 'x', limits: { minutesBetweenProfileVisits: 3 } } },
      rule: 'too_small',
      field: 'linkedin.limits.minutesBetweenProfileVisits',
    },
    {
      name: 'post reactions closer than 5 minutes apart',
      input: { ...anaInput, linkedin: { accountId: 'x', limits: { minutesBetweenPostReactions: 4 } } },
      rule: 'too_small',
      field: 'linkedin.limits.minutesBetweenPostReactions',
    },
    {
      name: 'more than 5 acceptance checks per window',
      input: {
        ...anaInput,
        linkedin: { accountId: 'x', limits: { acceptanceChecks: { max: 6, perMinutes: 30 } } },
      },
      rule: 'too_large',
      field: 'linkedin.limits.acceptanceChecks.max',
    },
    {
      name: 'an acceptance-check window shorter than 30 minutes',
      input: {
        ...anaInput,
        linkedin: { accountId: 'x', limits: { acceptanceChecks: { max: 5, perMinutes: 10 } } },
      },
      rule: 'too_small',
      field: 'linkedin.limits.acceptanceChecks.perMinutes',
    },
    {
      name: 'scrapings without Sales Navigator',
      input: { ...anaInput, linkedin: { accountId: 'x', limits: { scrapingsPerDay: 10 } } },
      rule: 'requires_sales_navigator',
      field: 'linkedin.limits.scrapingsPerDay',
    },
    {
      name: 'auto-withdrawal after 0 days',
      input: { ...anaInput, linkedin: { accountId: 'x', autoWithdrawAfterDays: 0 } },
      rule: 'too_small',
      field: 'linkedin.autoWithdrawAfterDays',
    },
    {
      name: 'a LinkedIn block without an account id',
      input: { ...anaInput, linkedin: { premium: true } },
      rule: 'required',
      field: 'linkedin.accountId',
    },
    {
      name: 'an unknown identity type',
      input: { ...anaInput, type: 'vip' },
      rule: 'invalid_value',
      field: 'type',
    },
    {
      name: 'a misspelt field',
      input: { ...anaInput, linkedin: { accountId: 'x', limits: { connectionPerDay: 10 } } },
      rule: 'unknown_field',
      field: 'linkedin.limits.connectionPerDay',
    },
    {
      name: 'an empty name',
      input: { ...anaInput, name: '' },
      rule: 'required',
      field: 'name',
    },
    {
      name: 'an id with a line break',
      input: { ...anaInput, id: 'ana\nrm' },
      rule: 'control_characters',
      field: 'id',
    },
    {
      name: 'an empty signature object',
      input: { ...anaInput, email: { inboxes: [], signature: {} } },
      rule: 'required',
      field: 'email.signature',
    },
  ]

  it.each(cases)('rejects $name', ({ input, rule, field }) => {
    expectIssue(rejected(input), { rule, field })
  })

  it('reports every problem at once, not only the first', () => {
    const error = rejected({
      ...anaInput,
      workingHours: { timezone: 'Nowhere/Here' },
      email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 81, perHour: 11 } }] },
    })
    expect(error.issues.map((each) => each.field).sort()).toEqual([
      'email.inboxes[0].limits.perDay',
      'email.inboxes[0].limits.perHour',
      'workingHours.timezone',
    ])
  })

  it('rejects input that is not an object', () => {
    expect(rejected('ana').issues[0]?.rule).toBe('invalid_type')
  })
})

describe('updateIdentity', () => {
  it('changes settings and re-validates them', () => {
    const ana = defineIdentity(anaInput)
    const updated = expectSuccess(
      updateIdentity(ana, { linkedin: { accountId: 'li_123', limits: { connectionsPerDay: 10 } } }),
    )
    expect(updated.linkedin?.limits.connectionsPerDay).toBe(10)
    const error = expectFailure(
      updateIdentity(ana, { email: { inboxes: [{ address: 'ana@acme.io', limits: { perHour: 12 } }] } }),
      'invalid_identity',
    )
    expectIssue(error, { rule: 'too_large', field: 'email.inboxes[0].limits.perHour' })
  })

  it('refuses to change the identity type, which is fixed at creation', () => {
    const error = expectFailure(
      updateIdentity(defineIdentity(anaInput), { type: 'engagement' }),
      'identity_type_fixed',
    )
    expect(error.details).toMatchObject({ from: 'standard', to: 'engagement' })
    expect(error.message).toContain('standard')
  })

  it('refuses to change the id', () => {
    const error = expectFailure(updateIdentity(defineIdentity(anaInput), { id: 'bob' }), 'invalid_identity')
    expectIssue(error, { rule: 'immutable', field: 'id' })
  })

  it('accepts its own output as input (round trip)', () => {
    const ana = defineIdentity({
      ...anaInput,
      email: { ...anaInput.email, signature: { html: '<b>Ana</b>' } },
    })
    expect(expectSuccess(updateIdentity(ana, {}))).toEqual(ana)
  })
})

describe('identityWarnings', () => {
  it('is empty for the recommended defaults', () => {
    expect(identityWarnings(defineIdentity(anaInput))).toEqual([])
  })

  it('warns about settings above the recommended values', () => {
    const warnings = identityWarnings(
      defineIdentity({
        ...anaInput,
        linkedin: { accountId: 'x', limits: { connectionsPerDay: 40, messagesPerDay: 150 } },
        email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 60, perHour: 8 } }] },
      }),
    )
    expect(warnings.map((warning) => warning.field)).toEqual([
      'linkedin.limits.connectionsPerDay',
      'linkedin.limits.messagesPerDay',
      'email.inboxes[0].limits.perDay',
      'email.inboxes[0].limits.perHour',
    ])
  })

  it('allows Premium accounts 30 connection requests before warning', () => {
    const premium = defineIdentity({
      ...anaInput,
      linkedin: { accountId: 'x', premium: true, limits: { connectionsPerDay: 30 } },
    })
    expect(identityWarnings(premium)).toEqual([])
  })

  it('gives Sales Navigator accounts the same recommendation as Premium, and warns above 100 requests a week', () => {
    const salesNavigator = defineIdentity({
      ...anaInput,
      linkedin: { accountId: 'x', salesNavigator: true, limits: { connectionsPerDay: 30 } },
    })
    expect(identityWarnings(salesNavigator)).toEqual([])
    const weekly = defineIdentity({
      ...anaInput,
      linkedin: {
        accountId: 'x',
        salesNavigator: true,
        limits: { connectionsPerDay: 31, invitationsPerWeek: 150 },
      },
    })
    expect(identityWarnings(weekly).map((warning) => warning.field)).toEqual([
      'linkedin.limits.connectionsPerDay',
      'linkedin.limits.invitationsPerWeek',
    ])
    expect(() =>
      defineIdentity({ ...anaInput, linkedin: { accountId: 'x', limits: { invitationsPerWeek: 201 } } }),
    ).toThrow(/invitationsPerWeek/)
  })
})
