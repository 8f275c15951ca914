// html-scrape: fetch pages first..last of a listing (the seed's forum example) and extract one record per item with CSS
// selectors (cheerio). Progress is the next page, kept as the checkpoint, so a new leader resumes instead of re-reading.
import { z } from 'zod';
import type { PullSource, SourceDefinition } from './source.ts';

export const htmlScrapeConfigSchema = z.strictObject({
  /** Page URL with a {page} placeholder, e.g. http://forum.example/list?page={page} */
  urlTemplate: z.string().includes('{page}'),
  firstPage: z.coerce.number().int().min(0).default(1),
  lastPage: z.coerce.number().int().min(0),
  itemSelector: z.string().min(1),
  /** Record field → CSS selector inside the item, e.g. {title: ".title", author: ".author"}. */
  fields: z.record(z.string(), z.string().min(1)),
  intervalMs: z.coerce.number().int().min(0).default(1_000),
  timeoutMs: z.coerce.number().int().min(1).default(5_000),
});
export type HtmlScrapeConfig = z.infer<typeof htmlScrapeConfigSchema>;

export async function createHtmlScrape(config: HtmlScrapeConfig): Promise<PullSource> {
  // cheerio costs ~10 MB of RSS; only the pod that scrapes loads it.
  const { extractItems } = await import('./html-scrape-extract.ts');
  return {
    kind: 'pull',
    name: 'html-scrape',
    intervalMs: config.intervalMs,
    async read(checkpoint) {
      const page = checkpoint === undefined ? config.firstPage : Number(checkpoint);
      if (page > config.lastPage) return 'exhausted';
      const url = config.urlTemplate.replaceAll('{page}', String(page));
      const response = await fetch(url, { signal: AbortSignal.timeout(config.timeoutMs) });
      if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
      return {
        items: extractItems(await response.text(), url, config.itemSelector, config.fields),
        checkpoint: String(page + 1),
      };
    },
  };
}

export const htmlScrapeSource: SourceDefinition<HtmlScrapeConfig> = {
  kind: 'html-scrape',
  description: 'Pages first..last of a listing (e.g. a web forum), one record of CSS-selected fields per item.',
  replication: 'leader',
  configSchema: htmlScrapeConfigSchema,
  create: (config) => createHtmlScrape(config),
};
