// Regenerates the committed sample dataset: npm run dataset:generate
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDataset, toJsonLines } from './dataset.ts';

export const datasetFiles = {
  empresas: join(import.meta.dirname, 'empresa.json'),
  personas: join(import.meta.dirname, 'persona.json'),
  transacciones: join(import.meta.dirname, 'transacciones.json'),
};

if (import.meta.main) {
  const dataset = generateDataset();
  for (const [name, file] of Object.entries(datasetFiles)) {
    const records = dataset[name as keyof typeof datasetFiles];
    writeFileSync(file, toJsonLines(records));
    console.log(`${file}: ${records.length} records`);
  }
}
