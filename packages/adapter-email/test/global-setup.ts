import type { TestProject } from 'vitest/node'
import { type MailServersInfo, startMailServers } from './servers/mail-servers'

declare module 'vitest' {
  export interface ProvidedContext {
    mailServers: MailServersInfo
  }
}

/** One Dovecot and one SMTP relay for the whole test run of this package (Dovecot takes ~2.5 s to stop). */
export default async function setup(project: TestProject) {
  const servers = await startMailServers()
  project.provide('mailServers', servers.info)
  return () => servers.stop()
}
