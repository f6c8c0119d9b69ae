import { simulate } from '@paceline/core/testing'
import { describe, expect, it } from 'vitest'
import { createSqliteStorage } from '../src/index'
import { quiet, temporaryFolder } from './helpers'

const path = temporaryFolder()

const input = (mode: 'copilot' | 'automatic') => ({
  start: '2026-03-02T06:00:00Z',
  days: 4,
  identities: [
    {
      id: 'ana',
      name: 'Ana',
      workingHours: { timezone: 'Europe/Madrid' },
      email: { inboxes: [{ address: 'ana@acme.example' }] },
    },
  ],
  campaigns: [
    {
      id: 'c',
      identityId: 'ana',
      sequence: {
        version: 1 as const,
        start: 'intro',
        steps: { intro: { kind: 'email' as const, subject: 'Hi', body: 'Hello {{firstName}}', next: null } },
      },
      settings: { replies: { mode, prompt: 'Offer a call' } },
    },
  ],
  leads: ['eva', 'tom', 'ida'].map((id) => ({
    id,
    campaignId: 'c',
    profile: { firstName: id, professionalEmail: `${id}@corp.example` },
    behavior: {
      repliesAfterStep: 'intro',
      replyText: id === 'ida' ? 'Please unsubscribe me' : 'Sounds good, tell me more',
      conversation: ['Who else uses it?', 'Great, Tuesday works'],
    },
  })),
})

describe('conversations and the AI agent on SQLite', () => {
  it('gives exactly the in-memory result for automatic and copilot campaigns', async () => {
    for (const mode of ['automatic', 'copilot'] as const) {
      const storage = createSqliteStorage({ filename: path(`${mode}.sqlite`), ...quiet })
      const onFile = await simulate({ ...input(mode), storage })
      await storage.close()
      const inMemory = await simulate(input(mode))
      expect(onFile.events, mode).toEqual(inMemory.events)
      expect(onFile.conversations, mode).toEqual(inMemory.conversations)
      if (mode === 'automatic') {
        expect(
          onFile.events
            .filter((event) => event.type === 'auto-reply-sent')
            .map((event) => event.leadId)
            .sort(),
        ).toEqual(['eva', 'eva', 'eva', 'tom', 'tom', 'tom'])
        expect(onFile.conversations.find((each) => each.leadId === 'ida')?.agent.handOffReason).toBe(
          'opt_out',
        )
      } else {
        expect(onFile.events.filter((event) => event.type === 'suggestion-ready')).toHaveLength(2)
      }
    }
  })
})
