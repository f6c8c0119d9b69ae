import { z } from 'zod'
import { hasControlCharacter } from './control-characters'

/**
 * Ids of identities, campaigns and leads: the host's own identifiers, so any printable text up to 200
 * characters. Control characters are refused because ids end up in logs, headers and URLs.
 */
export const entityIdSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((value) => !hasControlCharacter(value), {
    message: 'must not contain control characters (line breaks, tabs, ...)',
    params: { rule: 'control_characters' },
  })
