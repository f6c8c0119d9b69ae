import { LEAD_STATUSES, LEAD_SUBSTATUSES, type LeadListOptions, type LeadSubstatus } from '@paceline/core'
import { z } from 'zod'

const substatuses = Object.keys(LEAD_SUBSTATUSES) as [LeadSubstatus, ...LeadSubstatus[]]
const empty = (value: unknown) => (value === '' ? undefined : value)

/** The audience table's filters, from the page's query string: an empty field is no filter, other parameters are ignored. */
export const audienceFiltersSchema = z.object({
  status: z.preprocess(empty, z.enum(LEAD_STATUSES).optional()),
  substatus: z.preprocess(empty, z.enum(substatuses).optional()),
  step: z.preprocess(empty, z.string().max(64).optional()),
  search: z.preprocess(empty, z.string().trim().max(200).optional()),
  after: z.preprocess(empty, z.string().max(2_000).optional()),
})

export type AudienceFilters = z.output<typeof audienceFiltersSchema>

/** The filters as the engine's lead list takes them. */
export function leadListOptions(filters: AudienceFilters): Omit<LeadListOptions, 'after' | 'limit'> {
  return {
    ...(filters.status === undefined ? {} : { status: filters.status }),
    ...(filters.substatus === undefined ? {} : { substatus: filters.substatus }),
    ...(filters.step === undefined ? {} : { stepId: filters.step }),
    ...(filters.search === undefined || filters.search === '' ? {} : { search: filters.search }),
  }
}
