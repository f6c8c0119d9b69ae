import { sequence } from '@paceline/core'

/**
 * The sequence under test, as a product team would keep it in its own code: warm the lead up on
 * LinkedIn, invite, follow up on LinkedIn if accepted, otherwise switch to email.
 */
export const onboardingSequence = sequence({ name: 'Onboarding outreach' })
  .visitProfile({ id: 'visit' })
  .sendConnection({
    id: 'invite',
    delay: { days: 1 },
    note: 'Hi {{firstName | "there"}}, enjoyed your posts about ops.',
  })
  .condition(
    { type: 'connection_accepted', withinDays: 10 },
    {
      then: (path) =>
        path
          .linkedinMessage({
            id: 'thanks',
            delay: { days: 1 },
            chunks: ['hi {{firstName}}', 'thanks for connecting!'],
          })
          .linkedinMessage({
            id: 'nudge',
            delay: { days: 3 },
            body: 'Would a 15-minute call next week help?',
          }),
      else: (path) =>
        path
          .email({
            id: 'email',
            subject: 'Quick question, {{firstName | "there"}}',
            body: 'Hi {{firstName | "there"}}, ...',
          })
          .email({ id: 'bump', delay: { days: 4 }, body: 'Bumping this in case it got buried.' }),
    },
    { id: 'accepted' },
  )
  .build()
