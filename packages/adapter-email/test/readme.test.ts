import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inject } from 'vitest'
import { readmeExamples } from '../../../test-support/readme-examples'

// The examples read their servers from the environment, as an app would; here they are the test servers.
const servers = inject('mailServers')
Object.assign(process.env, {
  MAIL_SECURITY: 'none',
  SMTP_HOST: servers.smtp.host,
  SMTP_PORT: String(servers.smtp.port),
  IMAP_HOST: servers.imap.host,
  IMAP_PORT: String(servers.imap.port),
  ANA_PASSWORD: 'ana-password',
})

readmeExamples(join(dirname(fileURLToPath(import.meta.url)), '..'), 3)
