import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { err, ok, type Result } from '../../errors/result'
import { formatPath } from '../../errors/validation-issue'
import { issuesFromZod } from '../../errors/zod-issues'
import { EMAIL_LIMITS } from './email-limits'
import { type Identity, type IdentityInput, identitySchema } from './identity-schema'
import { LINKEDIN_LIMITS } from './linkedin-limits'

/**
 * Validates an identity and fills in the recommended defaults: Mon-Fri 09:00-18:00 in the
 * given time zone, 20 connection requests and 100 messages a day, 50 profile visits a day (150 with
 * Premium) at most one every 4 minutes, one post reaction every 5 minutes, 5 acceptance checks per 30
 * minutes, and 30 emails a day / 5 an hour per inbox. Throws a `PacelineError` with code
 * `invalid_identity` whose `issues` name each field that is wrong.
 */
export function defineIdentity(input: IdentityInput): Identity {
  const result = validateIdentity(input)
  if (!result.ok) throw result.error
  return result.value
}

/** Like `defineIdentity`, but returns the error instead of throwing it. */
export function validateIdentity(input: unknown): Result<Identity> {
  const parsed = identitySchema.safeParse(input, { reportInput: true })
  if (parsed.success) return ok(parsed.data)
  const subject = identitySubject(input)
  return err(
    PacelineError.fromIssues(PacelineErrorCodes.invalidIdentity, subject, issuesFromZod(parsed.error)),
  )
}

/** Changes an identity's settings. Its `id` and `type` are fixed at creation and cannot change. */
export function updateIdentity(identity: Identity, changes: Partial<IdentityInput>): Result<Identity> {
  if (changes.type !== undefined && changes.type !== identity.type) {
    return err(
      new PacelineError(
        PacelineErrorCodes.identityTypeFixed,
        `Identity '${identity.id}' is a ${identity.type} identity; the type is fixed at creation. Create a new identity of type '${changes.type}' instead.`,
        { details: { identityId: identity.id, from: identity.type, to: changes.type } },
      ),
    )
  }
  if (changes.id !== undefined && changes.id !== identity.id) {
    return err(
      PacelineError.fromIssues(PacelineErrorCodes.invalidIdentity, `Identity '${identity.id}'`, [
        {
          rule: 'immutable',
          field: 'id',
          path: ['id'],
          message: 'cannot change; create a new identity instead',
        },
      ]),
    )
  }
  return validateIdentity({ ...identity, ...changes })
}

/** A setting that is valid but above the recommended value (more risk of restriction or spam filtering). */
export interface IdentityWarning {
  readonly field: string
  readonly message: string
}

/**
 * Settings above the recommended values. They are allowed, but raise the risk of a LinkedIn restriction
 * or of mail landing in spam: show them to the person configuring the identity.
 */
export function identityWarnings(identity: Identity): IdentityWarning[] {
  const warnings: IdentityWarning[] = []
  const linkedin = identity.linkedin
  if (linkedin !== undefined) {
    // Sales Navigator accounts get the same recommendation as Premium ones.
    const recommended =
      linkedin.premium || linkedin.salesNavigator
        ? LINKEDIN_LIMITS.connectionsPerDay.recommendedPremium
        : LINKEDIN_LIMITS.connectionsPerDay.recommended
    if (linkedin.limits.connectionsPerDay > recommended) {
      warnings.push({
        field: 'linkedin.limits.connectionsPerDay',
        message: `${linkedin.limits.connectionsPerDay} connection requests a day is above the recommended ${recommended}; LinkedIn may detect automation and restrict the account`,
      })
    }
    const weekly = linkedin.limits.invitationsPerWeek ?? LINKEDIN_LIMITS.invitationsPerWeek.default
    if (weekly > LINKEDIN_LIMITS.invitationsPerWeek.recommended) {
      warnings.push({
        field: 'linkedin.limits.invitationsPerWeek',
        message: `${weekly} connection requests a week is above the recommended ${LINKEDIN_LIMITS.invitationsPerWeek.recommended}; LinkedIn caps most accounts at about 100 a week`,
      })
    }
    if (linkedin.limits.messagesPerDay > LINKEDIN_LIMITS.messagesPerDay.recommended) {
      warnings.push({
        field: 'linkedin.limits.messagesPerDay',
        message: `${linkedin.limits.messagesPerDay} messages a day is above the recommended ${LINKEDIN_LIMITS.messagesPerDay.recommended}; significant increases are not recommended`,
      })
    }
  }
  identity.email.inboxes.forEach((inbox, index) => {
    if (inbox.limits.perDay > EMAIL_LIMITS.perDay.default) {
      warnings.push({
        field: formatPath(['email', 'inboxes', index, 'limits', 'perDay']),
        message: `${inbox.address} sends ${inbox.limits.perDay} a day, above the recommended ${EMAIL_LIMITS.perDay.default}; add inboxes rather than raising one inbox's rate`,
      })
    }
    if (inbox.limits.perHour > EMAIL_LIMITS.perHour.default) {
      warnings.push({
        field: formatPath(['email', 'inboxes', index, 'limits', 'perHour']),
        message: `${inbox.address} sends ${inbox.limits.perHour} an hour, above the recommended ${EMAIL_LIMITS.perHour.default}`,
      })
    }
  })
  return warnings
}

function identitySubject(input: unknown): string {
  if (typeof input === 'object' && input !== null && 'id' in input && typeof input.id === 'string') {
    return `Identity '${input.id}'`
  }
  return 'Identity'
}
