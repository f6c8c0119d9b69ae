import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import type { InboundEvent } from '../ports/inbound-event'

/** Ids and Message-IDs from providers and webhooks: long enough for any provider, never unbounded. */
const text = (max: number) => z.string().min(1).max(max)
const instant = z.iso.datetime({ offset: true })

const leadReference = z
  .strictObject({
    leadId: text(200).optional(),
    email: z.string().max(320).optional(),
    linkedinProfileId: text(200).optional(),
    messageId: text(998).optional(),
    messageIds: z.array(text(998)).max(200).optional(),
  })
  .refine((reference) => Object.values(reference).some((value) => value !== undefined), {
    message: 'must name the lead: leadId, email, linkedinProfileId or a messageId',
    params: { rule: 'required' },
  })

const common = { at: instant.optional(), eventId: text(500).optional() }

const inboundEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('reply-received'),
    channel: z.enum(['linkedin', 'email']),
    lead: leadReference.optional(),
    identityId: text(200).optional(),
    campaignId: text(200).optional(),
    outOfOffice: z.boolean().optional(),
    text: z.string().max(1_000_000).optional(),
    subject: z.string().max(10_000).optional(),
    messageId: text(998).optional(),
    ...common,
  }),
  z.strictObject({
    type: z.enum(['connection-accepted', 'invitation-withdrawn']),
    identityId: text(200),
    lead: leadReference,
    ...common,
  }),
  z.strictObject({
    type: z.literal('email-bounced'),
    bounce: z.enum(['hard', 'soft']),
    lead: leadReference.optional(),
    campaignId: text(200).optional(),
    reason: z.string().max(10_000).optional(),
    ...common,
  }),
  z.strictObject({
    type: z.literal('complaint-received'),
    channel: z.literal('email'),
    lead: leadReference.optional(),
    inbox: z.string().max(320).optional(),
    feedbackType: z.string().max(200).optional(),
    ...common,
  }),
  z.strictObject({
    type: z.enum(['email-opened', 'link-clicked']),
    lead: leadReference.optional(),
    campaignId: text(200).optional(),
    url: z.string().max(10_000).optional(),
    automated: z.boolean().optional(),
    ...common,
  }),
  z.strictObject({ type: z.literal('task-completed'), taskId: text(200), ...common }),
  z.strictObject({
    type: z.enum(['channel-disconnected', 'channel-reconnected']),
    identityId: text(200),
    channel: z.enum(['linkedin', 'email']),
    inbox: z.string().max(320).optional(),
    ...common,
  }),
])

/** Checks an inbound event from an adapter or a webhook before it changes anything. */
export function parseInboundEvent(event: unknown): InboundEvent {
  const result = inboundEventSchema.safeParse(event, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidEvent, 'Inbound event', result.error)
  return event as InboundEvent
}
