/**
 * The personalisation syntax of message templates: literal text with `{{ path }}` placeholders, where a
 * path is dotted (`company.name`, `sender.firstName`, `ai.opener`) and may carry a quoted fallback used
 * when the value is missing: `{{ firstName | "there" }}`. Inside a fallback, `\"`, `\'` and `\\` escape.
 */
export type TemplatePart =
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'variable'
      /** The dotted path as written, e.g. `company.name`. */
      readonly name: string
      readonly path: readonly string[]
      readonly fallback?: string
    }

export interface TemplateSyntaxProblem {
  readonly rule: 'unclosed_placeholder' | 'empty_placeholder' | 'invalid_variable_name' | 'invalid_fallback'
  /** Character offset of the placeholder's `{{` in the template. */
  readonly index: number
  readonly message: string
}

export type ParsedTemplate =
  | { readonly ok: true; readonly parts: readonly TemplatePart[] }
  | { readonly ok: false; readonly problems: readonly TemplateSyntaxProblem[] }

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/

const cache = new Map<string, ParsedTemplate>()
const CACHE_LIMIT = 2_000

/** Parses a template into literal and variable parts, or lists every syntax problem in it. */
export function parseTemplate(template: string): ParsedTemplate {
  const cached = cache.get(template)
  if (cached !== undefined) return cached
  const parsed = parseUncached(template)
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(template, parsed)
  return parsed
}

/** The dotted names of every variable a template uses, in order of first appearance, without repeats. */
export function templateVariables(template: string): string[] {
  const parsed = parseTemplate(template)
  if (!parsed.ok) return []
  const names: string[] = []
  for (const part of parsed.parts) {
    if (part.type === 'variable' && !names.includes(part.name)) names.push(part.name)
  }
  return names
}

function parseUncached(template: string): ParsedTemplate {
  const parts: TemplatePart[] = []
  const problems: TemplateSyntaxProblem[] = []
  let cursor = 0
  while (cursor < template.length) {
    const open = template.indexOf('{{', cursor)
    if (open === -1) {
      parts.push({ type: 'text', text: template.slice(cursor) })
      break
    }
    if (open > cursor) parts.push({ type: 'text', text: template.slice(cursor, open) })
    const close = findClose(template, open + 2)
    if (close === -1) {
      problems.push({
        rule: 'unclosed_placeholder',
        index: open,
        message: `the placeholder at character ${open} has no closing }}`,
      })
      break
    }
    const inner = template.slice(open + 2, close)
    const variable = parsePlaceholder(inner, open, problems)
    if (variable !== undefined) parts.push(variable)
    cursor = close + 2
  }
  return problems.length === 0 ? { ok: true, parts } : { ok: false, problems }
}

/** Finds the `}}` that closes a placeholder, skipping over quoted fallbacks that may contain braces. */
function findClose(template: string, from: number): number {
  let quote: string | null = null
  for (let i = from; i < template.length; i++) {
    const char = template[i]
    if (quote !== null) {
      if (char === '\\') i++
      else if (char === quote) quote = null
      continue
    }
    if (char === '"' || char === "'") quote = char
    else if (char === '{' && template[i + 1] === '{') return -1
    else if (char === '}' && template[i + 1] === '}') return i
  }
  return -1
}

function parsePlaceholder(
  inner: string,
  index: number,
  problems: TemplateSyntaxProblem[],
): TemplatePart | undefined {
  const pipe = indexOfUnquoted(inner, '|')
  const name = (pipe === -1 ? inner : inner.slice(0, pipe)).trim()
  if (name === '') {
    problems.push({
      rule: 'empty_placeholder',
      index,
      message: `the placeholder at character ${index} names no variable; write e.g. {{firstName}}`,
    })
    return undefined
  }
  const path = name.split('.')
  if (!path.every((segment) => SEGMENT.test(segment))) {
    problems.push({
      rule: 'invalid_variable_name',
      index,
      message: `{{${name}}} is not a variable name; use letters, digits and _ separated by dots, e.g. {{company.name}}`,
    })
    return undefined
  }
  if (pipe === -1) return { type: 'variable', name, path }
  const fallback = parseQuoted(inner.slice(pipe + 1).trim())
  if (fallback === undefined) {
    problems.push({
      rule: 'invalid_fallback',
      index,
      message: `the fallback of {{${name}}} must be one quoted text, e.g. {{${name} | "there"}}`,
    })
    return undefined
  }
  return { type: 'variable', name, path, fallback }
}

function indexOfUnquoted(text: string, target: string): number {
  let quote: string | null = null
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (quote !== null) {
      if (char === '\\') i++
      else if (char === quote) quote = null
    } else if (char === '"' || char === "'") quote = char
    else if (char === target) return i
  }
  return -1
}

function parseQuoted(text: string): string | undefined {
  const quote = text[0]
  if ((quote !== '"' && quote !== "'") || text.length < 2 || text[text.length - 1] !== quote) return undefined
  let value = ''
  for (let i = 1; i < text.length - 1; i++) {
    const char = text[i]
    if (char === '\\') {
      const next = text[i + 1]
      if (next === undefined || i + 1 === text.length - 1) return undefined
      value += next
      i++
    } else if (char === quote) return undefined
    else value += char
  }
  return value
}
