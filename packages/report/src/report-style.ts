/**
 * The report's stylesheet, inlined in the file: system fonts only (nothing to download), laid out for a
 * 1280-pixel window, and printable (sections kept whole, colours printed).
 */
export const REPORT_STYLE = `
:root {
  --ink: #1d2430; --muted: #5b6576; --line: #dfe3e9; --track: #eef1f5; --panel: #ffffff; --page: #f5f6f8;
  --accent: #0072b2;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; background: var(--page); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
}
main { max-width: 1200px; margin: 0 auto; padding: 32px 40px 48px; }
header.report-header { display: flex; justify-content: space-between; align-items: flex-end; gap: 24px; flex-wrap: wrap;
  border-bottom: 3px solid var(--accent); padding-bottom: 16px; margin-bottom: 24px; }
.eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); }
h1 { margin: 4px 0 0; font-size: 28px; line-height: 1.2; overflow-wrap: anywhere; }
h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 0; }
.meta { display: grid; grid-template-columns: auto auto; gap: 2px 12px; margin: 0; font-size: 13px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px;
  margin: 0 0 20px; break-inside: avoid; page-break-inside: avoid; }
.kpis { display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; background: none; border: 0; padding: 0; }
.kpi { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.kpi .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.kpi .number { font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; }
.kpi .share { color: var(--muted); font-size: 12px; }
.grid-2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px 28px; }
figure { margin: 0; }
section > figure.panel + figure.panel { margin-top: 20px; }
figcaption { margin-bottom: 8px; }
figcaption p { margin: 2px 0 0; font-size: 12px; }
.muted { color: var(--muted); }
svg.chart { display: block; width: 100%; height: auto; overflow: visible; }
svg.chart text { font-family: inherit; font-size: 12px; fill: var(--ink); }
svg.chart text.tick { fill: var(--muted); font-size: 11px; }
svg.chart .muted, svg.chart tspan.muted { fill: var(--muted); }
svg.chart text.value { font-weight: 600; font-variant-numeric: tabular-nums; }
svg.chart tspan.muted { font-weight: 400; }
svg.chart text.inside { fill: #ffffff; font-weight: 600; }
svg.chart .track { fill: var(--track); }
svg.chart .weekend { fill: #f3f4f7; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .domain { stroke: #9aa3b0; stroke-width: 1; }
svg.chart .limit { stroke: var(--ink); stroke-width: 2; }
svg.chart .line { stroke-width: 2; stroke-linejoin: round; }
svg.chart .baseline { fill: none; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; margin: 10px 0 0; font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { width: 12px; height: 12px; border-radius: 2px; flex: none; }
table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: middle; }
thead th { font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); }
.num { text-align: right; white-space: nowrap; }
td.bar-cell { width: 270px; min-width: 200px; }
td.bar-cell svg.chart { width: 260px; }
.kind { display: inline-block; font-size: 11px; font-weight: 600; color: var(--accent); background: #e8f1f8;
  border-radius: 4px; padding: 1px 6px; margin-right: 4px; white-space: nowrap; }
.description, .tag { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
.empty { margin: 8px 0; }
table.substatuses { margin-top: 16px; }
.facts { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin: 16px 0 0; }
.facts div { border-left: 3px solid var(--line); padding-left: 10px; }
.facts dt { color: var(--muted); font-size: 12px; }
.facts dd { margin: 0; font-size: 18px; font-weight: 600; }
.facts dd.muted { font-size: 12px; font-weight: 400; }
details.data-table { margin-top: 16px; }
details.data-table summary { cursor: pointer; color: var(--accent); }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
@media (max-width: 900px) {
  main { padding: 16px; }
  .grid-2 { grid-template-columns: 1fr; }
  .kpis { grid-template-columns: repeat(3, 1fr); }
  .facts { grid-template-columns: repeat(2, 1fr); }
}
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { background: #ffffff; font-size: 12px; }
  main { max-width: none; padding: 0; }
  section, .kpi { border-color: #c9cfd8; }
  details.data-table { display: none; }
  .scroll { overflow: visible; }
}
`
