// A hand-written SVG of a simulation: offered load and capacity, replicas and budget cap per target, spend per hour
// against the budget — three stacked panels over one time axis. No dependencies; the output is diffable text.
import type { SimulationReport } from './simulate.ts';

const WIDTH = 960;
const PANEL_HEIGHT = 180;
const MARGIN = { left: 80, right: 170, top: 40, gap: 50, bottom: 40 };
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

interface Line {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly values: readonly number[];
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function compact(value: number): string {
  if (value >= 1e9) return `${+(value / 1e9).toFixed(1)}G`;
  if (value >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  return `${+value.toFixed(1)}`;
}

function panel(top: number, title: string, times: readonly number[], lines: readonly Line[], duration: number): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const finite = lines.flatMap((line) => line.values.filter((value) => Number.isFinite(value)));
  const yMax = Math.max(1, ...finite) * 1.1;
  const x = (t: number): number => MARGIN.left + (t / duration) * plotWidth;
  const y = (value: number): number => top + PANEL_HEIGHT - (Math.min(value, yMax) / yMax) * PANEL_HEIGHT;
  const parts: string[] = [
    `<text x="${MARGIN.left}" y="${top - 8}" font-weight="bold">${escapeXml(title)}</text>`,
    `<rect x="${MARGIN.left}" y="${top}" width="${plotWidth}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`,
  ];
  for (let tick = 0; tick <= 4; tick += 1) {
    const value = (yMax * tick) / 4;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#eee"/>`,
    );
    parts.push(`<text x="${MARGIN.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${compact(value)}</text>`);
  }
  lines.forEach((line, index) => {
    // Steps, not slopes: replicas and caps change at instants.
    let path = '';
    line.values.forEach((value, point) => {
      if (!Number.isFinite(value)) return;
      const px = x(times[point]!).toFixed(1);
      const py = y(value).toFixed(1);
      path += path === '' ? `M${px},${py}` : `H${px}V${py}`;
    });
    const dash = line.dashed === true ? ' stroke-dasharray="6,4"' : '';
    parts.push(`<path d="${path}" fill="none" stroke="${line.color}" stroke-width="1.5"${dash}/>`);
    const legendY = top + 14 + index * 16;
    parts.push(
      `<line x1="${WIDTH - MARGIN.right + 10}" x2="${WIDTH - MARGIN.right + 30}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${line.color}" stroke-width="2"${dash}/>`,
    );
    parts.push(`<text x="${WIDTH - MARGIN.right + 36}" y="${legendY}">${escapeXml(line.label)}</text>`);
  });
  return parts.join('\n');
}

/** What the plot draws; a live run (npm start) fills the same shape from what it observed. */
export type PlotInput = Pick<
  SimulationReport,
  'scenario' | 'description' | 'durationSeconds' | 'currency' | 'budgetPerHour' | 'series'
> &
  Partial<Pick<SimulationReport, 'budgetPerDay' | 'budgetPerMonth'>> & {
    readonly targets: readonly { readonly name: string }[];
  };

export function renderSimulationSvg(report: PlotInput): string {
  const times = report.series.map((point) => point.t);
  const names = report.targets.map((target) => target.name);
  const duration = Math.max(1, report.durationSeconds);
  const panelTop = (index: number): number => MARGIN.top + index * (PANEL_HEIGHT + MARGIN.gap);
  const windowed = report.budgetPerDay !== undefined || report.budgetPerMonth !== undefined;
  const height = panelTop(windowed ? 4 : 3) - MARGIN.gap + MARGIN.bottom;
  const load: Line[] = [
    { label: 'offered rec/s', color: '#333', values: report.series.map((point) => point.offered) },
    ...names.map((name, index) => ({
      label: `${name} capacity`,
      color: PALETTE[index % PALETTE.length]!,
      values: report.series.map((point) => point.capacity[index]!),
    })),
  ];
  const replicas: Line[] = names.flatMap((name, index) => [
    {
      label: `${name} replicas`,
      color: PALETTE[index % PALETTE.length]!,
      values: report.series.map((point) => point.replicas[index]!),
    },
    {
      label: `${name} cap`,
      color: PALETTE[index % PALETTE.length]!,
      dashed: true,
      values: report.series.map((point) => point.cap[index]!),
    },
  ]);
  const spend: Line[] = [
    { label: `spend ${report.currency}/h`, color: '#2ca02c', values: report.series.map((point) => point.spendPerHour) },
    {
      label: `budget ${report.currency}/h`,
      color: '#d62728',
      dashed: true,
      values: report.series.map(() => report.budgetPerHour),
    },
    ...(windowed
      ? [
          {
            label: `cap after day/month`,
            color: '#ff7f0e',
            dashed: true,
            values: report.series.map((point) => point.effectiveBudgetPerHour ?? report.budgetPerHour),
          },
        ]
      : []),
  ];
  const used: Line[] = [
    ...(report.budgetPerDay === undefined
      ? []
      : [
          {
            label: 'day spend / budget %',
            color: '#1f77b4',
            values: report.series.map((point) => 100 * (point.dayBudgetUsed ?? 0)),
          },
        ]),
    ...(report.budgetPerMonth === undefined
      ? []
      : [
          {
            label: 'month spend / budget %',
            color: '#9467bd',
            values: report.series.map((point) => 100 * (point.monthBudgetUsed ?? 0)),
          },
        ]),
    { label: 'budget 100 %', color: '#d62728', dashed: true, values: report.series.map(() => 100) },
  ];
  const hours = duration / 3600;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const tickEvery =
    hours > 240 ? 72 : hours > 48 ? 12 : hours > 12 ? 3 : hours > 3 ? 1 : hours > 1 ? 0.25 : hours > 0.25 ? 5 / 60 : 30 / 3600;
  const axis: string[] = [];
  for (let hour = 0; hour <= hours + 1e-9; hour += tickEvery) {
    const px = (MARGIN.left + ((hour * 3600) / duration) * plotWidth).toFixed(1);
    const label =
      hour >= 1 || tickEvery >= 1
        ? `${+hour.toFixed(2)} h`
        : tickEvery < 1 / 60
          ? `${Math.round(hour * 3600)} s`
          : `${Math.round(hour * 60)} min`;
    axis.push(`<text x="${px}" y="${height - 12}" text-anchor="middle">${label}</text>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="14" font-weight="bold">${escapeXml(`tormenta — ${report.scenario}: ${report.description}`)}</text>`,
    panel(panelTop(0), 'offered load and capacity (rec/s)', times, load, duration),
    panel(panelTop(1), 'replicas and budget cap per target', times, replicas, duration),
    panel(panelTop(2), `spend per hour (${report.currency})`, times, spend, duration),
    ...(windowed ? [panel(panelTop(3), 'spent so far in the UTC day and month, % of their budgets', times, used, duration)] : []),
    ...axis,
    '</svg>',
    '',
  ].join('\n');
}
