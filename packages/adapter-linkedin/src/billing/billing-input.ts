import { PacelineError, PacelineErrorCodes, type ValidationIssue } from '@paceline/core'
import { z } from 'zod'

export type IdentityType = 'standard' | 'engagement'

/**
 * What happened to an identity, as far as billing cares. `integration-connected` is adding a LinkedIn
 * account to it (Edges' Connect Integration); `account-synced` is Edges synchronizing that account;
 * `action` is any action run with the identity.
 */
export type ActivityKind = 'integration-connected' | 'account-synced' | 'action'

export interface BilledIdentity {
  readonly id: string
  /** Fixed at creation: to switch, Edges has you delete the identity and create a new one. */
  readonly type: IdentityType
  /** ISO 8601 with a time zone (`Z` or an offset), like every instant of the input. */
  readonly createdAt: string
  readonly deletedAt?: string
}

export interface IdentityActivity {
  readonly identityId: string
  readonly at: string
  readonly kind: ActivityKind
}

/** A billing cycle, `[start, end)`: the instant `end` already belongs to the next cycle. */
export interface BillingCycle {
  readonly start: string
  readonly end: string
}

export interface EngagementBillingInput {
  readonly identities: readonly BilledIdentity[]
  /** In any order; the meter sorts it. */
  readonly activity: readonly IdentityActivity[]
  readonly cycle: BillingCycle
}

/** The input as epoch milliseconds, checked for consistency. */
export interface ParsedBillingInput {
  readonly identities: readonly ParsedIdentity[]
  readonly activity: readonly ParsedActivity[]
  readonly cycle: { readonly start: number; readonly end: number }
}

export interface ParsedIdentity {
  readonly id: string
  readonly type: IdentityType
  readonly createdAt: number
  /** `Infinity` while the identity exists. */
  readonly deletedAt: number
}

export interface ParsedActivity {
  readonly identityId: string
  readonly at: number
  readonly kind: ActivityKind
}

const instant = z.iso.datetime({ offset: true })

// Strict objects: a misspelt `deletedAt` silently ignored would bill a deleted identity.
const inputSchema = z.strictObject({
  identities: z.array(
    z.strictObject({
      id: z.string().min(1),
      type: z.enum(['standard', 'engagement']),
      createdAt: instant,
      deletedAt: instant.optional(),
    }),
  ),
  activity: z.array(
    z.strictObject({
      identityId: z.string().min(1),
      at: instant,
      kind: z.enum(['integration-connected', 'account-synced', 'action']),
    }),
  ),
  cycle: z.strictObject({ start: instant, end: instant }),
})

const SUBJECT = 'engagementBilling input'

/**
 * Validates the meter's input. Throws a `PacelineError`: `identity_type_fixed` when one identity id is
 * listed with two types, otherwise `invalid_options` whose `issues` name every field that is wrong.
 */
export function parseBillingInput(input: EngagementBillingInput): ParsedBillingInput {
  const parsed = inputSchema.safeParse(input, { reportInput: true })
  if (!parsed.success) throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, SUBJECT, parsed.error)
  rejectTypeChanges(parsed.data.identities)

  const issues: ValidationIssue[] = []
  const cycle = { start: Date.parse(parsed.data.cycle.start), end: Date.parse(parsed.data.cycle.end) }
  if (cycle.end <= cycle.start) issues.push(problem('order', ['cycle', 'end'], 'must be after cycle.start'))

  const identities = new Map<string, ParsedIdentity>()
  for (const [index, each] of parsed.data.identities.entries()) {
    const identity: ParsedIdentity = {
      id: each.id,
      type: each.type,
      createdAt: Date.parse(each.createdAt),
      deletedAt: each.deletedAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(each.deletedAt),
    }
    if (identity.deletedAt < identity.createdAt)
      issues.push(problem('order', ['identities', index, 'deletedAt'], 'must not be before createdAt'))
    if (identities.has(identity.id))
      issues.push(problem('duplicate', ['identities', index, 'id'], `lists identity '${identity.id}' twice`))
    else identities.set(identity.id, identity)
  }

  const activity: ParsedActivity[] = []
  for (const [index, each] of parsed.data.activity.entries()) {
    const identity = identities.get(each.identityId)
    const at = Date.parse(each.at)
    if (identity === undefined)
      issues.push(
        problem(
          'unknown_identity',
          ['activity', index, 'identityId'],
          `names no identity ('${each.identityId}')`,
        ),
      )
    // Nothing can happen to an identity before it exists or once it is deleted: such an entry is bad data.
    else if (at < identity.createdAt || at >= identity.deletedAt)
      issues.push(
        problem('outside_lifetime', ['activity', index, 'at'], `is outside the lifetime of '${identity.id}'`),
      )
    else activity.push({ identityId: each.identityId, at, kind: each.kind })
  }

  if (issues.length > 0) throw PacelineError.fromIssues(PacelineErrorCodes.invalidOptions, SUBJECT, issues)
  return { identities: [...identities.values()], activity, cycle }
}

function rejectTypeChanges(
  identities: readonly { readonly id: string; readonly type: IdentityType }[],
): void {
  const typeOf = new Map<string, IdentityType>()
  for (const identity of identities) {
    const first = typeOf.get(identity.id)
    if (first !== undefined && first !== identity.type)
      throw new PacelineError(
        PacelineErrorCodes.identityTypeFixed,
        `Identity '${identity.id}' is a ${first} identity; the type is fixed at creation. Delete it and create a new identity of type '${identity.type}' instead.`,
        { details: { identityId: identity.id, from: first, to: identity.type } },
      )
    typeOf.set(identity.id, identity.type)
  }
}

function problem(rule: string, path: readonly (string | number)[], message: string): ValidationIssue {
  let field = ''
  for (const segment of path)
    field += typeof segment === 'number' ? `[${segment}]` : field === '' ? segment : `.${segment}`
  return { rule, field, path, message }
}
