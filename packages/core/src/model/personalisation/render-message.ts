import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { err, ok, type Result } from '../../errors/result'
import { foldControlCharacters, hasControlCharacter } from '../control-characters'
import { leadField, valueAt } from '../lead/lead-field'
import { parseTemplate } from './template-syntax'

export interface RenderOptions {
  /** Values of AI variables, read by `{{ai.name}}`; filled by the AI port at send time. */
  readonly ai?: Readonly<Record<string, string>>
  /** The sender's details, read by `{{sender.firstName}}` and so on. */
  readonly sender?: Readonly<Record<string, unknown>>
  /**
   * `header` for text that becomes a message header (an email subject): line breaks and other control
   * characters in substituted values are folded into single spaces, and a template whose own text has them
   * is refused. Default `body`.
   */
  readonly target?: 'body' | 'header'
  /** Applied to every substituted value (not to the template's own text), e.g. an HTML escaper. */
  readonly escape?: (value: string) => string
}

/** Anything templates can read: a lead (`{ profile: {...} }`) or a plain record of values. */
export type RenderVariables = Readonly<Record<string, unknown>>

/**
 * Fills a template's `{{variables}}` from a lead. Paths are looked up in the lead's `profile` first and
 * then in the lead itself, so both `renderMessage(t, lead)` and `renderMessage(t, lead.profile)` work.
 * A variable with no value and no fallback is a typed failure (code `missing_variable`, with every
 * missing name in `error.details.variables`), never an empty gap in a message a person will read.
 */
export function renderMessage(
  template: string,
  lead: RenderVariables,
  options: RenderOptions = {},
): Result<string> {
  const parsed = parseTemplate(template)
  if (!parsed.ok) {
    const first = parsed.problems[0]
    return err(
      new PacelineError(
        PacelineErrorCodes.invalidTemplate,
        `Template is invalid: ${first?.message ?? 'syntax error'}`,
        {
          details: { problems: parsed.problems },
        },
      ),
    )
  }
  const header = options.target === 'header'
  const missing: string[] = []
  let out = ''
  for (const part of parsed.parts) {
    if (part.type === 'text') {
      if (header && hasControlCharacter(part.text)) {
        return err(
          new PacelineError(
            PacelineErrorCodes.unsafeHeaderValue,
            'The template of a header (such as an email subject) contains a line break or control character; keep it on one line.',
            { details: { template } },
          ),
        )
      }
      out += part.text
      continue
    }
    const value = resolve(part.path, lead, options)
    let text = value ?? part.fallback
    if (text === undefined) {
      if (!missing.includes(part.name)) missing.push(part.name)
      continue
    }
    if (header) text = foldControlCharacters(text).trim()
    out += value !== undefined && options.escape !== undefined ? options.escape(text) : text
  }
  if (missing.length > 0) return err(missingVariables(missing))
  return ok(out)
}

function missingVariables(names: readonly string[]): PacelineError {
  const list = names.map((name) => `{{${name}}}`).join(', ')
  const example = names[0] ?? 'firstName'
  return new PacelineError(
    PacelineErrorCodes.missingVariable,
    `No value for ${list}: add ${names.length === 1 ? 'it' : 'them'} to the lead, or give a fallback such as {{${example} | "there"}}.`,
    { details: { variables: names } },
  )
}

function resolve(path: readonly string[], lead: RenderVariables, options: RenderOptions): string | undefined {
  const [head, ...rest] = path
  if (head === 'ai' && rest.length > 0) return asText(valueAt(options.ai, rest))
  if (head === 'sender' && rest.length > 0 && options.sender !== undefined)
    return asText(valueAt(options.sender, rest))
  return asText(leadField(lead, path, (value) => asText(value) !== undefined))
}

/** Text for a resolved value; blank strings, objects and arrays count as missing. */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return undefined
}
