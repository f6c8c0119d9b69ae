/**
 * One reason an input was rejected. `rule` is a stable, machine-readable name (`too_long`, `cycle`,
 * `dangling_reference`, ...); `field` is the dotted path of the offending value inside the input
 * (`email.inboxes[0].limits.perDay`); `stepId` is set when the value belongs to a sequence step.
 */
export interface ValidationIssue {
  readonly rule: string
  readonly field: string
  readonly path: readonly (string | number)[]
  readonly stepId?: string
  readonly message: string
}

/** Renders a path as `a.b[0].c`, the form used in messages and in `ValidationIssue.field`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else out += out === '' ? String(segment) : `.${String(segment)}`
  }
  return out
}

export function issue(
  rule: string,
  path: readonly (string | number)[],
  message: string,
  stepId?: string,
): ValidationIssue {
  return stepId === undefined
    ? { rule, field: formatPath(path), path, message }
    : { rule, field: formatPath(path), path, stepId, message }
}
