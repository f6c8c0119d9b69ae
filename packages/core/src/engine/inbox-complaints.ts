import { notFound } from './admin'
import { type EngineContext, inTransaction } from './engine-context'
import type { Store } from './store'

/** Spam complaints against one sending inbox: mailbox providers throttle or block senders that collect them. */
export interface InboxComplaints {
  readonly inbox: string
  readonly count: number
  /** Epoch milliseconds of the latest (0 when none). */
  readonly lastAt: number
}

const keyOf = (inbox: string) => `complaints:${inbox.toLowerCase()}`

export async function countComplaint(store: Store, inbox: string, at: number): Promise<void> {
  const current = await readComplaints(store, inbox)
  const next: InboxComplaints = {
    inbox: inbox.toLowerCase(),
    count: (current?.count ?? 0) + 1,
    lastAt: Math.max(current?.lastAt ?? at, at),
  }
  await store.put('state', keyOf(inbox), { key: keyOf(inbox), value: next })
}

export async function readComplaints(store: Store, inbox: string): Promise<InboxComplaints | undefined> {
  return (await store.get('state', keyOf(inbox)))?.value as InboxComplaints | undefined
}

/** Each inbox of an identity with its spam complaints (zero when none arrived). */
export async function identityComplaints(
  context: EngineContext,
  identityId: string,
): Promise<InboxComplaints[]> {
  return inTransaction(
    context,
    async (store) => {
      const identity = await store.get('identities', identityId)
      if (identity === undefined) throw notFound('identity', identityId)
      const out: InboxComplaints[] = []
      for (const { address } of identity.identity.email.inboxes)
        out.push(
          (await readComplaints(store, address)) ?? { inbox: address.toLowerCase(), count: 0, lastAt: 0 },
        )
      return out
    },
    { readOnly: true },
  )
}
