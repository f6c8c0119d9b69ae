import { createEngine, type SequenceInput } from '@paceline/core'
import { createMemoryEmailChannel, createMemoryStorage, VirtualClock } from '@paceline/core/testing'
import { describe, expect, it } from 'vitest'
import { createAiProvider } from '../src/index'
import { apiError, type MockAnswer, mockModel, promptOf } from './support/mock-model'

const sequence: SequenceInput = {
  version: 1,
  start: 'intro',
  steps: {
    // Core requires a subject on an email that can start a thread, so the subject is a template and the
    // provider writes the body.
    intro: {
      kind: 'email',
      subject: 'Month-end closing, {{firstName}}?',
      ai: { prompt: 'Invite the lead to a 15-minute call about faster month-end closing.' },
      next: null,
    },
  },
}

/** An engine whose AI is `createAiProvider` on a mock model, one identity, one campaign, one lead, launched. */
async function setUp(...answers: MockAnswer[]) {
  const model = mockModel(...answers)
  const email = createMemoryEmailChannel()
  // Monday 10:00 in Madrid: inside the default working hours.
  const clock = new VirtualClock('2026-03-02T09:00:00Z')
  const engine = createEngine({
    storage: createMemoryStorage(),
    email,
    ai: createAiProvider({ model, maxRetries: 0 }),
    clock,
  })
  await engine.identities.put({
    id: 'ana',
    name: 'Ana Ruiz',
    workingHours: { timezone: 'Europe/Madrid' },
    email: { inboxes: [{ address: 'ana@acme.io' }] },
  })
  await engine.campaigns.create({ id: 'q2', identityId: 'ana', sequence })
  await engine.leads.add('q2', [
    { id: 'eva', profile: { firstName: 'Eva', company: 'Lind AB', professionalEmail: 'eva@lind.se' } },
  ])
  await engine.campaigns.launch('q2')
  return { engine, email, model }
}

describe('the engine with createAiProvider', () => {
  it('sends the email the model wrote and finishes the lead', async () => {
    const { engine, email, model } = await setUp(
      '  Hi Eva,\n\nLind AB could close the month in 2 days. 15 minutes next week?\n\nAna\n',
    )
    await engine.tick()
    expect(email.sent).toHaveLength(1)
    expect(email.sent[0]).toMatchObject({
      from: { address: 'ana@acme.io' },
      to: { address: 'eva@lind.se' },
      subject: 'Month-end closing, Eva?',
      text: 'Hi Eva,\n\nLind AB could close the month in 2 days. 15 minutes next week?\n\nAna',
    })
    // The step's prompt and the lead's profile reached the model, once; the step's subject is a template,
    // so the model wrote the body only, as plain text.
    expect(model.doGenerateCalls).toHaveLength(1)
    const { system, user } = promptOf(model.doGenerateCalls[0])
    expect(system).toContain('You write an email that the sender sends to the lead')
    expect(system.endsWith('Invite the lead to a 15-minute call about faster month-end closing.')).toBe(true)
    expect(user).toContain('"firstName": "Eva"')
    expect(user).toContain('"name": "Lind AB"')
    expect(model.doGenerateCalls[0]?.responseFormat).toBeUndefined()
    expect(await engine.leads.get('q2', 'eva')).toMatchObject({ status: 'finished' })
    await engine.close()
  })

  it('puts the lead in error and sends nothing when the model fails', async () => {
    const { engine, email } = await setUp(apiError(400))
    await engine.tick()
    expect(email.attempts).toHaveLength(0)
    expect(await engine.leads.get('q2', 'eva')).toMatchObject({ status: 'error', substatus: 'system_error' })
    await engine.close()
  })

  it('puts the lead in error and sends nothing when the model writes an empty text', async () => {
    const { engine, email } = await setUp(' \n ')
    await engine.tick()
    expect(email.attempts).toHaveLength(0)
    expect(await engine.leads.get('q2', 'eva')).toMatchObject({ status: 'error', substatus: 'system_error' })
    await engine.close()
  })
})
