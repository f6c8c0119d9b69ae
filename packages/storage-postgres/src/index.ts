export type { MigrationReport } from './migrations/migrations'
export { createPostgresStorage, type PostgresStorage } from './postgres-storage'
export type { CreatePostgresStorageOptions } from './storage-options'
