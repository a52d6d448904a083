import type { Diagnosis } from '../../../common/diagnostics/diagnosis';
import { waterfallLayout } from '../../../common/diagnostics/waterfall-layout';
import { escapeHtml } from './html-escape';
import { milliseconds } from './milliseconds';

const width = 640;
const labelWidth = 210;
const barsWidth = 340;
const rowHeight = 20;
const barHeight = 12;
const maxLabel = 34;

const shortened = (text: string) => (text.length > maxLabel ? `${text.slice(0, maxLabel - 1)}…` : text);

/**
 * The waterfall as inline SVG, drawn like the window's: one bar per stage at its start and to scale, coloured by
 * outcome through the report's CSS classes, a heading row where a domain controller's stages begin, and the
 * stage that differs between the two sides outlined. No xmlns: inside HTML it needs none, and the report names
 * no URL at all.
 */
export function waterfallSvg(diagnosis: Diagnosis, scaleMs: number, highlightStageId: string | null): string {
  const layout = waterfallLayout(diagnosis, scaleMs);
  const rows: string[] = [];
  let y = 4;
  let group: string | undefined;
  for (const bar of layout.bars) {
    if (bar.group !== undefined && bar.group !== group) {
      rows.push(`<text class="group" x="4" y="${y + 14}">${escapeHtml(shortened(bar.group))}</text>`);
      y += rowHeight;
    }
    group = bar.group;
    const top = y + (rowHeight - barHeight) / 2;
    const x = labelWidth + bar.left * barsWidth;
    const barWidth = Math.max(bar.width * barsWidth, 1);
    const tooltip = `${bar.label}: ${milliseconds(bar.durationMs)}, ${bar.status}${bar.detail ? ` (${bar.detail})` : ''}`;
    if (bar.id === highlightStageId)
      rows.push(
        `<rect class="difference" x="1" y="${y}" width="${width - 2}" height="${rowHeight}" rx="3"/>`,
      );
    rows.push(
      `<text class="label" x="${bar.group === undefined ? 4 : 14}" y="${y + 14}">${escapeHtml(shortened(bar.label))}</text>`,
      `<rect class="bar ${bar.status}" x="${x.toFixed(1)}" y="${top}" width="${barWidth.toFixed(1)}" height="${barHeight}" rx="2"><title>${escapeHtml(tooltip)}</title></rect>`,
      `<text class="duration" x="${width - 6}" y="${y + 14}" text-anchor="end">${milliseconds(bar.durationMs)}</text>`,
    );
    y += rowHeight;
  }
  const height = y + 4;
  const axis = `<line class="axis" x1="${labelWidth}" y1="2" x2="${labelWidth}" y2="${height - 2}"/>`;
  return (
    `<svg class="waterfall" role="img" aria-label="${escapeHtml(`Waterfall of ${layout.bars.length} stages over ${milliseconds(layout.scaleMs)}`)}" ` +
    `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${axis}${rows.join('')}</svg>`
  );
}
