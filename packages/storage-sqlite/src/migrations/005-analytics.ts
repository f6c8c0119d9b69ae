import type { CollectionSpec } from '@paceline/core/ports'
import type { Kysely, Migration } from 'kysely'
import { createCollectionTables } from './collection-tables'

/** The analytics counters of Storage specification v1, as they were when this migration was written. */
const ANALYTICS: Readonly<Record<string, CollectionSpec>> = {
  analytics: { indexes: [{ name: 'byScope', fields: ['scope', 'scopeId', 'bucket'] }] },
}

export const analyticsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await createCollectionTables(db, ANALYTICS)
  },
}
