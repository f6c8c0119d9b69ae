/**
 * Topics a person should answer, not an AI: money, contracts and legal matters, refunds and complaints.
 * The agent hands the conversation over when the lead raises one; the rule cannot be switched off.
 */
const TOPICS: readonly (readonly [topic: string, pattern: RegExp])[] = [
  [
    'pricing',
    /\b(pric(e|es|ing)|quote|quotation|cost(s)?|how much|discount|invoice|billing|precio|tarif|preis)\b/i,
  ],
  ['contract', /\b(contract|agreement|terms and conditions|msa|nda|dpa|sla|signature|sign (it|the))\b/i],
  ['legal', /\b(lawyer|attorney|legal|lawsuit|sue\b|gdpr|data protection|abogado|avocat|anwalt)\b/i],
  ['refund', /\b(refund|money back|chargeback|reembolso|rembours|erstattung)\b/i],
  ['complaint', /\b(complain(t)?|harass(ment|ing)?|report (you|this)|spam(ming)?)\b/i],
]

/** The topic a message raises that needs a person, or undefined. */
export function escalationTopic(text: string): string | undefined {
  return TOPICS.find(([, pattern]) => pattern.test(text))?.[0]
}
