import type { Connection } from 'jsforce'
import type { SalesforceApiUsage } from './api-usage'
import { type RequestContext, requestContext } from './request-context'
import { acquireRequestLimiter } from './request-limiters'
import { openSalesforceConnection } from './salesforce-connection'
import type { ResolvedSalesforceCrmOptions } from './salesforce-crm-options'
import { describeFailure, type SalesforceFailure, salesforceError } from './salesforce-failure'

/** A read is safe to send again after a lost answer; a write only when Salesforce says it did nothing. */
export type RequestKind = 'read' | 'write'

/** Sends the adapter's requests: through the user's limiter, retried when safe, failures as PacelineErrors. */
export interface SalesforceRequests {
  /**
   * Runs one request (`send` makes one jsforce call). `allow` turns an expected failure (`NOT_FOUND` of a
   * record that is gone) into an answer instead of an error.
   */
  run<T, A = never>(
    operation: string,
    kind: RequestKind,
    send: (connection: Connection) => Promise<T>,
    allow?: (failure: SalesforceFailure) => A | undefined,
  ): Promise<T | A>
  /** Gets a new access token now (with `oauth`; false without): for answers jsforce does not refresh on. */
  refresh(): Promise<boolean>
  usage(): SalesforceApiUsage | undefined
  close(): void
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function createSalesforceRequests(options: ResolvedSalesforceCrmOptions): SalesforceRequests {
  const { connection, usage } = openSalesforceConnection(options)
  const credential =
    options.oauth === undefined
      ? `token:${options.accessToken ?? ''}`
      : `oauth:${options.oauth.clientId}:${options.oauth.refreshToken}`
  const { limiter, release } = acquireRequestLimiter(
    options.instanceUrl,
    credential,
    options.requestsPerSecond,
  )

  const backoff = (attempt: number) => {
    const base = options.retryBaseMs * 2 ** attempt
    return Math.min(30_000, base / 2 + Math.random() * (base / 2))
  }

  // jsforce's session refresh, outside any operation's context (so it is not the operation's one refresh).
  const refresh = async (since: number) => {
    const delegate = connection._refreshDelegate
    if (options.oauth === undefined || !delegate) return false
    await requestContext.exit(() => delegate.refresh(since))
    return true
  }

  return {
    async run(operation, kind, send, allow) {
      // One context for every attempt: an operation refreshes the access token at most once.
      const context: RequestContext = { status: undefined, refreshed: false }
      for (let attempt = 0; ; attempt++) {
        context.status = undefined
        try {
          // With oauth, the first request gets a token first rather than a 401.
          if (!connection.accessToken) await refresh(0)
          return await limiter.schedule(() => requestContext.run(context, () => send(connection)))
        } catch (error) {
          const failure = describeFailure(error, context.status)
          const allowed = allow?.(failure)
          if (allowed !== undefined) return allowed
          const again =
            failure.retryInProcess === 'always' || (failure.retryInProcess === 'reads' && kind === 'read')
          if (again && attempt < options.maxRetries) {
            await sleep(backoff(attempt))
            continue
          }
          throw salesforceError(operation, failure, error, usage())
        }
      }
    },
    refresh: () => refresh(Date.now()),
    usage,
    close: release,
  }
}
