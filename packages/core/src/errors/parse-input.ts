import type { z } from 'zod'
import type { PacelineErrorCode } from './error-codes'
import { PacelineError } from './paceline-error'
import { issuesFromZod } from './zod-issues'

/**
 * Validates a public input with its zod schema, or throws a PacelineError naming each field and rule. An
 * unknown top-level option of an object schema gets a "did you mean" among the options it accepts.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  subject: string,
  code: PacelineErrorCode,
): z.output<S> {
  const parsed = schema.safeParse(input, { reportInput: true })
  if (parsed.success) return parsed.data
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape
  const known = shape === undefined ? [] : Object.keys(shape)
  const issues = issuesFromZod(parsed.error, {
    knownFields: (path) => (path.length === 0 ? known : undefined),
  })
  throw PacelineError.fromIssues(code, subject, issues)
}
