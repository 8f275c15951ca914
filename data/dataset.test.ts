import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SIZE, generateDataset, toJsonLines } from './dataset.ts';
import { datasetFiles } from './generate.ts';

describe('sample dataset', () => {
  const dataset = generateDataset();

  it('is exactly what the committed files hold, so the seed regenerates them', () => {
    for (const [name, file] of Object.entries(datasetFiles)) {
      const records = dataset[name as keyof typeof datasetFiles];
      expect(toJsonLines(records)).toBe(readFileSync(file, 'utf8'));
    }
  });

  it('has the sizes the issue asks for', () => {
    expect(dataset.personas).toHaveLength(DEFAULT_SIZE.personas);
    expect(dataset.empresas).toHaveLength(DEFAULT_SIZE.empresas);
    expect(dataset.transacciones).toHaveLength(DEFAULT_SIZE.transacciones);
  });

  it('only refers to personas and empresas that exist', () => {
    const personaIds = new Set(dataset.personas.map((persona) => persona.ID));
    const empresaIds = new Set(dataset.empresas.map((empresa) => empresa.ID));
    expect(dataset.transacciones.every((t) => personaIds.has(t.ID_PERSONA) && empresaIds.has(t.ID_EMPRESA))).toBe(true);
    expect(dataset.personas.every((persona) => empresaIds.has(persona.ID_EMPRESA))).toBe(true);
  });

  it('gives transactions the seed shape: integer IDs and a positive amount with at most two decimals', () => {
    for (const t of dataset.transacciones.slice(0, 1000)) {
      expect(Object.keys(t)).toEqual(['ID_PERSONA', 'ID_EMPRESA', 'MONTO']);
      expect(Number.isInteger(t.ID_PERSONA) && Number.isInteger(t.ID_EMPRESA)).toBe(true);
      expect(t.MONTO).toBeGreaterThan(0);
      expect(Math.round(t.MONTO * 100) / 100).toBe(t.MONTO);
    }
  });

  it('changes with the seed', () => {
    const other = generateDataset(1, { personas: 10, empresas: 5, transacciones: 10 });
    const same = generateDataset(1, { personas: 10, empresas: 5, transacciones: 10 });
    expect(other).toEqual(same);
    expect(other.transacciones).not.toEqual(generateDataset(2, { personas: 10, empresas: 5, transacciones: 10 }).transacciones);
  });
});
