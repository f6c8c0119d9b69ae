/**
 * Every error paceline raises carries one of these codes. They are part of the public API: hosts switch on
 * them, so a code is never renamed or reused for a different meaning.
 */
export const PacelineErrorCodes = {
  /** An identity input failed validation; `issues` name the fields. */
  invalidIdentity: 'invalid_identity',
  /** A sequence failed validation; `issues` name the steps and rules. */
  invalidSequence: 'invalid_sequence',
  /** A campaign input or its settings failed validation. */
  invalidCampaign: 'invalid_campaign',
  /** A lead input failed validation. */
  invalidLead: 'invalid_lead',
  /** An inbound event (`engine.ingest`) is malformed; `issues` name the field. */
  invalidEvent: 'invalid_event',
  /**
   * A request to withdraw LinkedIn invitations (`engine.invitations.withdraw`) is malformed: no filter, both
   * `sentBefore` and `olderThanDays`, too many leads; `issues` name the field.
   */
  invalidWithdrawal: 'invalid_withdrawal',
  /** A template has a syntax error (an unclosed `{{`, a malformed fallback). */
  invalidTemplate: 'invalid_template',
  /** A state machine was asked for a transition its current state does not allow. */
  illegalTransition: 'illegal_transition',
  /** A launched campaign's sequence shape (steps, kinds, branches) cannot change. */
  sequenceLocked: 'sequence_locked',
  /** An identity's type (standard or engagement) is fixed at creation. */
  identityTypeFixed: 'identity_type_fixed',
  /**
   * The campaign's identity was deleted: it keeps the id as a record but can no longer launch, resume or be
   * scheduled. Duplicate it with another identity to run it again.
   */
  identityDeleted: 'identity_deleted',
  /** A campaign needs a channel its identity does not have (LinkedIn account or email inbox). */
  identityMissingChannel: 'identity_missing_channel',
  /** A share link's options, or what its redemption brings, failed validation; `issues` name the fields. */
  invalidShareLink: 'invalid_share_link',
  /** No share link has this token in this workspace (mistyped, cut short, or never issued here). */
  shareLinkUnknown: 'share_link_unknown',
  /** The share link's time ran out (`details.expiredAt`); ask for a new one. */
  shareLinkExpired: 'share_link_expired',
  /** The share link was already used (`details.usedAt`); a link works once. Ask for a new one. */
  shareLinkUsed: 'share_link_used',
  /** The lead is already enrolled in this campaign. */
  leadAlreadyEnrolled: 'lead_already_enrolled',
  /** The lead was removed from this campaign before and can never be added back to it. */
  leadPreviouslyRemoved: 'lead_previously_removed',
  /**
   * The lead is on the workspace blocklist (by id, email, LinkedIn profile or company domain, or because it
   * reported a message as spam or asked not to be contacted): no campaign may enrol or contact it.
   */
  leadBlocklisted: 'lead_blocklisted',
  /**
   * Enrolling from a contact list: the lead is already in another campaign of the same identity, so it is not
   * contacted twice by the same sender.
   */
  leadInOtherCampaign: 'lead_in_other_campaign',
  /** Enrolling from a contact list: the lead does not match the list's filters. */
  leadFilteredOut: 'lead_filtered_out',
  /** A blocklist entry (`engine.blocklist.add` / `remove`) is malformed; `issues` name the field. */
  invalidBlocklistEntry: 'invalid_blocklist_entry',
  /** A contact list input (name, filters, id) failed validation; `issues` name the field. */
  invalidContactList: 'invalid_contact_list',
  /** A task created by hand (`engine.tasks.create`) failed validation; `issues` name the field. */
  invalidTask: 'invalid_task',
  /**
   * An identity's limit for this action is used up (a manual answer is refused rather than sent over it);
   * `details.reopensAt` says when it reopens.
   */
  limitReached: 'limit_reached',
  /** A template variable without a fallback had no value for this lead. */
  missingVariable: 'missing_variable',
  /** A value meant for a message header contains line breaks or other control characters. */
  unsafeHeaderValue: 'unsafe_header_value',
  /** No identity, campaign, lead or task with that id in this workspace. */
  notFound: 'not_found',
  /** An inbound event could not be matched to a lead or identity. */
  unmatchedEvent: 'unmatched_event',
  /** A channel adapter could not reach its provider or read what it sent (it retries); `cause` has why. */
  channelFailed: 'channel_failed',
  /** The storage adapter failed; `cause` has its error. */
  storageFailed: 'storage_failed',
  /**
   * The database kept refusing a transaction because concurrent ones conflicted with it (serialization
   * failures, deadlocks) after the store's retries. Nothing of it was applied; try again, or run fewer
   * workers on the same identities.
   */
  storageBusy: 'storage_busy',
  /** The database was written by a newer version of the storage package; it is not touched. */
  storageSchemaTooNew: 'storage_schema_too_new',
  /**
   * The storage cannot be read at all: the file is not a database of this kind, or it is corrupt. Nothing was
   * written; check the file name, or restore the file from a backup.
   */
  storageUnreadable: 'storage_unreadable',
  /** A stored secret cannot be read: wrong or missing encryption key, or the data was altered. */
  secretUnreadable: 'secret_unreadable',
  /** An adapter was given options it cannot use (a malformed key, a missing file name). */
  invalidOptions: 'invalid_options',
  /** A storage query the port does not allow, such as paging `after` a document that is not in the index. */
  invalidQuery: 'invalid_query',
  /**
   * A CRM refused or failed a request. `isRetryable` says whether the same request can succeed later (a rate
   * limit, an outage) or not (a refused value, a missing permission); `cause` has the vendor's answer.
   */
  crmFailed: 'crm_failed',
  /** The CRM configuration (matching, field, campaign or user mapping) is invalid; `issues` name the field. */
  invalidCrmConfig: 'invalid_crm_config',
  /** A workspace has one active CRM at a time; disconnect it before connecting another. */
  crmAlreadyActive: 'crm_already_active',
  /** The engine was created without a CRM, or the CRM sync is not configured yet. */
  crmNotConfigured: 'crm_not_configured',
  /** A warm-up operation on an engine without a warm-up provider: pass one to `createEngine({ warmup })`. */
  warmupNotConfigured: 'warmup_not_configured',
  /**
   * A launched campaign still has leads in progress (not started, running or paused), so deleting it would
   * stop them: wait until they finish, or delete with `{ force: true }`. `details.activeLeads` counts them.
   */
  campaignHasActiveLeads: 'campaign_has_active_leads',
  /**
   * A saved campaign template input is invalid, or the operation cannot apply to that template (its id is a
   * built-in template's, or a built-in template cannot be deleted); `issues` name the field.
   */
  invalidCampaignTemplate: 'invalid_campaign_template',
} as const

export type PacelineErrorCode = (typeof PacelineErrorCodes)[keyof typeof PacelineErrorCodes]
