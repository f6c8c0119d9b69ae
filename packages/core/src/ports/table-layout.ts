/**
 * How SQL stores lay out a collection: one table `paceline_<collection>` holding the workspace, the key and
 * the JSON document, plus one column `f_<field>` per distinct index field.
 */
export interface TableLayout {
  readonly collection: string
  readonly table: string
  /** Distinct index fields, in first-use order, each with its column. */
  readonly fields: readonly { readonly field: string; readonly column: string }[]
  readonly indexes: readonly {
    readonly name: string
    readonly sqlName: string
    readonly fields: readonly string[]
    readonly columns: readonly string[]
  }[]
}

export interface CollectionSpec {
  readonly indexes: readonly { readonly name: string; readonly fields: readonly string[] }[]
}

export const tableName = (collection: string) => `paceline_${collection}`
export const columnName = (field: string) => `f_${field}`

export function layoutOf(collection: string, spec: CollectionSpec): TableLayout {
  const table = tableName(collection)
  const fields: { field: string; column: string }[] = []
  for (const index of spec.indexes) {
    for (const field of index.fields) {
      if (!fields.some((each) => each.field === field)) fields.push({ field, column: columnName(field) })
    }
  }
  return {
    collection,
    table,
    fields,
    indexes: spec.indexes.map((index) => ({
      name: index.name,
      sqlName: `${table}_${index.name}`,
      fields: index.fields,
      columns: index.fields.map(columnName),
    })),
  }
}

/** The value an index column stores for a document field: strings and finite numbers; anything else is NULL. */
export function indexColumnValue(value: unknown): string | number | null {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return value === 0 ? 0 : value
  return null
}
