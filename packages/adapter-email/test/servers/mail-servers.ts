import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MailUser, startDovecot } from './dovecot'
import { startSmtpRelay } from './smtp-relay'

/** What tests need to reach the running servers (plain data: vitest passes it from the global setup). */
export interface MailServersInfo {
  readonly imap: { readonly host: string; readonly port: number }
  readonly smtp: { readonly host: string; readonly port: number }
  readonly users: readonly MailUser[]
  /** XOAUTH2 access tokens the SMTP server accepts, by address. */
  readonly accessTokens: Readonly<Record<string, string>>
}

/** Receives a copy of every message the SMTP server accepts (see `startSmtpRelay`). */
export const JOURNAL = 'journal@relay.test'

export const USERS: readonly MailUser[] = [
  { address: 'ana@acme.io', password: 'ana-password' },
  { address: 'ben@acme.io', password: 'ben-password' },
  { address: 'eva@northwind.example', password: 'eva-password' },
  { address: 'liam@northwind.example', password: 'liam-password' },
  { address: 'conformance@northwind.example', password: 'conformance-password' },
  // The end-to-end test's sending inbox and one of its leads: no other test reads them.
  { address: 'sales@acme.io', password: 'sales-password' },
  { address: 'dana@northwind.example', password: 'dana-password' },
  { address: JOURNAL, password: 'journal-password' },
]
const ACCESS_TOKENS = { 'ana@acme.io': 'ya29.test-access-token' }

/** Starts Dovecot and the SMTP relay; `stop` ends both and removes their files. */
export async function startMailServers(): Promise<{
  info: MailServersInfo
  stop: () => Promise<void>
  log: () => string
}> {
  const dir = mkdtempSync(join(tmpdir(), 'paceline-mail-'))
  const dovecot = await startDovecot(dir, USERS)
  try {
    const relay = await startSmtpRelay({
      users: USERS,
      lmtpPort: dovecot.lmtpPort,
      accessTokens: ACCESS_TOKENS,
      journal: JOURNAL,
    })
    return {
      info: {
        imap: { host: '127.0.0.1', port: dovecot.imapPort },
        smtp: { host: '127.0.0.1', port: relay.port },
        users: USERS,
        accessTokens: ACCESS_TOKENS,
      },
      log: dovecot.log,
      async stop() {
        await relay.stop()
        await dovecot.stop()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await dovecot.stop()
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}
