import { leadField } from '../lead/lead-field'
import type { CustomRule, CustomRuleGroup, CustomValue } from './condition-schema'

/**
 * Evaluates custom-condition rules against a lead's fields (looked up by dotted path in `lead.profile`,
 * then in `lead`). Text comparisons ignore case and surrounding spaces, as people expect of a CRM filter.
 */
export function matchesCustomRules(group: CustomRuleGroup, lead: Readonly<Record<string, unknown>>): boolean {
  const test = (rule: CustomRule | CustomRuleGroup) =>
    'rules' in rule
      ? matchesCustomRules(rule, lead)
      : matchesRule(rule, leadField(lead, rule.field.split('.')))
  return group.match === 'all' ? group.rules.every(test) : group.rules.some(test)
}

function matchesRule(rule: CustomRule, actual: unknown): boolean {
  const { operator, value } = rule
  switch (operator) {
    case 'is_empty':
      return isEmpty(actual)
    case 'is_not_empty':
      return !isEmpty(actual)
    case 'equals':
      return value !== undefined && same(actual, value)
    case 'not_equals':
      return value === undefined || !same(actual, value)
    case 'contains':
      return textOf(actual).includes(textOf(value))
    case 'not_contains':
      return !textOf(actual).includes(textOf(value))
    case 'starts_with':
      return textOf(actual).startsWith(textOf(value))
    case 'ends_with':
      return textOf(actual).endsWith(textOf(value))
    case 'greater_than':
      return compare(actual, value, (a, b) => a > b)
    case 'greater_or_equal':
      return compare(actual, value, (a, b) => a >= b)
    case 'less_than':
      return compare(actual, value, (a, b) => a < b)
    case 'less_or_equal':
      return compare(actual, value, (a, b) => a <= b)
    case 'in':
      return Array.isArray(value) && value.some((candidate) => same(actual, candidate))
    case 'not_in':
      return !Array.isArray(value) || !value.some((candidate) => same(actual, candidate))
  }
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true
  if (typeof value === 'string') return value.trim() === ''
  if (Array.isArray(value)) return value.length === 0
  return false
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value.trim().toLowerCase()
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).toLowerCase()
  return ''
}

function same(actual: unknown, expected: CustomValue | string | number): boolean {
  if (typeof expected === 'number') return numberOf(actual) === expected
  if (typeof expected === 'boolean') return actual === expected || textOf(actual) === String(expected)
  if (typeof expected === 'string') return !isEmpty(actual) && textOf(actual) === textOf(expected)
  return false
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value)
    return Number.isFinite(parsed) ? parsed : undefined
  }
  return undefined
}

function compare(actual: unknown, expected: unknown, test: (a: number, b: number) => boolean): boolean {
  const a = numberOf(actual)
  return a !== undefined && typeof expected === 'number' && test(a, expected)
}
