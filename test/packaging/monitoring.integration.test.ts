// Alerts and dashboards against the real tools: promtool checks and unit-tests the rules file the PrometheusRule is
// rendered from, and the local Prometheus parses every dashboard query (a syntax error comes back as bad_data).
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { endpoints } from '../stack/layout.ts';

const run = promisify(execFile);
const chart = resolve(import.meta.dirname, '..', '..', 'charts', 'tormenta');
const rules = join(chart, 'rules', 'tormenta.rules.yaml');
const ruleTests = join(chart, 'rules', 'tormenta.rules.test.yaml');
const ALERTS = [
  'BudgetCapReached',
  'SurgeLimited',
  'ProducerRejecting',
  'ConsumerLagHigh',
  'ConsumerStalled',
  'MetricsSourceDown',
  'DLQGrowing',
  'SpendProjectedHigh',
  'SpendProjectedOverBudget',
];

// Grafana's own variables, replaced the way Grafana would before sending the query.
const GRAFANA_VARIABLES: [RegExp, string][] = [
  [/\$__rate_interval/g, '1m'],
  [/\$namespace/g, '.*'],
];

interface Panel {
  title: string;
  targets?: { expr: string }[];
}

function dashboardQueries(): { dashboard: string; panel: string; expr: string }[] {
  return readdirSync(join(chart, 'dashboards')).flatMap((file) => {
    const dashboard = JSON.parse(readFileSync(join(chart, 'dashboards', file), 'utf8')) as { panels: Panel[] };
    return dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ dashboard: file, panel: panel.title, expr: target.expr })),
    );
  });
}

describe('alert rules', () => {
  it('pass promtool check rules, with exactly the nine alerts', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', rules]);
    expect(stdout).toContain('SUCCESS: 9 rules found');
    const names = [...readFileSync(rules, 'utf8').matchAll(/- alert: (\S+)/g)].map((match) => match[1]);
    expect(names.sort()).toEqual([...ALERTS].sort());
  });

  it('pass promtool test rules, with a firing case for every alert', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', ruleTests], { cwd: join(chart, 'rules') });
    expect(stdout).toContain('SUCCESS');
    const tests = readFileSync(ruleTests, 'utf8');
    for (const alert of ALERTS) expect(tests).toMatch(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n\\s+- exp_labels`));
  });

  it('fail promtool test rules when an expectation is wrong (the tests can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tormenta-rules-'));
    const broken = readFileSync(ruleTests, 'utf8')
      .replace('severity: critical', 'severity: page')
      .replace('  - tormenta.rules.yaml', `  - ${rules}`);
    writeFileSync(join(dir, 'broken.test.yaml'), broken);
    const failure = await run('promtool', ['test', 'rules', join(dir, 'broken.test.yaml')]).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    rmSync(dir, { recursive: true, force: true });
    expect(failure?.code).toBe(1);
    expect(`${failure?.stdout}${failure?.stderr}`).toMatch(/MetricsSourceDown[\s\S]*severity="page"/);
  });
});

describe('dashboard queries', () => {
  const queries = dashboardQueries();

  it('cover the three dashboards', () => {
    expect(new Set(queries.map((query) => query.dashboard))).toEqual(
      new Set(['ingest.json', 'autoscaler.json', 'consumer.json']),
    );
  });

  it.each(queries.map((query) => [`${query.dashboard} / ${query.panel}: ${query.expr}`, query.expr]))(
    'is valid PromQL: %s',
    async (_label, expr) => {
      const query = GRAFANA_VARIABLES.reduce((text, [variable, value]) => text.replace(variable, value), expr);
      expect(query).not.toContain('$');
      const response = await fetch(`${endpoints.prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = (await response.json()) as { status: string; errorType?: string; error?: string };
      expect({ status: body.status, error: body.error }).toEqual({ status: 'success', error: undefined });
    },
  );

  it('are checked for real: a broken query is reported as bad_data', async () => {
    const response = await fetch(`${endpoints.prometheus}/api/v1/query?query=${encodeURIComponent('sum(rate(x[1m])')}`);
    expect(((await response.json()) as { errorType: string }).errorType).toBe('bad_data');
  });
});
