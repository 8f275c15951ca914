import { afterAll, describe, expect, it } from '@jest/globals';
import { loadDataset, TOPIC_RETENTION_MS } from '../../data/load.ts';
import { endpoints } from '../stack/layout.ts';
import { deleteTopic, scanTable, testHBase, testKafka, uniqueName } from '../stack/fixtures.ts';

describe('dataset loader on the real stack', () => {
  const hbase = testHBase();
  const tables = { persona: uniqueName('PERSONA'), empresa: uniqueName('EMPRESA'), enriched: uniqueName('ENRIQ') };
  const topic = uniqueName('topic_transaccion');

  afterAll(async () => {
    for (const table of Object.values(tables)) await hbase.dropTable(table);
    await deleteTopic(topic);
  });

  it('creates the three tables and the topic, and loads every PERSONA and EMPRESA row', async () => {
    const loaded = await loadDataset({ hbase, kafkaBrokers: endpoints.kafkaBrokers, partitions: 4, topic, tables });
    expect(loaded).toEqual({ personas: 10_000, empresas: 1_000 });

    const empresas = await scanTable(tables.empresa);
    expect(empresas.size).toBe(1_000);
    expect(empresas.get('1')).toEqual({ 'd:NOMBRE': 'Energía Rodríguez Cía. 1' });
    const personas = await scanTable(tables.persona);
    expect(personas.size).toBe(10_000);
    expect(personas.get('1')?.['d:NOMBRE']).toBe('Paula González');
    expect(personas.get('1')?.['d:ID_EMPRESA']).toBe('357');
    expect(await hbase.tableExists(tables.enriched)).toBe(true);

    const admin = testKafka().admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0]?.partitions).toHaveLength(4);
      const configs = await admin.describeConfigs({
        resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }],
        includeSynonyms: false,
      });
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe(String(TOPIC_RETENTION_MS));
    } finally {
      await admin.disconnect();
    }
  });

  it('can run again over loaded tables without duplicating rows', async () => {
    await loadDataset({ hbase, kafkaBrokers: endpoints.kafkaBrokers, partitions: 4, topic, tables });
    expect((await scanTable(tables.empresa)).size).toBe(1_000);
  });
});
