export { createDeterministicAi, type DeterministicAiOptions } from './deterministic-ai'
export {
  createMemoryCrm,
  MEMORY_CRM_FIELDS,
  type MemoryCrm,
  type MemoryCrmOptions,
} from './memory-crm'
export {
  createMemoryEmailChannel,
  type MemoryEmailChannel,
  type MemoryEmailOptions,
} from './memory-email-channel'
export {
  createMemoryLinkedInChannel,
  type LinkedInCall,
  type LinkedInMethod,
  type MemoryLinkedInChannel,
  type MemoryLinkedInOptions,
} from './memory-linkedin-channel'
export { createMemoryStorage, type MemoryStorage } from './memory-storage'
export {
  createMemoryWarmupProvider,
  type MemoryWarmupOptions,
  type MemoryWarmupProvider,
} from './memory-warmup-provider'
export {
  type LeadBehavior,
  type SimulatedLead,
  type SimulationEvent,
  type SimulationInput,
  type SimulationProgress,
  type SimulationResult,
  savedSimulation,
  simulate,
} from './simulate'
export { VirtualClock } from './virtual-clock'
