import { describe, expect, it, vi } from 'vitest'

// Spies on the comparison the engine makes; everything else of node:crypto is the real thing.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>()
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) }
})

const { timingSafeEqual } = await import('node:crypto')
const { createEngine } = await import('../../src/index')
const { createMemoryStorage } = await import('../../src/testing')
const { identity } = await import('./harness')

describe('share link tokens', () => {
  it('are compared in constant time, as 32-byte SHA-256 hashes', async () => {
    const engine = createEngine({ storage: createMemoryStorage() })
    const link = await engine.identities.createShareLink({ purpose: 'create' })
    vi.mocked(timingSafeEqual).mockClear()
    await engine.identities.redeemShareLink(link.token, { identity: identity({ id: 'eva' }) })
    expect(timingSafeEqual).toHaveBeenCalledTimes(1)
    const [stored, given] = vi.mocked(timingSafeEqual).mock.calls[0] as [Buffer, Buffer]
    expect(stored).toHaveLength(32)
    expect(given).toHaveLength(32)
    expect(Buffer.compare(stored, given)).toBe(0)
    await engine.close()
  })
})
