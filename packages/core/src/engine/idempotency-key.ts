import { hash32 } from '../scheduler/seeded-random'

/**
 * The key of one (lead, step) send, the same every time it is computed: also the email Message-ID's local
 * part. Retries of the same step reuse it, so a provider that deduplicates by key never sends twice.
 */
export function idempotencyKey(
  workspaceId: string,
  campaignId: string,
  leadId: string,
  stepId: string,
): string {
  return keyOf(workspaceId, campaignId, leadId, stepId)
}

/**
 * The key of any other send (an answer in a conversation), in the same form: 64 bits of hash of the parts
 * that make it unique, so the same answer always gets the same key and its Message-ID stays header-safe.
 */
export function answerKey(...parts: readonly string[]): string {
  return keyOf('answer', ...parts)
}

function keyOf(...parts: readonly string[]): string {
  const high = hash32(0x5eed_0001, ...parts)
  const low = hash32(0x5eed_0002, ...parts)
  return `pl-${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`
}

/** The Message-ID header for a key sent from an inbox: `<key@inbox-domain>`. */
export function messageIdFor(key: string, inbox: string): string {
  const domain = inbox.slice(inbox.lastIndexOf('@') + 1) || 'paceline.invalid'
  return `<${key}@${domain}>`
}
