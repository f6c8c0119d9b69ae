import type { IdentityDashboard } from '@paceline/core'
import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import { identityUsageChart } from './identity-usage-chart'
import { parseReportIdentity } from './report-input'

export interface IdentityUsageOptions {
  /** The chart's element id, unique on your page (letters, digits and dashes). Default `identity-usage`. */
  readonly chartId?: string
}

/**
 * One identity's sent vs allowed (connection requests, LinkedIn messages, emails) as the report draws it:
 * an inline SVG chart with its rates, for a page of your own that includes `REPORT_STYLE`.
 */
export function renderIdentityUsage(identity: IdentityDashboard, options: IdentityUsageOptions = {}): string {
  const chartId = options.chartId ?? 'identity-usage'
  if (!/^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(chartId))
    throw new PacelineError(
      PacelineErrorCodes.invalidOptions,
      `renderIdentityUsage options.chartId: must start with a letter and hold only letters, digits and dashes (at most 64), got ${JSON.stringify(chartId)}`,
    )
  return identityUsageChart(parseReportIdentity(identity, 'renderIdentityUsage identity'), chartId).value
}
