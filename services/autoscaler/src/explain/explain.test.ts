import { describe, expect, it } from '@jest/globals';
import { explain, inputsFromCommandLine } from './explain.ts';

const run = (line: string) => explain(inputsFromCommandLine(line.split(' ')).inputs);

describe('explain (command-line inputs)', () => {
  it('prints the inputs, every step and the decision', () => {
    const { text, result } = run('--rate 500000 --current 4 --target-per-replica 50000 --cost 10 --budget 200 --max 30');
    expect(result.decisions[0]).toMatchObject({ replicas: 8, demand: 10, cap: 20, boundBy: 'rate-policy' });
    expect(text).toContain('budget 200 USD/h');
    for (const stage of ['current', 'rate', 'demand', 'tolerance', 'stabilization', 'rate-policy', 'surge', 'budget']) {
      expect(text).toMatch(new RegExp(`\\d\\. ${stage} `));
    }
    expect(text).toContain('bound by rate-policy, reason ScaleUpLimit');
  });

  it('uses --recent as the stabilization window', () => {
    const { result } = run('--rate 0 --current 8 --target-per-replica 50000 --recent 8,9,7');
    expect(result.decisions[0]).toMatchObject({ replicas: 8, boundBy: 'stabilization' });
  });

  it('explains a budget cut with minimums above the cap', () => {
    const { text } = run('--rate 100000 --current 25 --target-per-replica 50000 --cost 10 --budget 200 --min 25 --max 40');
    expect(text).toContain('replicas 20');
    expect(text).toContain('minimum cut by the budget');
  });

  it('explains that NaN holds', () => {
    const { result } = run('--rate NaN --current 6 --target-per-replica 50000');
    expect(result.decisions[0]).toMatchObject({ replicas: 6, boundBy: 'fail-static' });
  });

  it('derives the cost from --cpu/--memory × prices and prints how', () => {
    const { text, result } = run(
      '--rate 1000 --current 1 --target-per-replica 100 --budget 1 --cpu 500m --memory 1Gi --per-vcpu-hour 0.04 --per-gib-hour 0.005',
    );
    expect(text).toContain('cost from 0.5 vCPU × 0.04 + 1 GiB × 0.005 = 0.025 USD/replica-hour (ConfigMap prices)');
    // floor(1 / 0.025) = 40 replicas the budget pays for; demand 10.
    expect(result.decisions[0]).toMatchObject({ demand: 10, cap: 40 });
  });

  it.each([
    ['a missing required option', '--rate 1 --current 2', /--target-per-replica is required/],
    ['a non-number', '--rate abc --current 2 --target-per-replica 3', /--rate must be a number/],
    ['an unknown option', '--rate 1 --current 2 --target-per-replica 3 --bogus 1', /bogus/],
    ['bad --recent', '--rate 1 --current 2 --target-per-replica 3 --recent 1,x', /--recent/],
    [
      'a negative budget (the ConfigMap refuses it)',
      '--rate 1 --current 2 --target-per-replica 3 --cost 1 --budget=-1',
      /--budget: .*>=0/,
    ],
    [
      'targetPerReplica 0 (the ConfigMap refuses it)',
      '--rate 1 --current 2 --target-per-replica=0',
      /--target-per-replica: .*>0/,
    ],
    ['min above max', '--rate 1 --current 2 --target-per-replica 3 --min 5 --max 2', /--min: must be ≤ maxReplicas \(2\)/],
    ['a fractional --current', '--rate 1 --current 2.5 --target-per-replica 3', /--current must be a whole number/],
    [
      'a budget with no price source',
      '--rate 1 --current 2 --target-per-replica 3 --budget 10',
      /--cost \(or --cpu.*no price source/,
    ],
    [
      'one price without the other',
      '--rate 1 --current 2 --target-per-replica 3 --budget 10 --per-vcpu-hour 0.04',
      /--per-gib-hour: required/,
    ],
    [
      'requests that would cost 0',
      '--rate 1 --current 2 --target-per-replica 3 --budget 10 --per-vcpu-hour 1 --per-gib-hour 1',
      /would cost 0/,
    ],
    [
      'a bad quantity',
      '--rate 1 --current 2 --target-per-replica 3 --budget 1 --cpu lots --per-vcpu-hour 1 --per-gib-hour 1',
      /--cpu must be/,
    ],
  ])('rejects %s', (_label, line, message) => {
    expect(() => inputsFromCommandLine(line.split(' '))).toThrow(message);
  });
});
