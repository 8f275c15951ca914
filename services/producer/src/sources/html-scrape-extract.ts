// The CSS-selector extraction of the html-scrape source, apart from its configuration so that cheerio is loaded only
// when that source is selected.
import { createHash } from 'node:crypto';
import * as cheerio from 'cheerio';

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Items of one page. The id is derived from the page URL and the item's position, so re-reading a page after a crash
 * yields the same ids and downstream writes overwrite rather than duplicate.
 */
export function extractItems(html: string, pageUrl: string, itemSelector: string, fields: Record<string, string>): unknown[] {
  const $ = cheerio.load(html);
  return $(itemSelector)
    .toArray()
    .map((element, position) => {
      const item: Record<string, unknown> = {};
      for (const [field, selector] of Object.entries(fields)) {
        const text = $(element).find(selector).first().text().trim();
        item[field] = NUMBER.test(text) ? Number(text) : text;
      }
      item.id = createHash('sha256').update(`${pageUrl}#${position}`).digest('hex').slice(0, 32);
      return item;
    });
}
