import { sequence } from '../sequence/sequence-builder'
import type { Sequence } from '../sequence/sequence-schema'

export type TemplateCategory = 'Popular' | 'Single channel' | 'Multichannel' | 'Best results'

/** A ready-made campaign sequence for a common outreach pattern, with editable default copy. */
export interface CampaignTemplate {
  readonly id: TemplateId
  readonly name: string
  readonly categories: readonly TemplateCategory[]
  readonly overview: string
  readonly bestFor: string
  readonly sequence: Sequence
  /**
   * What you fill in before a campaign made from the template can launch, e.g. the recording of a voice
   * step: where it goes in the sequence and what it is.
   */
  readonly setup: readonly TemplateSetupItem[]
}

export interface TemplateSetupItem {
  /** Dotted path in the sequence, e.g. `steps.voice.audio`. */
  readonly path: string
  readonly description: string
}

export type TemplateId =
  | 'linkedinVoiceMessage'
  | 'linkedinOnly'
  | 'linkedinEmailCall'
  | 'linkedinEmail'
  | 'emailCall'
  | 'emailOnly'
  | 'linkedinSocialWarming'

const connectionNote =
  'Hi {{firstName | "there"}}, I work with teams like {{company.name | "yours"}} and would love to connect.'

type TemplateDefinition = Omit<CampaignTemplate, 'sequence' | 'setup'> & {
  readonly setup?: readonly TemplateSetupItem[]
  readonly build: () => Sequence
}

const definitions: Record<TemplateId, TemplateDefinition> = {
  linkedinVoiceMessage: {
    id: 'linkedinVoiceMessage',
    name: 'LinkedIn + Add Voice Message',
    categories: ['Popular', 'Single channel'],
    overview:
      'Send a LinkedIn connection request and three follow-ups, with the second follow-up being a voice message.',
    bestFor:
      'High-value prospects where you want to stand out fast; roles that respond well to personal outreach; breaking through inbox noise with a human touch.',
    setup: [
      {
        path: 'steps.voice.audio',
        description:
          'Your voice message, recorded (LinkedIn sends recordings, not text): `{ url }` with an https URL, or a data: URL of an uploaded m4a, mp3, wav or flac file, at most a minute long.',
      },
    ],
    build: () =>
      sequence({ name: 'LinkedIn + Add Voice Message' })
        .sendConnection({ id: 'connect', note: connectionNote })
        .condition(
          { type: 'connection_accepted', withinDays: 14 },
          {
            then: (path) =>
              path
                .linkedinMessage({
                  id: 'thanks',
                  delay: { days: 1 },
                  body: 'Thanks for connecting, {{firstName | "there"}}! Curious how {{company.name | "your team"}} handles this today.',
                })
                // Your recording goes here before launch (`steps.voice.audio`): see `setup`.
                .linkedinVoice({ id: 'voice', delay: { days: 3 } })
                .linkedinMessage({
                  id: 'last_follow_up',
                  delay: { days: 4 },
                  body: 'Last note from me, {{firstName | "there"}}: if now is not the right time, no worries at all.',
                }),
            else: (path) => path.end(),
          },
          { id: 'accepted' },
        )
        .build(),
  },
  linkedinOnly: {
    id: 'linkedinOnly',
    name: 'LinkedIn Only (New)',
    categories: ['Popular', 'Single channel'],
    overview:
      'Engage with your ICP on LinkedIn with a sequence designed to start conversations and a soft landing approach.',
    bestFor:
      'Early-stage prospecting without verified emails or phones; LinkedIn-first outbound; testing ICP messaging with low operational complexity.',
    build: () =>
      sequence({ name: 'LinkedIn Only' })
        .visitProfile({ id: 'visit' })
        .sendConnection({ id: 'connect', delay: { days: 1 }, note: connectionNote })
        .condition(
          { type: 'connection_accepted', withinDays: 14 },
          {
            then: (path) =>
              path
                .linkedinMessage({
                  id: 'opener',
                  delay: { days: 1 },
                  chunks: [
                    'hi {{firstName | "there"}}',
                    'thanks for connecting! quick question: how is {{company.name | "your team"}} handling this today?',
                  ],
                })
                .linkedinMessage({
                  id: 'follow_up',
                  delay: { days: 3 },
                  body: 'Happy to share a short example of what has worked for teams like yours, {{firstName | "there"}}. Interested?',
                })
                .linkedinMessage({
                  id: 'soft_landing',
                  delay: { days: 5 },
                  body: 'I will leave it here, {{firstName | "there"}}. If it ever becomes a priority, my inbox is open.',
                }),
            else: (path) => path.end(),
          },
          { id: 'accepted' },
        )
        .build(),
  },
  linkedinEmailCall: {
    id: 'linkedinEmailCall',
    name: 'LinkedIn + Email + Call',
    categories: ['Best results', 'Multichannel'],
    overview:
      'Maximize engagement with a proven triple-touch strategy across LinkedIn, email, and phone. Best for driving results at scale.',
    bestFor:
      'High-intent outbound where speed-to-meeting matters; accounts with several stakeholders; teams with verified email and phone data.',
    build: () =>
      sequence({ name: 'LinkedIn + Email + Call' })
        .visitProfile({ id: 'visit' })
        .sendConnection({ id: 'connect', note: connectionNote })
        .condition(
          { type: 'connection_accepted', withinDays: 14 },
          {
            then: (path) =>
              path
                .linkedinMessage({
                  id: 'thanks',
                  delay: { days: 1 },
                  body: 'Thanks for connecting, {{firstName | "there"}}! Would a short call to compare notes be useful?',
                })
                .condition(
                  { type: 'has_professional_email' },
                  {
                    then: (branch) =>
                      branch.email({
                        id: 'recap_email',
                        delay: { days: 3 },
                        subject: 'Following up from LinkedIn',
                        body: 'Hi {{firstName | "there"}},\n\nFollowing up on my LinkedIn message with a bit more context on how we help {{company.name | "teams like yours"}}.\n\nWorth a 15-minute call?',
                      }),
                    else: (branch) => branch,
                  },
                  { id: 'connected_has_email' },
                ),
            else: (path) =>
              path.condition(
                { type: 'has_professional_email' },
                {
                  then: (branch) =>
                    branch
                      .email({
                        id: 'intro_email',
                        subject: 'Quick question, {{firstName | "there"}}',
                        body: 'Hi {{firstName | "there"}},\n\nI tried to connect on LinkedIn as well. We help {{company.name | "teams like yours"}} save hours every week.\n\nOpen to a short chat?',
                      })
                      .email({
                        id: 'email_follow_up',
                        delay: { days: 3 },
                        body: 'Hi {{firstName | "there"}}, bumping this up in case it got buried. Would next week work for a quick call?',
                      }),
                  else: (branch) => branch,
                },
                { id: 'has_email' },
              ),
          },
          { id: 'accepted' },
        )
        .condition(
          { type: 'has_mobile_phone' },
          {
            then: (path) =>
              path.task({
                id: 'call',
                delay: { days: 2 },
                type: 'call',
                title: 'Call {{firstName | "the lead"}} at {{company.name | "their company"}}',
                body: 'Reference the LinkedIn and email touches; aim to book a meeting.',
              }),
            else: (path) => path.end(),
          },
          { id: 'has_phone' },
        )
        .build(),
  },
  linkedinEmail: {
    id: 'linkedinEmail',
    name: 'LinkedIn + Email',
    categories: ['Multichannel'],
    overview:
      'Leverage LinkedIn outreach with email follow-ups to stay top of mind and drive engagement across platforms.',
    bestFor:
      'When you have email but calls are not part of your motion; more touchpoints without heavy operations; leads that need 2-3 nudges.',
    build: () =>
      sequence({ name: 'LinkedIn + Email' })
        .sendConnection({ id: 'connect', note: connectionNote })
        .condition(
          { type: 'connection_accepted', withinDays: 14 },
          {
            then: (path) =>
              path
                .linkedinMessage({
                  id: 'thanks',
                  delay: { days: 1 },
                  body: 'Thanks for connecting, {{firstName | "there"}}! How is {{company.name | "your team"}} approaching this today?',
                })
                .email({
                  id: 'email_nudge',
                  delay: { days: 3 },
                  subject: 'Following up from LinkedIn',
                  body: 'Hi {{firstName | "there"}},\n\nA short follow-up to my LinkedIn message, in case email is easier.\n\nWould a quick call next week work?',
                }),
            else: (path) =>
              path
                .email({
                  id: 'email',
                  subject: 'Quick question, {{firstName | "there"}}',
                  body: 'Hi {{firstName | "there"}},\n\nI sent you a LinkedIn request as well. We help {{company.name | "teams like yours"}} save hours every week.\n\nOpen to a short chat?',
                })
                .email({
                  id: 'email_follow_up',
                  delay: { days: 4 },
                  body: 'Hi {{firstName | "there"}}, bumping this in case it got buried. Happy to send a 2-minute overview instead.',
                }),
          },
          { id: 'accepted' },
        )
        .build(),
  },
  emailCall: {
    id: 'emailCall',
    name: 'Email + Call',
    categories: ['Multichannel'],
    overview:
      'Engage prospects through a sequence of personalized emails and reinforce their replies with a final follow-up call to maximize engagement.',
    bestFor:
      'The classic SDR motion for lists with strong email and phone coverage; closing the loop with a call after email touches.',
    build: () =>
      sequence({ name: 'Email + Call' })
        .email({
          id: 'intro',
          subject: 'Quick question, {{firstName | "there"}}',
          body: 'Hi {{firstName | "there"}},\n\nWe help {{company.name | "teams like yours"}} save hours every week.\n\nOpen to a short chat?',
        })
        .email({
          id: 'follow_up',
          delay: { days: 3 },
          body: 'Hi {{firstName | "there"}}, following up on my note above. Would a 15-minute call be useful?',
        })
        .condition(
          { type: 'has_mobile_phone' },
          {
            then: (path) =>
              path.task({
                id: 'call',
                delay: { days: 2 },
                type: 'call',
                title: 'Call {{firstName | "the lead"}} at {{company.name | "their company"}}',
                body: 'Mention the two emails and offer a short walkthrough.',
              }),
            else: (path) =>
              path.email({
                id: 'break_up',
                delay: { days: 4 },
                body: 'Hi {{firstName | "there"}}, I will close the loop here. If timing changes, just reply to this email.',
              }),
          },
          { id: 'has_phone' },
        )
        .build(),
  },
  emailOnly: {
    id: 'emailOnly',
    name: 'Email Only',
    categories: ['Single channel'],
    overview: 'Send a targeted 3-email sequence to capture attention and encourage responses.',
    bestFor:
      'High-volume outreach where LinkedIn is not available; large lists with simple execution; controlled experiments on subject lines and calls to action.',
    build: () =>
      sequence({ name: 'Email Only' })
        .email({
          id: 'intro',
          subject: 'Quick question, {{firstName | "there"}}',
          body: 'Hi {{firstName | "there"}},\n\nWe help {{company.name | "teams like yours"}} save hours every week.\n\nOpen to a short chat?',
        })
        .email({
          id: 'follow_up',
          delay: { days: 3 },
          body: 'Hi {{firstName | "there"}}, following up in case this got buried. Happy to send a 2-minute overview instead.',
        })
        .email({
          id: 'break_up',
          delay: { days: 4 },
          body: 'Hi {{firstName | "there"}}, I will close the loop here. If timing changes, just reply to this email.',
        })
        .build(),
  },
  linkedinSocialWarming: {
    id: 'linkedinSocialWarming',
    name: 'LinkedIn Social Warming',
    categories: ['Single channel'],
    overview:
      'Engage with your contacts by viewing their profile and liking their last post before sending a connection request.',
    bestFor:
      'Warming up cold prospects before pitching; improving acceptance rates; relationship-led outreach that builds familiarity first.',
    build: () =>
      sequence({ name: 'LinkedIn Social Warming' })
        .visitProfile({ id: 'visit' })
        .reactToLastPost({ id: 'like', delay: { days: 1 }, reaction: 'like' })
        .sendConnection({ id: 'connect', delay: { days: 1 }, note: connectionNote })
        .condition(
          { type: 'connection_accepted', withinDays: 14 },
          {
            then: (path) =>
              path.linkedinMessage({
                id: 'thanks',
                delay: { days: 1 },
                body: 'Thanks for connecting, {{firstName | "there"}}! Enjoyed your recent post. What are you focused on this quarter?',
              }),
            else: (path) => path.end(),
          },
          { id: 'accepted' },
        )
        .build(),
  },
}

const built = new Map<TemplateId, CampaignTemplate>()

function template(id: TemplateId): CampaignTemplate {
  const cached = built.get(id)
  if (cached !== undefined) return cached
  const { build, setup, ...info } = definitions[id]
  const value: CampaignTemplate = deepFreeze({ ...info, setup: setup ?? [], sequence: build() })
  built.set(id, value)
  return value
}

/**
 * The seven campaign templates (LinkedIn only, email only, and mixes of both with calls and social
 * warming), each a validated sequence with default copy to edit.
 * Sequences are built on first access.
 */
export const templates: Readonly<Record<TemplateId, CampaignTemplate>> = Object.freeze(
  Object.defineProperties(
    {},
    Object.fromEntries(
      (Object.keys(definitions) as TemplateId[]).map((id) => [
        id,
        { enumerable: true, get: () => template(id) },
      ]),
    ),
  ) as Record<TemplateId, CampaignTemplate>,
)

/** Templates are shared: freeze them so that editing one copy cannot change it for every later caller. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
