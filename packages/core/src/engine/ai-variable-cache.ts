import type { AiVariableRequest } from '../ports/ai-provider'
import { hash32 } from '../scheduler/seeded-random'
import { type EngineContext, inTransaction } from './engine-context'
import { compoundKey } from './store'

/**
 * AI variables are written once per lead, campaign and variable, and kept: a retried send or a preview
 * reads the kept value instead of paying for another call. A changed prompt or set of options is a new
 * variable (its key carries their digest), so an edit takes effect for leads not written yet.
 */
export interface AiVariableCache {
  read(names: readonly string[]): Promise<Readonly<Record<string, string>>>
  write(values: Readonly<Record<string, string>>): Promise<void>
}

export function aiVariableCache(
  context: EngineContext,
  campaignId: string,
  leadId: string,
  declared: Readonly<Record<string, AiVariableRequest>>,
): AiVariableCache {
  const keyOf = (name: string) => {
    const definition = declared[name]
    const digest = hash32(0xa1, definition?.prompt ?? '', ...(definition?.options ?? [])).toString(16)
    return compoundKey('ai-variable', campaignId, leadId, name, digest)
  }
  return {
    async read(names) {
      const rows = await inTransaction(context, (store) => store.getMany('state', names.map(keyOf)), {
        readOnly: true,
      })
      const values: Record<string, string> = {}
      for (const name of names) {
        const row = rows.find((each) => each.key === keyOf(name))
        if (typeof row?.value === 'string') values[name] = row.value
      }
      return values
    },
    async write(values) {
      await inTransaction(context, async (store) => {
        for (const [name, value] of Object.entries(values))
          await store.put('state', keyOf(name), { key: keyOf(name), value })
      })
    },
  }
}
