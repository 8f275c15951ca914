// The simulator's printed summary, shared by the CLI and the benchmark.
import type { SimulationReport } from './simulate.ts';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatSummary(report: SimulationReport): string {
  const lines = [
    `scenario ${report.scenario}: ${report.description}`,
    `  simulated ${(report.durationSeconds / 3600).toFixed(2)} h, budget ${money.format(report.budgetPerHour)} ${report.currency}/h`,
    `  cost ${money.format(report.cost)} ${report.currency}, peak spend ${money.format(report.peakSpendPerHour)} ${report.currency}/h`,
    `  offered ${integer.format(report.offered)} records`,
    `  cap violations ${report.capViolations} s, cap hits ${report.capHits}, scale events ${report.scaleEvents}`,
  ];
  if (report.budgetPerDay !== undefined || report.budgetPerMonth !== undefined) {
    const { windowViolations: v, peakWindowSpend: peak } = report;
    lines.push(
      `  budgets ${money.format(report.budgetPerDay ?? Number.NaN)}/day, ${money.format(report.budgetPerMonth ?? Number.NaN)}/month; ` +
        `largest hour ${money.format(peak.hour)}, day ${money.format(peak.day)}, month ${money.format(peak.month)}`,
      `  seconds over budget: rate ${v.rate}, hour ${v.hour}, day ${v.day}, month ${v.month}`,
    );
  }
  for (const target of report.targets) {
    lines.push(
      `  ${target.name}: processed ${integer.format(target.processed)}, delayed ${integer.format(target.delayed)}, ` +
        `dropped ${integer.format(target.dropped)}, backlog at end ${integer.format(target.backlogAtEnd)}, ` +
        `scale events ${target.scaleEvents}, cap hits ${target.capHits}, surge-limited ${target.surgeLimited}, ` +
        `max replicas ${target.maxReplicas}, cost ${money.format(target.cost)} ${report.currency}`,
    );
  }
  return lines.join('\n');
}
