import { ReachkitError, ReachkitErrorCodes } from '@reachkit/core'
import { z } from 'zod'

const DAY = 86_400_000
/** Edges: an engagement identity is inactive once it "has not been used in any action for 30 days". */
export const ACTION_ACTIVE_MS = 30 * DAY
/** Edges: "you synchronized a LinkedIn account but have not called any action with that identity for 5 days". */
export const SYNC_ACTIVE_MS = 5 * DAY

export type IdentityType = 'standard' | 'engagement'
export type ActivityKind = 'integration-connected' | 'account-synced' | 'action'

export interface MeteredIdentity {
  readonly id: string
  /** Fixed at creation (reference 004): to change it, delete the identity and create another. */
  readonly type: IdentityType
  /** ISO 8601. */
  readonly createdAt: string
  readonly deletedAt?: string
}

export interface IdentityActivity {
  readonly identityId: string
  /** ISO 8601. */
  readonly at: string
  readonly kind: ActivityKind
}

export interface EngagementBillingInput {
  readonly identities: readonly MeteredIdentity[]
  readonly activity: readonly IdentityActivity[]
  /** The billing cycle, `[start, end)`. */
  readonly cycle: { readonly start: string; readonly end: string }
}

export interface ActivePeriod {
  readonly from: string
  /** Null when still active at the end of the cycle. */
  readonly to: string | null
}

export interface EngagementBilling {
  /** What the cycle is billed for: the most engagement identities active at the same time. */
  readonly peak: number
  /** When the peak was first reached (the cycle start when nothing was ever active). */
  readonly peakAt: string
  readonly activeAtStart: number
  readonly activeAtEnd: number
  /** Each engagement identity's active periods within the cycle. */
  readonly identities: readonly { readonly id: string; readonly activePeriods: readonly ActivePeriod[] }[]
  /** The number active after each change within the cycle: live feedback on the billing status. */
  readonly timeline: readonly { readonly at: string; readonly active: number }[]
}

const iso = z.iso.datetime({ offset: true })
const inputSchema = z.strictObject({
  identities: z.array(
    z.strictObject({
      id: z.string().min(1),
      type: z.enum(['standard', 'engagement']),
      createdAt: iso,
      deletedAt: iso.optional(),
    }),
  ),
  activity: z.array(
    z.strictObject({
      identityId: z.string().min(1),
      at: iso,
      kind: z.enum(['integration-connected', 'account-synced', 'action']),
    }),
  ),
  cycle: z.strictObject({ start: iso, end: iso }),
})

/**
 * The Edges engagement-identity meter (reference 004). An identity is active from connecting an account
 * (or a sync) or running an action; it goes inactive 30 days after its last action, or 5 days after a
 * connection or sync that no action followed, and at its deletion. A cycle is billed for the peak number
 * of engagement identities active at the same time, not for every identity active at some point. Periods
 * are half-open: an identity whose last action was at T is active until, not at, T + 30 days.
 */
export function engagementBilling(input: EngagementBillingInput): EngagementBilling {
  const parsed = inputSchema.safeParse(input, { reportInput: true })
  if (!parsed.success)
    throw ReachkitError.fromZod(ReachkitErrorCodes.invalidOptions, 'engagementBilling input', parsed.error)
  const start = Date.parse(input.cycle.start)
  const end = Date.parse(input.cycle.end)
  if (end <= start)
    throw new ReachkitError(
      ReachkitErrorCodes.invalidOptions,
      'engagementBilling input: cycle.end must be after cycle.start',
    )

  const types = new Map<string, IdentityType>()
  for (const identity of input.identities) {
    const known = types.get(identity.id)
    if (known !== undefined && known !== identity.type)
      throw new ReachkitError(
        ReachkitErrorCodes.identityTypeFixed,
        `Identity ${identity.id} was created as ${known} and cannot become ${identity.type}: delete it and create a new identity of that type.`,
      )
    types.set(identity.id, identity.type)
  }
  for (const [index, each] of input.activity.entries())
    if (!types.has(each.identityId))
      throw new ReachkitError(
        ReachkitErrorCodes.invalidOptions,
        `engagementBilling input: activity[${index}].identityId names no identity (${each.identityId}).`,
      )

  const identities = input.identities
    .filter((identity) => identity.type === 'engagement')
    .map((identity) => ({
      id: identity.id,
      periods: clip(activePeriodsOf(identity, input.activity), start, end),
    }))

  // Sweep the period boundaries in time order; at equal times, ends before starts (half-open periods).
  const changes = identities
    .flatMap(({ periods }) =>
      periods.flatMap(([from, to]) => [{ at: from, delta: 1 }, ...(to < end ? [{ at: to, delta: -1 }] : [])]),
    )
    .sort((a, b) => a.at - b.at || a.delta - b.delta)
  let active = 0
  let peak = 0
  let peakAt = start
  const timeline: { at: string; active: number }[] = []
  for (const change of changes) {
    active += change.delta
    const at = new Date(change.at).toISOString()
    const last = timeline.at(-1)
    if (last?.at === at) timeline[timeline.length - 1] = { at, active }
    else timeline.push({ at, active })
    if (active > peak) {
      peak = active
      peakAt = change.at
    }
  }
  const activeAt = (time: number) =>
    identities.filter(({ periods }) => periods.some(([from, to]) => from <= time && time < to)).length
  return {
    peak,
    peakAt: new Date(peakAt).toISOString(),
    activeAtStart: activeAt(start),
    activeAtEnd: identities.filter(({ periods }) => periods.some(([, to]) => to >= end)).length,
    identities: identities.map(({ id, periods }) => ({
      id,
      activePeriods: periods.map(([from, to]) => ({
        from: new Date(from).toISOString(),
        to: to >= end ? null : new Date(to).toISOString(),
      })),
    })),
    timeline,
  }
}

/** Each event keeps the identity active for its window; overlapping windows merge; deletion ends them. */
function activePeriodsOf(
  identity: MeteredIdentity,
  activity: readonly IdentityActivity[],
): [number, number][] {
  const created = Date.parse(identity.createdAt)
  const deleted = identity.deletedAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(identity.deletedAt)
  const windows = activity
    .filter((each) => each.identityId === identity.id)
    .map((each) => {
      const at = Date.parse(each.at)
      return [at, at + (each.kind === 'action' ? ACTION_ACTIVE_MS : SYNC_ACTIVE_MS)] as [number, number]
    })
    .map(([from, to]) => [Math.max(from, created), Math.min(to, deleted)] as [number, number])
    .filter(([from, to]) => from < to)
    .sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const [from, to] of windows) {
    const last = merged.at(-1)
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to)
    else merged.push([from, to])
  }
  return merged
}

function clip(periods: [number, number][], start: number, end: number): [number, number][] {
  return periods
    .map(([from, to]) => [Math.max(from, start), to] as [number, number])
    .filter(([from, to]) => from < end && to > start)
}

/** LinkedIn work the engine logs for an identity (the action log's types). */
const LINKEDIN_ACTIONS = new Set([
  'profile-visited',
  'post-reacted',
  'invitation-sent',
  'message-sent',
  'invitation-withdrawn',
  'connection-checked',
])

/**
 * The meter's activity from reachkit's action log (`engine.actions()` or engine events): LinkedIn actions
 * count as actions; a LinkedIn account reconnected counts as connecting an integration.
 */
export function activityFromActions(
  actions: readonly {
    readonly type: string
    readonly at: string | number
    readonly identityId?: string | null
    readonly channel?: string | null
  }[],
): IdentityActivity[] {
  const activity: IdentityActivity[] = []
  for (const action of actions) {
    if (action.identityId == null) continue
    const at = typeof action.at === 'number' ? new Date(action.at).toISOString() : action.at
    if (LINKEDIN_ACTIONS.has(action.type) && (action.channel == null || action.channel === 'linkedin'))
      activity.push({ identityId: action.identityId, at, kind: 'action' })
    else if (action.type === 'channel-reconnected' && action.channel === 'linkedin')
      activity.push({ identityId: action.identityId, at, kind: 'integration-connected' })
  }
  return activity
}
