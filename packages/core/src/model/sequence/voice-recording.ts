import { z } from 'zod'

/** Audio LinkedIn plays as a voice message, by MIME type, with the file extension providers expect. */
const VOICE_TYPES: Readonly<Record<string, string>> = {
  'audio/mp4': 'm4a',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
}

/**
 * An uploaded recording travels inside the campaign's sequence, so it is kept small: LinkedIn voice
 * messages last at most a minute, which is well under 1 MB in m4a or mp3.
 */
export const MAX_UPLOADED_RECORDING_BYTES = 5 * 1024 * 1024

const DATA_URL = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)((?:;[a-z0-9-]+=[^;,]*)*);base64,([A-Za-z0-9+/=\s]*)$/i

/**
 * A voice message's recording: `{ url }` where the URL is an https (or http) link the channel downloads,
 * or an upload given as a `data:audio/...;base64,` URL. An upload without `name` is named after its type
 * (`voice.m4a`), because providers tell audio formats apart by the file extension.
 */
export const voiceRecordingSchema = z
  .strictObject({
    url: z.url(),
    /** The file name providers see (its extension says the format). */
    name: z.string().min(1).max(255).optional(),
  })
  .superRefine((audio, context) => {
    if (!/^(https?|data):/i.test(audio.url)) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        message: `must be an https URL or a data: URL of an upload, got ${JSON.stringify(audio.url.slice(0, 60))}`,
        params: { rule: 'unsupported_url' },
      })
      return
    }
    if (!audio.url.startsWith('data:')) return
    const parsed = DATA_URL.exec(audio.url)
    const type = parsed?.[1]?.toLowerCase()
    if (parsed === null || type === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'must be a base64 data: URL, `data:audio/mp4;base64,...`, when the recording is uploaded',
        params: { rule: 'invalid_upload' },
      })
      return
    }
    if (VOICE_TYPES[type] === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        message: `is ${type}; a voice message must be m4a, mp3, wav or flac audio (${Object.keys(VOICE_TYPES).join(', ')})`,
        params: { rule: 'unsupported_audio' },
      })
      return
    }
    const bytes = Math.floor(((parsed[3] ?? '').replace(/\s/g, '').length * 3) / 4)
    if (bytes > MAX_UPLOADED_RECORDING_BYTES) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        message: `holds about ${Math.round(bytes / 1024)} KB; an uploaded recording may hold at most ${MAX_UPLOADED_RECORDING_BYTES / 1024 / 1024} MB (a minute of m4a is under 1 MB): host larger files and give their https URL`,
        params: { rule: 'too_large' },
      })
    }
  })
  .transform((audio) => {
    if (audio.name !== undefined || !audio.url.startsWith('data:')) return audio
    const type = DATA_URL.exec(audio.url)?.[1]?.toLowerCase() ?? ''
    return { ...audio, name: `voice.${VOICE_TYPES[type] ?? 'm4a'}` }
  })

export type VoiceRecording = z.output<typeof voiceRecordingSchema>
