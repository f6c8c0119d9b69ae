import { mkdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type Channel,
  channelsOf,
  createEngine,
  defineCampaign,
  defineIdentity,
  formatSequence,
  type IdentityInput,
  templates,
} from '@paceline/core'
import {
  type SimulationProgress,
  type SimulationResult,
  savedSimulation,
  simulate,
  VirtualClock,
} from '@paceline/core/testing'
import { writeCampaignReport } from '@paceline/report'
import { createSqliteStorage } from '@paceline/storage-sqlite'
import Table from 'cli-table3'
import { generateLeads } from './generated-leads'

const channelNames: Record<Channel, string> = { linkedin: 'LinkedIn', email: 'Email', tasks: 'Tasks' }

export const ana: IdentityInput = {
  id: 'ana',
  name: 'Ana Ruiz',
  workingHours: {
    timezone: 'Europe/Madrid',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    windows: [{ start: '09:00', end: '18:00' }],
  },
  linkedin: { accountId: 'li_123', premium: false, limits: { connectionsPerDay: 20, messagesPerDay: 100 } },
  email: {
    inboxes: [
      { address: 'ana@acme.io', limits: { perDay: 30, perHour: 5 } },
      { address: 'ana@acme-mail.io' },
    ],
  },
}

/** How to open the board on a simulated workspace (`examples/board`): printed at the end of a run. */
export const DASHBOARD_HINT = 'pnpm --filter board start, then open http://localhost:3000/board'

/** Where the quickstart keeps its state unless told otherwise: next to the example, git-ignored. */
export const DEFAULT_DATABASE = fileURLToPath(new URL('../.paceline/quickstart.sqlite', import.meta.url))

export interface QuickstartOptions {
  readonly write?: (line: string) => void
  readonly onProgress?: (progress: SimulationProgress) => void
  readonly leads?: number
  readonly days?: number
  /** The SQLite file the run lives in (`:memory:` for none). A re-run continues where the last one stopped. */
  readonly database?: string
  /** Stops the run early; its state stays in the database for the next run. */
  readonly signal?: AbortSignal
  /**
   * The HTML report written when the run completes (`false` for none). Default: `quickstart-report.html`
   * next to the database, or none for an in-memory database.
   */
  readonly report?: string | false
}

/**
 * The quickstart: a campaign from a template, validated and printed, then run for 21 simulated days on
 * 200 generated leads, with a per-day activity table and the campaign funnel, and the campaign report
 * written as one HTML file; then how to open the board on a simulated workspace.
 */
export async function runQuickstart(options: QuickstartOptions = {}): Promise<SimulationResult> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`))
  const days = options.days ?? 21
  const leadCount = options.leads ?? 200

  // 1. An identity and a campaign from one of the seven templates, validated.
  const identity = defineIdentity(ana)
  const template = templates.linkedinEmail
  const campaign = defineCampaign({
    id: 'q2-outbound',
    name: 'Q2 outbound',
    identityId: identity.id,
    priority: 'high',
    sequence: template.sequence,
    settings: { tags: ['q2'], email: { inboxes: 'shuffle' } },
  })
  write(`Campaign   "${campaign.name}" from template "${template.name}", priority ${campaign.priority}`)
  write(
    `Identity   ${identity.name}, ${identity.workingHours.timezone}, ${identity.linkedin?.limits.connectionsPerDay} invitations and ${identity.linkedin?.limits.messagesPerDay} messages a day, ${identity.email.inboxes.length} inboxes`,
  )
  write(
    `Channels   ${channelsOf(campaign.sequence)
      .map((channel) => channelNames[channel])
      .join(', ')}`,
  )
  write('')
  for (const line of formatSequence(campaign.sequence).split('\n')) write(`  ${line}`)
  write('')

  // 2. Run it forward in virtual time, on a SQLite file: stop it (Ctrl-C) and the next run continues.
  const database = options.database ?? DEFAULT_DATABASE
  if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true })
  const storage = createSqliteStorage({ filename: database, onWarning: () => {} })
  const saved = await savedSimulation(storage)
  if (saved !== undefined)
    write(
      `Resuming   the run saved in ${relative(process.cwd(), database)}, simulated until ${saved.simulatedUntil}`,
    )
  const leads = generateLeads(leadCount, 7)
  const result = await simulate({
    storage,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    start: '2026-03-02T06:00:00Z',
    days,
    seed: 7,
    identities: [ana],
    campaigns: [
      {
        id: campaign.id,
        name: campaign.name,
        identityId: identity.id,
        priority: campaign.priority,
        sequence: campaign.sequence,
        settings: { tags: ['q2'] },
      },
    ],
    leads: leads.map(({ id, profile, behavior }) => ({
      id,
      campaignId: campaign.id,
      profile: profile ?? {},
      behavior,
    })),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  })
  if (!result.complete) {
    await storage.close()
    write(`Stopped    at ${result.simulatedUntil} (simulated); run again to continue from there.`)
    return result
  }

  // 3. What happened, day by day in Ana's time zone, and the funnel.
  write(`Activity over ${days} days (${leadCount} leads, Europe/Madrid dates)`)
  const table = new Table({
    head: ['Day', 'Invitations', 'LinkedIn msgs', 'Emails', 'Accepted', 'Replies'],
    style: { head: [], border: [] },
  })
  const inbound = new Map<string, { accepted: number; replies: number }>()
  for (const event of result.events) {
    if (event.type !== 'connection-accepted' && event.type !== 'reply-received') continue
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid' }).format(new Date(event.at))
    const counts = inbound.get(date) ?? { accepted: 0, replies: 0 }
    if (event.type === 'connection-accepted') counts.accepted++
    else counts.replies++
    inbound.set(date, counts)
  }
  for (const row of result.summary.identities) {
    const counts = row.counts
    const other = inbound.get(row.date) ?? { accepted: 0, replies: 0 }
    const weekday = new Date(`${row.date}T12:00:00Z`).toLocaleDateString('en-GB', {
      weekday: 'short',
      timeZone: 'UTC',
    })
    table.push([
      `${weekday} ${row.date}`,
      counts.send_connection ?? 0,
      counts.linkedin_message ?? 0,
      counts.email ?? 0,
      other.accepted,
      other.replies,
    ])
  }
  for (const line of table.toString().split('\n')) write(line)
  write('')
  const funnel = result.summary.campaigns[0]
  if (funnel !== undefined) {
    write('Funnel')
    const percent = (value: number) =>
      `${value}`.padStart(5) + `  ${Math.round((value / funnel.total) * 100)}%`.padStart(6)
    write(`  Leads          ${percent(funnel.total)}`)
    write(`  Started        ${percent(funnel.started)}`)
    write(`  Invited        ${percent(funnel.linkedin.invited)}`)
    write(`  Accepted       ${percent(funnel.linkedin.accepted)}`)
    write(`  Contacted      ${percent(funnel.contacted)}`)
    write(`  Replied        ${percent(funnel.replied)}`)
    write(`  Positive       ${percent(funnel.positive)}`)
    write(`  Emails sent    ${`${funnel.email.sent}`.padStart(5)}   bounced ${funnel.email.bounced}`)
    const statuses = Object.entries(funnel.statuses)
      .filter(([, count]) => count > 0)
      .map(([status, count]) => `${status.replace('_', ' ')} ${count}`)
    write(`  Lead statuses  ${statuses.join(', ')}`)
  }

  // 4. The campaign report: one HTML file with the funnels, the daily activity as charts, progress by
  // action, the audience and Ana's sent vs allowed, read from the engine's analytics at the simulation's end.
  const report =
    options.report ?? (database === ':memory:' ? false : join(dirname(database), 'quickstart-report.html'))
  if (report !== false) {
    const engine = createEngine({ storage, clock: new VirtualClock(result.simulatedUntil) })
    try {
      const path = await writeCampaignReport(engine, {
        campaignId: campaign.id,
        path: report,
        period: { timeZone: 'Europe/Madrid' },
      })
      write('')
      write(`Report     ${path} (open it in a browser)`)
    } finally {
      await engine.close()
    }
  }
  await storage.close()
  // 5. The same kind of workspace on the dashboard (`examples/board`, in its own simulation).
  write('')
  write(`See a workspace like this on a dashboard: ${DASHBOARD_HINT}`)
  return result
}
