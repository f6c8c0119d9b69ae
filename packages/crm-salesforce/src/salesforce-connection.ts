import { Connection, type ConnectionConfig } from 'jsforce'
import { parseLimitInfo, type SalesforceApiUsage } from './api-usage'
import { requestContext } from './request-context'
import type { ResolvedSalesforceCrmOptions } from './salesforce-crm-options'

type RefreshFunction = NonNullable<ConnectionConfig['refreshFn']>

/** A jsforce connection to the org, with what its answers tell about the org's API usage. */
export interface SalesforceConnection {
  readonly connection: Connection
  /** The last `Sforce-Limit-Info` api-usage seen. */
  usage(): SalesforceApiUsage | undefined
}

/**
 * Opens jsforce's `Connection` on the instance URL. With `oauth`, jsforce refreshes the access token when an
 * answer is 401 (`INVALID_SESSION_ID`) and sends the request again; the refresh function here does it with
 * jsforce's `OAuth2.refreshToken` once per operation, so a token the org keeps refusing ends the operation
 * instead of refreshing forever. jsforce's own retries (5 for GETs, up to 15 s of sleeps) are turned off:
 * the adapter retries, knowing which requests are safe to send again.
 */
export function openSalesforceConnection(options: ResolvedSalesforceCrmOptions): SalesforceConnection {
  let usage: SalesforceApiUsage | undefined
  const { oauth } = options

  const refresh: RefreshFunction = (connection, callback) => {
    const context = requestContext.getStore()
    if (context?.refreshed === true) {
      callback(new Error('Salesforce refused the refreshed access token too'))
      return
    }
    if (context !== undefined) context.refreshed = true
    if (oauth === undefined) {
      callback(new Error('no refresh token'))
      return
    }
    connection.oauth2.refreshToken(oauth.refreshToken).then(
      (token) => callback(undefined, token.access_token, token),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    )
  }

  const connection = new Connection({
    instanceUrl: options.instanceUrl,
    version: options.apiVersion,
    ...(oauth === undefined
      ? { accessToken: options.accessToken }
      : {
          loginUrl: oauth.loginUrl,
          oauth2: { loginUrl: oauth.loginUrl, clientId: oauth.clientId, clientSecret: oauth.clientSecret },
          refreshToken: oauth.refreshToken,
          refreshFn: refresh,
        }),
  })
  if (options.onTokenRefresh !== undefined) {
    const listener = options.onTokenRefresh
    connection.on('refresh', (accessToken: string) => listener(accessToken))
  }

  const transport = connection._transport
  const send = transport.httpRequest.bind(transport)
  transport.httpRequest = (request, requestOptions = {}) => {
    const context = requestContext.getStore()
    const sent = send(request, {
      ...requestOptions,
      timeout: options.timeoutMs,
      retry: { ...requestOptions.retry, maxRetries: 0 },
    })
    sent.then(
      (response) => {
        if (context !== undefined) context.status = response.statusCode
        usage = parseLimitInfo(response.headers['sforce-limit-info']) ?? usage
      },
      () => {},
    )
    return sent
  }

  // The token endpoint has its own transport: give it the same time limit (jsforce's default is 30 minutes).
  const tokenTransport = connection.oauth2._transport
  const sendToken = tokenTransport.httpRequest.bind(tokenTransport)
  tokenTransport.httpRequest = (request, requestOptions = {}) =>
    sendToken(request, { ...requestOptions, timeout: options.timeoutMs })

  return { connection, usage: () => usage }
}
