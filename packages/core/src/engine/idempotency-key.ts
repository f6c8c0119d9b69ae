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
  const high = hash32(0x5eed_0001, workspaceId, campaignId, leadId, stepId)
  const low = hash32(0x5eed_0002, workspaceId, campaignId, leadId, stepId)
  return `pl-${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`
}

/** The Message-ID header for a key sent from an inbox: `<key@inbox-domain>`. */
export function messageIdFor(key: string, inbox: string): string {
  const domain = inbox.slice(inbox.lastIndexOf('@') + 1) || 'paceline.invalid'
  return `<${key}@${domain}>`
}
