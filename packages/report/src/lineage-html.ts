import { escapeHtml } from './escape-html.js';
import type { VersionNode } from './model-report.js';
import { versionColor } from './report-colors.js';
import { utcTime } from './utc-time.js';

/** The metrics a person compares first, in this order; others follow as the trainer wrote them. */
const headline = ['accuracy', 'f1', 'rocAuc'];

function metricsTable(holdout: VersionNode['holdout']): string {
  const names = [
    ...headline.filter((name) => name in holdout.challenger),
    ...Object.keys(holdout.challenger).filter((name) => !headline.includes(name)),
  ];
  if (names.length === 0) return '';
  const cell = (value: number | undefined): string =>
    value === undefined
      ? '—'
      : Number.isInteger(value)
        ? value.toLocaleString('en-US')
        : Number.isFinite(value)
          ? value.toFixed(3)
          : String(value);
  const rows = names
    .map(
      (name) =>
        `<tr><th>${escapeHtml(name)}</th><td>${cell(holdout.challenger[name])}</td>${holdout.champion ? `<td>${cell(holdout.champion[name])}</td>` : ''}</tr>`,
    )
    .join('');
  const head = holdout.champion ? '<tr><th></th><th>this</th><th>champion</th></tr>' : '';
  return `<table class="metrics">${head}${rows}</table>`;
}

function card(node: VersionNode): string {
  const status = `<span class="pill ${node.status}">${node.status}</span>${node.serving ? '<span class="pill serving">serving</span>' : ''}`;
  const why = node.request
    ? `<div class="why">${escapeHtml(`${node.request.reason} retrain requested ${utcTime(node.request.requestedAt)}`)}${node.request.alert ? `<br><span class="alert-cause">${escapeHtml(node.request.alert)}</span>` : ''}</div>`
    : '';
  const served = node.served
    ? `served ${node.served.predictions.toLocaleString('en-US')} labeled predictions ${utcTime(node.served.from)} → ${utcTime(node.served.to)}, accuracy ${(node.served.accuracy * 100).toFixed(1)}%`
    : 'served nothing in this range';
  return `<div class="card" style="border-left-color:${versionColor(node.version)}">
<div class="title"><span class="badge" style="background:${versionColor(node.version)}">v${node.version}</span> ${status} <span class="muted">created ${utcTime(node.createdAt)}</span></div>
<div class="reason">${escapeHtml(node.reason)}</div>${why}
<div class="facts">trained on ${node.holdout.trainRows.toLocaleString('en-US')} rows, holdout ${node.holdout.holdoutRows.toLocaleString('en-US')}; ${escapeHtml(served)}</div>
${metricsTable(node.holdout)}</div>`;
}

/**
 * The lineage as a tree of nested lists, each version under the one it was trained to replace
 * (siblings oldest first): a version whose parent is unknown starts a tree of its own, and a
 * version only reachable through a cycle in corrupt data is still shown, once, at the top.
 */
export function lineageHtml(nodes: readonly VersionNode[]): string {
  const known = new Set(nodes.map((node) => node.version));
  const children = new Map<number, VersionNode[]>();
  const roots: VersionNode[] = [];
  for (const node of nodes) {
    const parent = node.parentVersion;
    if (parent === null || parent === node.version || !known.has(parent)) roots.push(node);
    else children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  const drawn = new Set<number>();
  const draw = (node: VersionNode): string => {
    if (drawn.has(node.version)) return '';
    drawn.add(node.version);
    const below = (children.get(node.version) ?? []).map(draw).join('');
    return `<li>${card(node)}${below ? `<ul>${below}</ul>` : ''}</li>`;
  };
  const trees = roots.map(draw).join('') + nodes.map(draw).join('');
  return `<ul class="tree">${trees}</ul>`;
}
