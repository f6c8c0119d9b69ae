import { REPORT_STYLE } from '@paceline/report'

/**
 * The board's stylesheet: the campaign report's (charts, tables, summary cards) plus the board's own frame
 * (navigation, forms, badges, the conversation). System fonts only; served by the board itself.
 */
export const BOARD_STYLE = `${REPORT_STYLE}
main { max-width: 1240px; padding: 20px 32px 48px; }
.skip { position: absolute; left: -9999px; top: 0; background: #fff; padding: 8px 12px; z-index: 10; }
.skip:focus { left: 8px; top: 8px; }
.topbar { background: #1d2430; color: #fff; }
.topbar .inner { max-width: 1240px; margin: 0 auto; padding: 0 32px; display: flex; align-items: center; gap: 28px; flex-wrap: wrap; }
.topbar .brand { font-weight: 700; letter-spacing: .02em; padding: 14px 0; color: #fff; text-decoration: none; }
.topbar nav ul { list-style: none; display: flex; gap: 4px; margin: 0; padding: 0; flex-wrap: wrap; }
.topbar nav a { display: block; color: #dfe6ef; text-decoration: none; padding: 14px 12px; border-bottom: 3px solid transparent; }
.topbar nav a:hover, .topbar nav a:focus-visible { color: #fff; }
.topbar nav a[aria-current="page"] { color: #fff; border-bottom-color: #56b4e9; font-weight: 600; }
.topbar .mode { margin-left: auto; font-size: 12px; color: #dfe6ef; }
a { color: #005a8e; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: 3px solid #e69f00; outline-offset: 2px; }
.page-header { display: flex; justify-content: space-between; align-items: flex-end; gap: 16px; flex-wrap: wrap; margin: 8px 0 20px; }
.page-header h1 { margin: 0; }
.breadcrumbs { font-size: 13px; margin: 0 0 4px; }
.breadcrumbs a { color: #005a8e; }
.notice, .problem { border-radius: 8px; padding: 10px 14px; margin: 0 0 16px; border: 1px solid; }
.notice { background: #e9f6ef; border-color: #9fd3b4; color: #11402a; }
.problem { background: #fdeeee; border-color: #eab0b0; color: #6b1717; }
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600;
  background: #eef1f5; color: #1d2430; white-space: nowrap; }
.badge.running, .badge.open, .badge.in_progress, .badge.ready { background: #dff1e7; color: #0f4f2c; }
.badge.paused, .badge.warming, .badge.closed { background: #fff1d6; color: #5c3b00; }
.badge.error, .badge.needs-answer { background: #fde2e2; color: #7a1010; }
.badge.finished, .badge.archived, .badge.draft, .badge.scheduled, .badge.not_started { background: #e8ecf2; color: #273140; }
.badge.replied, .badge.positive { background: #e0eefa; color: #0b3d66; }
.actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.actions form { margin: 0; }
button, .button { font: inherit; font-size: 13px; font-weight: 600; border-radius: 6px; border: 1px solid #0b5d8f;
  background: #0b5d8f; color: #fff; padding: 6px 14px; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: #0b4a72; border-color: #8fa9bf; }
button.danger { background: #fff; color: #8a1414; border-color: #c98b8b; }
button[disabled] { opacity: .6; cursor: progress; }
form.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin: 0 0 12px; }
form.filters label, .field label { display: block; font-size: 12px; font-weight: 600; color: #3b4554; margin-bottom: 3px; }
input[type="text"], input[type="search"], select, textarea { font: inherit; font-size: 14px; border: 1px solid #8d97a5;
  border-radius: 6px; padding: 6px 8px; background: #fff; color: #1d2430; }
textarea { width: 100%; min-height: 120px; resize: vertical; }
select { max-width: 340px; }
.badge.negative { background: #fde2e2; color: #7a1010; }
.badge.neutral { background: #eef1f5; color: #1d2430; }
.field { margin: 0 0 12px; }
.hint { font-size: 12px; color: #5b6576; margin: 4px 0 0; }
.pager { display: flex; justify-content: space-between; align-items: center; margin-top: 12px; font-size: 13px; }
.cards { display: grid; grid-template-columns: 1fr; gap: 20px; }
.cards > section { margin: 0; }
.card-head { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.card-head h2 { margin: 0; }
dl.pairs { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0; font-size: 13px; }
dl.pairs dt { color: #5b6576; }
dl.pairs dd { margin: 0; overflow-wrap: anywhere; }
ul.warnings { margin: 8px 0 0; padding-left: 18px; color: #6b3a00; font-size: 13px; }
.meter { display: flex; gap: 20px; flex-wrap: wrap; font-size: 13px; }
.meter strong { font-size: 22px; display: block; }
.timeline { list-style: none; margin: 0; padding: 0; border-left: 2px solid #dfe3e9; }
.timeline li { position: relative; padding: 4px 0 10px 18px; font-size: 13px; }
.timeline li::before { content: ""; position: absolute; left: -6px; top: 9px; width: 10px; height: 10px; border-radius: 50%; background: #0072b2; }
.timeline li.inbound::before { background: #009e73; }
.timeline li.status::before { background: #8d97a5; }
.timeline time, .message time { color: #5b6576; font-size: 12px; }
.messages { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 10px; }
.message { max-width: 80%; border-radius: 10px; padding: 8px 12px; border: 1px solid #dfe3e9; white-space: pre-wrap; overflow-wrap: anywhere; }
.message.inbound { background: #f3f5f8; align-self: flex-start; }
.message.outbound { background: #e6f1fa; align-self: flex-end; }
.message .who { font-size: 12px; font-weight: 600; color: #3b4554; white-space: normal; }
.reason { font-size: 13px; }
.grid-2-even { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 20px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 1100px) { .grid-2-even { grid-template-columns: 1fr; } main { padding: 16px; } }
`
