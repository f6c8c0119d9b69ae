import { describe, expect, it } from 'vitest'
import { defineLead, parseTemplate, renderMessage, templateVariables } from '../../src/index'
import { expectFailure, expectSuccess } from '../test-helpers'

const lead = defineLead({
  id: 'lead-1',
  profile: { firstName: 'Eva', lastName: 'Lind', company: 'Northwind', jobTitle: 'Head of Ops', seats: 42 },
})

describe('renderMessage', () => {
  it('fills variables from the lead profile, including nested paths and custom fields', () => {
    expect(expectSuccess(renderMessage('Hi {{firstName}} at {{company.name}} ({{seats}} seats)', lead))).toBe(
      'Hi Eva at Northwind (42 seats)',
    )
  })

  it('reads a plain record as well as a lead', () => {
    expect(expectSuccess(renderMessage('Hi {{firstName}}', { firstName: 'Bo' }))).toBe('Hi Bo')
  })

  it('uses the fallback when the value is missing or blank', () => {
    const blank = defineLead({ id: 'x', profile: { firstName: '   ' } })
    expect(expectSuccess(renderMessage('Hi {{firstName | "there"}}', blank))).toBe('Hi there')
    expect(expectSuccess(renderMessage("Hi {{ nickname | 'friend' }}", lead))).toBe('Hi friend')
    expect(expectSuccess(renderMessage('{{x | ""}}done', lead))).toBe('done')
  })

  it('prefers the value to the fallback', () => {
    expect(expectSuccess(renderMessage('Hi {{firstName | "there"}}', lead))).toBe('Hi Eva')
  })

  it('returns a typed failure naming every missing variable, never an empty gap', () => {
    const error = expectFailure(
      renderMessage('Hi {{nickname}}, {{company.size}} and {{nickname}}', lead),
      'missing_variable',
    )
    expect(error.details.variables).toEqual(['nickname', 'company.size'])
    expect(error.message).toContain('{{nickname}}')
  })

  it('treats objects as missing: {{company}} must name a field', () => {
    const error = expectFailure(renderMessage('At {{company}}', lead), 'missing_variable')
    expect(error.details.variables).toEqual(['company'])
  })

  it('reads AI variables and sender details from the options', () => {
    const text = renderMessage('{{ai.opener}} I am {{sender.firstName}}.', lead, {
      ai: { opener: 'Loved your post.' },
      sender: { firstName: 'Ana' },
    })
    expect(expectSuccess(text)).toBe('Loved your post. I am Ana.')
    expect(expectFailure(renderMessage('{{ai.opener}}', lead), 'missing_variable').details.variables).toEqual(
      ['ai.opener'],
    )
  })

  it('folds line breaks in values that go into a header', () => {
    const sneaky = defineLead({ id: 'y', profile: { firstName: 'Eva\r\nBcc: all@corp.example' } })
    const subject = expectSuccess(renderMessage('Hello {{firstName}}', sneaky, { target: 'header' }))
    expect(subject).toBe('Hello Eva Bcc: all@corp.example')
    expect(subject).not.toMatch(/[\r\n]/)
    expect(expectSuccess(renderMessage('Hello {{firstName}}', sneaky))).toContain('\r\n')
  })

  it('refuses a header template that itself spans lines', () => {
    expectFailure(renderMessage('Hello\nthere', lead, { target: 'header' }), 'unsafe_header_value')
  })

  it('escapes substituted values, not the template text, when asked', () => {
    const html = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;')
    const risky = defineLead({ id: 'z', profile: { company: 'Tom & <Jerry>' } })
    expect(expectSuccess(renderMessage('<b>{{company.name}}</b>', risky, { escape: html }))).toBe(
      '<b>Tom &amp; &lt;Jerry></b>',
    )
  })

  it('returns invalid_template for a syntax error', () => {
    expectFailure(renderMessage('Hi {{firstName', lead), 'invalid_template')
  })

  it('does not read inherited properties', () => {
    expect(expectFailure(renderMessage('{{toString}}', {}), 'missing_variable').details.variables).toEqual([
      'toString',
    ])
  })
})

describe('template syntax', () => {
  it('lists the variables a template uses', () => {
    expect(templateVariables('Hi {{firstName | "there"}} at {{company.name}}, {{firstName}}')).toEqual([
      'firstName',
      'company.name',
    ])
  })

  it('keeps braces inside quoted fallbacks', () => {
    const parsed = parseTemplate('{{x | "a }} b"}}!')
    expect(parsed).toEqual({
      ok: true,
      parts: [
        { type: 'variable', name: 'x', path: ['x'], fallback: 'a }} b' },
        { type: 'text', text: '!' },
      ],
    })
  })

  it('supports escaped quotes in fallbacks', () => {
    expect(expectSuccess(renderMessage('{{x | "say \\"hi\\""}}', {}))).toBe('say "hi"')
  })

  it.each([
    ['Hi {{firstName', 'unclosed_placeholder'],
    ['Hi {{ }}', 'empty_placeholder'],
    ['Hi {{first name}}', 'invalid_variable_name'],
    ['Hi {{a..b}}', 'invalid_variable_name'],
    ['Hi {{firstName | there}}', 'invalid_fallback'],
    ['Hi {{firstName | "a" "b"}}', 'invalid_fallback'],
    ['Hi {{firstName | "open}}', 'unclosed_placeholder'],
    ['Hi {{a {{b}}', 'unclosed_placeholder'],
  ])('reports %j as %s', (template, rule) => {
    const parsed = parseTemplate(template)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) expect(parsed.problems[0]?.rule).toBe(rule)
  })

  it('treats a lone closing brace pair as text', () => {
    expect(expectSuccess(renderMessage('a }} b', {}))).toBe('a }} b')
  })
})
