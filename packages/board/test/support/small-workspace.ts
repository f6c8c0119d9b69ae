import { createEngine, type Engine, templates } from '@paceline/core'
import { createMemoryLinkedInChannel, createMemoryStorage, VirtualClock } from '@paceline/core/testing'

export const NOW = Date.parse('2026-03-04T10:00:00Z')
/** A campaign name that would run script if the board did not escape it. */
export const HOSTILE_NAME = 'Q2 <script>window.__pwned = 1</script> & "co"'

/** One identity and one running campaign with a lead: enough for the board's pages and actions. */
export async function smallWorkspace(): Promise<{ engine: Engine; clock: VirtualClock }> {
  const clock = new VirtualClock(NOW)
  const engine = createEngine({
    storage: createMemoryStorage(),
    linkedin: createMemoryLinkedInChannel(),
    clock,
  })
  await engine.identities.put({
    id: 'ana',
    name: 'Ana Martín',
    workingHours: { timezone: 'Europe/Madrid' },
    linkedin: { accountId: 'li-ana' },
  })
  await engine.campaigns.create({
    id: 'q2',
    name: HOSTILE_NAME,
    identityId: 'ana',
    sequence: templates.linkedinEmailCall.sequence,
  })
  await engine.leads.add('q2', [{ id: 'lead-1', profile: { firstName: 'Lena', linkedinProfileId: 'p-1' } }])
  await engine.campaigns.launch('q2')
  return { engine, clock }
}
