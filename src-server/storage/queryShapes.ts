import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema';

/** Shapes kept compiled: the hot statements' common sizes, with room for the rare ones. */
const DEFAULT_CAPACITY = 256;

type Shape = { sql: string; slots: number[] };

/**
 * SQL compiled once per shape, then run with fresh values. Kysely otherwise builds, parses and
 * compiles a query's whole tree on every call, which for the hot statements (multi-row inserts
 * above all) costs more than the database takes to run them.
 *
 * A shape is a query whose SQL text depends only on its key (e.g. `envelopes.insert:12` for
 * twelve rows). The first time, `build` runs with a marker in place of each value; where the
 * markers land among the compiled parameters says where each call's values go. Every value must
 * become a parameter: a marker inlined into the SQL text is refused, so no value can ever be
 * baked into a cached statement.
 */
export class QueryShapes {
  private readonly shapes = new Map<string, Shape>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  run<Row>(
    db: Kysely<Database>,
    key: string,
    values: readonly unknown[],
    build: (markers: readonly string[]) => Compilable<Row>,
  ): Promise<QueryResult<Row>> {
    let shape = this.shapes.get(key);
    if (shape) {
      // Re-inserting keeps the map in least-recently-used order for eviction.
      this.shapes.delete(key);
    } else {
      shape = compileShape(key, values.length, build);
    }
    this.shapes.set(key, shape);
    if (this.shapes.size > this.capacity) {
      const oldest = this.shapes.keys().next().value;
      if (oldest !== undefined) this.shapes.delete(oldest);
    }
    const parameters = shape.slots.map((slot) => values[slot]);
    return db.executeQuery<Row>(CompiledQuery.raw(shape.sql, parameters) as CompiledQuery<Row>);
  }
}

function compileShape(key: string, count: number, build: (markers: readonly string[]) => Compilable<unknown>): Shape {
  const nonce = Math.random().toString(36).slice(2);
  const markers = Array.from({ length: count }, (_, index) => `\u0000${nonce}:${index}`);
  const indexOf = new Map(markers.map((marker, index) => [marker, index]));
  const compiled = build(markers).compile();
  const slots = compiled.parameters.map((parameter) => (typeof parameter === 'string' ? (indexOf.get(parameter) ?? -1) : -1));
  if (slots.includes(-1) || new Set(slots).size !== count || compiled.sql.includes(nonce)) {
    throw new Error(`query shape ${key}: every value must be exactly one parameter`);
  }
  return { sql: compiled.sql, slots };
}

/** Markers grouped into rows of the given columns, in order: the `values` of a multi-row insert shape. */
export function rowsOfMarkers<Column extends string>(markers: readonly string[], columns: readonly Column[]): Array<Record<Column, never>> {
  const rows: Array<Record<Column, never>> = [];
  for (let start = 0; start < markers.length; start += columns.length) {
    rows.push(Object.fromEntries(columns.map((column, index) => [column, markers[start + index]])) as Record<Column, never>);
  }
  return rows;
}
