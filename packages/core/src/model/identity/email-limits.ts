/**
 * Per-inbox email limits, which keep a sending domain's reputation healthy: 30 a day and 5 an hour are the
 * recommended defaults; 80 a day and 10 an hour are the most that may be configured.
 */
export const EMAIL_LIMITS = {
  perDay: { default: 30, max: 80 },
  perHour: { default: 5, max: 10 },
} as const
