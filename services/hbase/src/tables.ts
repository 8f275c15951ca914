// The HBase tables of tormenta and their column layout, shared by the dataset loader, the consumer and the Hive DDL so
// that none of them can drift from the others. Every table keeps its columns in one family.
export const FAMILY = 'd';

export const TABLE_PERSONA = 'PERSONA';
export const TABLE_EMPRESA = 'EMPRESA';
export const TABLE_ENRICHED = 'TRANSACCION_ENRIQUECIDA';

/** PERSONA, row key = ID as a decimal string. */
export const PERSONA_COLUMNS = ['NOMBRE', 'TELEFONO', 'CORREO', 'FECHA_INGRESO', 'EDAD', 'SALARIO', 'ID_EMPRESA'] as const;
/** EMPRESA, row key = ID as a decimal string. */
export const EMPRESA_COLUMNS = ['NOMBRE'] as const;

export const column = (qualifier: string): string => `${FAMILY}:${qualifier}`;

/** Dimension tables are keyed by their numeric ID written in decimal. */
export const dimensionKey = (id: number): string => String(id);
