import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type {
  ConnectionCheck,
  InboundEvent,
  LinkedInChannelV1,
  LinkedInOutcome,
  LinkedInRequest,
} from '@paceline/core/ports'
import type {
  ProviderCall,
  ProviderEvent,
  ProviderSupport,
  ProviderWebhookRequest,
} from '../provider/linkedin-provider'
import { pollAccount } from './account-poller'
import { type DeliveryResult, deliverToSubscribers } from './inbound-delivery'
import {
  type CreateLinkedInChannelOptions,
  type LinkedInAccount,
  parseLinkedInAccount,
  parseLinkedInChannelOptions,
} from './linkedin-channel-options'
import { peopleDirectory } from './people-directory'
import { memoryPollCursors, type PollCursorStore, storagePollCursors } from './poll-cursor'
import { inboundEventOf } from './provider-events'
import { receiveWebhook, screenWebhook, type WebhookResponse } from './webhook-reception'

export type { WebhookResponse } from './webhook-reception'

export interface LinkedInChannel extends LinkedInChannelV1 {
  subscribe(deliver: (event: InboundEvent) => Promise<void>): () => void
  /**
   * Reads one webhook delivery from the provider: checks it is authentic, delivers its events to the
   * engine, and says what to answer. 200 once delivered (the provider's retries of it are applied once);
   * 401 for a delivery that is not authentic, 400 for one that cannot be read (reported to `onError`);
   * 422 for an event the engine refused for good (a dead letter: the provider must not retry it); 503
   * while nothing is subscribed or when the engine could not take an event for now, so that the provider
   * retries later.
   */
  handleWebhook(request: ProviderWebhookRequest): Promise<WebhookResponse>
  /**
   * What to answer before the body is read, from the headers alone (404: the provider sends no webhooks;
   * 401: its shared secret is missing or wrong; 503: nothing subscribed yet), or undefined to read the body
   * and call `handleWebhook`. The webhook handlers call it, so a forged delivery is never read.
   */
  screenWebhook(headers: ProviderWebhookRequest['headers']): WebhookResponse | undefined
  /**
   * Starts reporting an account's replies and acceptances as the identity's (an account connected while the
   * app runs: a Unipile hosted auth notification, an Edges integration), or moves it to another identity.
   */
  addAccount(account: LinkedInAccount): void
  /** Stops reporting an account's events (disconnected for good, or the identity deleted). */
  removeAccount(accountId: string): void
  /** Polls every account now (replies and acceptances), whatever the polling settings. */
  pollNow(): Promise<{ readonly events: number }>
  /** Stops polling. */
  close(): Promise<void>
}

/** Methods that act on LinkedIn: after a failure nobody explained, they may have been carried out. */
const WRITES = new Set([
  'reactToLastPost',
  'sendInvitation',
  'sendMessage',
  'sendInMail',
  'sendAttachment',
  'sendVoice',
  'withdrawInvitation',
])

/**
 * The LinkedIn channel on top of a provider (`createEdgesProvider`, `createUnipileProvider` or your own):
 * the port's actions with typed outcomes, messages in chunks sent like a chat, `unsupported` for what the
 * provider cannot do, and replies and acceptances delivered to the engine from webhooks or polling.
 */
export function createLinkedInChannel(input: CreateLinkedInChannelOptions): LinkedInChannel {
  const options = parseLinkedInChannelOptions(input)
  const provider = options.provider
  const onError = options.onError ?? ((error: PacelineError) => console.warn(error.message))
  const chunkPauseMs = options.chunkPauseMs ?? 1_500
  const now = options.now ?? Date.now
  const accounts = new Map((options.accounts ?? []).map((account) => [account.accountId, account.identityId]))
  const cursors: PollCursorStore =
    options.storage === undefined
      ? memoryPollCursors()
      : storagePollCursors(options.storage, options.workspaceId ?? 'default')
  const people = peopleDirectory({
    provider: provider.name,
    ...(options.storage === undefined ? {} : { storage: options.storage }),
    workspaceId: options.workspaceId ?? 'default',
  })
  const pollingEnabled = options.polling?.enabled ?? provider.readWebhook === undefined
  const subscribers = new Set<(event: InboundEvent) => Promise<void>>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let polled = false

  const unsupported = (what: string): LinkedInOutcome => ({
    ok: false,
    reason: 'unsupported',
    message: `${provider.name} cannot ${what}; change the step or use a provider that can.`,
  })

  /** A provider that throws broke its contract; the request may have reached LinkedIn all the same. */
  const guarded = async <T extends LinkedInOutcome | ConnectionCheck>(
    method: string,
    run: () => Promise<T>,
    target?: LinkedInRequest['target'],
  ): Promise<T | LinkedInOutcome> => {
    // Before acting: a reply can come back faster than the answer to the request.
    if (target !== undefined && WRITES.has(method)) {
      try {
        await people.remember(target)
      } catch (error) {
        return {
          ok: false,
          reason: 'transient',
          message: `could not record who ${method} is for (nothing was sent): ${error instanceof Error ? error.message : String(error)}`,
        }
      }
    }
    try {
      return await run()
    } catch (error) {
      return {
        ok: false,
        reason: WRITES.has(method) ? 'delivery_unknown' : 'transient',
        message: `${provider.name} failed in ${method}: ${error instanceof Error ? error.message : String(error)}`,
        raw: error,
      }
    }
  }

  const callOf = (request: LinkedInRequest, suffix = ''): ProviderCall => ({
    accountId: request.accountId,
    target: {
      ...(request.target.profileId === undefined ? {} : { profileId: request.target.profileId }),
      ...(request.target.profileUrl === undefined ? {} : { profileUrl: request.target.profileUrl }),
    },
    idempotencyKey: `${request.idempotencyKey}${suffix}`,
  })

  const ifSupported = (
    feature: keyof ProviderSupport,
    method: string,
    what: string,
    request: LinkedInRequest,
    run: () => Promise<LinkedInOutcome>,
  ): Promise<LinkedInOutcome> =>
    provider.supports[feature]
      ? (guarded(method, run, request.target) as Promise<LinkedInOutcome>)
      : Promise.resolve(unsupported(what))

  /** One provider event to the engine; throws when it may be taken later (the caller keeps it). */
  const deliverFrom =
    (from: string) =>
    async (event: ProviderEvent): Promise<DeliveryResult> => {
      const inbound = await inboundEventOf(
        event,
        provider.name,
        (accountId) => accounts.get(accountId),
        people.leadOf,
        now(),
      )
      if (inbound === undefined) return 'ignored'
      return deliverToSubscribers(inbound, subscribers, { provider: provider.name, from, onError })
    }

  /** Every account, each on its own: one whose poll fails keeps its cursor and does not hold the others back. */
  const pollAll = async () => {
    let events = 0
    const failures: Array<{ readonly accountId: string; readonly error: unknown }> = []
    for (const accountId of accounts.keys()) {
      try {
        const result = await pollAccount({
          provider,
          accountId,
          cursors,
          lookbackDays: options.polling?.lookbackDays ?? 2,
          now: now(),
          deliver: deliverFrom(`polling account ${accountId}`),
        })
        events += result.events
      } catch (error) {
        failures.push({ accountId, error })
      }
    }
    const [first] = failures
    if (first !== undefined)
      throw new Error(
        failures
          .map(
            ({ accountId, error }) =>
              `account ${accountId}: ${error instanceof Error ? error.message : String(error)}`,
          )
          .join('; '),
        { cause: first.error },
      )
    return { events }
  }

  const schedule = () => {
    if (!pollingEnabled || subscribers.size === 0 || timer !== undefined) return
    timer = setTimeout(
      () => {
        timer = undefined
        pollAll()
          .catch((error: unknown) =>
            onError(
              new PacelineError(
                PacelineErrorCodes.channelFailed,
                `Polling ${provider.name} failed (${error instanceof Error ? error.message : String(error)}); trying again at the next interval.`,
                { cause: error, isRetryable: true },
              ),
            ),
          )
          .finally(schedule)
      },
      // The first poll at once (catching up on what happened while stopped), then on the interval.
      polled ? (options.polling?.intervalMs ?? 600_000) : 0,
    )
    polled = true
    timer.unref?.()
  }

  return {
    specificationVersion: 'v1',
    capabilities: {
      pushesEvents: pollingEnabled || provider.readWebhook !== undefined,
      supportsVoice: provider.supports.voice,
      supportsAttachments: provider.supports.attachments,
      supportsInMail: provider.supports.inMail,
    },

    visitProfile: (request) =>
      ifSupported('visitProfile', 'visitProfile', 'visit profiles', request, () =>
        provider.visitProfile(callOf(request)),
      ),
    reactToLastPost: (request) =>
      ifSupported('reactToLastPost', 'reactToLastPost', 'react to posts', request, () =>
        provider.reactToLastPost({ ...callOf(request), reaction: request.reaction }),
      ),
    async sendInvitation(request) {
      if (request.note !== undefined && request.note !== '' && !provider.supports.invitationNote)
        return unsupported('send an invitation with a note')
      return guarded(
        'sendInvitation',
        () =>
          provider.sendInvitation({
            ...callOf(request),
            ...(request.note === undefined || request.note === '' ? {} : { note: request.note }),
          }),
        request.target,
      ) as Promise<LinkedInOutcome>
    },
    async sendMessage(request) {
      // Chunks go one after another, like a person typing; each has its own idempotency key.
      let last: LinkedInOutcome = { ok: false, reason: 'transient', message: 'no chunk to send' }
      for (const [index, text] of request.chunks.entries()) {
        if (index > 0 && chunkPauseMs > 0) await new Promise((resolve) => setTimeout(resolve, chunkPauseMs))
        last = (await guarded(
          'sendMessage',
          () =>
            provider.sendMessage({ ...callOf(request, request.chunks.length > 1 ? `:${index}` : ''), text }),
          request.target,
        )) as LinkedInOutcome
        if (!last.ok) {
          if (index === 0) return last
          // Part of the message is out: sending it again would repeat those chunks to the lead.
          return {
            ok: false,
            reason: 'delivery_unknown',
            message: `${index} of ${request.chunks.length} message chunks were sent, then ${provider.name} failed (${last.message}); not retried, so the lead never gets a chunk twice.`,
            ...(last.raw === undefined ? {} : { raw: last.raw }),
          }
        }
      }
      return last
    },
    sendInMail: (request) =>
      ifSupported('inMail', 'sendInMail', 'send InMails', request, () =>
        provider.sendInMail({ ...callOf(request), subject: request.subject, body: request.body }),
      ),
    sendAttachment: (request) =>
      ifSupported('attachments', 'sendAttachment', 'send attachments', request, () =>
        provider.sendAttachment({
          ...callOf(request),
          file: request.file,
          ...(request.caption === undefined ? {} : { caption: request.caption }),
        }),
      ),
    async sendVoice(request) {
      if (!provider.supports.voice) return unsupported('send voice messages')
      const audio = request.audio
      // The port's type says a recording is always given; a caller outside TypeScript may still omit it.
      if (typeof audio?.url !== 'string')
        return unsupported('send a voice message without a recording (audio.url)')
      return guarded(
        'sendVoice',
        () => provider.sendVoice({ ...callOf(request), audio }),
        request.target,
      ) as Promise<LinkedInOutcome>
    },
    withdrawInvitation: (request) =>
      ifSupported('withdrawInvitation', 'withdrawInvitation', 'withdraw invitations', request, () =>
        provider.withdrawInvitation(callOf(request)),
      ),
    checkConnection: (request) =>
      guarded('checkConnection', () => provider.relationStatus(callOf(request))) as Promise<ConnectionCheck>,

    subscribe(handler) {
      subscribers.add(handler)
      schedule()
      return () => {
        subscribers.delete(handler)
        if (subscribers.size === 0 && timer !== undefined) {
          clearTimeout(timer)
          timer = undefined
        }
      }
    },

    handleWebhook: (request) =>
      receiveWebhook({
        provider,
        request,
        ready: () => subscribers.size > 0,
        deliver: deliverFrom('a webhook'),
        onError,
      }),

    screenWebhook: (headers) => screenWebhook(provider, headers, subscribers.size > 0),

    addAccount(account) {
      const added = parseLinkedInAccount(account)
      accounts.set(added.accountId, added.identityId)
    },

    removeAccount(accountId) {
      accounts.delete(accountId)
    },

    pollNow: pollAll,

    async close() {
      subscribers.clear()
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    },
  }
}
