import type { StorageV1 } from '@paceline/core/ports'

/** How far an account's conversations and connections have been read (epoch ms). */
export interface PollCursor {
  readonly since: number
}

export interface PollCursorStore {
  read(provider: string, accountId: string): Promise<PollCursor | undefined>
  write(provider: string, accountId: string, cursor: PollCursor): Promise<void>
}

const keyOf = (provider: string, accountId: string) => `linkedin-poll:${provider}:${accountId}`

/** Cursors in the engine's storage (the `state` collection), so a restart neither misses nor replays much. */
export function storagePollCursors(storage: StorageV1, workspaceId: string): PollCursorStore {
  return {
    async read(provider, accountId) {
      const key = keyOf(provider, accountId)
      const document = await storage.transaction(workspaceId, (tx) => tx.get('state', key), {
        readOnly: true,
      })
      return document?.value as PollCursor | undefined
    },
    async write(provider, accountId, cursor) {
      const key = keyOf(provider, accountId)
      await storage.transaction(workspaceId, (tx) => tx.put('state', key, { key, value: cursor }))
    },
  }
}

/** Cursors for a process without storage: the first poll after a restart looks back again. */
export function memoryPollCursors(): PollCursorStore {
  const cursors = new Map<string, PollCursor>()
  return {
    read: async (provider, accountId) => cursors.get(keyOf(provider, accountId)),
    write: async (provider, accountId, cursor) => {
      cursors.set(keyOf(provider, accountId), cursor)
    },
  }
}
