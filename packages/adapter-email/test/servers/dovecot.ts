import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import { freePort } from './free-port'

export interface MailUser {
  readonly address: string
  readonly password: string
}

export interface Dovecot {
  readonly imapPort: number
  readonly lmtpPort: number
  readonly log: () => string
  stop(): Promise<void>
}

const BINARIES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot']
const INSTALL = 'apt-get update && apt-get install -y --no-install-recommends dovecot-imapd dovecot-lmtpd'
// Dovecot refuses to deliver mail as root; as root, mailboxes belong to this unprivileged user.
const MAIL_UID = 65534
const MAIL_GID = 65534

/**
 * A real Dovecot (IMAP + LMTP) on loopback, from its own configuration in `dir` (it reads nothing in
 * /etc/dovecot), with passwd-file users whose Maildirs live in `dir`. Runs in the foreground as a child,
 * so stopping it is a signal.
 */
export async function startDovecot(dir: string, users: readonly MailUser[]): Promise<Dovecot> {
  const binary = BINARIES.find((path) => existsSync(path))
  if (binary === undefined)
    throw new Error(
      `The email integration tests need Dovecot and it is not installed. Install it (as root):\n  ${INSTALL}`,
    )
  const root = process.getuid?.() === 0
  const uid = root ? MAIL_UID : (process.getuid?.() ?? 0)
  const gid = root ? MAIL_GID : (process.getgid?.() ?? 0)
  // Dovecot's auth and mail processes run as other users: they must be able to reach these files.
  chmodSync(dir, 0o755)
  for (const sub of ['run', 'state', 'home']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o755 })
  const lines = users.map((user) => {
    const home = join(dir, 'home', user.address)
    mkdirSync(home, { recursive: true })
    if (root) chownSync(home, uid, gid)
    return `${user.address}:{PLAIN}${user.password}:${uid}:${gid}::${home}::`
  })
  writeFileSync(join(dir, 'users'), `${lines.join('\n')}\n`)
  const imapPort = await freePort()
  const lmtpPort = await freePort()
  const logFile = join(dir, 'dovecot.log')
  const config = [
    'protocols = imap lmtp',
    'listen = 127.0.0.1',
    `base_dir = ${join(dir, 'run')}`,
    `state_dir = ${join(dir, 'state')}`,
    `log_path = ${logFile}`,
    `info_log_path = ${logFile}`,
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    'mail_location = maildir:~/Maildir',
    'postmaster_address = postmaster@acme.io',
    `first_valid_uid = ${Math.min(uid, 500)}`,
    'first_valid_gid = 0',
    ...(root
      ? []
      : [
          `default_login_user = ${process.env.USER ?? 'nobody'}`,
          `default_internal_user = ${process.env.USER ?? 'nobody'}`,
        ]),
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${join(dir, 'users')}`,
    '}',
    'userdb {',
    '  driver = passwd-file',
    `  args = username_format=%u ${join(dir, 'users')}`,
    '}',
    'service imap-login {',
    `  inet_listener imap {\n    address = 127.0.0.1\n    port = ${imapPort}\n  }`,
    '  inet_listener imaps {\n    port = 0\n  }',
    ...(root ? [] : ['  chroot =']),
    '}',
    'service lmtp {',
    `  inet_listener lmtp {\n    address = 127.0.0.1\n    port = ${lmtpPort}\n  }`,
    '}',
    ...(root ? [] : ['service anvil {\n  chroot =\n}']),
    'protocol imap {',
    '  mail_max_userip_connections = 100',
    '}',
  ].join('\n')
  const configFile = join(dir, 'dovecot.conf')
  writeFileSync(configFile, `${config}\n`)

  // Dovecot keeps the caller's stderr open: its output goes to a file, or a piping caller would hang.
  const output = openSync(join(dir, 'dovecot.out'), 'a')
  const child: ChildProcess = spawn(binary, ['-F', '-c', configFile], { stdio: ['ignore', output, output] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const log = () => {
    const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '')
    return `${read(join(dir, 'dovecot.out'))}${read(logFile)}`
  }
  try {
    await waitForPort(imapPort, child)
    await waitForPort(lmtpPort, child)
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`Dovecot did not start: ${(error as Error).message}\n${log()}`)
  }
  return {
    imapPort,
    lmtpPort,
    log,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Resolves once something accepts connections on the port (the server finished starting). */
async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port })
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    if (Date.now() > deadline) throw new Error(`port ${port} did not open within 15 s`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
