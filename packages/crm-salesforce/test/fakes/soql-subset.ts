/**
 * The part of SOQL the adapter speaks, parsed as Salesforce documents it: `SELECT f, … FROM Object
 * [WHERE …] [ORDER BY f [ASC|DESC]] [LIMIT n]`, conditions with `=`, `!=`, `<`, `>`, `<=`, `>=`, `LIKE`,
 * `IN (…)`, `NOT IN (…)`, AND/OR (not mixed without parentheses), NOT, parentheses; literals: quoted strings
 * with SOQL's escape sequences (`\%` and `\_` only inside LIKE; any other backslash is an error), numbers,
 * `true`/`false`/`null`, dates and date-times. Errors are thrown as `SoqlError` with Salesforce's code.
 */

export class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message)
  }
}

export type SoqlValue =
  | {
      readonly kind: 'string'
      readonly value: string
      readonly pattern: RegExp
      readonly likeEscapes: boolean
    }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'date'; readonly value: string }
  | { readonly kind: 'datetime'; readonly value: string }

export type SoqlExpression =
  | { readonly kind: 'and' | 'or'; readonly parts: readonly SoqlExpression[] }
  | { readonly kind: 'not'; readonly part: SoqlExpression }
  | {
      readonly kind: 'compare'
      readonly field: string
      readonly operator: '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE'
      readonly value: SoqlValue
    }
  | {
      readonly kind: 'in'
      readonly field: string
      readonly negated: boolean
      readonly values: readonly SoqlValue[]
    }

export interface SoqlQuery {
  readonly fields: readonly string[]
  readonly from: string
  readonly where: SoqlExpression | undefined
  readonly orderBy: { readonly field: string; readonly descending: boolean } | undefined
  readonly limit: number | undefined
}

type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'string'; readonly value: SoqlValue & { kind: 'string' } }
  | { readonly kind: 'symbol'; readonly text: string }
  | { readonly kind: 'literal'; readonly value: SoqlValue }

const unexpected = (text: string) => new SoqlError('MALFORMED_QUERY', `unexpected token: '${text}'`)

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
}

const regexEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function readString(soql: string, start: number): { token: Token; end: number } {
  let value = ''
  let pattern = ''
  let likeEscapes = false
  let index = start + 1
  for (;;) {
    const character = soql[index]
    if (character === undefined) throw new SoqlError('MALFORMED_QUERY', 'line 1:0 mismatched character')
    if (character === "'") break
    if (character === '\\') {
      const next = soql[index + 1] ?? ''
      const simple = SIMPLE_ESCAPES[next] ?? SIMPLE_ESCAPES[next.toLowerCase()]
      if (simple !== undefined) {
        value += simple
        pattern += regexEscape(simple)
        index += 2
      } else if (next === '%' || next === '_') {
        likeEscapes = true
        value += next
        pattern += regexEscape(next)
        index += 2
      } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(soql.slice(index + 2, index + 6))) {
        const decoded = String.fromCharCode(Number.parseInt(soql.slice(index + 2, index + 6), 16))
        value += decoded
        pattern += regexEscape(decoded)
        index += 6
      } else {
        throw new SoqlError(
          'MALFORMED_QUERY',
          `Invalid string literal '\\${next}'. Illegal character sequence`,
        )
      }
      continue
    }
    value += character
    pattern += character === '%' ? '.*' : character === '_' ? '.' : regexEscape(character)
    index++
  }
  return {
    token: {
      kind: 'string',
      value: { kind: 'string', value, pattern: new RegExp(`^${pattern}$`, 'is'), likeEscapes },
    },
    end: index + 1,
  }
}

function tokenize(soql: string): Token[] {
  const tokens: Token[] = []
  let index = 0
  while (index < soql.length) {
    const rest = soql.slice(index)
    const space = /^\s+/.exec(rest)
    if (space !== null) {
      index += space[0].length
      continue
    }
    if (rest[0] === "'") {
      const { token, end } = readString(soql, index)
      tokens.push(token)
      index = end
      continue
    }
    const datetime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})/.exec(rest)
    if (datetime !== null) {
      tokens.push({ kind: 'literal', value: { kind: 'datetime', value: datetime[0] } })
      index += datetime[0].length
      continue
    }
    const date = /^\d{4}-\d{2}-\d{2}(?![\w.])/.exec(rest)
    if (date !== null) {
      tokens.push({ kind: 'literal', value: { kind: 'date', value: date[0] } })
      index += date[0].length
      continue
    }
    const number = /^-?\d+(\.\d+)?(?![\w])/.exec(rest)
    if (number !== null) {
      tokens.push({ kind: 'literal', value: { kind: 'number', value: Number(number[0]) } })
      index += number[0].length
      continue
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest)
    if (word !== null) {
      tokens.push({ kind: 'word', text: word[0] })
      index += word[0].length
      continue
    }
    const symbol = /^(<=|>=|!=|<>|=|<|>|\(|\)|,)/.exec(rest)
    if (symbol !== null) {
      tokens.push({ kind: 'symbol', text: symbol[0] === '<>' ? '!=' : symbol[0] })
      index += symbol[0].length
      continue
    }
    throw unexpected(rest[0] ?? '')
  }
  return tokens
}

const tokenText = (token: Token | undefined): string => {
  if (token === undefined) return '<EOF>'
  if (token.kind === 'word' || token.kind === 'symbol') return token.text
  if (token.kind === 'string') return `'${token.value.value}'`
  return 'value' in token.value ? String(token.value.value) : 'null'
}

class Parser {
  private position = 0
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.position]
  }

  private isWord(text: string, token = this.peek()): boolean {
    return token?.kind === 'word' && token.text.toUpperCase() === text
  }

  private isSymbol(text: string): boolean {
    const token = this.peek()
    return token?.kind === 'symbol' && token.text === text
  }

  private expectWord(text: string): void {
    if (!this.isWord(text)) throw unexpected(tokenText(this.peek()))
    this.position++
  }

  private expectSymbol(text: string): void {
    if (!this.isSymbol(text)) throw unexpected(tokenText(this.peek()))
    this.position++
  }

  private identifier(): string {
    const token = this.peek()
    if (token?.kind !== 'word') throw unexpected(tokenText(token))
    this.position++
    return token.text
  }

  query(): SoqlQuery {
    this.expectWord('SELECT')
    const fields = [this.identifier()]
    while (this.isSymbol(',')) {
      this.position++
      fields.push(this.identifier())
    }
    this.expectWord('FROM')
    const from = this.identifier()
    let where: SoqlExpression | undefined
    if (this.isWord('WHERE')) {
      this.position++
      where = this.expression()
    }
    let orderBy: SoqlQuery['orderBy']
    if (this.isWord('ORDER')) {
      this.position++
      this.expectWord('BY')
      const field = this.identifier()
      let descending = false
      if (this.isWord('ASC')) this.position++
      else if (this.isWord('DESC')) {
        descending = true
        this.position++
      }
      orderBy = { field, descending }
    }
    let limit: number | undefined
    if (this.isWord('LIMIT')) {
      this.position++
      const token = this.peek()
      if (token?.kind !== 'literal' || token.value.kind !== 'number' || !Number.isInteger(token.value.value))
        throw unexpected(tokenText(token))
      limit = token.value.value
      this.position++
    }
    if (this.peek() !== undefined) throw unexpected(tokenText(this.peek()))
    return { fields, from, where, orderBy, limit }
  }

  private expression(): SoqlExpression {
    const first = this.unary()
    const parts = [first]
    let joiner: 'and' | 'or' | undefined
    while (this.isWord('AND') || this.isWord('OR')) {
      const token = this.peek() as Token & { kind: 'word' }
      const next = token.text.toLowerCase() as 'and' | 'or'
      // SOQL wants parentheses where AND and OR meet.
      if (joiner !== undefined && joiner !== next) throw unexpected(token.text)
      joiner = next
      this.position++
      parts.push(this.unary())
    }
    return joiner === undefined ? first : { kind: joiner, parts }
  }

  private unary(): SoqlExpression {
    if (this.isWord('NOT')) {
      this.position++
      return { kind: 'not', part: this.unary() }
    }
    if (this.isSymbol('(')) {
      this.position++
      const inner = this.expression()
      this.expectSymbol(')')
      return inner
    }
    return this.condition()
  }

  private value(): SoqlValue {
    const token = this.peek()
    this.position++
    if (token?.kind === 'string') return token.value
    if (token?.kind === 'literal') return token.value
    if (token?.kind === 'word') {
      const word = token.text.toLowerCase()
      if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' }
      if (word === 'null') return { kind: 'null' }
    }
    throw unexpected(tokenText(token))
  }

  private condition(): SoqlExpression {
    const field = this.identifier()
    if (this.isWord('NOT') && this.isWord('IN', this.tokens[this.position + 1])) {
      this.position += 2
      return { kind: 'in', field, negated: true, values: this.list() }
    }
    if (this.isWord('IN')) {
      this.position++
      return { kind: 'in', field, negated: false, values: this.list() }
    }
    if (this.isWord('LIKE')) {
      this.position++
      const value = this.value()
      if (value.kind !== 'string') throw unexpected(tokenText(this.tokens[this.position - 1]))
      return { kind: 'compare', field, operator: 'LIKE', value }
    }
    const token = this.peek()
    if (token?.kind !== 'symbol' || !['=', '!=', '<', '>', '<=', '>='].includes(token.text))
      throw unexpected(tokenText(token))
    this.position++
    const value = this.value()
    if (value.kind === 'string' && value.likeEscapes)
      throw new SoqlError('MALFORMED_QUERY', 'Invalid string literal: \\% and \\_ are allowed in LIKE only')
    return { kind: 'compare', field, operator: token.text as '=', value }
  }

  private list(): SoqlValue[] {
    this.expectSymbol('(')
    const values = [this.value()]
    while (this.isSymbol(',')) {
      this.position++
      values.push(this.value())
    }
    this.expectSymbol(')')
    return values
  }
}

export function parseSoql(soql: string): SoqlQuery {
  return new Parser(tokenize(soql)).query()
}
