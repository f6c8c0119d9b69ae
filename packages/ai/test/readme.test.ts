import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readmeExamples } from '../../../test-support/readme-examples'
import { FakeOpenAi, type OpenAiRequest } from './support/fake-openai'

// The examples call OpenAI through createOpenAI(), which reads OPENAI_BASE_URL and OPENAI_API_KEY: here they
// point at a local stand-in, so nothing reaches the internet.
const fake = new FakeOpenAi('sk-readme-example-key')
const saved = { baseUrl: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY }

/** What the stand-in's model answers, by the structured output each call asks for. */
function answer(request: OpenAiRequest): string | { json: unknown } {
  const format = (request.body.text as { format?: { name?: string } } | undefined)?.format
  switch (format?.name) {
    case 'classification':
      return { json: { sentiment: 'neutral', outOfOffice: false, optOut: false, tags: ['Bad timing'] } }
    case 'variables':
      return { json: { opener: 'Closing the books at Lind AB every month is no small job.' } }
    case 'reply':
      return {
        json: {
          text: 'It starts at 49 EUR a month. Shall we talk on Thursday?',
          confident: true,
          handOffReason: null,
        },
      }
    case 'message':
      return { json: { subject: 'Month-end in 2 days?', text: 'Hi Eva, 15 minutes next week?' } }
    default:
      return 'Hi Eva, Lind AB could close its books in 2 days instead of 8. Would 15 minutes next week help?\n\nAna'
  }
}

beforeAll(async () => {
  await fake.start()
  fake.answerWith(answer)
  process.env.OPENAI_BASE_URL = fake.url
  process.env.OPENAI_API_KEY = fake.apiKey
})
afterAll(async () => {
  for (const [name, value] of [
    ['OPENAI_BASE_URL', saved.baseUrl],
    ['OPENAI_API_KEY', saved.apiKey],
  ] as const) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  await fake.stop()
})

readmeExamples(join(dirname(fileURLToPath(import.meta.url)), '..'), 4)

describe('what the README examples sent', () => {
  it('went to the local stand-in only, with the examples key', () => {
    expect(fake.requests.length).toBeGreaterThan(0)
    expect(new Set(fake.requests.map((request) => request.headers.authorization))).toEqual(
      new Set(['Bearer sk-readme-example-key']),
    )
  })
})
