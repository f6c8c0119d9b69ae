import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { LinkedInProviderV1, ProviderEvent, ProviderWebhookRequest } from '../provider/linkedin-provider'
import type { DeliveryResult } from './inbound-delivery'

/** What the host's web framework needs to answer a webhook delivery. */
export interface WebhookResponse {
  readonly status: number
  readonly body: string
}

/**
 * The answers a provider acts on: 2xx and 4xx end its retries, 5xx makes it deliver again later. So a
 * delivery that can never succeed gets a 4xx, and only one that may succeed later a 5xx.
 */
export const WEBHOOK_ANSWERS = {
  applied: { status: 200, body: 'ok' },
  noWebhooks: (provider: string) => ({
    status: 404,
    body: `${provider} does not send webhooks; use polling.`,
  }),
  notReady: { status: 503, body: 'Not ready: the engine is not running; retry later.' },
  refused: {
    status: 422,
    body: 'Refused for good by the engine and kept as a dead letter; do not retry.',
  },
  retryLater: { status: 503, body: 'Not applied; retry later.' },
} as const satisfies Record<string, WebhookResponse | ((provider: string) => WebhookResponse)>

/**
 * What can be answered from the headers alone, before the body is read: no webhooks at this provider (404),
 * a shared secret that is missing or wrong (401), nothing subscribed yet (503); undefined to read the body.
 */
export function screenWebhook(
  provider: LinkedInProviderV1,
  headers: ProviderWebhookRequest['headers'],
  ready: boolean,
): WebhookResponse | undefined {
  if (provider.readWebhook === undefined) return WEBHOOK_ANSWERS.noWebhooks(provider.name)
  const check = provider.verifyWebhookHeaders?.(headers)
  if (check !== undefined && !check.ok) return { status: check.status, body: check.message }
  return ready ? undefined : WEBHOOK_ANSWERS.notReady
}

/**
 * One webhook delivery, read by the provider and delivered event by event: 200 once every event was applied
 * (the provider's retries of it are then ignored by event id), 401 and 400 for deliveries that are not
 * authentic or not readable (400s are reported to `onError`: a payload the provider cannot read is worth a
 * look), 422 when the engine refused an event for good (it is a dead letter; the others were applied), and
 * 503 when an event could not be applied for now, so that the provider delivers it again.
 */
export async function receiveWebhook(input: {
  readonly provider: LinkedInProviderV1
  readonly request: ProviderWebhookRequest
  readonly ready: () => boolean
  readonly deliver: (event: ProviderEvent) => Promise<DeliveryResult>
  readonly onError: (error: PacelineError) => void
}): Promise<WebhookResponse> {
  const { provider, request, onError } = input
  const early = screenWebhook(provider, request.headers, input.ready())
  if (early !== undefined) return early
  let result: Awaited<ReturnType<NonNullable<LinkedInProviderV1['readWebhook']>>>
  try {
    result = await (provider.readWebhook as NonNullable<LinkedInProviderV1['readWebhook']>)(request)
  } catch (error) {
    // A provider that throws broke its contract; whether the same delivery fails again is unknown.
    onError(
      new PacelineError(
        PacelineErrorCodes.channelFailed,
        `${provider.name} failed to read a webhook (${messageOf(error)}); answered 503 so it is delivered again.`,
        { cause: error, isRetryable: true },
      ),
    )
    return WEBHOOK_ANSWERS.retryLater
  }
  if (!result.ok) {
    if (result.status === 400)
      onError(
        new PacelineError(
          PacelineErrorCodes.channelFailed,
          `A ${provider.name} webhook with the right secret could not be read (${result.message}); answered 400, so ${provider.name} does not send it again.`,
          { details: { status: 400 } },
        ),
      )
    return { status: result.status, body: result.message }
  }
  let refused = false
  try {
    for (const event of result.events) if ((await input.deliver(event)) === 'refused') refused = true
  } catch (error) {
    onError(
      new PacelineError(
        PacelineErrorCodes.channelFailed,
        `A ${provider.name} webhook could not be applied (${messageOf(error)}); answered 503, so ${provider.name} retries it.`,
        { cause: error, isRetryable: true },
      ),
    )
    return WEBHOOK_ANSWERS.retryLater
  }
  return refused ? WEBHOOK_ANSWERS.refused : WEBHOOK_ANSWERS.applied
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))
