import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import { parseInput } from '../errors/parse-input'
import type { Campaign } from '../model/campaign/campaign'
import { UNFINISHED_LEAD_STATUSES } from '../model/lead/lead-status'
import { logActions } from './action-log'
import { audienceCounts } from './analytics/enrolment-metrics'
import { recordDeletion, runSweep } from './campaign-leads'
import { type EngineContext, inTransaction } from './engine-context'
import { compoundKey, type Store } from './store'

export interface DeleteCampaignOptions {
  /**
   * Deletes a running or paused campaign even though some of its leads are unfinished (not started, in
   * progress, paused): they are stopped with it. Default false: such a campaign is refused with
   * `campaign_has_active_leads`.
   */
  readonly force?: boolean
}

const optionsSchema = z.strictObject({ force: z.boolean().optional() })

/** What is kept of a deleted campaign: its id may not be used again (its action log and message ids stay). */
interface DeletedCampaign {
  readonly name: string
  readonly identityId: string
  readonly deletedAt: number
}

const deletedKey = (campaignId: string) => compoundKey('campaign-deleted', campaignId)

/** When a campaign with this id was deleted, if one was. */
export async function deletedCampaign(
  store: Store,
  campaignId: string,
): Promise<DeletedCampaign | undefined> {
  return (await store.get('state', deletedKey(campaignId)))?.value as DeletedCampaign | undefined
}

/**
 * Deletes a campaign. A draft, scheduled or archived campaign goes at once (nothing of it can run); a running
 * or paused one only when none of its leads is unfinished (`UNFINISHED_LEAD_STATUSES`), or with `force`.
 *
 * The campaign disappears in one transaction, with a record of the sweep that removes its leads' places,
 * send claims, tasks, analytics and AI variables in batches (finished by the next tick should this process
 * die half-way). From that commit no send of it can start: a claim re-reads the campaign. Kept: the action
 * log (the identity's history, which "has been contacted" conditions and the CRM read), conversations and
 * LinkedIn relations (they belong to the identity and the lead), AI usage (cost metering), and every counter
 * of the identity, so its daily caps are not reset by deleting what used them.
 */
export async function deleteCampaign(
  context: EngineContext,
  id: string,
  input: DeleteCampaignOptions = {},
): Promise<Campaign> {
  const options = parseInput(optionsSchema, input, 'The delete options', PacelineErrorCodes.invalidCampaign)
  const { campaign, events } = await inTransaction(context, async (store) => {
    const record = await store.get('campaigns', id)
    if (record === undefined) throw await campaignNotFound(store, id)
    const campaign = record.campaign
    const launched = campaign.status === 'running' || campaign.status === 'paused'
    const unfinished = launched ? await unfinishedLeads(store, id) : 0
    if (unfinished > 0 && options.force !== true)
      throw new PacelineError(
        PacelineErrorCodes.campaignHasActiveLeads,
        `Cannot delete campaign '${id}': it is ${campaign.status} and ${unfinished === 1 ? '1 lead is' : `${unfinished} leads are`} not finished yet (not started, in progress or paused). Wait until they finish, archive the campaign, or delete it with { force: true } to stop them.`,
        { details: { campaignId: id, status: campaign.status, activeLeads: unfinished } },
      )
    const now = context.now()
    await store.delete('campaigns', id)
    const tombstone: DeletedCampaign = {
      name: campaign.name,
      identityId: campaign.identityId,
      deletedAt: now,
    }
    await store.put('state', deletedKey(id), { key: deletedKey(id), value: tombstone })
    await recordDeletion(store, id, Object.keys(campaign.sequence.steps))
    const events = await logActions(context, store, now, [
      {
        type: 'campaign-deleted',
        identityId: campaign.identityId,
        campaignId: id,
        detail: {
          name: campaign.name,
          status: campaign.status,
          force: options.force === true,
          unfinishedLeads: unfinished,
        },
      },
    ])
    return { campaign, events }
  })
  context.wake(campaign.identityId)
  context.emit(events)
  context.emit(await runSweep(context, id))
  return campaign
}

/** How many leads of the campaign are unfinished: from its audience counters, checked against the index. */
async function unfinishedLeads(store: Store, campaignId: string): Promise<number> {
  const counts = await audienceCounts(store, campaignId)
  let total = 0
  for (const status of UNFINISHED_LEAD_STATUSES) {
    const counted = counts[`status:${status}`] ?? 0
    // Counters of a workspace written before analytics existed may be missing: the index has the last word.
    const [any] = await store.query('enrolments', {
      index: 'byCampaignStatus',
      equals: [campaignId, status],
      limit: 1,
    })
    total += any === undefined ? 0 : Math.max(counted, 1)
  }
  return total
}

/** `not_found` for a campaign id, saying when a campaign with that id was deleted. */
export async function campaignNotFound(store: Store, id: string): Promise<PacelineError> {
  const deleted = await deletedCampaign(store, id)
  if (deleted === undefined)
    return new PacelineError(PacelineErrorCodes.notFound, `No campaign '${id}' in this workspace.`, {
      details: { what: 'campaign', id },
    })
  return new PacelineError(
    PacelineErrorCodes.notFound,
    `Campaign '${id}' was deleted on ${new Date(deleted.deletedAt).toISOString()}.`,
    { details: { what: 'campaign', id, deletedAt: new Date(deleted.deletedAt).toISOString() } },
  )
}
