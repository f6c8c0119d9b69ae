import { describe, expect, it } from 'vitest'
import { createEngine, sequence } from '../../src/index'
import { createMemoryEmailChannel, createMemoryLinkedInChannel, createMemoryStorage } from '../../src/testing'

const reply = { type: 'reply-received', channel: 'linkedin', lead: { leadId: 'eva' } } as const

describe('delivering inbound events through an in-memory channel', () => {
  it('says what to do when no engine listens, instead of dropping the event', async () => {
    for (const channel of [createMemoryLinkedInChannel(), createMemoryEmailChannel()]) {
      const engine = createEngine({ storage: createMemoryStorage(), linkedin: createMemoryLinkedInChannel() })
      await expect(channel.deliver(reply)).rejects.toMatchObject({
        code: 'channel_failed',
        message: expect.stringMatching(/Nothing is listening.*engine\.start\(\).*engine\.ingest\(event\)/s),
      })
      await engine.close()
    }
  })

  it('reaches the engine once it is started, and stops reaching it when it stops', async () => {
    const linkedin = createMemoryLinkedInChannel()
    const engine = createEngine({ storage: createMemoryStorage(), linkedin })
    await engine.identities.put({
      id: 'ana',
      name: 'Ana',
      workingHours: { timezone: 'Europe/Madrid' },
      linkedin: { accountId: 'li-ana' },
    })
    await engine.campaigns.create({
      id: 'c',
      identityId: 'ana',
      sequence: sequence().linkedinMessage({ id: 'm', body: 'Hi' }).build(),
    })
    await engine.leads.add('c', [{ id: 'eva', profile: { firstName: 'Eva', linkedinProfileId: 'li-eva' } }])
    await engine.campaigns.launch('c')
    engine.start()
    await linkedin.deliver(reply)
    expect((await engine.leads.get('c', 'eva')).status).toBe('replied')
    await engine.stop()
    await expect(linkedin.deliver(reply)).rejects.toMatchObject({ code: 'channel_failed' })
    await engine.close()
  })
})
