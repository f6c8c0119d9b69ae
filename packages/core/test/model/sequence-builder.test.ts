import { describe, expect, it } from 'vitest'
import {
  channelsOf,
  formatSequence,
  parseSequence,
  sequence,
  type TemplateId,
  templates,
} from '../../src/index'
import { designSequence } from '../fixtures'
import { expectIssue, expectThrows } from '../test-helpers'

describe('sequence() builder', () => {
  it('produces the canonical JSON of the example sequence, branches included', () => {
    const built = sequence()
      .visitProfile({ id: 'visit' })
      .sendConnection({ id: 'connect', note: 'Hi {{firstName}}' })
      .condition(
        { type: 'connection_accepted', withinDays: 14 },
        {
          then: (path) =>
            path.linkedinMessage({ id: 'thanks', delay: { days: 1 }, body: 'Thanks for connecting' }),
          else: (path) =>
            path.email({ id: 'mail', subject: 'Quick question', body: 'Hi {{firstName | "there"}}' }),
        },
        { id: 'accepted' },
      )
    expect(built.toJSON()).toEqual(designSequence)
    expect(built.build()).toEqual(parseSequence(designSequence))
  })

  it('generates readable ids from step kinds when none are given', () => {
    const json = sequence()
      .visitProfile()
      .linkedinMessage({ body: 'a' })
      .linkedinMessage({ body: 'b' })
      .linkedinMessage({ body: 'c' })
      .toJSON()
    expect(Object.keys(json.steps)).toEqual([
      'visit_profile',
      'linkedin_message',
      'linkedin_message_2',
      'linkedin_message_3',
    ])
    expect(json.start).toBe('visit_profile')
  })

  it('continues both branches with the steps added after a condition', () => {
    const json = sequence()
      .condition(
        { type: 'has_mobile_phone' },
        {
          then: (path) => path.task({ id: 'call', title: 'Call' }),
          else: (path) => path.visitProfile({ id: 'visit' }),
        },
        { id: 'phone' },
      )
      .email({ id: 'mail', subject: 'Hi', body: 'Hello' })
      .toJSON()
    expect(json.steps.call).toMatchObject({ next: 'mail' })
    expect(json.steps.visit).toMatchObject({ next: 'mail' })
  })

  it('links an empty branch straight to what follows the condition', () => {
    const json = sequence()
      .condition(
        { type: 'is_connection' },
        { then: (path) => path, else: (path) => path.sendConnection({ id: 'connect' }) },
        { id: 'connected' },
      )
      .linkedinMessage({ id: 'hello', body: 'Hello' })
      .toJSON()
    expect(json.steps.connected).toMatchObject({ then: 'hello', else: 'connect' })
    expect(json.steps.connect).toMatchObject({ next: 'hello' })
  })

  it('ends a branch with end(): nothing added later attaches to it', () => {
    const json = sequence()
      .sendConnection({ id: 'connect' })
      .condition(
        { type: 'connection_accepted', withinDays: 7 },
        {
          then: (path) => path.linkedinMessage({ id: 'thanks', body: 'Thanks' }),
          else: (path) => path.end(),
        },
        { id: 'accepted' },
      )
      .linkedinMessage({ id: 'follow_up', delay: { days: 3 }, body: 'Any thoughts?' })
      .toJSON()
    expect(json.steps.accepted).toMatchObject({ then: 'thanks', else: null })
    expect(json.steps.thanks).toMatchObject({ next: 'follow_up' })
  })

  it('refuses a step after end() on the same path', () => {
    const error = expectThrows(() => sequence().visitProfile().end().visitProfile(), 'invalid_sequence')
    expectIssue(error, { rule: 'step_after_end', field: 'steps' })
  })

  it('closes the path when both branches of a condition end', () => {
    const builder = sequence().condition(
      { type: 'has_mobile_phone' },
      { then: (path) => path.task({ title: 'Call' }).end(), else: (path) => path.end() },
    )
    expectIssue(
      expectThrows(() => builder.visitProfile(), 'invalid_sequence'),
      {
        rule: 'step_after_end',
        field: 'steps',
      },
    )
  })

  it('refuses two steps with the same id', () => {
    const error = expectThrows(
      () => sequence().visitProfile({ id: 'a' }).visitProfile({ id: 'a' }),
      'invalid_sequence',
    )
    expectIssue(error, { rule: 'duplicate_step_id', field: 'steps.a', stepId: 'a' })
  })

  it('refuses to build an empty sequence', () => {
    expectIssue(
      expectThrows(() => sequence().build(), 'invalid_sequence'),
      { rule: 'no_steps', field: 'steps' },
    )
  })

  it('validates on build, with the same issues as parseSequence', () => {
    const error = expectThrows(
      () =>
        sequence()
          .sendConnection({ note: 'x'.repeat(301) })
          .build(),
      'invalid_sequence',
    )
    expectIssue(error, { rule: 'too_long', field: 'steps.send_connection.note', stepId: 'send_connection' })
  })

  it('carries the name and AI variables', () => {
    const built = sequence({
      name: 'Warm intro',
      aiVariables: { opener: { prompt: 'Mention their last post' } },
    })
      .linkedinMessage({ body: '{{ai.opener}}' })
      .build()
    expect(built.name).toBe('Warm intro')
    expect(built.aiVariables).toEqual({ opener: { prompt: 'Mention their last post' } })
  })

  it('does not share state between toJSON() copies', () => {
    const builder = sequence().visitProfile({ id: 'v' })
    const first = builder.toJSON()
    ;(first.steps.v as { next: string | null }).next = 'tampered'
    expect(builder.toJSON().steps.v).toMatchObject({ next: null })
  })
})

describe('templates', () => {
  const expectedChannels: Record<TemplateId, string[]> = {
    linkedinVoiceMessage: ['linkedin'],
    linkedinOnly: ['linkedin'],
    linkedinEmailCall: ['linkedin', 'email', 'tasks'],
    linkedinEmail: ['linkedin', 'email'],
    emailCall: ['email', 'tasks'],
    emailOnly: ['email'],
    linkedinSocialWarming: ['linkedin'],
  }

  it('offers the seven campaign templates', () => {
    expect(Object.values(templates).map((template) => template.name)).toEqual([
      'LinkedIn + Add Voice Message',
      'LinkedIn Only (New)',
      'LinkedIn + Email + Call',
      'LinkedIn + Email',
      'Email + Call',
      'Email Only',
      'LinkedIn Social Warming',
    ])
  })

  it.each(Object.keys(expectedChannels) as TemplateId[])(
    '%s is a valid sequence on the expected channels',
    (id) => {
      const template = templates[id]
      expect(parseSequence(template.sequence)).toEqual(template.sequence)
      expect(channelsOf(template.sequence)).toEqual(expectedChannels[id])
      expect(template.overview.length).toBeGreaterThan(20)
    },
  )

  it('follows the documented shapes', () => {
    const kinds = (id: TemplateId) => Object.values(templates[id].sequence.steps).map((step) => step.kind)
    expect(kinds('emailOnly')).toEqual(['email', 'email', 'email'])
    const voice = kinds('linkedinVoiceMessage')
    expect(voice.filter((kind) => kind === 'linkedin_message' || kind === 'linkedin_voice')).toEqual([
      'linkedin_message',
      'linkedin_voice',
      'linkedin_message',
    ])
    expect(kinds('linkedinSocialWarming').slice(0, 3)).toEqual([
      'visit_profile',
      'react_to_last_post',
      'send_connection',
    ])
    expect(kinds('emailCall')).toContain('task')
  })

  it('is frozen, so one caller cannot change it for the next', () => {
    expect(Object.isFrozen(templates.emailOnly.sequence.steps)).toBe(true)
    expect(templates.emailOnly).toBe(templates.emailOnly)
  })
})

describe('formatSequence', () => {
  it('prints the sequence as a tree with branches, delays and excerpts', () => {
    expect(formatSequence(parseSequence(designSequence))).toBe(
      [
        '● visit: Visit profile',
        '● connect: Send connection request "Hi {{firstName}}"',
        '◆ accepted: if connection accepted within 14 days',
        '├─ yes',
        '│  ● thanks: LinkedIn message, after 1 day "Thanks for connecting"',
        '│  ■ end',
        '└─ no',
        '   ● mail: Email [Quick question] "Hi {{firstName | "there"}}"',
        '   ■ end',
      ].join('\n'),
    )
  })

  it('prints a step shared by two branches once and points to it from the other', () => {
    const text = formatSequence(templates.emailCall.sequence)
    expect(text.match(/● call:/g)).toHaveLength(1)
    const joined = formatSequence(templates.linkedinEmailCall.sequence)
    expect(joined.match(/◆ has_phone:/g)).toHaveLength(1)
    expect(joined).toContain("↪ continues at 'has_phone' (above)")
  })
})
