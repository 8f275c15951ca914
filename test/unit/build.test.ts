// The images' bundles (scripts/build.ts): bundling hoists every import of a package to the top of its chunk, which must
// not undo what depends on load order — kafkajs has to be patched before it is first loaded.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundle } from '../../scripts/build.ts';

const repo = resolve(import.meta.dirname, '..', '..');
// Inside the repository, so that the bundle's external packages resolve from its node_modules as in the image.
const workDir = join(repo, '.tormenta', `build-test-${process.pid}`);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function bundledText(outdir: string): string {
  return readdirSync(outdir)
    .filter((file) => file.endsWith('.mjs'))
    .map((file) => readFileSync(join(outdir, file), 'utf8'))
    .join('\n');
}

describe('scripts/build.ts', () => {
  it('bundles our workspaces and leaves every other package to node_modules', async () => {
    const outdir = join(workDir, 'producer');
    await bundle({ main: join(repo, 'services/producer/src/main.ts') }, outdir);
    const text = bundledText(outdir);
    expect(text).toMatch(/from "fastify"/);
    expect(text).not.toMatch(/from "@tormenta\//);
    expect(text).not.toMatch(/from "\.{1,2}\/[^"]*\.ts"/);
    // kafkajs is reached only through the patch module's require, never through a hoisted import.
    expect(text).not.toMatch(/(from|import) "kafkajs"/);
  });

  it('keeps kafkajs patched in the bundle: the patch runs before kafkajs loads', async () => {
    const outdir = join(workDir, 'probe');
    mkdirSync(outdir, { recursive: true });
    const entry = join(outdir, 'probe-entry.ts');
    writeFileSync(
      entry,
      `import '${join(repo, 'services/kafka/src/index.ts')}';\nexport { kafkajsPatched } from '${join(repo, 'services/kafka/src/kafkajs-patch.ts')}';\n`,
    );
    await bundle({ probe: entry }, join(outdir, 'dist'));
    const script = `import(${JSON.stringify(join(outdir, 'dist', 'probe.mjs'))}).then((m) => console.log(m.kafkajsPatched))`;
    const patched = execFileSync(join(repo, 'scripts', 'node24.sh'), ['node', '-e', script], { encoding: 'utf8' }).trim();
    expect(patched.split('\n').at(-1)).toBe('true');
  });
});
