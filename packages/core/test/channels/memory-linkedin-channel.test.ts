import { type ConformanceProfile, linkedinChannelConformance } from '../../src/conformance'
import { createMemoryLinkedInChannel } from '../../src/testing'

// The in-memory channel passes the suite provider adapters run, scripted like LinkedIn: messages only to
// connections, no such profile as `missing`.
const leadOf = (profile: ConformanceProfile) => `lead-${profile.profileId}`
const missing = { profileId: 'ACoAA-missing' }
const channel = createMemoryLinkedInChannel({
  respond: (call) => {
    if (call.target.profileId === missing.profileId)
      return { ok: false, reason: 'profile_not_found', message: 'no such profile' }
    if (call.method === 'sendMessage' && channel.connections.get(call.target.leadId) !== 'connected')
      return { ok: false, reason: 'not_connected', message: 'not a 1st-degree connection' }
    return undefined
  },
})
const connection = { profileId: 'ACoAA-connection' }
channel.connections.set(leadOf(connection), 'connected')

linkedinChannelConformance({
  name: 'in-memory',
  create: () => channel,
  accountId: 'li-account',
  identityId: 'ana',
  strangers: [{ profileId: 'ACoAA-stranger-1' }, { profileId: 'ACoAA-stranger-2' }],
  connection,
  missing,
  messagesTo: async (profile) =>
    channel.calls
      .filter((call) => call.method === 'sendMessage' && call.target.profileId === profile.profileId)
      .filter((call) => channel.connections.get(call.target.leadId) === 'connected')
      .flatMap((call) => call.request.chunks as string[]),
  events: {
    reply: (profile, text) =>
      channel.deliver({
        type: 'reply-received',
        channel: 'linkedin',
        identityId: 'ana',
        lead: { linkedinProfileId: profile.profileId },
        text,
        eventId: `reply-${profile.profileId}`,
      }),
    accept: async (profile) => {
      channel.connections.set(leadOf(profile), 'connected')
      await channel.deliver({
        type: 'connection-accepted',
        identityId: 'ana',
        lead: { linkedinProfileId: profile.profileId },
        eventId: `accepted-${profile.profileId}`,
      })
    },
    receive: async () => {},
  },
})
