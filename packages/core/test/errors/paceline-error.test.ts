import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { err, ok, PacelineError, PacelineErrorCodes, unwrap } from '../../src/index'

describe('PacelineError', () => {
  it('keeps its codes stable: hosts switch on them', () => {
    expect(PacelineErrorCodes).toEqual({
      invalidIdentity: 'invalid_identity',
      invalidSequence: 'invalid_sequence',
      invalidCampaign: 'invalid_campaign',
      invalidLead: 'invalid_lead',
      invalidEvent: 'invalid_event',
      invalidTemplate: 'invalid_template',
      illegalTransition: 'illegal_transition',
      sequenceLocked: 'sequence_locked',
      identityTypeFixed: 'identity_type_fixed',
      identityMissingChannel: 'identity_missing_channel',
      leadAlreadyEnrolled: 'lead_already_enrolled',
      leadPreviouslyRemoved: 'lead_previously_removed',
      leadBlocklisted: 'lead_blocklisted',
      leadInOtherCampaign: 'lead_in_other_campaign',
      leadFilteredOut: 'lead_filtered_out',
      invalidBlocklistEntry: 'invalid_blocklist_entry',
      invalidContactList: 'invalid_contact_list',
      invalidTask: 'invalid_task',
      limitReached: 'limit_reached',
      missingVariable: 'missing_variable',
      unsafeHeaderValue: 'unsafe_header_value',
      notFound: 'not_found',
      unmatchedEvent: 'unmatched_event',
      channelFailed: 'channel_failed',
      storageFailed: 'storage_failed',
      storageBusy: 'storage_busy',
      storageSchemaTooNew: 'storage_schema_too_new',
      storageUnreadable: 'storage_unreadable',
      secretUnreadable: 'secret_unreadable',
      invalidOptions: 'invalid_options',
      invalidQuery: 'invalid_query',
      crmFailed: 'crm_failed',
      invalidCrmConfig: 'invalid_crm_config',
      crmAlreadyActive: 'crm_already_active',
      crmNotConfigured: 'crm_not_configured',
      warmupNotConfigured: 'warmup_not_configured',
      campaignHasActiveLeads: 'campaign_has_active_leads',
      invalidCampaignTemplate: 'invalid_campaign_template',
      identityDeleted: 'identity_deleted',
      invalidShareLink: 'invalid_share_link',
      shareLinkUnknown: 'share_link_unknown',
      shareLinkExpired: 'share_link_expired',
      shareLinkUsed: 'share_link_used',
      invalidWithdrawal: 'invalid_withdrawal',
    })
  })

  it('carries code, cause, retryability and details, and is recognisable', () => {
    const cause = new Error('socket closed')
    const error = new PacelineError('invalid_lead', 'Lead is wrong', {
      cause,
      isRetryable: true,
      details: { id: 'l1' },
    })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('PacelineError')
    expect(error.cause).toBe(cause)
    expect(error.isRetryable).toBe(true)
    expect(error.details).toEqual({ id: 'l1' })
    expect(PacelineError.is(error)).toBe(true)
    expect(PacelineError.is(error, 'invalid_lead')).toBe(true)
    expect(PacelineError.is(error, 'invalid_sequence')).toBe(false)
    expect(PacelineError.is(cause)).toBe(false)
  })

  it('lists every issue in the message', () => {
    const error = PacelineError.fromIssues('invalid_identity', "Identity 'ana'", [
      { rule: 'too_large', field: 'a.b', path: ['a', 'b'], message: 'must be at most 80, got 81' },
      { rule: 'required', field: '', path: [], message: 'is required' },
    ])
    expect(error.message).toBe(
      "Identity 'ana' has 2 problems:\n  - a.b: must be at most 80, got 81\n  - (root): is required",
    )
  })
})

describe('Result', () => {
  it('unwraps a success and throws a failure', () => {
    expect(unwrap(ok(3))).toBe(3)
    const failure = new PacelineError('invalid_lead', 'nope')
    expect(() => unwrap(err(failure))).toThrow(failure)
  })

  it('names NaN and infinities instead of saying "must be a number, got a number"', () => {
    const schema = z.strictObject({ port: z.number().int().min(1), timeout: z.number() })
    const parsed = schema.safeParse(
      { port: Number(undefined), timeout: Number.POSITIVE_INFINITY },
      { reportInput: true },
    )
    expect(parsed.success).toBe(false)
    const error = PacelineError.fromZod('invalid_options', 'Inbox', parsed.error as z.ZodError)
    expect(error.message).toContain('port: must be a number, got NaN (often Number() of a missing value)')
    expect(error.message).toContain('timeout: must be a number, got Infinity')
    expect(error.message).not.toContain('got a number')
  })
})
