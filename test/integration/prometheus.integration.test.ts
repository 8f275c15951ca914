import { describe, expect, it } from '@jest/globals';
import { endpoints } from '../stack/layout.ts';
import { promQuery } from '../stack/fixtures.ts';

describe('Prometheus from the stack', () => {
  it('answers PromQL over its HTTP API with its own scraped series', async () => {
    let result: Awaited<ReturnType<typeof promQuery>> = [];
    for (let attempt = 0; attempt < 30 && result.length === 0; attempt++) {
      result = await promQuery('up{job="prometheus"}');
      if (result.length === 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(result).toHaveLength(1);
    expect(result[0]?.value[1]).toBe('1');
  });

  it('rejects invalid PromQL with a parse error instead of an empty result', async () => {
    await expect(promQuery('sum(rate(')).rejects.toThrow(/parse error/);
  });

  it('exposes the file-based scrape job the services register into', async () => {
    const response = await fetch(`${endpoints.prometheus}/api/v1/status/config`);
    const body = (await response.json()) as { data: { yaml: string } };
    expect(body.data.yaml).toContain('file_sd_configs');
  });
});
