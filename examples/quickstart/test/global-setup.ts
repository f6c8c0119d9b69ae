// The real-inbox mode is tested against the same Dovecot and SMTP servers as @paceline/adapter-email.
export { default } from '../../../packages/adapter-email/test/global-setup'
