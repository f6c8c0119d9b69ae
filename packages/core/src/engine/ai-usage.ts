import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import type { AiUsage } from '../ports/ai-provider'
import { type EngineContext, inTransaction } from './engine-context'
import { compoundKey, type Store } from './store'

/** What an AI call was for: a message, AI variables, reading a reply, or an answer in a conversation. */
export type AiOperation = 'generate' | 'fill' | 'classify' | 'suggest'

/** A campaign's AI calls and tokens on one day (UTC), to meter cost per campaign. */
export interface AiUsageDay {
  readonly campaignId: string
  /** `YYYY-MM-DD`, UTC. */
  readonly date: string
  readonly calls: number
  readonly inputTokens: number
  readonly outputTokens: number
  readonly totalTokens: number
  /** Calls by operation. */
  readonly byOperation: Readonly<Record<AiOperation, number>>
}

export interface AiUsageQuery {
  readonly campaignId?: string
  /** First and last day, `YYYY-MM-DD` (UTC), both included. */
  readonly from?: string
  readonly to?: string
}

const PREFIX = 'ai-usage'
const day = z.iso.date()
const querySchema = z.strictObject({
  campaignId: z.string().trim().min(1).max(200).optional(),
  from: day.optional(),
  to: day.optional(),
})

/** Adds one AI call (and the tokens its provider reported) to the campaign's day, in the caller's transaction. */
export async function recordAiUsage(
  store: Store,
  campaignId: string,
  at: number,
  operation: AiOperation,
  usage: AiUsage | undefined,
): Promise<void> {
  const date = new Date(at).toISOString().slice(0, 10)
  const key = compoundKey(PREFIX, campaignId, date)
  const current = (await store.get('state', key))?.value as AiUsageDay | undefined
  const base: AiUsageDay = current ?? {
    campaignId,
    date,
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    byOperation: { generate: 0, fill: 0, classify: 0, suggest: 0 },
  }
  const input = usage?.inputTokens ?? 0
  const output = usage?.outputTokens ?? 0
  const next: AiUsageDay = {
    ...base,
    calls: base.calls + 1,
    inputTokens: base.inputTokens + input,
    outputTokens: base.outputTokens + output,
    totalTokens: base.totalTokens + (usage?.totalTokens ?? input + output),
    byOperation: { ...base.byOperation, [operation]: base.byOperation[operation] + 1 },
  }
  await store.put('state', key, { key, value: next })
}

/** The AI usage per campaign and day, oldest first, narrowed by campaign and by days. */
export async function listAiUsage(context: EngineContext, query: AiUsageQuery = {}): Promise<AiUsageDay[]> {
  const parsed = querySchema.safeParse(query ?? {}, { reportInput: true })
  if (!parsed.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidQuery, 'engine.aiUsage options', parsed.error)
  const { campaignId, from, to } = parsed.data
  const prefix = campaignId === undefined ? compoundKey(PREFIX, '') : compoundKey(PREFIX, campaignId, '')
  return inTransaction(
    context,
    async (store) => {
      const days: AiUsageDay[] = []
      let after = prefix
      for (;;) {
        const page = await store.query('state', { after, limit: 500 })
        for (const row of page) {
          if (!row.key.startsWith(prefix)) return days
          const usage = row.value as AiUsageDay
          if ((from === undefined || usage.date >= from) && (to === undefined || usage.date <= to))
            days.push(usage)
        }
        const last = page[page.length - 1]
        if (page.length < 500 || last === undefined) return days
        after = last.key
      }
    },
    { readOnly: true },
  )
}
