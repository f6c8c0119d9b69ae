/**
 * SOQL text built from values: string literals escaped as SOQL's "Quoted String Escape Sequences" say
 * (backslash before `'`, `"` and `\`; `\n`, `\r`, `\t`, `\b`, `\f` for control characters), LIKE patterns
 * with `%` and `_` escaped too, and field names checked so that no value can become SOQL.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
}

/** The body of a SOQL string literal for `value` (without the quotes). */
export function escapeSoqlString(value: string): string {
  return value.replace(/[\\'"\n\r\t\b\f]/g, (character) => ESCAPES[character] ?? character)
}

/** A quoted SOQL string literal: `O'Brien` becomes `'O\'Brien'`. */
export function soqlString(value: string): string {
  return `'${escapeSoqlString(value)}'`
}

/** A LIKE pattern matching values that start with `prefix`: `50%_off` becomes `'50\%\_off%'`. */
export function soqlStartsWith(prefix: string): string {
  return `'${escapeSoqlString(prefix).replace(/[%_]/g, (character) => `\\${character}`)}%'`
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/

/** A field API name (`Email`, `LinkedIn_URL__c`, `Account.Name`) that can be put into SOQL as it is. */
export function isSoqlFieldName(name: string): boolean {
  return FIELD_NAME.test(name)
}

/** Record ids are 15 or 18 letters and digits. */
export function isSalesforceId(id: string): boolean {
  return /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(id)
}

/** Whether two ids name the same record (an 18-character id extends the 15-character one). */
export function sameId(left: string | null | undefined, right: string | null | undefined): boolean {
  if (typeof left !== 'string' || typeof right !== 'string') return false
  return left.slice(0, 15) === right.slice(0, 15)
}
