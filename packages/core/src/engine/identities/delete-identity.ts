import type { CampaignStatus } from '../../model/campaign/campaign'
import { detachCampaign } from '../../model/campaign/campaign-lifecycle'
import { logActions } from '../action-log'
import { notFound } from '../admin'
import { recordSweep, runSweep } from '../campaign-leads'
import { type EngineContext, inTransaction } from '../engine-context'
import type { EngineEvent } from '../engine-events'
import { deleteIdentitySecrets } from './identity-secrets'

/** What deleting an identity did. */
export interface DeletedIdentity {
  readonly identityId: string
  /** The campaigns that lost the identity, with their status before and after (running ones pause). */
  readonly campaigns: readonly {
    readonly campaignId: string
    readonly from: CampaignStatus
    readonly to: CampaignStatus
  }[]
  /** How many of its secrets (named with `identitySecretName`) were deleted. */
  readonly secretsDeleted: number
}

/**
 * Deletes an identity. In one transaction: the identity goes, every campaign of it is detached (running
 * ones pause, scheduled ones go back to draft; each keeps `identityId` as a record and gets
 * `identityDeletedAt`), and its secrets are deleted. Then the leads of those campaigns stop, in error
 * `identity_deleted`, in batches recorded with the detachment, so a process stopped half-way leaves the
 * rest to the next tick. Nothing is sent from the identity afterwards, and putting an identity with the
 * same id again does not reattach the campaigns. Its counters and LinkedIn relations stay: an identity put
 * again under that id is taken to be the same account, with the same daily usage and connections.
 */
export async function deleteIdentity(context: EngineContext, identityId: string): Promise<DeletedIdentity> {
  // What the transaction did comes back as its result: a store may run it again after a conflict.
  const done = await inTransaction(context, async (store) => {
    if ((await store.get('identities', identityId)) === undefined) throw notFound('identity', identityId)
    const now = context.now()
    const campaigns: { campaignId: string; from: CampaignStatus; to: CampaignStatus }[] = []
    for await (const record of store.all('campaigns')) {
      const campaign = record.campaign
      if (campaign.identityId !== identityId || campaign.identityDeletedAt !== undefined) continue
      const detached = detachCampaign(campaign, { at: now })
      if (!detached.ok) throw detached.error
      await store.put('campaigns', campaign.id, {
        id: campaign.id,
        campaign: detached.value,
        status: detached.value.status,
        startAtMs: null,
      })
      await recordSweep(store, campaign.id, 'detach')
      campaigns.push({ campaignId: campaign.id, from: campaign.status, to: detached.value.status })
    }
    const secretsDeleted = await deleteIdentitySecrets(store, identityId)
    await store.delete('identities', identityId)
    const events = await logActions(context, store, now, [
      {
        type: 'identity-deleted',
        identityId,
        detail: { campaigns: campaigns.map((each) => each.campaignId), secrets: secretsDeleted },
      },
    ])
    return { campaigns, secretsDeleted, events }
  })
  const events: EngineEvent[] = [...done.events]
  for (const { campaignId } of done.campaigns) events.push(...(await runSweep(context, campaignId)))
  context.emit(events)
  return { identityId, campaigns: done.campaigns, secretsDeleted: done.secretsDeleted }
}
