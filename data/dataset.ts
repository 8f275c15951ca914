// The sample dataset, generated deterministically from a seed: EMPRESA (companies), PERSONA (people, each employed by a
// company) and transacciones (a person paying a company an amount), as in the seed project's transacciones.json.
import { seededRandom } from '@tormenta/random';

export interface Empresa {
  ID: number;
  NOMBRE: string;
}

export interface Persona {
  ID: number;
  NOMBRE: string;
  TELEFONO: string;
  CORREO: string;
  FECHA_INGRESO: string;
  EDAD: number;
  SALARIO: number;
  ID_EMPRESA: number;
}

export interface Transaccion {
  ID_PERSONA: number;
  ID_EMPRESA: number;
  MONTO: number;
}

export interface DatasetSize {
  personas: number;
  empresas: number;
  transacciones: number;
}

export const DEFAULT_SEED = 20_260_325;
export const DEFAULT_SIZE: DatasetSize = { personas: 10_000, empresas: 1_000, transacciones: 100_000 };

const NOMBRES = [
  'Ana',
  'Luis',
  'María',
  'José',
  'Lucía',
  'Carlos',
  'Elena',
  'Javier',
  'Sofía',
  'Miguel',
  'Paula',
  'Andrés',
  'Carmen',
  'Diego',
  'Laura',
  'Pablo',
  'Marta',
  'Jorge',
  'Isabel',
  'Raúl',
  'Nuria',
  'Sergio',
  'Irene',
  'Álvaro',
];
const APELLIDOS = [
  'García',
  'Rodríguez',
  'González',
  'Fernández',
  'López',
  'Martínez',
  'Sánchez',
  'Pérez',
  'Gómez',
  'Martín',
  'Jiménez',
  'Ruiz',
  'Hernández',
  'Díaz',
  'Moreno',
  'Muñoz',
  'Álvarez',
  'Romero',
  'Alonso',
  'Navarro',
];
const RUBROS = [
  'Alimentos',
  'Transportes',
  'Seguros',
  'Energía',
  'Textil',
  'Software',
  'Construcciones',
  'Farmacia',
  'Telecomunicaciones',
  'Hoteles',
  'Logística',
  'Minería',
];
const FORMAS = ['S.A.', 'S.L.', 'Cía.', 'Grupo', 'Hermanos'];

export function generateDataset(seed = DEFAULT_SEED, size: DatasetSize = DEFAULT_SIZE) {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

  const empresas: Empresa[] = Array.from({ length: size.empresas }, (_, i) => ({
    ID: i + 1,
    NOMBRE: `${pick(RUBROS)} ${pick(APELLIDOS)} ${pick(FORMAS)} ${i + 1}`,
  }));

  const personas: Persona[] = Array.from({ length: size.personas }, (_, i) => {
    const nombre = pick(NOMBRES);
    const apellido = pick(APELLIDOS);
    const ingreso = new Date(Date.UTC(between(2000, 2025), between(0, 11), between(1, 28)));
    return {
      ID: i + 1,
      NOMBRE: `${nombre} ${apellido}`,
      TELEFONO: `+34 6${String(between(0, 99_999_999)).padStart(8, '0')}`,
      CORREO: `${asciiLower(nombre)}.${asciiLower(apellido)}${i + 1}@example.org`,
      FECHA_INGRESO: ingreso.toISOString().slice(0, 10),
      EDAD: between(18, 70),
      SALARIO: between(15, 120) * 1000,
      ID_EMPRESA: between(1, size.empresas),
    };
  });

  const transacciones: Transaccion[] = Array.from({ length: size.transacciones }, () => ({
    ID_PERSONA: between(1, size.personas),
    ID_EMPRESA: between(1, size.empresas),
    MONTO: between(100, 5_000_000) / 100,
  }));

  return { empresas, personas, transacciones };
}

function asciiLower(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** One record per line: readable diffs and still a plain JSON array, as the seed's transacciones.json. */
export function toJsonLines(records: readonly object[]): string {
  return `[\n${records.map((record) => JSON.stringify(record)).join(',\n')}\n]\n`;
}
