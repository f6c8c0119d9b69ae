import { describe, expect, it } from 'vitest'
import { describeWaitReason, sequence, templates, WAIT_REASONS, type WaitReason } from '../../src/index'
import { simulate } from '../../src/testing'
import { actionsOf, identity, leadProfile } from './harness'

const DAY = 86_400_000
const start = '2026-03-02T06:00:00Z'

const linkedinThenEmail = templates.linkedinEmail.sequence

function leadResult(result: Awaited<ReturnType<typeof simulate>>, leadId: string) {
  const lead = result.leads.find((each) => each.leadId === leadId)
  if (lead === undefined) throw new Error(`no lead ${leadId}`)
  return lead
}

describe('what stops or ends a lead', () => {
  it('a reply on LinkedIn stops the sequence: nothing more is sent to that lead', async () => {
    const result = await simulate({
      start,
      days: 14,
      identities: [identity({ id: 'ana' })],
      campaigns: [{ id: 'c', identityId: 'ana', sequence: linkedinThenEmail }],
      leads: [
        {
          id: 'eva',
          campaignId: 'c',
          profile: leadProfile('eva'),
          behavior: { acceptsAfterHours: 5, repliesAfterStep: 'thanks', replyDelayHours: 2 },
        },
      ],
    })
    const reply = result.events.find((event) => event.type === 'reply-received')
    expect(reply?.channel).toBe('linkedin')
    const after = actionsOf(result.events, 'ana').filter(
      (event) => event.leadId === 'eva' && event.at > (reply?.at ?? ''),
    )
    expect(after).toEqual([])
    expect(actionsOf(result.events, 'ana', 'email')).toEqual([])
    expect(leadResult(result, 'eva')).toMatchObject({ status: 'replied', substatus: null })
    expect(result.summary.campaigns[0]).toMatchObject({ replied: 1, positive: 1, contacted: 1 })
  })

  it('a reply to an email stops the sequence, matched by the Message-ID it answers', async () => {
    const result = await simulate({
      start,
      days: 14,
      identities: [identity({ id: 'ana' })],
      campaigns: [{ id: 'c', identityId: 'ana', sequence: templates.emailOnly.sequence }],
      leads: [
        {
          id: 'eva',
          campaignId: 'c',
          profile: leadProfile('eva'),
          behavior: { repliesAfterStep: 'intro', replyDelayHours: 30, replyText: 'Not interested, thanks' },
        },
      ],
    })
    expect(actionsOf(result.events, 'ana', 'email').map((event) => event.stepId)).toEqual(['intro'])
    expect(leadResult(result, 'eva').status).toBe('replied')
    expect(result.summary.campaigns[0]).toMatchObject({ replied: 1, positive: 0 })
  })

  it('an out-of-office answer finishes the lead as "out of office" and does not count as a reply', async () => {
    const result = await simulate({
      start,
      days: 14,
      identities: [identity({ id: 'ana' })],
      campaigns: [{ id: 'c', identityId: 'ana', sequence: templates.emailOnly.sequence }],
      leads: [{ id: 'eva', campaignId: 'c', profile: leadProfile('eva'), behavior: { outOfOffice: true } }],
    })
    expect(actionsOf(result.events, 'ana', 'email')).toHaveLength(1)
    expect(leadResult(result, 'eva')).toMatchObject({ status: 'finished', substatus: 'out_of_office' })
    expect(result.summary.campaigns[0]?.replied).toBe(0)
  })

  it('a hard bounce finishes the lead as bounced: no follow-up email goes out', async () => {
    const result = await simulate({
      start,
      days: 14,
      identities: [identity({ id: 'ana' })],
      campaigns: [{ id: 'c', identityId: 'ana', sequence: templates.emailOnly.sequence }],
      leads: [
        { id: 'bad', campaignId: 'c', profile: leadProfile('bad'), behavior: { bounces: true } },
        { id: 'good', campaignId: 'c', profile: leadProfile('good') },
      ],
    })
    expect(actionsOf(result.events, 'ana', 'email').filter((event) => event.leadId === 'bad')).toHaveLength(1)
    expect(actionsOf(result.events, 'ana', 'email').filter((event) => event.leadId === 'good')).toHaveLength(
      3,
    )
    expect(leadResult(result, 'bad')).toMatchObject({ status: 'finished', substatus: 'bounced' })
    expect(leadResult(result, 'good')).toMatchObject({ status: 'finished', substatus: 'no_response' })
    expect(result.summary.campaigns[0]?.email.bounced).toBe(1)
  })

  it('an invitation not accepted within the window takes the No branch when the window ends', async () => {
    const result = await simulate({
      start,
      days: 21,
      identities: [identity({ id: 'ana' })],
      campaigns: [{ id: 'c', identityId: 'ana', sequence: linkedinThenEmail }],
      leads: [{ id: 'eva', campaignId: 'c', profile: leadProfile('eva'), behavior: { declines: true } }],
    })
    const invitation = actionsOf(result.events, 'ana', 'send_connection')[0]
    const firstEmail = actionsOf(result.events, 'ana', 'email')[0]
    expect(invitation).toBeDefined()
    expect(firstEmail?.stepId).toBe('email')
    const waited = Date.parse(firstEmail?.at ?? '') - Date.parse(invitation?.at ?? '')
    expect(waited).toBeGreaterThanOrEqual(14 * DAY)
    expect(waited).toBeLessThan(17 * DAY)
    expect(actionsOf(result.events, 'ana', 'linkedin_message')).toEqual([])
  })

  it('an accepted invitation takes the Yes branch after its delay', async () => {
    const result = await simulate({
      start,
      days: 10,
      identities: [identity({ id: 'ana' })],
      campaigns: [{ id: 'c', identityId: 'ana', sequence: linkedinThenEmail }],
      leads: [
        { id: 'eva', campaignId: 'c', profile: leadProfile('eva'), behavior: { acceptsAfterHours: 3 } },
      ],
    })
    const accepted = result.events.find((event) => event.type === 'connection-accepted')
    const thanks = actionsOf(result.events, 'ana', 'linkedin_message')[0]
    expect(thanks?.stepId).toBe('thanks')
    expect(Date.parse(thanks?.at ?? '') - Date.parse(accepted?.at ?? '')).toBeGreaterThanOrEqual(DAY)
    expect(result.summary.campaigns[0]?.linkedin).toMatchObject({ invited: 1, accepted: 1, contacted: 1 })
  })

  it('a lead that declined and reached the end of its path finishes as "not connected"', async () => {
    const result = await simulate({
      start,
      days: 20,
      identities: [identity({ id: 'ana' })],
      campaigns: [{ id: 'c', identityId: 'ana', sequence: templates.linkedinOnly.sequence }],
      leads: [
        { id: 'no', campaignId: 'c', profile: leadProfile('no'), behavior: { declines: true } },
        { id: 'waiting', campaignId: 'c', profile: leadProfile('waiting'), behavior: { declines: true } },
      ],
    })
    expect(leadResult(result, 'no')).toMatchObject({ status: 'finished', substatus: 'not_connected' })
  })

  it('reports waiting leads with a substatus, a reason and the time they may next run', async () => {
    const result = await simulate({
      start,
      // Ends on Tuesday at 15:36Z (16:36 in Madrid): inside working hours, after Tuesday's invitation.
      days: 1.4,
      identities: [identity({ id: 'ana', linkedin: { accountId: 'li', limits: { connectionsPerDay: 1 } } })],
      campaigns: [{ id: 'c', identityId: 'ana', sequence: linkedinThenEmail }],
      leads: [
        { id: 'a', campaignId: 'c', profile: leadProfile('a') },
        { id: 'b', campaignId: 'c', profile: leadProfile('b') },
        { id: 'c', campaignId: 'c', profile: leadProfile('c') },
      ],
    })
    const invited = result.leads.filter((lead) => lead.substatus === 'waiting_to_connect')
    const limited = result.leads.filter((lead) => lead.substatus === 'identity_limits')
    expect(invited).toHaveLength(2)
    expect(invited.every((lead) => lead.reason === 'waiting_for_acceptance')).toBe(true)
    // While waiting for an acceptance, nextEligibleAt is the deadline: 14 days after the invitation.
    for (const lead of invited) {
      const invitation = result.events.find(
        (event) => event.type === 'invitation-sent' && event.leadId === lead.leadId,
      )
      expect(Date.parse(lead.nextEligibleAt ?? '')).toBe(Date.parse(invitation?.at ?? '') + 14 * DAY)
      expect(describeWaitReason(lead)).toBe(
        `Waiting for the connection request to be accepted (the deadline: without an acceptance by then, the condition takes its No branch (an acceptance moves the lead on at once): ${lead.nextEligibleAt})`,
      )
    }
    for (const reason of Object.keys(WAIT_REASONS))
      expect(WAIT_REASONS[reason as WaitReason].sentence).not.toBe('')
    expect(limited).toHaveLength(1)
    expect(limited[0]?.reason).toBe('daily_limit')
    // The next invitation can go out on Wednesday.
    expect(limited[0]?.nextEligibleAt?.slice(0, 10)).toBe('2026-03-04')
  })
})

describe('withdrawn invitations', () => {
  it('waits out LinkedIn\'s 3-week cooldown after "already invited recently", then resends the invitation', async () => {
    let refused = false
    const result = await simulate({
      start,
      days: 30,
      identities: [identity({ id: 'ana' })],
      campaigns: [
        { id: 'c', identityId: 'ana', sequence: sequence().sendConnection({ id: 'connect' }).build() },
      ],
      leads: [{ id: 'eva', campaignId: 'c', profile: leadProfile('eva') }],
      faults: {
        linkedin: (call) => {
          if (call.method !== 'sendInvitation' || refused) return undefined
          refused = true
          return {
            ok: false,
            reason: 'already_invited_recently',
            message: 'You withdrew an invitation to this person recently',
          }
        },
      },
    })
    const sent = actionsOf(result.events, 'ana', 'send_connection')
    expect(sent).toHaveLength(1)
    const resentAfter = Date.parse(sent[0]?.at ?? '') - Date.parse(start)
    expect(resentAfter).toBeGreaterThanOrEqual(21 * DAY)
    expect(resentAfter).toBeLessThan(23 * DAY)
  })

  it('shows the cooldown as "connection withdrawn" with the time of the retry', async () => {
    const result = await simulate({
      start,
      days: 5,
      identities: [identity({ id: 'ana' })],
      campaigns: [
        { id: 'c', identityId: 'ana', sequence: sequence().sendConnection({ id: 'connect' }).build() },
      ],
      leads: [{ id: 'eva', campaignId: 'c', profile: leadProfile('eva') }],
      faults: {
        linkedin: (call) =>
          call.method === 'sendInvitation'
            ? { ok: false, reason: 'already_invited_recently', message: 'cooldown' }
            : undefined,
      },
    })
    const lead = leadResult(result, 'eva')
    expect(lead).toMatchObject({
      status: 'in_progress',
      substatus: 'connection_withdrawn',
      reason: 'withdrawal_cooldown',
    })
    const retryIn = Date.parse(lead.nextEligibleAt ?? '') - Date.parse(start)
    expect(retryIn).toBeGreaterThanOrEqual(21 * DAY)
  })

  it('withdraws invitations pending longer than the identity setting; the lead takes the No branch', async () => {
    const result = await simulate({
      start,
      days: 12,
      identities: [identity({ id: 'ana', linkedin: { accountId: 'li', autoWithdrawAfterDays: 5 } })],
      campaigns: [{ id: 'c', identityId: 'ana', sequence: linkedinThenEmail }],
      leads: [{ id: 'eva', campaignId: 'c', profile: leadProfile('eva'), behavior: { declines: true } }],
    })
    const invited = actionsOf(result.events, 'ana', 'send_connection')[0]
    const withdrawn = result.events.find((event) => event.type === 'invitation-withdrawn')
    expect(withdrawn?.action).toBe('withdraw_invitation')
    const pending = Date.parse(withdrawn?.at ?? '') - Date.parse(invited?.at ?? '')
    expect(pending).toBeGreaterThanOrEqual(5 * DAY)
    expect(pending).toBeLessThan(8 * DAY)
    const email = actionsOf(result.events, 'ana', 'email')[0]
    expect(email?.stepId).toBe('email')
    expect(Date.parse(email?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(withdrawn?.at ?? ''))
    expect(Date.parse(email?.at ?? '') - Date.parse(invited?.at ?? '')).toBeLessThan(14 * DAY)
  })
})
