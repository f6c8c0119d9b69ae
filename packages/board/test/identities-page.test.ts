import { describe, expect, it } from 'vitest'
import { createBoard } from '../src/index'
import { NOW, smallWorkspace } from './support/small-workspace'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('the identities page', () => {
  it('counts today’s profile visits against their limit, and says the working hours are open until 18:00', async () => {
    const { engine, clock } = await smallWorkspace()
    // The lead's first step is a profile visit: run the engine in virtual time until it is done.
    let visits = 0
    for (let minutes = 0; visits === 0 && minutes < 6 * 60; minutes += 10) {
      await engine.tick()
      visits = (await engine.actions({ identityId: 'ana', types: ['profile-visited'] })).length
      if (visits === 0) clock.advance(10 * 60_000)
    }
    expect(visits).toBe(1)
    const identity = await engine.identities.get('ana')
    const board = createBoard({ engine, clock })
    const page = text(await (await board.fetch(new Request('http://localhost/identities'))).text())
    expect(page).toContain(`Profile visits today 1 of ${identity.linkedin?.limits.profileVisitsPerDay}`)
    // 10:00 UTC is 11:00 in Madrid on a Wednesday: inside the default 09:00–18:00.
    expect(new Date(NOW).getUTCDay()).toBe(3)
    expect(page).toContain('Working hours')
    expect(page).toMatch(/Open until 4 Mar 2026, 18:00 \(in \d+ h( \d+ min)?\)/)
    // A standard identity is not billed per identity: no meter.
    expect(page).not.toContain('billing meter')
  })

  it('says when the next window opens outside working hours', async () => {
    const { engine, clock } = await smallWorkspace()
    clock.set(Date.parse('2026-03-07T10:00:00Z')) // a Saturday
    const board = createBoard({ engine, clock })
    const page = text(await (await board.fetch(new Request('http://localhost/identities'))).text())
    expect(page).toContain('Outside working hours')
    expect(page).toContain('Next window opens 9 Mar 2026, 09:00 (in 46 h)')
  })
})
