import type { StorageV1 } from '@paceline/core/ports'

/** How far an inbox's mailbox has been read: the mailbox's UIDVALIDITY and the last UID handled. */
export interface MailCursor {
  readonly uidValidity: string
  readonly lastUid: number
  /** When the last handled message was received (epoch ms), to rescan from there if UIDs are reset. */
  readonly lastReceivedAt: number | null
}

/** Keeps cursors in the engine's storage (the `state` collection), one per inbox and mailbox. */
export class MailCursorStore {
  readonly #storage: StorageV1
  readonly #workspaceId: string

  constructor(storage: StorageV1, workspaceId: string) {
    this.#storage = storage
    this.#workspaceId = workspaceId
  }

  async read(inbox: string, mailbox: string): Promise<MailCursor | undefined> {
    const key = cursorKey(inbox, mailbox)
    const document = await this.#storage.transaction(this.#workspaceId, (tx) => tx.get('state', key), {
      readOnly: true,
    })
    return document?.value as MailCursor | undefined
  }

  async write(inbox: string, mailbox: string, cursor: MailCursor): Promise<void> {
    const key = cursorKey(inbox, mailbox)
    await this.#storage.transaction(this.#workspaceId, (tx) => tx.put('state', key, { key, value: cursor }))
  }
}

const cursorKey = (inbox: string, mailbox: string) => `email-cursor:${inbox.toLowerCase()}:${mailbox}`
