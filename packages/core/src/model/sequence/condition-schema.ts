import { z } from 'zod'

/** Operators of a custom condition rule. */
export const CUSTOM_OPERATORS = [
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'is_empty',
  'is_not_empty',
  'greater_than',
  'greater_or_equal',
  'less_than',
  'less_or_equal',
  'in',
  'not_in',
] as const

export type CustomOperator = (typeof CUSTOM_OPERATORS)[number]

export type CustomValue = string | number | boolean | readonly (string | number)[]

/** One comparison of a lead field, e.g. `{ field: 'company.size', operator: 'greater_than', value: 50 }`. */
export interface CustomRule {
  readonly field: string
  readonly operator: CustomOperator
  readonly value?: CustomValue
}

/** Rules combined with AND (`match: 'all'`) or OR (`match: 'any'`); groups nest. */
export interface CustomRuleGroup {
  readonly match: 'all' | 'any'
  readonly rules: readonly (CustomRule | CustomRuleGroup)[]
}

const fieldPathSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/, {
  message: 'must be a field path such as "jobTitle" or "company.size"',
})

const customValueSchema = z.union([
  z.string().max(1000),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string().max(1000), z.number()])).max(200),
])

export const customRuleSchema: z.ZodType<CustomRule> = z.strictObject({
  field: fieldPathSchema,
  operator: z.enum(CUSTOM_OPERATORS),
  value: customValueSchema.optional(),
})

export const customRuleGroupSchema: z.ZodType<CustomRuleGroup> = z.strictObject({
  match: z.enum(['all', 'any']),
  get rules() {
    return z
      .array(z.union([customRuleSchema, customRuleGroupSchema]))
      .min(1)
      .max(50)
  },
})

const days = (max: number) => z.number().int().min(1).max(max)

/** The conditions a sequence can branch on; each branches the sequence Yes (`then`) / No (`else`). */
export const conditionSchema = z.discriminatedUnion('type', [
  /** Has the lead accepted the connection request within N days? Waits up to N days for the answer. */
  z.strictObject({ type: z.literal('connection_accepted'), withinDays: days(365) }),
  /** Is the lead already a 1st-degree connection? */
  z.strictObject({ type: z.literal('is_connection') }),
  /** Has any identity of the workspace contacted the lead (within N days, on a channel)? */
  z.strictObject({
    type: z.literal('has_been_contacted'),
    withinDays: days(3650).optional(),
    channel: z.enum(['any', 'linkedin', 'email']).default('any'),
  }),
  /** Does the lead have a LinkedIn profile id? (The id, not the URL.) */
  z.strictObject({ type: z.literal('has_linkedin_profile') }),
  z.strictObject({ type: z.literal('has_professional_email') }),
  z.strictObject({ type: z.literal('has_mobile_phone') }),
  z.strictObject({
    type: z.literal('custom'),
    match: z.enum(['all', 'any']).default('all'),
    rules: z
      .array(z.union([customRuleSchema, customRuleGroupSchema]))
      .min(1)
      .max(50),
  }),
])

export type ConditionInput = z.input<typeof conditionSchema>
export type Condition = z.output<typeof conditionSchema>
export type ConditionType = Condition['type']
