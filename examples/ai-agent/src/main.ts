import { runAiAgentDemo } from './ai-agent-demo'
import { formatTranscript } from './transcript'

// Offline and in virtual time: the deterministic test AI, in-memory storage and inbox, a virtual clock.
const demo = await runAiAgentDemo()
console.log('paceline AI agent: one campaign in copilot, then automatic mode (times in Madrid)')
console.log(formatTranscript(demo.transcript))
