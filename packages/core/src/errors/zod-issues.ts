import type { z } from 'zod'
import { didYouMean } from '../model/did-you-mean'
import { issue, type ValidationIssue } from './validation-issue'

type ZodIssue = z.core.$ZodIssue

export interface ZodIssueTranslation {
  /** Prepended to every issue path, for schemas that validate one part of a larger input. */
  readonly prefix?: readonly (string | number)[]
  /** Finds the sequence step a path belongs to, so issues can name it. */
  readonly stepIdOf?: (path: readonly (string | number)[]) => string | undefined
  /** The fields the object at a path accepts, so an unknown one can get a "did you mean". */
  readonly knownFields?: (path: readonly (string | number)[]) => readonly string[] | undefined
}

/**
 * Turns zod's issues into paceline's: one stable rule name per failure, the path as a dotted field, and
 * a message written for the person who typed the input. Parse with `reportInput: true` so that messages
 * can quote the offending length or value.
 */
export function issuesFromZod(error: z.ZodError, translation: ZodIssueTranslation = {}): ValidationIssue[] {
  const out: ValidationIssue[] = []
  for (const zodIssue of error.issues) collect(zodIssue, translation, out)
  return out
}

function collect(zodIssue: ZodIssue, translation: ZodIssueTranslation, out: ValidationIssue[]): void {
  const path = [...(translation.prefix ?? []), ...zodIssue.path.map(pathSegment)]
  const stepId = translation.stepIdOf?.(path)
  if (zodIssue.code === 'unrecognized_keys') {
    const known = translation.knownFields?.(path) ?? []
    for (const key of zodIssue.keys) {
      const suggestion = didYouMean(key, known, '`')
      out.push(
        issue(
          'unknown_field',
          [...path, key],
          `is not a known field${suggestion}; remove it or check its spelling`,
          stepId,
        ),
      )
    }
    return
  }
  const [rule, message] = describe(zodIssue)
  out.push(issue(rule, path, message, stepId))
}

function pathSegment(segment: PropertyKey): string | number {
  return typeof segment === 'number' ? segment : String(segment)
}

function describe(zodIssue: ZodIssue): [rule: string, message: string] {
  switch (zodIssue.code) {
    case 'invalid_type':
      if (zodIssue.input === undefined) return ['required', 'is required']
      if (zodIssue.expected === 'int')
        return ['not_integer', `must be a whole number, got ${show(zodIssue.input)}`]
      return ['invalid_type', `must be ${article(zodIssue.expected)}, got ${typeName(zodIssue.input)}`]
    case 'too_big':
      return tooBig(zodIssue)
    case 'too_small':
      return tooSmall(zodIssue)
    case 'invalid_format':
      // A pattern says nothing to a reader by its name: the schema's own message says what it wants.
      if (zodIssue.format === 'regex')
        return ['invalid_format', `${zodIssue.message}, got ${show(zodIssue.input)}`]
      return ['invalid_format', `must be a valid ${zodIssue.format}, got ${show(zodIssue.input)}`]
    case 'invalid_value':
      return [
        'invalid_value',
        `must be one of ${zodIssue.values.map(show).join(', ')}, got ${show(zodIssue.input)}${suggest(zodIssue.input, zodIssue.values)}`,
      ]
    case 'invalid_union': {
      const options = 'options' in zodIssue && Array.isArray(zodIssue.options) ? zodIssue.options : undefined
      if (options !== undefined) {
        const input = 'input' in zodIssue ? zodIssue.input : undefined
        const given =
          typeof input === 'object' && input !== null && 'discriminator' in zodIssue
            ? (input as Record<string, unknown>)[String(zodIssue.discriminator)]
            : undefined
        const rule = given === undefined ? 'required' : 'invalid_value'
        return [
          rule,
          `must be one of ${options.map(show).join(', ')}, got ${show(given)}${suggest(given, options)}`,
        ]
      }
      return ['invalid_value', 'does not match any of the accepted forms']
    }
    case 'custom': {
      const rule = typeof zodIssue.params?.rule === 'string' ? zodIssue.params.rule : 'invalid_value'
      return [rule, zodIssue.message]
    }
    case 'invalid_key':
      return ['invalid_key', `has an invalid key: ${zodIssue.issues.map((each) => each.message).join('; ')}`]
    case 'not_multiple_of':
      return ['not_multiple_of', `must be a multiple of ${String(zodIssue.divisor)}`]
    default:
      return ['invalid_value', zodIssue.message]
  }
}

function tooBig(zodIssue: z.core.$ZodIssueTooBig): [string, string] {
  const limit = Number(zodIssue.maximum)
  if (zodIssue.origin === 'string') {
    const length = typeof zodIssue.input === 'string' ? zodIssue.input.length : undefined
    const actual = length === undefined ? '' : `is ${length} characters; `
    return ['too_long', `${actual}the limit is ${limit} characters`]
  }
  if (zodIssue.origin === 'array' || zodIssue.origin === 'set') {
    return ['too_many', `has more than ${limit} items`]
  }
  return ['too_large', `must be at most ${limit}, got ${show(zodIssue.input)}`]
}

function tooSmall(zodIssue: z.core.$ZodIssueTooSmall): [string, string] {
  const limit = Number(zodIssue.minimum)
  if (zodIssue.origin === 'string') {
    return limit <= 1
      ? ['required', 'must not be empty']
      : ['too_short', `must be at least ${limit} characters`]
  }
  if (zodIssue.origin === 'array' || zodIssue.origin === 'set') {
    return ['too_few', `needs at least ${limit} ${limit === 1 ? 'item' : 'items'}`]
  }
  const bound = zodIssue.inclusive === false ? 'greater than' : 'at least'
  return ['too_small', `must be ${bound} ${limit}, got ${show(zodIssue.input)}`]
}

/** "; did you mean ..." when a string was given among string options and one is close to it. */
function suggest(given: unknown, options: readonly unknown[]): string {
  if (typeof given !== 'string') return ''
  return didYouMean(
    given,
    options.filter((option): option is string => typeof option === 'string'),
  )
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (value === undefined) return 'nothing'
  if (typeof value === 'number' && !Number.isFinite(value)) return typeName(value)
  if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function')
    return String(value)
  try {
    const text = JSON.stringify(value)
    return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text
  } catch {
    return typeName(value)
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  // NaN is a number to typeof, but "must be a number, got a number" helps nobody (Number(undefined) is NaN).
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN (often Number() of a missing value)'
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  if (Array.isArray(value)) return 'an array'
  return article(typeof value)
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`
}
