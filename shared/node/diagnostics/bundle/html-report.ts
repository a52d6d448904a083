import type { DiagnoseResult, Diagnosis, Stage, StageStatus } from '../../../common/diagnostics/diagnosis';
import { diagnosisKindNames as kindNames } from '../../../common/diagnostics/diagnosis-kind-names';
import { commonScaleMs, stageColours } from '../../../common/diagnostics/waterfall-layout';
import { escapeHtml } from './html-escape';
import { milliseconds } from './milliseconds';
import { waterfallSvg } from './waterfall-svg';

export interface ReportFacts {
  /** The connection's name in the panel, when it still exists. */
  connectionName: string | null;
  appName: string;
  appVersion: string;
  createdAt: string;
}

const statusNames: Record<StageStatus, string> = {
  ok: 'ok',
  warn: 'warning',
  fail: 'failed',
  skipped: 'skipped',
};

const statusClasses = Object.keys(stageColours) as StageStatus[];

// Colours from the window's own table (waterfall-layout.ts), light and dark; nothing is fetched, no fonts.
const style = `
:root{color-scheme:light dark;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:24px;max-width:1400px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:0 0 6px}
.facts{color:GrayText;margin:0 0 16px}
.sides{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:24px;margin-bottom:24px}
section{border:1px solid #8a888655;border-radius:6px;padding:12px;margin-bottom:24px}
.sides section{margin-bottom:0}
.summary{margin:0 0 8px}
.banner{border-left:4px solid ${stageColours.warn.light};background:#fff4ce;color:#000;padding:8px 12px;margin:0 0 16px}
svg.waterfall{max-width:100%;height:auto;display:block;margin-bottom:8px}
svg text{font:12px system-ui,sans-serif;fill:CanvasText}
svg text.group{font-weight:600}
svg .axis{stroke:#8a8886;stroke-width:1}
svg .difference{fill:#fff4ce;stroke:${stageColours.warn.light};stroke-width:1.5}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:3px 6px;border-bottom:1px solid #8a888633}
td.number{text-align:right;white-space:nowrap}
tr.difference td{background:#fff4ce;color:#000}
tr.error td{border-bottom-width:2px}
.pill{display:inline-block;min-width:56px;text-align:center;border-radius:9px;padding:0 6px;color:#fff;font-size:12px}
.error-text{margin:0}.hint{margin:2px 0 0}.detail{margin:2px 0 0;color:GrayText;font-size:12px}
${statusClasses.map((status) => `svg .bar.${status}{fill:${stageColours[status].light}}.pill.${status}{background:${stageColours[status].light}}`).join('\n')}
@media (prefers-color-scheme:dark){
${statusClasses.map((status) => `svg .bar.${status}{fill:${stageColours[status].dark}}.pill.${status}{background:${stageColours[status].dark};color:#000}`).join('\n')}
}
`;

function errorRow(stage: Stage): string {
  const error = stage.error;
  if (!error) return '';
  const facts = Object.entries(error.detail ?? {})
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join(' · ');
  return (
    `<tr class="error"><td></td><td colspan="4">` +
    `<p class="error-text">${escapeHtml(`${stage.status === 'warn' ? 'Warning' : 'Error'} (${error.code}): ${error.message}`)}</p>` +
    (error.hint ? `<p class="hint">${escapeHtml(`Next step: ${error.hint}`)}</p>` : '') +
    (facts ? `<p class="detail">${escapeHtml(facts)}</p>` : '') +
    `</td></tr>`
  );
}

function stageTable(diagnosis: Diagnosis, highlightStageId: string | null): string {
  const rows = diagnosis.stages.map((stage) => {
    const highlighted = stage.id === highlightStageId ? ' class="difference"' : '';
    const name = stage.group ? `${stage.group}: ${stage.name}` : stage.name;
    return (
      `<tr${highlighted}><td><span class="pill ${stage.status}">${statusNames[stage.status]}</span></td>` +
      `<td>${escapeHtml(name)}</td><td class="number">${milliseconds(stage.startMs)}</td>` +
      `<td class="number">${milliseconds(stage.durationMs)}</td><td>${escapeHtml(stage.detail ?? '')}</td></tr>` +
      errorRow(stage)
    );
  });
  return (
    '<table><thead><tr><th>Result</th><th>Stage</th><th>Starts at</th><th>Took</th><th>Found</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function sideSection(
  title: string,
  diagnosis: Diagnosis,
  scaleMs: number,
  highlightStageId: string | null,
): string {
  return (
    `<section><h2>${escapeHtml(title)}</h2>` +
    `<p class="summary"><span class="pill ${diagnosis.status}">${statusNames[diagnosis.status]}</span> ` +
    `${escapeHtml(`${kindNames[diagnosis.kind]} stages for ${diagnosis.domain}, started ${diagnosis.startedAt}, ${milliseconds(diagnosis.durationMs)} in all.`)}</p>` +
    waterfallSvg(diagnosis, scaleMs, highlightStageId) +
    stageTable(diagnosis, highlightStageId) +
    '</section>'
  );
}

/**
 * A diagnosis as one self-contained page for support: inline CSS and SVG, no script, no link, no image, no font
 * to fetch (its Content-Security-Policy forbids them all even if one slipped in), every text escaped. This
 * computer and the Remote Agent host side by side on one time scale, the first stage that differs outlined in
 * both, and the agent as probed from here below.
 */
export function diagnosisReportHtml(result: DiagnoseResult, facts: ReportFacts): string {
  const highlight = result.difference?.stageId ?? null;
  const sides = [result.thisComputer, result.agentHost];
  const scale = commonScaleMs(sides);
  const title = `Diagnosis of ${result.domain}`;
  const subtitle = [
    facts.connectionName === null ? null : `Connection "${facts.connectionName}"`,
    `${kindNames[result.thisComputer.kind]}`,
    `checked ${result.checkedAt}`,
    `report made ${facts.createdAt} by ${facts.appName} ${facts.appVersion}`,
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
  const difference = result.difference
    ? `<p class="banner">${escapeHtml(result.difference.sentence)}</p>`
    : '';
  const thisComputer = sideSection('This computer', result.thisComputer, scale, highlight);
  const agentHost = result.agentHost
    ? sideSection('Remote Agent host', result.agentHost, scale, highlight)
    : '';
  const remoteAgent = result.remoteAgent
    ? sideSection(
        'The Remote Agent, probed from this computer',
        result.remoteAgent,
        commonScaleMs([result.remoteAgent]),
        null,
      )
    : '';
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    '<meta name="referrer" content="no-referrer">' +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>` +
    `<style>${style}</style></head><body>` +
    `<h1>${escapeHtml(title)}</h1><p class="facts">${escapeHtml(subtitle)}</p>${difference}` +
    `<div class="sides">${thisComputer}${agentHost}</div>` +
    (remoteAgent ? `<div class="sides">${remoteAgent}</div>` : '') +
    '</body></html>\n'
  );
}
