import { createEngine, type SequenceInput } from '@paceline/core'
import type { StorageV1 } from '@paceline/core/ports'
import { createMemoryLinkedInChannel, VirtualClock } from '@paceline/core/testing'
import { runEngineUntil } from './run-engine-until'

/** What the withdrawal scenario observed, to compare a store against the memory store. */
export interface WithdrawalObservations {
  readonly queued: readonly string[]
  readonly repeated: { readonly queued: readonly string[]; readonly alreadyQueued: readonly string[] }
  readonly withdrawCalls: number
  readonly history: readonly { readonly leadId: string; readonly reason: string; readonly at: string }[]
  readonly pending: readonly string[]
  readonly pendingWhileQueued: readonly { readonly leadId: string; readonly dueAt: string | undefined }[]
}

const sequence: SequenceInput = {
  version: 1,
  start: 'connect',
  steps: {
    connect: { kind: 'send_connection', next: 'accepted' },
    accepted: {
      kind: 'condition',
      if: { type: 'connection_accepted', withinDays: 30 },
      then: 'thanks',
      else: null,
    },
    thanks: { kind: 'linkedin_message', body: 'Thanks for connecting', next: null },
  },
}

/**
 * For store tests: six invitations, an automatic withdrawal after 5 days, a manual bulk withdrawal asked
 * twice (and read while queued, through the index of requested withdrawals), and the history paged through
 * the index of an identity's log entries by type.
 */
export async function withdrawalScenario(storage: StorageV1): Promise<WithdrawalObservations> {
  const clock = new VirtualClock('2026-03-02T08:00:00Z')
  const linkedin = createMemoryLinkedInChannel()
  const engine = createEngine({ storage, linkedin, clock, random: 3 })
  await engine.identities.put({
    id: 'ana',
    name: 'Ana',
    workingHours: { timezone: 'Europe/Madrid' },
    linkedin: { accountId: 'li-ana', autoWithdrawAfterDays: 5 },
  })
  await engine.campaigns.create({ id: 'c', identityId: 'ana', sequence })
  await engine.leads.add(
    'c',
    Array.from({ length: 6 }, (_, n) => ({ id: `l${n}`, profile: { linkedinProfileId: `p-${n}` } })),
  )
  await engine.campaigns.launch('c')
  await runEngineUntil(engine, clock, '2026-03-02T18:00:00Z')
  clock.set('2026-03-03T19:00:00Z')
  const asked = await engine.invitations.withdraw({ identityId: 'ana', leadIds: ['l0', 'l2', 'l4'] })
  const repeated = await engine.invitations.withdraw({ identityId: 'ana', leadIds: ['l0', 'l2'] })
  const pendingWhileQueued = (await engine.invitations.pending({ identityId: 'ana', limit: 100 })).items.map(
    (invitation) => ({ leadId: invitation.leadId, dueAt: invitation.withdrawal?.dueAt }),
  )
  await runEngineUntil(engine, clock, '2026-03-09T18:00:00Z')
  const history: { leadId: string; reason: string; at: string }[] = []
  let after: string | undefined
  do {
    const page = await engine.invitations.history({
      identityId: 'ana',
      limit: 2,
      ...(after === undefined ? {} : { after }),
    })
    history.push(...page.items.map(({ leadId, reason, at }) => ({ leadId, reason, at })))
    after = page.next
  } while (after !== undefined)
  const pending = (await engine.invitations.pending({ identityId: 'ana' })).items.map((each) => each.leadId)
  await engine.close()
  return {
    queued: [...asked.queued].sort(),
    repeated: { queued: repeated.queued, alreadyQueued: repeated.alreadyQueued },
    withdrawCalls: linkedin.calls.filter((call) => call.method === 'withdrawInvitation').length,
    history,
    pending,
    pendingWhileQueued,
  }
}
