import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createEmailChannel, type InboxSettings, verifyInbox } from '@paceline/adapter-email'
import { createEngine, PacelineError, PacelineErrorCodes, sequence } from '@paceline/core'
import { createSqliteStorage } from '@paceline/storage-sqlite'
import { z } from 'zod'

/** Where the real-inbox run keeps its state: a restart continues the same campaign. */
export const REAL_INBOX_DATABASE = fileURLToPath(new URL('../.paceline/real-inbox.sqlite', import.meta.url))

const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback)
const security = z.enum(['tls', 'starttls', 'none']).optional()

/** The environment variables of the real-inbox mode (README: "Point it at a real inbox"). */
const envSchema = z.object({
  PACELINE_EMAIL_ADDRESS: z.email(),
  PACELINE_EMAIL_USER: z.string().min(1).optional(),
  PACELINE_EMAIL_PASSWORD: z.string().min(1),
  PACELINE_SMTP_HOST: z.string().min(1),
  PACELINE_SMTP_PORT: port(587),
  PACELINE_SMTP_SECURITY: security,
  PACELINE_IMAP_HOST: z.string().min(1),
  PACELINE_IMAP_PORT: port(993),
  PACELINE_IMAP_SECURITY: security,
  PACELINE_DEMO_RECIPIENT: z.email(),
  PACELINE_TIMEZONE: z.string().min(1).optional(),
  PACELINE_FOLLOW_UP_HOURS: z.coerce.number().int().min(1).max(72).default(1),
})

export interface RealInboxSetup {
  readonly inbox: InboxSettings
  readonly recipient: string
  readonly timezone: string
  readonly followUpHours: number
}

/** True when the environment asks for a real inbox instead of the simulation. */
export const wantsRealInbox = (env: NodeJS.ProcessEnv): boolean => env.PACELINE_EMAIL_ADDRESS !== undefined

/** Reads the real-inbox settings from the environment, naming each variable that is missing or wrong. */
export function realInboxFromEnv(env: NodeJS.ProcessEnv): RealInboxSetup {
  const result = envSchema.safeParse(env)
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'Real-inbox environment', result.error)
  const vars = result.data
  const auth = {
    user: vars.PACELINE_EMAIL_USER ?? vars.PACELINE_EMAIL_ADDRESS,
    password: vars.PACELINE_EMAIL_PASSWORD,
  }
  return {
    inbox: {
      address: vars.PACELINE_EMAIL_ADDRESS,
      identityId: 'me',
      smtp: {
        host: vars.PACELINE_SMTP_HOST,
        port: vars.PACELINE_SMTP_PORT,
        // The usual pairing: TLS from the first byte on 465, STARTTLS on 587 and 25.
        security: vars.PACELINE_SMTP_SECURITY ?? (vars.PACELINE_SMTP_PORT === 465 ? 'tls' : 'starttls'),
        auth,
      },
      imap: {
        host: vars.PACELINE_IMAP_HOST,
        port: vars.PACELINE_IMAP_PORT,
        security: vars.PACELINE_IMAP_SECURITY ?? (vars.PACELINE_IMAP_PORT === 993 ? 'tls' : 'starttls'),
        auth,
      },
    },
    recipient: vars.PACELINE_DEMO_RECIPIENT,
    timezone: vars.PACELINE_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    followUpHours: vars.PACELINE_FOLLOW_UP_HOURS,
  }
}

export interface RealInboxOptions {
  readonly setup: RealInboxSetup
  readonly write?: (line: string) => void
  /** Stops the engine; the campaign's state stays in the database for the next run. */
  readonly signal: AbortSignal
  /** Default `.paceline/real-inbox.sqlite` next to the example; `:memory:` for none. */
  readonly database?: string
}

/**
 * The quickstart against a real inbox: checks the inbox (IMAP and SMTP), then runs a 3-step email
 * sequence to one recipient you own, in real time. Answer the first email and the sequence stops; the
 * follow-ups go out `followUpHours` apart otherwise. Resolves when `signal` aborts.
 */
export async function runRealInbox(options: RealInboxOptions): Promise<void> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`))
  const { inbox, recipient, timezone, followUpHours } = options.setup

  write(
    `Checking   ${inbox.address} (IMAP ${inbox.imap?.host}:${inbox.imap?.port}, SMTP ${inbox.smtp.host}:${inbox.smtp.port})`,
  )
  const check = await verifyInbox(inbox)
  write(`           ${check.summary}`)
  if (!check.ok) return

  const database = options.database ?? REAL_INBOX_DATABASE
  if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true })
  const storage = createSqliteStorage({ filename: database, onWarning: () => {} })
  const email = createEmailChannel({
    storage,
    inboxes: [inbox],
    onError: (error) => write(`Warning    ${error.message}`),
  })
  const engine = createEngine({ storage, email })
  try {
    await engine.identities.put({
      id: 'me',
      name: 'paceline quickstart',
      // Every day, all day: a demo should not wait for Monday morning.
      workingHours: {
        timezone,
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        windows: [{ start: '00:00', end: '24:00' }],
      },
      email: { inboxes: [{ address: inbox.address, limits: { perDay: 10, perHour: 5 } }] },
    })
    const campaignId = 'real-inbox-demo'
    if ((await engine.campaigns.list({ limit: 500 })).items.every((campaign) => campaign.id !== campaignId)) {
      await engine.campaigns.create({
        id: campaignId,
        identityId: 'me',
        sequence: sequence()
          .email({
            id: 'intro',
            subject: 'paceline quickstart',
            body: 'Hi {{firstName}},\n\nThis is step 1 of 3. Reply to stop the sequence.',
          })
          .email({ id: 'bump', delay: { hours: followUpHours }, body: 'Step 2 of 3, in the same thread.' })
          .email({ id: 'last', delay: { hours: followUpHours }, body: 'Step 3 of 3: the last one.' })
          .build(),
      })
      await engine.leads.add(campaignId, [
        { id: 'demo', profile: { firstName: 'there', professionalEmail: recipient } },
      ])
      await engine.campaigns.launch(campaignId)
      write(`Campaign   3 emails to ${recipient}, ${followUpHours} h apart; reply to the first to stop it.`)
    } else write(`Resuming   the campaign saved in ${database}`)

    engine.on('message-sent', (event) => write(`Sent       ${event.stepId} ${event.messageId ?? ''}`))
    engine.on('reply-received', (event) =>
      write(`Replied    ${event.detail?.outOfOffice === true ? '(out of office)' : 'the sequence stops'}`),
    )
    engine.on('email-bounced', (event) => write(`Bounced    ${String(event.detail?.bounce ?? '')}`))
    engine.on('delivery-unknown', () =>
      write('Unknown    the server did not confirm a send; it will not be retried'),
    )
    engine.start()
    write('Running    (Ctrl-C to stop; the next run continues)')
    await new Promise<void>((resolve) => {
      if (options.signal.aborted) resolve()
      else options.signal.addEventListener('abort', () => resolve(), { once: true })
    })
  } finally {
    await engine.close()
    await email.close()
    await storage.close()
  }
}
