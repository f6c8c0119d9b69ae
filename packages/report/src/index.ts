export { renderCampaignReport, renderCampaignSections } from './render-campaign-report'
export { type IdentityUsageOptions, renderIdentityUsage } from './render-identity-usage'
export type { CampaignReportInput } from './report-input'
export { REPORT_STYLE } from './report-style'
export {
  type CampaignReportSource,
  type WriteCampaignReportOptions,
  writeCampaignReport,
} from './write-campaign-report'
