// Counts a table's rows through an HBase REST scanner that returns only the first cell of each row, so the summary can
// say what the table really holds rather than what the consumer reported.
export async function countRows(hbaseRest: string, table: string): Promise<number> {
  const base = `${hbaseRest}/${encodeURIComponent(table)}`;
  const filter = JSON.stringify({ type: 'FirstKeyOnlyFilter' });
  const create = await fetch(`${base}/scanner`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ batch: 20_000, filter }),
  });
  if (create.status !== 201) throw new Error(`scanner on ${table}: ${create.status} ${await create.text()}`);
  const scanner = create.headers.get('location');
  if (scanner === null) throw new Error(`scanner on ${table}: no Location header`);
  let rows = 0;
  try {
    for (;;) {
      const page = await fetch(scanner, { headers: { accept: 'application/json' } });
      if (page.status === 204) break;
      if (!page.ok) throw new Error(`scanner page on ${table}: ${page.status}`);
      rows += ((await page.json()) as { Row: unknown[] }).Row.length;
    }
  } finally {
    await fetch(scanner, { method: 'DELETE' }).catch(() => undefined);
  }
  return rows;
}
