export { renderCampaignReport } from './render-campaign-report'
export type { CampaignReportInput } from './report-input'
export {
  type CampaignReportSource,
  type WriteCampaignReportOptions,
  writeCampaignReport,
} from './write-campaign-report'
