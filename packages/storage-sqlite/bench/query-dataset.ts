import { createHash } from 'node:crypto'
import { existsSync, readdirSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { conversationId, createEngine, templates } from '@paceline/core'
import type { StorageTransaction, StoredDocument } from '@paceline/core/ports'
import { progressReporter } from '../../../bench/progress'
import { createSqliteStorage } from '../src/index'
import { removeDatabase, WORKSPACE } from './files'

/**
 * The database the query benchmark reads: 100,000 leads in four campaigns (70,000 in the one measured) and
 * exactly 1,000,000 entries in the action log, over the 180 days before `NOW`.
 *
 * Identities and campaigns are made by the engine (the `linkedinEmailCall` template). Leads, enrolments,
 * relations, the action log and the tagged conversations of replied leads are written through the Storage
 * port in transactions of 1,000 leads, in the shapes the engine writes them (taken from a simulation): each
 * lead's history is generated step by step along the template's sequence (visit, invitation, accepted or
 * not after 14 days, LinkedIn message or emails, opens, clicks, replies, bounces) and cut at `NOW`, and its
 * enrolment, relation and conversation are where that history leaves them. The analytics counters are then
 * built by the engine itself: the workspace is marked as written without counters, and the first query
 * runs the engine's rebuild (`ensureAnalytics`) over the whole history, the same code that keeps them.
 *
 * Bump `DATASET_VERSION` when the engine's record shapes, its analytics counters (`analytics:version`) or
 * this generator change: the built file is kept in the temp directory under a name made of it and the
 * store's migrations, and reused while they match. 2: the counters have day documents.
 */
const DATASET_VERSION = 2

export const NOW = Date.parse('2026-06-01T10:00:00Z')
export const MAIN_CAMPAIGN = 'campaign-main'
export const MAIN_IDENTITY = 'ana'
export const TOTAL_ACTIONS = 1_000_000

const HOUR = 3_600_000
const DAY = 24 * HOUR
const HISTORY_START = NOW - 180 * DAY
/** `engine.leads.add` writes 500 leads a transaction, each transaction's leads with one `enrolledAt`. */
const CHUNK = 500
/** Leads added by one host call (one CSV import). */
const IMPORT = 2_500
/** How many leads of an import start each day. */
const STARTS_PER_DAY = 100
const WRITE_BATCH = 1_000

interface CampaignSpec {
  readonly id: string
  readonly identityId: string
  readonly name: string
  readonly leads: number
}

export const CAMPAIGNS: readonly CampaignSpec[] = [
  { id: MAIN_CAMPAIGN, identityId: 'ana', name: 'Ana Martín', leads: 70_000 },
  { id: 'campaign-b', identityId: 'bo', name: 'Bo Berg', leads: 10_000 },
  { id: 'campaign-c', identityId: 'cy', name: 'Cy Okafor', leads: 10_000 },
  { id: 'campaign-d', identityId: 'di', name: 'Di Rossi', leads: 10_000 },
]
export const TOTAL_LEADS = CAMPAIGNS.reduce((total, campaign) => total + campaign.leads, 0)

const inboxOf = (identityId: string) => `${identityId}@acme.example`
const leadIdOf = (n: number) => `lead-${String(n).padStart(6, '0')}`
const SEP = '\u001f'

/** A deterministic 32-bit mix of a lead number and a salt. */
function hash(n: number, salt: number): number {
  let x = Math.imul(n ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b)
  x ^= x >>> 13
  x = Math.imul(x, 0xc2b2ae35)
  x ^= x >>> 16
  return x >>> 0
}
const roll = (n: number, salt: number) => hash(n, salt) / 4_294_967_296
const hex16 = (n: number, salt: number) =>
  `${hash(n, salt).toString(16).padStart(8, '0')}${hash(n, salt + 1)
    .toString(16)
    .padStart(8, '0')}`

interface ActionDraft {
  readonly at: number
  readonly type: string
  readonly stepId?: string
  readonly action?: string
  readonly channel?: 'linkedin' | 'email'
  readonly inbox?: string
  readonly messageId?: string
  readonly detail?: Readonly<Record<string, unknown>>
}

/** One lead's history up to `NOW`, and the documents it leaves behind. */
interface LeadHistory {
  readonly n: number
  readonly campaign: CampaignSpec
  readonly enrolledAt: number
  readonly actions: ActionDraft[]
  readonly enrolment: StoredDocument
  readonly relation: StoredDocument | null
  readonly conversation: { readonly document: StoredDocument; readonly tag: StoredDocument | null } | null
  /** The last email it was sent and could open (not bounced), if any. */
  readonly openable: { readonly at: number; readonly messageId: string } | null
}

/** Where each lead sits: its campaign, its place in the campaign, and when it was added. */
function placeOf(n: number): { campaign: CampaignSpec; index: number; enrolledAt: number } {
  let offset = 0
  for (const campaign of CAMPAIGNS) {
    if (n < offset + campaign.leads) {
      const index = n - offset
      const imports = Math.ceil(campaign.leads / IMPORT)
      const importIndex = Math.floor(index / IMPORT)
      // Imports spread evenly from the campaign's start until two days ago, each 500-lead transaction of
      // an import a little after the previous one.
      const importAt = HISTORY_START + Math.floor((importIndex * (NOW - 2 * DAY - HISTORY_START)) / imports)
      const chunk = Math.floor((index % IMPORT) / CHUNK)
      return { campaign, index, enrolledAt: importAt + 3 * HOUR + chunk * 350 }
    }
    offset += campaign.leads
  }
  throw new Error(`lead ${n} is beyond the ${TOTAL_LEADS} leads of the dataset`)
}

type State =
  | { status: 'in_progress'; substatus: 'scheduled' | 'waiting_to_connect' }
  | { status: 'finished'; substatus: 'no_response' | 'not_connected' | 'bounced' | 'out_of_office' }
  | { status: 'replied'; channel: 'linkedin' | 'email' }

/** Generates one lead's history along the `linkedinEmailCall` sequence, cut at `NOW`. */
function historyOf(n: number): LeadHistory {
  const { campaign, index, enrolledAt } = placeOf(n)
  const identityId = campaign.identityId
  const inbox = inboxOf(identityId)
  const leadId = leadIdOf(n)
  const hasEmail = roll(n, 1) < 0.7
  const accepts = roll(n, 2) < 0.4
  const replies = roll(n, 3) < 0.14
  const outOfOffice = !replies && roll(n, 4) < 0.03
  const bounces = hasEmail && roll(n, 5) < 0.03
  const clicks = hasEmail && roll(n, 6) < 0.1
  const sentimentRoll = roll(n, 7)
  const sentiment = sentimentRoll < 0.4 ? 'positive' : sentimentRoll < 0.85 ? 'negative' : 'neutral'

  const actions: ActionDraft[] = []
  let state: State = { status: 'in_progress', substatus: 'scheduled' }
  let since = enrolledAt
  let stepId: string | null = 'visit'
  let lane: string | null = 'linkedin:visit'
  let dueAt: number | null = enrolledAt
  let wait: string | null = null
  let linkedinMessages = 0
  let emails = 0
  let thread: { subject: string; messageIds: string[] } | null = null
  let relation: StoredDocument | null = null
  let conversation: LeadHistory['conversation'] = null
  let openable: LeadHistory['openable'] = null
  let lastOutbound = 0
  let done = false

  /** Logs a step of the path if it happened by `NOW`; returns false (and ends the history) if not. */
  const log = (entry: ActionDraft): boolean => {
    if (done || entry.at > NOW) {
      done = true
      return false
    }
    actions.push(entry)
    return true
  }
  /** Logs something on the side of the path (a click) if it happened by `NOW`. */
  const note = (entry: ActionDraft) => {
    if (entry.at <= NOW) actions.push(entry)
  }
  const move = (at: number, next: State) => {
    const from = { ...state }
    state = next
    since = at
    actions.push({ at, type: 'lead-status-changed', detail: { from, to: next } })
  }
  const waitFor = (
    at: number,
    step: string | null,
    nextLane: string | null,
    due: number | null,
    why: string | null,
  ) => {
    stepId = step
    lane = nextLane
    dueAt = due
    wait = why
    since = at
  }
  const finish = (at: number, next: State) => {
    waitFor(at, null, null, null, null)
    move(at, next)
    done = true
  }
  const sendEmail = (at: number, step: string, subject: string): boolean => {
    const messageId = `<pl-${hex16(n, 100 + emails)}@${inbox.split('@')[1]}>`
    if (
      !log({
        at,
        type: 'message-sent',
        stepId: step,
        action: 'email',
        channel: 'email',
        inbox,
        messageId,
        detail: { subject },
      })
    )
      return false
    emails++
    thread =
      thread === null
        ? { subject, messageIds: [messageId] }
        : { ...thread, messageIds: [...thread.messageIds, messageId] }
    lastOutbound = at
    openable = { at, messageId }
    if (clicks && !bounces && emails === 1)
      note({
        at: at + 5 * HOUR,
        type: 'link-clicked',
        channel: 'email',
        messageId,
        detail: { automated: false, url: 'https://acme.example/demo' },
      })
    if (bounces) {
      const bounced = at + HOUR
      if (!log({ at: bounced, type: 'email-bounced', channel: 'email', detail: { bounce: 'hard' } }))
        return false
      openable = null
      finish(bounced, { status: 'finished', substatus: 'bounced' })
      return false
    }
    return true
  }
  /** The lead answers the first message of its path (or is away), before the next step is due. */
  const answer = (after: number, channel: 'linkedin' | 'email'): boolean => {
    if (!replies && !outOfOffice) return true
    const at = after + (4 + (hash(n, 8) % 40)) * HOUR
    if (at > NOW) return true
    const tags = outOfOffice
      ? []
      : [sentiment === 'positive' ? 'Interested' : sentiment === 'negative' ? 'Not interested' : 'Not now']
    log({
      at,
      type: 'reply-received',
      channel,
      detail: { outOfOffice, sentiment: outOfOffice ? 'neutral' : sentiment, tags },
    })
    const id = conversationId(identityId, leadId, channel)
    const tag = tags[0]
    conversation = {
      document: {
        key: id,
        identityId,
        leadId,
        channel,
        campaignId: campaign.id,
        inbox: channel === 'email' ? inbox : null,
        startedAt: lastOutbound,
        lastActivityAt: at,
        lastInboundAt: at,
        lastOutboundAt: lastOutbound,
        messages: 2,
        needsAnswerAt: sentiment === 'positive' && !outOfOffice ? at : null,
        tags: tag === undefined ? [] : [{ name: tag, category: sentiment, source: 'ai' }],
        aiCategory: outOfOffice ? null : sentiment,
        category: outOfOffice ? null : sentiment,
        agent: { status: 'active', handOff: null, answers: 0, pending: null, suggestion: null },
        agentDueAt: null,
      },
      tag:
        tag === undefined
          ? null
          : {
              key: `${id}${SEP}${tag.toLowerCase()}`,
              conversationId: id,
              tag: tag.toLowerCase(),
              lastActivityAt: at,
            },
    }
    openable = null
    finish(
      at,
      outOfOffice ? { status: 'finished', substatus: 'out_of_office' } : { status: 'replied', channel },
    )
    return false
  }

  // Leads of a running campaign start when added and queue for their first step; the identity gets to
  // `STARTS_PER_DAY` of each import a day, in order.
  log({ at: enrolledAt, type: 'lead-started', inbox })
  move(enrolledAt, { status: 'in_progress', substatus: 'scheduled' })
  waitFor(enrolledAt, 'visit', 'linkedin:visit', enrolledAt, null)
  {
    const turn = enrolledAt + Math.floor((index % IMPORT) / STARTS_PER_DAY) * DAY
    const visited = turn + (1 + (hash(n, 10) % 8)) * HOUR
    if (
      log({
        at: visited,
        type: 'profile-visited',
        stepId: 'visit',
        action: 'visit_profile',
        channel: 'linkedin',
      })
    ) {
      waitFor(visited, 'connect', 'linkedin:connection', visited, null)
      const invited = visited + (1 + (hash(n, 11) % 20)) * HOUR
      if (
        log({
          at: invited,
          type: 'invitation-sent',
          stepId: 'connect',
          action: 'send_connection',
          channel: 'linkedin',
        })
      ) {
        lastOutbound = invited
        relation = relationOf(identityId, leadId, invited, null)
        const deadline = invited + 14 * DAY
        waitFor(invited, 'accepted', 'internal', deadline, 'waiting_for_acceptance')
        state = { status: 'in_progress', substatus: 'waiting_to_connect' }
        if (accepts) {
          const accepted = invited + (2 + (hash(n, 12) % 70)) * HOUR
          if (log({ at: accepted, type: 'connection-accepted', channel: 'linkedin' })) {
            relation = relationOf(identityId, leadId, invited, accepted, campaign.id)
            log({ at: accepted, type: 'condition-evaluated', stepId: 'accepted', detail: { result: true } })
            state = { status: 'in_progress', substatus: 'scheduled' }
            waitFor(accepted, 'thanks', 'linkedin:message', accepted + DAY, 'delay')
            const thanked = accepted + DAY + (hash(n, 13) % 5) * HOUR
            if (
              log({
                at: thanked,
                type: 'message-sent',
                stepId: 'thanks',
                action: 'linkedin_message',
                channel: 'linkedin',
              })
            ) {
              linkedinMessages++
              lastOutbound = thanked
              log({
                at: thanked,
                type: 'condition-evaluated',
                stepId: 'connected_has_email',
                detail: { result: hasEmail },
              })
              if (!hasEmail) {
                log({
                  at: thanked,
                  type: 'condition-evaluated',
                  stepId: 'has_phone',
                  detail: { result: false },
                })
                finish(thanked, { status: 'finished', substatus: 'no_response' })
                done = false
                answer(thanked, 'linkedin')
              } else if (answer(thanked, 'linkedin')) {
                waitFor(thanked, 'recap_email', `email:${inbox}`, thanked + 3 * DAY, 'delay')
                const recap = thanked + 3 * DAY + (hash(n, 14) % 4) * HOUR
                if (sendEmail(recap, 'recap_email', 'Following up from LinkedIn')) {
                  log({
                    at: recap,
                    type: 'condition-evaluated',
                    stepId: 'has_phone',
                    detail: { result: false },
                  })
                  if (!done) finish(recap, { status: 'finished', substatus: 'no_response' })
                }
              }
            }
          }
        } else if (
          log({ at: deadline, type: 'condition-evaluated', stepId: 'accepted', detail: { result: false } })
        ) {
          log({
            at: deadline,
            type: 'condition-evaluated',
            stepId: 'has_email',
            detail: { result: hasEmail },
          })
          if (!hasEmail) {
            log({ at: deadline, type: 'condition-evaluated', stepId: 'has_phone', detail: { result: false } })
            finish(deadline, { status: 'finished', substatus: 'not_connected' })
          } else {
            state = { status: 'in_progress', substatus: 'scheduled' }
            const first = `Quick question, First${n}`
            if (sendEmail(deadline, 'intro_email', first) && answer(deadline, 'email')) {
              waitFor(deadline, 'email_follow_up', `email:${inbox}`, deadline + 3 * DAY, 'delay')
              const followUp = deadline + 3 * DAY + (hash(n, 15) % 4) * HOUR
              if (sendEmail(followUp, 'email_follow_up', `Re: ${first}`)) {
                log({
                  at: followUp,
                  type: 'condition-evaluated',
                  stepId: 'has_phone',
                  detail: { result: false },
                })
                if (!done) finish(followUp, { status: 'finished', substatus: 'no_response' })
              }
            }
          }
        }
      }
    }
  }

  const due = dueAt as number | null
  const ready = due !== null && due <= NOW && lane !== 'internal'
  const priorityBase = 17_000_000_000_000
  const enrolment: StoredDocument = {
    key: `${campaign.id}${SEP}${leadId}`,
    campaignId: campaign.id,
    leadId,
    identityId,
    state,
    stepId,
    enrolledAt,
    updatedAt: since,
    stepSince: since,
    lane,
    dueAt: due,
    waitingDueAt: due !== null && !ready ? due : null,
    readyLane: ready ? lane : null,
    priorityKey: priorityBase + (hash(n, 16) % 1_000_000_000),
    campaignPriority: 'medium',
    tieBreak: hash(n, 17),
    wait,
    linkedinMessages,
    emails,
    inbox,
    thread,
    notConnected: false,
    attempts: 0,
    retryAt: null,
    claimKey: null,
    status: state.status,
  }
  return { n, campaign, enrolledAt, actions, enrolment, relation, conversation, openable }
}

function relationOf(
  identityId: string,
  leadId: string,
  invitedAt: number,
  acceptedAt: number | null,
  conversationWith: string | null = null,
): StoredDocument {
  return {
    key: `${identityId}${SEP}${leadId}`,
    identityId,
    leadId,
    connection: acceptedAt === null ? 'pending' : 'connected',
    invitedAt,
    acceptedAt,
    withdrawnAt: null,
    pendingSince: acceptedAt === null ? invitedAt : null,
    lastCheckedAt: null,
    conversationWith,
  }
}

/** Opens of a lead's last email: spread between it and `NOW`, one in four by a mail scanner. */
function opensOf(history: LeadHistory, count: number): ActionDraft[] {
  const sent = history.openable
  if (sent === null || count === 0) return []
  const span = Math.max(1, Math.min(NOW - sent.at, 5 * DAY))
  return Array.from({ length: count }, (_, k) => ({
    at: sent.at + Math.floor(((k + 1) * span) / (count + 1)),
    type: 'email-opened',
    channel: 'email' as const,
    messageId: sent.messageId,
    detail: { automated: (history.n + k) % 4 === 3 },
  }))
}

function leadDocument(n: number): StoredDocument {
  const id = leadIdOf(n)
  const hasEmail = roll(n, 1) < 0.7
  const profile = {
    firstName: `First${n}`,
    lastName: `Last${n}`,
    company: { name: `Company ${n % 997}` },
    jobTitle: 'Head of Operations',
    linkedinUrl: `https://www.linkedin.com/in/first-last-${n.toString(36)}`,
    ...(hasEmail ? { professionalEmail: `first${n}@company${n % 997}.example` } : {}),
  }
  return {
    id,
    lead: { id, profile },
    emailKey: hasEmail ? profile.professionalEmail : null,
    linkedinProfileId: null,
  }
}

/** Extra opens per lead that can open, so that the log holds exactly `TOTAL_ACTIONS` entries. */
function planOpens(): (ordinal: number) => number {
  let actions = 0
  let openers = 0
  for (let n = 0; n < TOTAL_LEADS; n++) {
    const history = historyOf(n)
    actions += history.actions.length
    if (history.openable !== null) openers++
  }
  const missing = TOTAL_ACTIONS - actions
  if (missing < 0 || openers === 0)
    throw new Error(`the generated history has ${actions} actions, more than ${TOTAL_ACTIONS}: retune it`)
  const each = Math.floor(missing / openers)
  const remainder = missing % openers
  return (ordinal) => each + (ordinal < remainder ? 1 : 0)
}

/** The store's migrations, so that a new migration builds the file again. */
function migrationNames(): string {
  const folder = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'migrations')
  return readdirSync(folder)
    .filter((name) => /^\d{3}-/.test(name))
    .sort()
    .join(',')
}

export interface QueryDataset {
  readonly file: string
  readonly leads: number
  readonly actions: number
  /** True when the file was built by an earlier run and reused. */
  readonly reused: boolean
  /** Seconds to write the documents and to rebuild the counters (absent when reused). */
  readonly writeSeconds?: number
  readonly counterRebuildSeconds?: number
}

/** The dataset's file: reused from an earlier run when it matches, else built (a minute or two). */
export async function prepareQueryDataset(log: (line: string) => void = () => {}): Promise<QueryDataset> {
  const key = createHash('sha256')
    .update(`${DATASET_VERSION}|${TOTAL_LEADS}|${TOTAL_ACTIONS}|${migrationNames()}`)
    .digest('hex')
    .slice(0, 12)
  const prefix = 'paceline-bench-queries-'
  const file = join(tmpdir(), `${prefix}${key}.sqlite`)
  // Files of other versions (and builds that did not finish) are not needed any more.
  for (const name of readdirSync(tmpdir())) {
    if (name.startsWith(prefix) && !name.startsWith(`${prefix}${key}.sqlite`))
      removeDatabase(join(tmpdir(), name.replace(/(-wal|-shm)$/, '')))
  }
  const counts = { file, leads: TOTAL_LEADS, actions: TOTAL_ACTIONS }
  if (existsSync(file) && process.env.PACELINE_BENCH_REBUILD !== '1') {
    log(`  reusing ${file} (set PACELINE_BENCH_REBUILD=1 to build it again)`)
    return { ...counts, reused: true }
  }
  removeDatabase(file)
  const partial = join(tmpdir(), `${prefix}${key}-${process.pid}.partial.sqlite`)
  try {
    const timings = await build(partial, log)
    renameSync(partial, file)
    return { ...counts, reused: false, ...timings }
  } finally {
    removeDatabase(partial)
  }
}

async function build(
  file: string,
  log: (line: string) => void,
): Promise<{ writeSeconds: number; counterRebuildSeconds: number }> {
  removeDatabase(file)
  const storage = createSqliteStorage({ filename: file, onWarning: () => {} })
  let clock = HISTORY_START - DAY
  const engine = createEngine({ storage, clock: { now: () => clock } })
  for (const campaign of CAMPAIGNS) {
    await engine.identities.put({
      id: campaign.identityId,
      name: campaign.name,
      workingHours: { timezone: 'Europe/Madrid' },
      linkedin: { accountId: `li-${campaign.identityId}` },
      email: { inboxes: [{ address: inboxOf(campaign.identityId) }] },
    })
    await engine.campaigns.create({
      id: campaign.id,
      name: `${campaign.name}: LinkedIn + Email + Call`,
      identityId: campaign.identityId,
      sequence: templates.linkedinEmailCall.sequence,
    })
    await engine.campaigns.launch(campaign.id)
  }
  await engine.close()
  storage.database.pragma('cache_size = -262144')

  const started = performance.now()
  log(
    `  generating ${TOTAL_LEADS.toLocaleString('en')} leads' histories (${TOTAL_ACTIONS.toLocaleString('en')} actions)`,
  )
  const opensFor = planOpens()
  const progress = progressReporter('writing leads, enrolments, relations and the action log')
  let sequence = 0
  let openers = 0
  let written = 0
  for (let from = 0; from < TOTAL_LEADS; from += WRITE_BATCH) {
    const histories: LeadHistory[] = []
    const actions: StoredDocument[] = []
    for (let n = from; n < Math.min(TOTAL_LEADS, from + WRITE_BATCH); n++) {
      const history = historyOf(n)
      histories.push(history)
      const opens = history.openable === null ? [] : opensOf(history, opensFor(openers++))
      for (const draft of [...history.actions, ...opens]) {
        const key = `${draft.at.toString(36).padStart(9, '0')}.worker.bench.${(sequence++).toString(36).padStart(7, '0')}`
        actions.push({
          key,
          at: draft.at,
          type: draft.type,
          identityId: history.campaign.identityId,
          campaignId: history.campaign.id,
          leadId: leadIdOf(history.n),
          stepId: draft.stepId ?? null,
          action: draft.action ?? null,
          channel: draft.channel ?? null,
          inbox: draft.inbox ?? null,
          messageId: draft.messageId ?? null,
          detail: draft.detail ?? null,
        })
      }
    }
    actions.sort((a, b) => (String(a.key) < String(b.key) ? -1 : 1))
    await storage.transaction(WORKSPACE, async (tx) => {
      for (const history of histories) {
        const lead = leadDocument(history.n)
        await tx.put('leads', String(lead.id), lead)
        await tx.put('enrolments', String(history.enrolment.key), history.enrolment)
        if (history.relation !== null)
          await tx.put('relations', String(history.relation.key), history.relation)
        if (history.conversation !== null) {
          const { document, tag } = history.conversation
          await tx.put('conversations', String(document.key), document)
          if (tag !== null) await tx.put('conversationTags', String(tag.key), tag)
        }
      }
      for (const action of actions) await tx.put('actions', String(action.key), action)
    })
    written += actions.length
    progress.update(Math.min(TOTAL_LEADS, from + WRITE_BATCH) / TOTAL_LEADS)
  }
  progress.finish()
  if (written !== TOTAL_ACTIONS) throw new Error(`wrote ${written} actions, expected ${TOTAL_ACTIONS}`)
  await storage.transaction(WORKSPACE, async (tx) => {
    for (const campaign of CAMPAIGNS) await writeLaneCounters(tx, campaign.identityId)
    // As if written by a version of paceline without counters: the engine rebuilds them on first read.
    await tx.delete('state', 'analytics:version')
  })
  const writeSeconds = (performance.now() - started) / 1000

  log('  building the analytics counters with the engine (its rebuild over the whole action log)')
  const rebuildStarted = performance.now()
  clock = NOW
  const reader = createEngine({ storage, clock: { now: () => clock } })
  const overview = await reader.analytics.campaign(MAIN_CAMPAIGN)
  const counterRebuildSeconds = (performance.now() - rebuildStarted) / 1000
  await reader.close()
  const main = CAMPAIGNS[0] as CampaignSpec
  if (overview.audience.total !== main.leads)
    throw new Error(
      `the rebuilt counters count ${overview.audience.total} leads in ${main.id}, not ${main.leads}`,
    )
  await checkEventTotals(storage)
  storage.database.pragma('wal_checkpoint(TRUNCATE)')
  await storage.close()
  return { writeSeconds, counterRebuildSeconds }
}

/** Today's lane usage of an identity, as the scheduler leaves it mid-morning. */
async function writeLaneCounters(tx: StorageTransaction, identityId: string): Promise<void> {
  const today = '2026-06-01'
  const lanes: [string, number][] = [
    ['linkedin:visit', 14],
    ['linkedin:connection', 9],
    ['linkedin:message', 22],
    [`email:${inboxOf(identityId)}`, 11],
  ]
  for (const [lane, count] of lanes) {
    const key = `${identityId}${SEP}lane${SEP}${lane}`
    const recent = Array.from({ length: 5 }, (_, k) => NOW - (5 - k) * 6 * 60_000)
    await tx.put('counters', key, { key, identityId, date: today, count, lastAt: NOW - 6 * 60_000, recent })
  }
  const queue = `${identityId}${SEP}queue${SEP}linkedin`
  await tx.put('counters', queue, {
    key: queue,
    identityId,
    date: 'all',
    count: 0,
    lastAt: NOW - 4 * 60_000,
    recent: [],
  })
}

/** The counters must hold every logged action once: the all-time event counts of the campaigns add up. */
async function checkEventTotals(storage: ReturnType<typeof createSqliteStorage>): Promise<void> {
  await storage.transaction(
    WORKSPACE,
    async (tx) => {
      let total = 0
      for (const campaign of CAMPAIGNS) {
        const all = await tx.get('analytics', `analytics${SEP}campaign${SEP}${campaign.id}${SEP}all`)
        const counts = (all?.counts ?? {}) as Record<string, number>
        for (const [name, value] of Object.entries(counts)) {
          // `event:<type>` once per action (conditions count as `condition:<step>:<yes|no>` instead).
          if ((name.startsWith('event:') && name.split(':').length === 2) || name.startsWith('condition:'))
            total += value
        }
      }
      if (total !== TOTAL_ACTIONS)
        throw new Error(`the rebuilt counters hold ${total} actions, the log ${TOTAL_ACTIONS}`)
    },
    { readOnly: true },
  )
}
