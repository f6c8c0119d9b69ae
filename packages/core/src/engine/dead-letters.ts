import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import { isPermanentRejection } from '../errors/permanent-rejection'
import type { ValidationIssue } from '../errors/validation-issue'
import type { InboundEvent } from '../ports/inbound-event'
import { hash32 } from '../scheduler/seeded-random'
import { type EngineContext, inTransaction } from './engine-context'
import { type IngestResult, ingest } from './ingest'
import type { Store } from './store'

/**
 * An inbound event a channel delivered that the engine refused for good (`invalid_event`): kept so a person
 * can see what arrived and why it was refused, while the channel moves on (its cursor advances, a webhook is
 * answered 4xx) instead of stalling on it forever.
 */
export interface DeadLetter {
  readonly id: string
  /** When the engine refused it (ISO 8601). */
  readonly at: string
  /** The channel whose delivery it came from. */
  readonly source: DeadLetterSource
  /** The event as delivered, as JSON, cut at 64 KB (`truncated` says so). */
  readonly payload: string
  readonly truncated: boolean
  /** Why it was refused: the error's code, message and the fields at fault. */
  readonly error: {
    readonly code: string
    readonly message: string
    readonly issues: readonly ValidationIssue[]
  }
}

export type DeadLetterSource = 'linkedin' | 'email'

export interface DeadLetterPage {
  /** Newest first. */
  readonly items: readonly DeadLetter[]
  /** Pass as `before` to read the next (older) page; absent on the last page. */
  readonly next?: string
}

export interface DeadLetterListOptions {
  /** At most this many (default 50, at most 500). */
  readonly limit?: number
  /** Continue after this dead letter's id (the previous page's `next`). */
  readonly before?: string
}

const PREFIX = 'dead-letter:'
/** The character after ':' : every dead-letter key sorts below it, so a descending read starts at the newest. */
const PAST_PREFIX = 'dead-letter;'
const PAYLOAD_LIMIT = 64 * 1024
const MESSAGE_LIMIT = 4 * 1024

const listSchema = z.strictObject({
  limit: z.number().int().min(1).max(500).optional(),
  before: z.string().startsWith(PREFIX.slice(0, -1)).max(200).optional(),
})

/**
 * Records a refused event. The id orders by time and is derived from the payload, so a provider retrying the
 * same bad payload in the same millisecond leaves one record, and no clock or randomness is read here.
 */
export async function recordDeadLetter(
  context: EngineContext,
  source: DeadLetterSource,
  event: unknown,
  error: PacelineError,
): Promise<DeadLetter> {
  const at = context.now()
  const json = safeJson(event)
  const payload = json.length > PAYLOAD_LIMIT ? json.slice(0, PAYLOAD_LIMIT) : json
  const id = `${PREFIX}${at.toString(36).padStart(11, '0')}.${hash32(0xdead, source, json).toString(16).padStart(8, '0')}`
  const letter: DeadLetter = {
    id,
    at: new Date(at).toISOString(),
    source,
    payload,
    truncated: payload.length < json.length,
    error: {
      code: error.code,
      message: error.message.slice(0, MESSAGE_LIMIT),
      issues: error.issues.slice(0, 50).map((each) => ({ ...each, message: each.message.slice(0, 500) })),
    },
  }
  await inTransaction(context, (store) => store.put('state', id, { key: id, value: letter }))
  return letter
}

export async function listDeadLetters(
  context: EngineContext,
  options: DeadLetterListOptions = {},
): Promise<DeadLetterPage> {
  const parsed = listSchema.safeParse(options ?? {}, { reportInput: true })
  if (!parsed.success)
    throw PacelineError.fromZod(
      PacelineErrorCodes.invalidQuery,
      'engine.deadLetters.list options',
      parsed.error,
    )
  const limit = parsed.data.limit ?? 50
  const rows = await inTransaction(
    context,
    (store) =>
      store.query('state', { order: 'desc', after: parsed.data.before ?? PAST_PREFIX, limit: limit + 1 }),
    { readOnly: true },
  )
  const items: DeadLetter[] = []
  for (const row of rows) {
    if (!row.key.startsWith(PREFIX)) break
    items.push(row.value as DeadLetter)
  }
  const page = items.slice(0, limit)
  const last = page[page.length - 1]
  return items.length > limit && last !== undefined ? { items: page, next: last.id } : { items: page }
}

export async function getDeadLetter(context: EngineContext, id: string): Promise<DeadLetter | undefined> {
  if (!id.startsWith(PREFIX)) return undefined
  return (await inTransaction(context, (store) => readLetter(store, id), { readOnly: true })) ?? undefined
}

/** Forgets a dead letter once a person has dealt with it. */
export async function discardDeadLetter(context: EngineContext, id: string): Promise<void> {
  if (!id.startsWith(PREFIX)) return
  await inTransaction(context, (store) => store.delete('state', id))
}

async function readLetter(store: Store, id: string): Promise<DeadLetter | undefined> {
  return (await store.get('state', id))?.value as DeadLetter | undefined
}

/** JSON of whatever arrived; a value JSON cannot hold (a cycle, a BigInt) is described instead. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch (cause) {
    return JSON.stringify({ unserialisable: cause instanceof Error ? cause.message : String(cause) })
  }
}

/**
 * What a channel's subscription calls: the event is ingested; one refused for good is recorded as a dead
 * letter first, then the refusal is passed on (with `details.deadLetterId`) so the channel moves past it.
 * Any other failure is passed on as it is, and the channel keeps the event to deliver it again.
 */
export async function deliverInbound(
  context: EngineContext,
  source: DeadLetterSource,
  event: InboundEvent,
): Promise<IngestResult> {
  try {
    return await ingest(context, event)
  } catch (error) {
    if (!isPermanentRejection(error)) throw error
    const refusal = error as PacelineError
    const letter = await recordDeadLetter(context, source, event, refusal)
    throw new PacelineError(refusal.code, refusal.message, {
      issues: refusal.issues,
      details: { ...refusal.details, deadLetterId: letter.id },
      cause: refusal,
    })
  }
}
