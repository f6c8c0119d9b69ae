/**
 * The Edges actions the provider runs (the "included actions", free with an engagement identity), each at
 * `POST /actions/{name}/run/live`.
 */
export const EDGES_ACTIONS = {
  visitProfile: 'linkedin-visit-profile',
  connectProfile: 'linkedin-connect-profile',
  messageProfile: 'linkedin-message-profile',
  inMailProfile: 'linkedin-inmail-profile',
  withdrawInvitations: 'linkedin-withdraw-invitations',
  extractConversations: 'linkedin-extract-conversations',
  extractSentInvitations: 'linkedin-extract-sent-invitations',
  extractConnections: 'linkedin-extract-connections',
} as const

export type EdgesAction = (typeof EDGES_ACTIONS)[keyof typeof EDGES_ACTIONS]

/** Audio Edges sends as a voice message rather than a file (docs: "Video and Audio Format"). */
export const EDGES_VOICE_EXTENSIONS = ['m4a', 'mp3', 'wav', 'flac'] as const

/** Edges' limit per attachment, measured on the Base64 payload. */
export const EDGES_MAX_ATTACHMENT_BASE64_BYTES = 27 * 1024 * 1024

/** The body of a live run: the identity that acts, the person it acts on, the action's settings. */
export interface EdgesRunBody {
  readonly identity_mode: 'direct'
  readonly identity_ids: readonly string[]
  readonly input?: Readonly<Record<string, unknown>>
  readonly parameters?: Readonly<Record<string, unknown>>
}
