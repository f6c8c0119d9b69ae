import { request as httpRequest } from 'node:http'

export interface ChunkedAnswer {
  readonly status: number
  readonly body: string
  /** Body bytes written before the answer came (the client stops writing then). */
  readonly sent: number
}

/**
 * POSTs a body of `totalBytes` in `chunkBytes` chunks, as a provider (or an attacker) streaming a large
 * body would, and stops writing as soon as the server answers. Rejects when the connection is lost before
 * an answer (the "connection reset" a client must not get instead of a 413).
 */
export function postInChunks(
  url: string,
  options: {
    readonly headers?: Record<string, string>
    readonly totalBytes: number
    readonly chunkBytes?: number
  },
): Promise<ChunkedAnswer> {
  const chunk = Buffer.alloc(options.chunkBytes ?? 64 * 1024, 'a')
  return new Promise((resolve, reject) => {
    let sent = 0
    let answered = false
    const request = httpRequest(url, { method: 'POST', headers: options.headers ?? {} })
    request.on('response', (response) => {
      answered = true
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (text: string) => {
        body += text
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, sent }))
    })
    // Writing on after the server closed the connection fails (EPIPE, ECONNRESET): only an error before
    // the answer is a failure.
    request.on('error', (error) => {
      if (!answered) reject(error)
    })
    const write = () => {
      while (!answered && sent < options.totalBytes) {
        sent += chunk.length
        if (!request.write(chunk)) {
          request.once('drain', write)
          return
        }
      }
      if (!answered) request.end()
    }
    write()
  })
}
