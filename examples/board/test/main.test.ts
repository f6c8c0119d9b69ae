import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const folder = join(dirname(fileURLToPath(import.meta.url)), '..')

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

it('`pnpm --filter board start` serves the board on the simulated workspace, and stops on Ctrl+C', async () => {
  const port = await freePort()
  const child = spawn(process.execPath, ['--conditions=@paceline/source', '--import', 'tsx', 'src/main.ts'], {
    cwd: folder,
    env: { ...process.env, PORT: String(port) },
  })
  let output = ''
  child.stderr.on('data', (chunk) => {
    output += String(chunk)
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += String(chunk)
      if (output.includes(`Board: http://localhost:${port}/board`)) resolve()
    })
    child.once('exit', () => reject(new Error(`the example stopped before serving:\n${output}`)))
  })
  const page = await fetch(`http://127.0.0.1:${port}/board/campaigns/q2-outbound`)
  expect(page.status).toBe(200)
  const text = await page.text()
  expect(text).toContain('Q2 outbound')
  expect(text).toContain('method="post"')
  child.kill('SIGINT')
  expect(await exited).toBe(0)
}, 60_000)
