// The run plot of `npm start`: what was offered, accepted and refused (by reason), what reached the table, how far the
// consumer lagged, the replicas against the budget cap and the spend — stacked panels over one time axis, every axis on
// round ticks (ticks.ts). A hand-written SVG: no dependencies, diffable text.
import type { Sample } from './observe.ts';
import { REJECT_REASONS, rejectionLabel } from './rejections.ts';
import { niceAxis, tickLabel } from './ticks.ts';

const WIDTH = 960;
const PANEL_HEIGHT = 150;
const MARGIN = { left: 80, right: 230, top: 44, gap: 46, bottom: 40 };
const REASON_COLORS = ['#d62728', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#bcbd22', '#17becf', '#7f7f7f'];

export interface PlotLine {
  label: string;
  color: string;
  dashed?: boolean;
  values: readonly number[];
}

export interface PlotPanel {
  title: string;
  lines: readonly PlotLine[];
  /** Whole things (replicas): whole-number ticks. */
  integer?: boolean;
}

export interface RunPlotContext {
  title: string;
  capacityPerReplica: number;
  budgetPerHour: number;
  currency: string;
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function renderPanel(top: number, panel: PlotPanel, times: readonly number[], duration: number): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const finite = panel.lines.flatMap((line) => line.values.filter((value) => Number.isFinite(value)));
  const axis = niceAxis(Math.max(0, ...finite), { integer: panel.integer });
  const x = (t: number): number => MARGIN.left + (t / duration) * plotWidth;
  const y = (value: number): number => top + PANEL_HEIGHT - (Math.min(value, axis.max) / axis.max) * PANEL_HEIGHT;
  const parts = [
    `<text x="${MARGIN.left}" y="${top - 8}" font-weight="bold">${escapeXml(panel.title)}</text>`,
    `<rect x="${MARGIN.left}" y="${top}" width="${plotWidth}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`,
  ];
  for (const tick of axis.ticks) {
    const py = y(tick).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${py}" y2="${py}" stroke="#eee"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${tickLabel(tick)}</text>`);
  }
  panel.lines.forEach((line, index) => {
    // Steps, not slopes: each sample holds for its second; a gap (unknown value) breaks the line.
    let path = '';
    let drawing = false;
    line.values.forEach((value, point) => {
      if (!Number.isFinite(value)) {
        drawing = false;
        return;
      }
      const px = x(times[point]!).toFixed(1);
      const py = y(value).toFixed(1);
      path += drawing ? `H${px}V${py}` : `M${px},${py}`;
      drawing = true;
    });
    const dash = line.dashed === true ? ' stroke-dasharray="6,4"' : '';
    parts.push(`<path d="${path}" fill="none" stroke="${line.color}" stroke-width="1.5"${dash}/>`);
    const legendY = top + 14 + index * 16;
    parts.push(
      `<line x1="${WIDTH - MARGIN.right + 10}" x2="${WIDTH - MARGIN.right + 30}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${line.color}" stroke-width="2"${dash}/>`,
      `<text x="${WIDTH - MARGIN.right + 36}" y="${legendY}">${escapeXml(line.label)}</text>`,
    );
  });
  if (panel.lines.length === 0) {
    parts.push(
      `<text x="${MARGIN.left + plotWidth / 2}" y="${top + PANEL_HEIGHT / 2}" text-anchor="middle" fill="#999">none</text>`,
    );
  }
  return parts.join('\n');
}

export function renderPanelsSvg(title: string, times: readonly number[], panels: readonly PlotPanel[]): string {
  const duration = Math.max(1, ...times.filter(Number.isFinite));
  const panelTop = (index: number): number => MARGIN.top + index * (PANEL_HEIGHT + MARGIN.gap);
  const height = panelTop(panels.length) - MARGIN.gap + MARGIN.bottom;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const minutes = duration > 600;
  const timeAxis = niceAxis(minutes ? duration / 60 : duration, { count: 8 });
  const axis = timeAxis.ticks
    .filter((tick) => tick <= (minutes ? duration / 60 : duration) + 1e-9)
    .map((tick) => {
      const px = (MARGIN.left + ((minutes ? tick * 60 : tick) / duration) * plotWidth).toFixed(1);
      return `<text x="${px}" y="${height - 12}" text-anchor="middle">${tickLabel(tick)} ${minutes ? 'min' : 's'}</text>`;
    });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    ...panels.map((panel, index) => renderPanel(panelTop(index), panel, times, duration)),
    ...axis,
    '</svg>',
    '',
  ].join('\n');
}

/** The reasons any sample refused records for, in the order rejections.ts sorts them (by status). */
function reasonsSeen(samples: readonly Sample[]): string[] {
  const seen = new Set(samples.flatMap((sample) => Object.keys(sample.rejectedByReason ?? {})));
  const known = Object.keys(REJECT_REASONS).filter((reason) => seen.has(reason));
  const order = (reason: string): number => (REJECT_REASONS as Record<string, { status: number }>)[reason]?.status ?? 999;
  return [...seen].sort((a, b) => order(a) - order(b) || known.indexOf(a) - known.indexOf(b) || a.localeCompare(b));
}

export function runPlotPanels(samples: readonly Sample[], context: RunPlotContext): PlotPanel[] {
  const series = (pick: (sample: Sample) => number): number[] => samples.map(pick);
  const rejections = reasonsSeen(samples).map((reason, index) => {
    const known = (REJECT_REASONS as Record<string, { status: number; meaning: string }>)[reason];
    return {
      label: rejectionLabel({ status: known?.status ?? null, meaning: known?.meaning ?? reason }),
      color: REASON_COLORS[index % REASON_COLORS.length]!,
      // A reason absent from a sample's answer refused nothing that second.
      values: series((sample) => sample.rejectedByReason?.[reason] ?? 0),
    };
  });
  return [
    {
      title: 'offered, accepted and capacity (rec/s)',
      lines: [
        { label: 'offered', color: '#333', values: series((sample) => sample.offered) },
        { label: 'accepted', color: '#2ca02c', values: series((sample) => sample.accepted) },
        {
          label: 'capacity (ready replicas)',
          color: '#1f77b4',
          dashed: true,
          values: series((sample) => sample.readyReplicas * context.capacityPerReplica),
        },
      ],
    },
    { title: 'rejected by reason (rec/s; HTTP status)', lines: rejections },
    {
      title: 'records: acknowledged to the storm and rows stored',
      lines: [
        { label: 'acknowledged', color: '#2ca02c', values: series((sample) => sample.acceptedTotal) },
        { label: 'rows stored', color: '#1f77b4', dashed: true, values: series((sample) => sample.rowsStored) },
      ],
    },
    { title: 'consumer lag (records)', lines: [{ label: 'lag', color: '#9467bd', values: series((sample) => sample.lag) }] },
    {
      title: 'producer replicas and budget cap',
      integer: true,
      lines: [
        { label: 'ready', color: '#1f77b4', values: series((sample) => sample.readyReplicas) },
        { label: 'spec', color: '#17becf', dashed: true, values: series((sample) => sample.replicas) },
        { label: 'desired', color: '#ff7f0e', values: series((sample) => sample.desired) },
        { label: 'budget cap', color: '#d62728', dashed: true, values: series((sample) => sample.cap) },
      ],
    },
    {
      title: `spend per hour (${context.currency})`,
      lines: [
        { label: `spend ${context.currency}/h`, color: '#2ca02c', values: series((sample) => sample.spendPerHour) },
        {
          label: `budget ${context.currency}/h`,
          color: '#d62728',
          dashed: true,
          values: samples.map(() => context.budgetPerHour),
        },
      ],
    },
  ];
}

export function renderRunPlot(samples: readonly Sample[], context: RunPlotContext): string {
  return renderPanelsSvg(
    context.title,
    samples.map((sample) => sample.t),
    runPlotPanels(samples, context),
  );
}
