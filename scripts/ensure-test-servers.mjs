#!/usr/bin/env node
// The integration tests run real servers (Dovecot for IMAP; the SMTP server is a node package). This makes
// sure Dovecot is installed before the tests start: on a fresh machine of the kind CI uses (Debian, root,
// apt), it installs it (about 15 s); elsewhere it says what to install. It never skips anything.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const PACKAGES = ['dovecot-imapd', 'dovecot-lmtpd']
const found = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].some((path) => existsSync(path))
if (found) process.exit(0)

const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).stdout.trim()
const root = typeof process.getuid === 'function' && process.getuid() === 0
const command = `apt-get update && apt-get install -y --no-install-recommends ${PACKAGES.join(' ')}`
if (apt === '' || !root) {
  process.stderr.write(
    `The email integration tests need Dovecot (IMAP). Install it first, as root:\n  ${command}\n(then run the tests again)\n`,
  )
  process.exit(1)
}
process.stderr.write(`Installing Dovecot for the email integration tests: ${command}\n`)
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES], {
  stdio: 'inherit',
  env,
})
process.stderr.write('Dovecot installed.\n')
