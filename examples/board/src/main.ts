import { serve } from '@hono/node-server'
import { createBoard } from '@paceline/board'
import { demoWorkspace } from '@paceline/board/demo'
import { z } from 'zod'

const portSetting = z.coerce.number().int().min(1).max(65_535).default(3000).safeParse(process.env.PORT)
if (!portSetting.success) {
  console.error(`PORT must be a port number (1 to 65535), got "${process.env.PORT}"`)
  process.exit(1)
}
const port = portSetting.data

// Three identities, four campaigns and 120 leads, run for 21 days of virtual time by the real engine, in
// memory: nothing is sent anywhere. `clock` stands at the end of the simulation; the board reads "now" from it.
console.log('Simulating 21 days of outreach...')
const { engine, clock, close } = await demoWorkspace()

// The demo allows every action (pause, resume, retry, answer, tag) to anyone who opens it: it has no sign-in.
// In your app, mount the board behind your own authentication and decide each action in `authorize`.
const board = createBoard({ engine, basePath: '/board', clock, authorize: () => true })

const server = serve({ fetch: board.fetch, port }, () => {
  console.log(`Board: http://localhost:${port}/board  (simulated workspace; press Ctrl+C to stop)`)
  console.log('Every action is allowed in this demo (authorize: () => true): it has no sign-in.')
})

process.once('SIGINT', () => {
  server.close(() => {
    void close().then(() => process.exit(0))
  })
})
