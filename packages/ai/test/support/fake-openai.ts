import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the stand-in received. */
export interface OpenAiRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingMessage['headers']
  readonly body: Record<string, unknown>
  /** `Date.now()` when it arrived. */
  readonly at: number
}

/** A scripted answer: an HTTP status with OpenAI's error body, or `hang` (never answer). */
export type ScriptedReply =
  | {
      readonly status: number
      readonly headers?: Readonly<Record<string, string>>
      readonly error: { readonly message: string; readonly type: string; readonly code: string | null }
      readonly param?: string | null
    }
  | 'hang'

/** Token counts the stand-in reports, from the request's and the answer's lengths (about 4 characters a token). */
function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4))
}

/**
 * A local stand-in for OpenAI's API on 127.0.0.1, speaking its documented wire format:
 * - `POST /v1/responses` (the Responses API, what `openai('model')` calls) answers a `response` object whose
 *   `output` holds one `message` item with one `output_text` part; with `text.format.type = 'json_schema'`
 *   in the request, that text is the JSON answer;
 * - `POST /v1/chat/completions` (what `openai.chat('model')` calls) answers a `chat.completion` object
 *   whose first choice's `message.content` holds the text (the JSON answer with `response_format.type =
 *   'json_schema'`);
 * - both with `usage`; errors as `{ error: { message, type, param, code } }` with their HTTP status.
 * Shapes from OpenAI's API reference (Responses: "The response object"; Chat: "The chat completion
 * object"; error codes guide).
 */
export class FakeOpenAi {
  readonly requests: OpenAiRequest[] = []
  /** What the next requests get instead of an answer, in order. */
  readonly script: ScriptedReply[] = []
  /** Every usage the stand-in reported, in order: `[input, output, total]`. */
  readonly reportedUsage: [number, number, number][] = []
  private answer: (request: OpenAiRequest) => string = () => 'Hello from the stand-in.'
  private server: Server | undefined
  private readonly hanging = new Set<ServerResponse>()
  private count = 0

  /** `apiKey`: the only key accepted (`Authorization: Bearer <apiKey>`); any other gets OpenAI's 401. */
  constructor(readonly apiKey: string) {}

  /** What the model answers: a text, or a value to send as its JSON text. */
  answerWith(answer: (request: OpenAiRequest) => string | { readonly json: unknown }): void {
    this.answer = (request) => {
      const value = answer(request)
      return typeof value === 'string' ? value : JSON.stringify(value.json)
    }
  }

  /** The base URL to give `createOpenAI({ baseURL })`: `http://127.0.0.1:PORT/v1`. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined
    if (address === undefined || address === null) throw new Error('the stand-in is not started')
    return `http://127.0.0.1:${address.port}/v1`
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => this.handle(request, Buffer.concat(chunks).toString('utf8'), response))
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy()
    this.hanging.clear()
    const server = this.server
    if (server === undefined) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    this.server = undefined
  }

  reset(): void {
    this.requests.length = 0
    this.script.length = 0
    this.reportedUsage.length = 0
    this.answerWith(() => 'Hello from the stand-in.')
  }

  private handle(request: IncomingMessage, raw: string, response: ServerResponse): void {
    let body: Record<string, unknown>
    try {
      body = JSON.parse(raw) as Record<string, unknown>
    } catch {
      this.error(response, 400, {
        message: 'We could not parse the JSON body of your request.',
        type: 'invalid_request_error',
        code: null,
      })
      return
    }
    const received: OpenAiRequest = {
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body,
      at: Date.now(),
    }
    this.requests.push(received)
    const authorization = request.headers.authorization ?? ''
    const authorized = authorization === `Bearer ${this.apiKey}`
    const scripted = authorized ? this.script.shift() : undefined
    if (!authorized) {
      // OpenAI quotes the key it was given (partly masked); this stand-in quotes it whole, the worst case.
      this.error(response, 401, {
        message: `Incorrect API key provided: ${authorization.replace(/^Bearer /, '')}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      })
    } else if (scripted === 'hang') {
      this.hanging.add(response)
      response.on('close', () => this.hanging.delete(response))
    } else if (scripted !== undefined) {
      this.error(response, scripted.status, scripted.error, scripted.param ?? null, scripted.headers)
    } else if (request.method === 'POST' && received.path === '/v1/responses') {
      this.responses(received, response)
    } else if (request.method === 'POST' && received.path === '/v1/chat/completions') {
      this.chatCompletions(received, response)
    } else {
      this.error(response, 404, {
        message: `Invalid URL (${request.method} ${received.path})`,
        type: 'invalid_request_error',
        code: null,
      })
    }
  }

  private usage(request: OpenAiRequest, text: string): [number, number, number] {
    const input = tokens(JSON.stringify(request.body.input ?? request.body.messages ?? ''))
    const output = tokens(text)
    const usage: [number, number, number] = [input, output, input + output]
    this.reportedUsage.push(usage)
    return usage
  }

  /** POST /v1/responses: a `response` object, status `completed`. */
  private responses(request: OpenAiRequest, response: ServerResponse): void {
    const text = this.answer(request)
    const [input, output, total] = this.usage(request, text)
    const id = ++this.count
    const requested = request.body.text as { format?: unknown } | undefined
    this.json(response, 200, {
      id: `resp_67ccd2bed1ec8190b14f964abc05${String(id).padStart(4, '0')}`,
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status: 'completed',
      background: false,
      error: null,
      incomplete_details: null,
      instructions: null,
      max_output_tokens: request.body.max_output_tokens ?? null,
      model: 'gpt-4o-mini-2024-07-18',
      output: [
        {
          id: `msg_67ccd2bf17f0819081ff3bb2cf6508e6${String(id).padStart(4, '0')}`,
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', annotations: [], logprobs: [], text }],
        },
      ],
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: null, summary: null },
      service_tier: 'default',
      store: true,
      temperature: request.body.temperature ?? 1.0,
      text: { format: requested?.format ?? { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_p: 1.0,
      truncation: 'disabled',
      usage: {
        input_tokens: input,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: total,
      },
      user: null,
      metadata: {},
    })
  }

  /** POST /v1/chat/completions: a `chat.completion` object with one choice. */
  private chatCompletions(request: OpenAiRequest, response: ServerResponse): void {
    const text = this.answer(request)
    const [input, output, total] = this.usage(request, text)
    const id = ++this.count
    this.json(response, 200, {
      id: `chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6P${String(id).padStart(4, '0')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'gpt-4o-mini-2024-07-18',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: input,
        completion_tokens: output,
        total_tokens: total,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_06737a9306',
    })
  }

  private error(
    response: ServerResponse,
    status: number,
    error: { readonly message: string; readonly type: string; readonly code: string | null },
    param: string | null = null,
    headers: Readonly<Record<string, string>> = {},
  ): void {
    this.json(
      response,
      status,
      { error: { message: error.message, type: error.type, param, code: error.code } },
      headers,
    )
  }

  private json(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Readonly<Record<string, string>> = {},
  ): void {
    const text = JSON.stringify(body)
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-request-id': `req_${Math.random().toString(16).slice(2)}`,
      'openai-processing-ms': '12',
      ...headers,
    })
    response.end(text)
  }
}

/** OpenAI's answer when a rate limit is hit (429), with how long to wait. */
export function rateLimited(retryAfterSeconds: number): ScriptedReply {
  return {
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    error: {
      message:
        'Rate limit reached for gpt-4o-mini in organization org-test on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.',
      type: 'requests',
      code: 'rate_limit_exceeded',
    },
  }
}

/** OpenAI's answer to a request it will never accept (400). */
export function badRequest(): ScriptedReply {
  return {
    status: 400,
    param: 'temperature',
    error: {
      message: "Unsupported parameter: 'temperature' is not supported with this model.",
      type: 'invalid_request_error',
      code: 'unsupported_parameter',
    },
  }
}
