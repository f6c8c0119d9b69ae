export type { MigrationReport } from './migrations/migrations'
export { createSqliteStorage, type SqliteStorage } from './sqlite-storage'
export type { CreateSqliteStorageOptions } from './storage-options'
