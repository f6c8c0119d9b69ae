import { describeWaitReason, LEAD_SUBSTATUSES, type LeadView } from '@paceline/core'

/** The lead's name as people read it, else its email or id. */
export function leadName(lead: Pick<LeadView, 'leadId' | 'profile'>): string {
  const text = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
  const name = [text(lead.profile.firstName), text(lead.profile.lastName)].filter(Boolean).join(' ')
  const company = text(lead.profile.companyName)
  const who = name === '' ? (text(lead.profile.professionalEmail) ?? lead.leadId) : name
  return company === undefined ? who : `${who} · ${company}`
}

export interface LeadReason {
  /** Why a waiting lead waits, in a sentence (its time is shown apart). */
  readonly waiting?: string
  /** What the lead's substatus means. */
  readonly meaning?: string
  /** The engine's detail of that substatus, such as the campaign a lead moved to. */
  readonly detail?: string
}

/** Why the lead stands where it does, in words: the audience table and the lead page say the same. */
export function leadReason(lead: LeadView): LeadReason {
  const waiting = describeWaitReason(lead.reason === undefined ? {} : { reason: lead.reason })
  const meaning = lead.substatus === null ? undefined : LEAD_SUBSTATUSES[lead.substatus].description
  const detail = 'detail' in lead.state ? lead.state.detail : undefined
  return {
    ...(waiting === undefined ? {} : { waiting }),
    ...(meaning === undefined ? {} : { meaning }),
    ...(detail === undefined ? {} : { detail }),
  }
}
