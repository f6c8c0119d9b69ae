export { type StorageConformanceOptions, storageConformance } from './storage-conformance'
