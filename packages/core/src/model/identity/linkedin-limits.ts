/**
 * LinkedIn limits of an identity: 20 connection requests and 100 messages a day by default (raising them
 * risks LinkedIn restricting the account; Premium and Sales Navigator accounts are recommended up to 30
 * requests a day), at most 100 connection requests in any 7 days (LinkedIn's weekly invitation cap), profile visits capped by LinkedIn at 50 a day (150 with
 * Premium) and one every 4 minutes, post reactions one every 5 minutes, acceptance checks 5 per 30
 * minutes. Defaults are what a new identity gets; caps are the most a setting accepts. Visits, reactions
 * and acceptance checks are platform limits: they can be lowered, never raised. Connection requests and
 * messages are the user's to choose, within a cap.
 */
export const LINKEDIN_LIMITS = {
  connectionsPerDay: { default: 20, max: 100, recommended: 20, recommendedPremium: 30 },
  /** LinkedIn caps invitations at about 100 a week; some accounts are allowed up to 200. */
  invitationsPerWeek: { default: 100, max: 200, recommended: 100 },
  messagesPerDay: { default: 100, max: 250, recommended: 100 },
  profileVisitsPerDay: { default: 50, defaultPremium: 150, max: 50, maxPremium: 150 },
  minutesBetweenProfileVisits: { default: 4, min: 4 },
  minutesBetweenPostReactions: { default: 5, min: 5 },
  acceptanceChecks: { default: { max: 5, perMinutes: 30 }, maxChecks: 5, minPerMinutes: 30 },
} as const

/** After withdrawing an invitation, LinkedIn refuses a new one to the same person for 3 weeks. */
export const INVITATION_WITHDRAWAL_COOLDOWN_DAYS = 21
