/** The page's own styles, after the chart library's: one column, printable, no web fonts. */
export const pageStyle = `
:root { --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --paper: #ffffff; --back: #f3f4f6; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--back); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 20px 20px 40px; }
header h1 { font-size: 24px; margin: 0 0 4px; }
header p { margin: 0; color: var(--muted); }
.kpis { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0 4px; }
.kpi { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 140px; }
.kpi b { display: block; font-size: 20px; }
.kpi span { color: var(--muted); font-size: 12px; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-top: 16px; }
section h2 { font-size: 17px; margin: 0 0 4px; }
.explain { color: var(--muted); margin: 0 0 10px; font-size: 13px; }
.chart { width: 100%; margin-top: 8px; }
.chart h3 { font-size: 13px; margin: 6px 0 0; color: var(--muted); font-weight: 600; }
.marker-legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12px; color: var(--muted); margin: 4px 0; }
.marker-legend i { display: inline-block; width: 18px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 5px; }
.marker-legend i.dashed { border-top-style: dashed; }
.marker-legend i.dotted { border-top-style: dotted; }
svg { display: block; width: 100%; height: auto; }
svg text { font: 11px system-ui, "DejaVu Sans", Arial, sans-serif; fill: var(--ink); }
svg text.tick { fill: var(--muted); font-size: 10px; }
svg text.row-label { font-size: 12px; }
.psi-legend { max-width: 320px; margin: 6px 0 0; }
.distributions { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 14px; margin-top: 12px; }
.distributions figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
.distributions figcaption { font-size: 13px; margin-bottom: 4px; }
.tree, .tree ul { list-style: none; margin: 0; padding-left: 26px; position: relative; }
.tree { padding-left: 0; }
.tree ul li { position: relative; }
.tree ul li::before { content: ""; position: absolute; left: -16px; top: 0; bottom: 0; border-left: 2px solid var(--line); }
.tree ul li:last-child::before { bottom: auto; height: 22px; }
.tree ul li::after { content: ""; position: absolute; left: -16px; top: 22px; width: 14px; border-top: 2px solid var(--line); }
.card { border: 1px solid var(--line); border-left: 5px solid; border-radius: 8px; padding: 8px 12px; margin: 8px 0; max-width: 760px; }
.card .title { font-weight: 600; }
.card .reason { margin-top: 2px; }
.card .why, .card .facts, .muted { color: var(--muted); font-size: 13px; }
.alert-cause { color: var(--ink); }
.badge { color: #fff; border-radius: 4px; padding: 1px 7px; }
.pill { font-size: 11px; border-radius: 10px; padding: 1px 8px; margin-left: 4px; border: 1px solid var(--line); font-weight: 500; }
.pill.promoted { background: #dcfce7; border-color: #86efac; }
.pill.rejected { background: #fee2e2; border-color: #fca5a5; }
.pill.serving { background: #dbeafe; border-color: #93c5fd; }
table { border-collapse: collapse; }
table.metrics { margin-top: 6px; font-size: 12px; }
table.metrics th, table.metrics td { padding: 1px 10px 1px 0; text-align: left; font-variant-numeric: tabular-nums; }
table.alerts { width: 100%; font-size: 13px; }
table.alerts th { text-align: left; border-bottom: 2px solid var(--line); padding: 6px 8px; white-space: nowrap; }
table.alerts td { border-bottom: 1px solid var(--line); padding: 5px 8px; vertical-align: top; }
table.alerts td:first-child, table.alerts td:nth-child(3) { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.critical td:nth-child(6) { color: #b91c1c; font-weight: 600; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; }
.notes { color: var(--muted); font-size: 13px; }
#render-error { background: #fee2e2; border: 1px solid #fca5a5; padding: 10px; border-radius: 8px; }
footer { color: var(--muted); font-size: 12px; margin-top: 18px; }
@media print { body { background: #fff; } section { break-inside: avoid; } }
`;
