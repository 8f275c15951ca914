// The seam's guard: a process that loaded kafkajs before @tormenta/kafka must fail at start-up, naming the cause. Run in
// a child Node, since this test runner's own module loading decides what it sees first.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..', '..');
const script = (first: string): string => `
${first}
const { createMessageWriter } = await import('@tormenta/kafka');
const writer = createMessageWriter({ brokers: ['127.0.0.1:1'], clientId: 'guard', topic: 't' });
await writer.close();
console.log('writer created');
`;
const run = (first: string) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', script(first)], { cwd: root, encoding: 'utf8', timeout: 30_000 });

describe('createMessageWriter', () => {
  it('refuses to start when kafkajs was loaded before its patches', () => {
    const result = run(`import { createRequire } from 'node:module'; createRequire(import.meta.url)('kafkajs');`);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/kafkajs was loaded before @tormenta\/kafka could patch it/);
  });

  it('creates a writer when kafkajs came through @tormenta/kafka', () => {
    const result = run('');
    expect(result.stderr).toBe('');
    expect([result.status, result.stdout.trim()]).toEqual([0, 'writer created']);
  });
});
