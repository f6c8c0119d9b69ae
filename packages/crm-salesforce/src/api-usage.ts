/** The org's API requests in the rolling 24 hours, as the last answer's `Sforce-Limit-Info` header said. */
export interface SalesforceApiUsage {
  /** Requests counted so far. */
  readonly used: number
  /** The org's limit. */
  readonly limit: number
}

/** Reads `api-usage=N/M` from a `Sforce-Limit-Info` header (which may list `api-bursts=…` too). */
export function parseLimitInfo(header: string | undefined): SalesforceApiUsage | undefined {
  const match = header === undefined ? null : /(?:^|[;\s])api-usage=(\d+)\/(\d+)/.exec(header)
  if (match === null) return undefined
  return { used: Number(match[1]), limit: Number(match[2]) }
}
