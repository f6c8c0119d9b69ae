import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Board, type BoardOptions, createBoard } from '../../src/index'

export interface ServedBoard {
  readonly board: Board
  /** The board's address, such as `http://127.0.0.1:41234/board`. */
  readonly url: string
  readonly origin: string
  close(): Promise<void>
}

/** The board on Node's own http server, on a free local port. */
export async function serveBoard(options: BoardOptions): Promise<ServedBoard> {
  const board = createBoard(options)
  const server: Server = createServer(board.node)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    board,
    origin,
    url: `${origin}${options.basePath ?? ''}`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}

/** The CSRF cookie and form token a browser gets with its first page, and that page: for posting from a test. */
export async function csrfSession(
  url: string,
  fetchPage: (url: string) => Promise<Response> = fetch,
): Promise<{ readonly cookie: string; readonly token: string; readonly response: Response }> {
  const response = await fetchPage(url)
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const token = /name="_csrf" value="([^"]+)"/.exec(await response.text())?.[1] ?? cookie.split('=')[1] ?? ''
  return { cookie, token, response }
}
