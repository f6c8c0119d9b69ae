import { AsyncLocalStorage } from 'node:async_hooks'

/** What the transport learns while one operation's requests run (jsforce's errors carry no status). */
export interface RequestContext {
  /** The HTTP status of the operation's last answer. */
  status: number | undefined
  /** The operation already refreshed the access token once. */
  refreshed: boolean
}

/** The context of the operation whose request is being sent. */
export const requestContext = new AsyncLocalStorage<RequestContext>()
