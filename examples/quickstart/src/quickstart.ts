import {
  channelsOf,
  defineCampaign,
  defineIdentity,
  defineLead,
  formatSequence,
  type Identity,
  identityWarnings,
  launchCampaign,
  renderMessage,
  type SequenceStep,
  templates,
  updateCampaign,
} from '@reachkit/core'

const channelNames = { linkedin: 'LinkedIn', email: 'Email', tasks: 'Tasks' } as const

/** Builds a campaign from a template, validates it, and writes what it would do, line by line. */
export function runQuickstart(write: (line: string) => void = console.log): void {
  // 1. A sender identity: defaults from the product documents fill in what is not given.
  const ana = defineIdentity({
    id: 'ana',
    name: 'Ana Ruiz',
    workingHours: {
      timezone: 'Europe/Madrid',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      windows: [{ start: '09:00', end: '18:00' }],
    },
    linkedin: { accountId: 'li_123', premium: false, limits: { connectionsPerDay: 20, messagesPerDay: 100 } },
    email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 30, perHour: 5 } }] },
  })

  // 2. A campaign from one of the seven templates, validated with its settings.
  const template = templates.linkedinEmail
  const draft = defineCampaign({
    id: 'q2-outbound',
    name: 'Q2 outbound',
    identityId: ana.id,
    priority: 'high',
    sequence: template.sequence,
    settings: { tags: ['q2'], email: { inboxes: 'shuffle', trackClicks: true } },
  })
  const running = launchCampaign(draft, { identity: ana, at: '2026-03-02T08:00:00Z' })
  if (!running.ok) throw running.error

  write('reachkit quickstart')
  write('')
  write(`Identity   ${describeIdentity(ana)}`)
  for (const warning of identityWarnings(ana)) write(`           ! ${warning.message}`)
  write(`Campaign   "${draft.name}" from template "${template.name}", priority ${draft.priority}`)
  write(`Status     ${draft.status} -> ${running.value.status}`)
  write(
    `Channels   ${channelsOf(draft.sequence)
      .map((channel) => channelNames[channel])
      .join(', ')}`,
  )
  write('')
  write('Sequence')
  for (const line of formatSequence(draft.sequence).split('\n')) write(`  ${line}`)

  // 3. What a lead would receive: templates rendered with the lead's data and fallbacks.
  const eva = defineLead({ id: 'eva', profile: { firstName: 'Eva', lastName: 'Lind', company: 'Northwind' } })
  write('')
  write(`Preview for ${eva.profile.firstName} ${eva.profile.lastName} (${eva.profile.company?.name})`)
  for (const [id, step] of Object.entries(draft.sequence.steps)) {
    const preview = previewOf(step, eva)
    if (preview !== undefined) write(`  ${id.padEnd(16)} ${preview}`)
  }

  // 4. Bad input gets an error that names the step and the rule; nothing is changed.
  write('')
  write('Validation')
  const tooLong = structuredClone(draft.sequence) as { steps: Record<string, { note?: string }> }
  const connect = tooLong.steps.connect
  if (connect !== undefined) connect.note = `${'Hi! '.repeat(80)}`
  const edit = updateCampaign(running.value, { sequence: tooLong as never })
  write(`  editing the running campaign with a 320-character note: ${edit.ok ? 'accepted' : edit.error.code}`)
  if (!edit.ok)
    for (const problem of edit.error.issues)
      write(`    ${problem.field} (${problem.rule}): ${problem.message}`)
  const locked = updateCampaign(running.value, { sequence: templates.emailOnly.sequence })
  write(
    `  replacing its sequence after launch: ${locked.ok ? 'accepted' : `${locked.error.code}, ${locked.error.issues.length} shape changes`}`,
  )
}

function describeIdentity(identity: Identity): string {
  const hours = identity.workingHours
  const windows = hours.windows.map((window) => `${window.start}-${window.end}`).join(', ')
  const parts = [`${identity.name} (${identity.id}), ${hours.timezone}, ${hours.days.join('/')} ${windows}`]
  if (identity.linkedin !== undefined) {
    const limits = identity.linkedin.limits
    parts.push(
      `LinkedIn ${limits.connectionsPerDay} invitations/day, ${limits.messagesPerDay} messages/day, ${limits.profileVisitsPerDay} visits/day`,
    )
  }
  for (const inbox of identity.email.inboxes) {
    parts.push(`${inbox.address} ${inbox.limits.perDay}/day ${inbox.limits.perHour}/hour`)
  }
  return parts.join('\n           ')
}

function previewOf(step: SequenceStep, lead: ReturnType<typeof defineLead>): string | undefined {
  const text =
    step.kind === 'send_connection'
      ? step.note
      : step.kind === 'linkedin_message'
        ? (step.body ?? step.chunks?.join(' / '))
        : step.kind === 'email'
          ? step.body
          : undefined
  if (text === undefined) return undefined
  const rendered = renderMessage(text, lead)
  const output = rendered.ok ? rendered.value : `(${rendered.error.code})`
  const flat = output.replace(/\s+/g, ' ')
  return flat.length > 90 ? `${flat.slice(0, 89)}…` : flat
}
