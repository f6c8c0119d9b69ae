/**
 * How PostgreSQL and node-postgres failures are handled by the store: which ones mean "run the whole
 * transaction again" and which ones end it.
 */
export type FailureKind = 'conflict' | 'connection' | 'other'

/** SQLSTATEs of transactions that lost a race with concurrent ones: nothing was applied, a rerun may pass. */
const CONFLICTS = new Set(['40001', '40P01'])

/**
 * SQLSTATEs and socket errors of a lost or refused connection: the server restarted or is starting
 * (57P01 is also what `pg_terminate_backend` sends), a failover, a network cut. PostgreSQL rolls back a
 * transaction whose connection is gone.
 */
const CONNECTION_STATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006'])
const SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
])
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'terminating connection',
  'the database system is starting up',
  'the database system is shutting down',
  'timeout exceeded when trying to connect',
]

export function failureKind(error: unknown): FailureKind {
  if (typeof error !== 'object' || error === null) return 'other'
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && CONFLICTS.has(code)) return 'conflict'
  if (typeof code === 'string' && (CONNECTION_STATES.has(code) || SOCKET_CODES.has(code))) return 'connection'
  const message = error instanceof Error ? error.message : ''
  if (CONNECTION_MESSAGES.some((each) => message.includes(each))) return 'connection'
  return 'other'
}
