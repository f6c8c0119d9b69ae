import { describe, expect, it } from 'vitest'
import {
  channelsOf,
  MAX_SEQUENCE_JSON_LENGTH,
  MAX_STEPS,
  PacelineError,
  parseSequence,
  type SequenceInput,
  sequenceJsonSchema,
  validateSequence,
} from '../../src/index'
import { designSequence, designWith } from '../fixtures'
import { expectFailure, expectIssue, expectThrows } from '../test-helpers'

function rejected(input: unknown, options?: Parameters<typeof validateSequence>[1]) {
  return expectFailure(validateSequence(input, options), 'invalid_sequence')
}

/** A one-step sequence around `step`, for rules about a single step. */
function single(step: Record<string, unknown>): Record<string, unknown> {
  const withNext = step.kind === 'condition' ? step : { next: null, ...step }
  return { version: 1, start: 's', steps: { s: withNext } }
}

describe('parseSequence', () => {
  it('parses the canonical example sequence and applies defaults', () => {
    const sequence = parseSequence(designSequence)
    expect(sequence.start).toBe('visit')
    expect(Object.keys(sequence.steps)).toEqual(['visit', 'connect', 'accepted', 'thanks', 'mail'])
    expect(sequence.steps.accepted).toEqual(designSequence.steps.accepted)
    expect(channelsOf(sequence)).toEqual(['linkedin', 'email'])
  })

  it('parses JSON text as well as objects', () => {
    expect(parseSequence(JSON.stringify(designSequence))).toEqual(parseSequence(designSequence))
  })

  it('fills in defaults (reaction like, task type todo, contacted on any channel)', () => {
    const sequence = parseSequence({
      version: 1,
      start: 'react',
      steps: {
        react: { kind: 'react_to_last_post', next: 'contacted' },
        contacted: { kind: 'condition', if: { type: 'has_been_contacted' }, then: null, else: 'call' },
        call: { kind: 'task', title: 'Call {{firstName}}', next: null },
      },
    })
    expect(sequence.steps.react).toMatchObject({ reaction: 'like' })
    expect(sequence.steps.contacted).toMatchObject({ if: { type: 'has_been_contacted', channel: 'any' } })
    expect(sequence.steps.call).toMatchObject({ type: 'todo' })
    expect(channelsOf(sequence)).toEqual(['linkedin', 'tasks'])
  })

  it('accepts every action and condition a sequence can use', () => {
    const sequence = parseSequence({
      version: 1,
      start: 'has_profile',
      aiVariables: { opener: { prompt: 'One sentence about their last post', maxLength: 200 } },
      steps: {
        has_profile: {
          kind: 'condition',
          if: { type: 'has_linkedin_profile' },
          then: 'visit',
          else: 'has_email',
        },
        visit: { kind: 'visit_profile', next: 'react' },
        react: { kind: 'react_to_last_post', reaction: 'most_reacted', next: 'connected' },
        connected: { kind: 'condition', if: { type: 'is_connection' }, then: 'message', else: 'connect' },
        connect: { kind: 'send_connection', next: 'accepted' },
        accepted: {
          kind: 'condition',
          if: { type: 'connection_accepted', withinDays: 15 },
          then: 'message',
          else: 'inmail',
        },
        message: {
          kind: 'linkedin_message',
          chunks: ['hi {{firstName}}', '{{ai.opener}}'],
          next: 'attachment',
        },
        attachment: {
          kind: 'linkedin_attachment',
          attachment: { url: 'https://files.example.com/deck.pdf', name: 'deck.pdf' },
          body: 'Our deck',
          next: 'voice',
        },
        voice: {
          kind: 'linkedin_voice',
          audio: { url: 'https://files.example.com/hello.mp3' },
          next: 'has_email',
        },
        inmail: {
          kind: 'linkedin_inmail',
          subject: 'Hello {{firstName}}',
          ai: { prompt: 'Write a short InMail' },
          next: 'has_email',
        },
        has_email: {
          kind: 'condition',
          if: { type: 'has_professional_email' },
          then: 'contacted',
          else: 'phone',
        },
        contacted: {
          kind: 'condition',
          if: { type: 'has_been_contacted', withinDays: 30, channel: 'email' },
          then: 'phone',
          else: 'email',
        },
        email: { kind: 'email', subject: 'Hi', body: 'Hello {{firstName | "there"}}', next: 'phone' },
        phone: { kind: 'condition', if: { type: 'has_mobile_phone' }, then: 'call', else: 'custom' },
        call: { kind: 'task', type: 'call', title: 'Call', dueInDays: 1, next: null },
        custom: {
          kind: 'condition',
          if: {
            type: 'custom',
            match: 'any',
            rules: [
              { field: 'company.size', operator: 'greater_than', value: 50 },
              {
                match: 'all',
                rules: [
                  { field: 'jobTitle', operator: 'contains', value: 'head' },
                  { field: 'location', operator: 'is_not_empty' },
                ],
              },
            ],
          },
          then: 'move',
          else: null,
        },
        move: { kind: 'add_to_campaign', campaignId: 'nurture', next: null },
      },
    })
    expect(Object.keys(sequence.steps)).toHaveLength(17)
    expect(channelsOf(sequence)).toEqual(['linkedin', 'email', 'tasks'])
  })

  it('throws a PacelineError with code invalid_sequence listing every issue', () => {
    const error = expectThrows(
      () =>
        parseSequence(
          designWith((steps) => {
            steps.connect = { ...steps.connect, note: 'x'.repeat(301) }
            steps.thanks = { ...steps.thanks, next: 'nowhere' }
          }),
        ),
      'invalid_sequence',
    )
    expect(error.issues).toHaveLength(2)
    expect(error.message).toContain('steps.connect.note')
    expect(error.message).toContain('steps.thanks.next')
  })
})

describe('graph rules', () => {
  it('rejects a cycle, naming the step that loops back and the loop', () => {
    const error = rejected(designWith((steps) => (steps.thanks = { ...steps.thanks, next: 'visit' })))
    const found = expectIssue(error, { rule: 'cycle', field: 'steps.thanks.next', stepId: 'thanks' })
    expect(found.message).toContain('visit → connect → accepted → thanks → visit')
  })

  it('rejects a step that points to itself', () => {
    expectIssue(rejected(single({ kind: 'visit_profile', next: 's' })), {
      rule: 'cycle',
      field: 'steps.s.next',
      stepId: 's',
    })
  })

  it('rejects a dangling next', () => {
    const error = rejected(designWith((steps) => (steps.visit = { ...steps.visit, next: 'conect' })))
    expectIssue(error, { rule: 'dangling_reference', field: 'steps.visit.next', stepId: 'visit' })
  })

  it('rejects a dangling branch', () => {
    const error = rejected(designWith((steps) => (steps.accepted = { ...steps.accepted, else: 'gone' })))
    expectIssue(error, { rule: 'dangling_reference', field: 'steps.accepted.else', stepId: 'accepted' })
  })

  it('rejects a condition with one branch', () => {
    const error = rejected(
      designWith((steps) => {
        const { else: _dropped, ...rest } = steps.accepted as Record<string, unknown>
        steps.accepted = rest
      }),
    )
    expectIssue(error, { rule: 'missing_branch', field: 'steps.accepted.else', stepId: 'accepted' })
  })

  it('rejects an action without next', () => {
    const error = rejected(
      designWith((steps) => {
        const { next: _dropped, ...rest } = steps.visit as Record<string, unknown>
        steps.visit = rest
      }),
    )
    expectIssue(error, { rule: 'missing_next', field: 'steps.visit.next', stepId: 'visit' })
  })

  it('rejects a start that names no step', () => {
    expectIssue(rejected({ ...designSequence, start: 'begin' }), { rule: 'unknown_start', field: 'start' })
  })

  it('rejects an empty sequence', () => {
    expectIssue(rejected({ version: 1, start: 'a', steps: {} }), { rule: 'unknown_start', field: 'start' })
  })

  it('rejects a step that cannot be reached from the start', () => {
    const error = rejected(designWith((steps) => (steps.orphan = { kind: 'visit_profile', next: null })))
    expectIssue(error, { rule: 'unreachable_step', field: 'steps.orphan', stepId: 'orphan' })
  })

  it('accepts branches that join again (a diamond is not a cycle)', () => {
    const sequence = parseSequence({
      version: 1,
      start: 'check',
      steps: {
        check: { kind: 'condition', if: { type: 'has_mobile_phone' }, then: 'call', else: 'visit' },
        call: { kind: 'task', title: 'Call', next: 'visit' },
        visit: { kind: 'visit_profile', next: null },
      },
    })
    expect(Object.keys(sequence.steps)).toHaveLength(3)
  })

  it('lets the AI write the subject of an email it writes that opens the thread', () => {
    const parsed = parseSequence(single({ kind: 'email', ai: { prompt: 'Ask about their month-end close' } }))
    expect(parsed.steps.s).toMatchObject({ kind: 'email', ai: { prompt: 'Ask about their month-end close' } })
  })

  it(`rejects more than ${MAX_STEPS} steps`, () => {
    const steps: Record<string, unknown> = {}
    for (let i = 0; i <= MAX_STEPS; i++)
      steps[`s${i}`] = { kind: 'visit_profile', next: i < MAX_STEPS ? `s${i + 1}` : null }
    expectIssue(rejected({ version: 1, start: 's0', steps }), { rule: 'too_many_steps', field: 'steps' })
  })

  it('reports every problem in one round: a wrong step shape does not hide graph and text problems', () => {
    const error = rejected({
      version: 1,
      start: 'visit',
      steps: {
        visit: { kind: 'visit_profile', next: 'msg' },
        msg: { kind: 'linkedin_mesage', body: 'Hi', next: 'follow_up' },
        follow_up: { kind: 'email', subject: 'Hi {{firstName', body: 'Hello', next: 'nowhere' },
        orphan: { kind: 'email', body: 'x', next: null },
      },
    })
    expect(error.issues.map((each) => [each.stepId, each.rule])).toEqual([
      ['msg', 'invalid_value'],
      ['follow_up', 'invalid_template'],
      ['follow_up', 'dangling_reference'],
      ['orphan', 'unreachable_step'],
    ])
    // A step whose shape is wrong still stands in the graph: what it points to is reachable, what points
    // to it is not dangling.
    expect(error.issues.some((each) => each.stepId === 'visit')).toBe(false)
  })

  it('suggests the name that was meant: step kinds, fields, step references and the start', () => {
    const error = rejected({
      version: 1,
      start: 'vist',
      steps: {
        visit: { kind: 'visit_profile', next: 'msg', delya: { days: 1 } },
        msg: { kind: 'linkedin_mesage', body: 'Hi', next: 'folow_up' },
        follow_up: { kind: 'email', subjetc: 'Hi', body: 'x', next: null },
      },
    })
    const messages = Object.fromEntries(error.issues.map((each) => [each.field, each.message]))
    expect(messages['steps.msg.kind']).toMatch(/got "linkedin_mesage" \(did you mean "linkedin_message"\?\)$/)
    expect(messages['steps.visit.delya']).toBe(
      'is not a known field (did you mean `delay`?); remove it or check its spelling',
    )
    expect(messages['steps.follow_up.subjetc']).toMatch(/did you mean `subject`/)
    expect(messages['steps.msg.next']).toMatch(
      /'folow_up', which does not exist \(did you mean 'follow_up'\?\)/,
    )
    expect(messages.start).toMatch(/did you mean 'visit'/)
    // Nothing is suggested when nothing is close.
    const far = rejected(single({ kind: 'zebra' }))
    expect(far.issues[0]?.message).not.toMatch(/did you mean/)
  })

  it('refuses a huge document before reading its steps or parsing its text', () => {
    const steps: Record<string, unknown> = {}
    for (let i = 0; i < 100_000; i++) steps[`s${i}`] = { kind: 'visit_profile', next: `s${i + 1}` }
    // Every step throws when read: the refusal must come from counting the keys, not from walking them.
    const untouchable = new Proxy(steps, {
      get() {
        throw new Error('a step was read')
      },
    })
    const byCount = expectIssue(rejected({ version: 1, start: 's0', steps: untouchable }), {
      rule: 'too_many_steps',
      field: 'steps',
    })
    expect(byCount.message).toBe(`has 100000 steps; the most a sequence may have is ${MAX_STEPS}`)
    // Text over the size limit is refused without JSON.parse: an unparseable tail is never reached.
    const text = `{"version":1,"steps":{${'"s":{},'.repeat(MAX_SEQUENCE_JSON_LENGTH / 7)}`
    const bySize = expectIssue(rejected(text), { rule: 'too_large', field: '' })
    expect(bySize.message).toMatch(/a sequence document may have at most 5000000/)
  })

  it('validates a long linear sequence without recursion limits', () => {
    const steps: Record<string, unknown> = {}
    for (let i = 0; i < MAX_STEPS; i++)
      steps[`s${i}`] = { kind: 'visit_profile', next: i < MAX_STEPS - 1 ? `s${i + 1}` : null }
    expect(Object.keys(parseSequence({ version: 1, start: 's0', steps }).steps)).toHaveLength(MAX_STEPS)
  })
})

describe('text limits', () => {
  it('rejects a 301-character connection note and accepts 300', () => {
    const error = rejected(single({ kind: 'send_connection', note: 'x'.repeat(301) }))
    const found = expectIssue(error, { rule: 'too_long', field: 'steps.s.note', stepId: 's' })
    expect(found.message).toBe('is 301 characters; the connection note limit is 300')
    expect(() => parseSequence(single({ kind: 'send_connection', note: 'x'.repeat(300) }))).not.toThrow()
  })

  it('rejects an InMail subject over 200 and a body over 1,900 characters', () => {
    const error = rejected(
      single({ kind: 'linkedin_inmail', subject: 's'.repeat(201), body: 'b'.repeat(1901) }),
    )
    expectIssue(error, { rule: 'too_long', field: 'steps.s.subject', stepId: 's' })
    expectIssue(error, { rule: 'too_long', field: 'steps.s.body', stepId: 's' })
  })

  it('checks each chunk of a chunked LinkedIn message', () => {
    const error = rejected(single({ kind: 'linkedin_message', chunks: ['hi', 'y'.repeat(8001)] }))
    expectIssue(error, { rule: 'too_long', field: 'steps.s.chunks[1]', stepId: 's' })
  })

  it('takes configurable limits', () => {
    const note = single({ kind: 'send_connection', note: 'x'.repeat(250) })
    expect(() => parseSequence(note)).not.toThrow()
    const error = rejected(note, { limits: { connectionNote: 200 } })
    expect(expectIssue(error, { rule: 'too_long', field: 'steps.s.note' }).message).toContain('limit is 200')
  })
})

describe('message content rules', () => {
  const cases: { name: string; step: Record<string, unknown>; rule: string; field: string }[] = [
    {
      name: 'a LinkedIn message with no content',
      step: { kind: 'linkedin_message' },
      rule: 'content_required',
      field: 'steps.s',
    },
    {
      name: 'a LinkedIn message with both a body and chunks',
      step: { kind: 'linkedin_message', body: 'a', chunks: ['b'] },
      rule: 'conflicting_content',
      field: 'steps.s.chunks',
    },
    {
      name: 'an email with both a body and an AI prompt',
      step: { kind: 'email', subject: 'Hi', body: 'a', ai: { prompt: 'p' } },
      rule: 'conflicting_content',
      field: 'steps.s.ai',
    },
    {
      name: 'an email with no body',
      step: { kind: 'email', subject: 'Hi' },
      rule: 'content_required',
      field: 'steps.s',
    },
    {
      name: 'a voice message given as a script (LinkedIn sends recordings)',
      step: { kind: 'linkedin_voice', body: 'Hi there' },
      rule: 'voice_needs_recording',
      field: 'steps.s.body',
    },
    {
      name: 'a voice message written by AI',
      step: { kind: 'linkedin_voice', ai: { prompt: 'Say hi' } },
      rule: 'voice_needs_recording',
      field: 'steps.s.ai',
    },
    {
      name: 'a recording uploaded as something other than audio',
      step: { kind: 'linkedin_voice', audio: { url: 'data:text/plain;base64,aGk=' } },
      rule: 'unsupported_audio',
      field: 'steps.s.audio.url',
    },
    {
      name: 'a recording at an ftp URL',
      step: { kind: 'linkedin_voice', audio: { url: 'ftp://files.example.com/hi.m4a' } },
      rule: 'unsupported_url',
      field: 'steps.s.audio.url',
    },
    {
      name: 'an uploaded recording over 5 MB',
      step: { kind: 'linkedin_voice', audio: { url: `data:audio/mpeg;base64,${'A'.repeat(7_000_004)}` } },
      rule: 'too_large',
      field: 'steps.s.audio.url',
    },
    {
      name: 'an attachment captioned twice',
      step: {
        kind: 'linkedin_attachment',
        attachment: { url: 'https://x.io/a.pdf' },
        body: 'a',
        ai: { prompt: 'p' },
      },
      rule: 'conflicting_content',
      field: 'steps.s.ai',
    },
    {
      name: 'an attachment without a URL',
      step: { kind: 'linkedin_attachment', attachment: { name: 'a.pdf' } },
      rule: 'required',
      field: 'steps.s.attachment.url',
    },
    {
      name: 'an email body that is only spaces',
      step: { kind: 'email', subject: 'Hi', body: '   ' },
      rule: 'empty_message',
      field: 'steps.s.body',
    },
    {
      name: 'a task without a title',
      step: { kind: 'task', title: '' },
      rule: 'required',
      field: 'steps.s.title',
    },
    {
      name: 'an empty AI prompt',
      step: { kind: 'linkedin_message', ai: { prompt: '' } },
      rule: 'required',
      field: 'steps.s.ai.prompt',
    },
    {
      name: 'a template with an unclosed placeholder',
      step: { kind: 'linkedin_message', body: 'Hi {{firstName' },
      rule: 'invalid_template',
      field: 'steps.s.body',
    },
    {
      name: 'a fallback without quotes',
      step: { kind: 'linkedin_message', body: 'Hi {{firstName | there}}' },
      rule: 'invalid_template',
      field: 'steps.s.body',
    },
    {
      name: 'an AI variable that is not defined',
      step: { kind: 'linkedin_message', body: '{{ai.opener}}' },
      rule: 'unknown_ai_variable',
      field: 'steps.s.body',
    },
    {
      name: 'an email subject on two lines',
      step: { kind: 'email', subject: 'Hi\nBcc: x@y.io', body: 'b' },
      rule: 'unsafe_header_value',
      field: 'steps.s.subject',
    },
    {
      name: 'an InMail without a subject',
      step: { kind: 'linkedin_inmail', body: 'b' },
      rule: 'missing_subject',
      field: 'steps.s.subject',
    },
    {
      name: 'an email without a subject that starts a thread',
      step: { kind: 'email', body: 'b' },
      rule: 'missing_subject',
      field: 'steps.s.subject',
    },
    {
      name: 'an unknown reaction',
      step: { kind: 'react_to_last_post', reaction: 'wow' },
      rule: 'invalid_value',
      field: 'steps.s.reaction',
    },
    {
      name: 'a delay with no unit',
      step: { kind: 'visit_profile', delay: {} },
      rule: 'required',
      field: 'steps.s.delay',
    },
    {
      name: 'a negative delay',
      step: { kind: 'visit_profile', delay: { days: -1 } },
      rule: 'too_small',
      field: 'steps.s.delay.days',
    },
    {
      name: 'a delay in weeks (unknown unit)',
      step: { kind: 'visit_profile', delay: { weeks: 1 } },
      rule: 'unknown_field',
      field: 'steps.s.delay.weeks',
    },
    {
      name: 'a connection_accepted condition without a window',
      step: { kind: 'condition', if: { type: 'connection_accepted' }, then: null, else: null },
      rule: 'required',
      field: 'steps.s.if.withinDays',
    },
    {
      name: 'an unknown condition type',
      step: { kind: 'condition', if: { type: 'likes_cats' }, then: null, else: null },
      rule: 'invalid_value',
      field: 'steps.s.if.type',
    },
    {
      name: 'a custom rule comparing text with greater_than',
      step: {
        kind: 'condition',
        if: { type: 'custom', rules: [{ field: 'company.size', operator: 'greater_than', value: 'big' }] },
        then: null,
        else: null,
      },
      rule: 'invalid_rule',
      field: 'steps.s.if.rules[0].value',
    },
    {
      name: 'a custom rule without a value',
      step: {
        kind: 'condition',
        if: { type: 'custom', rules: [{ field: 'jobTitle', operator: 'equals' }] },
        then: null,
        else: null,
      },
      rule: 'invalid_rule',
      field: 'steps.s.if.rules[0].value',
    },
    {
      name: 'a custom rule with a value on is_empty',
      step: {
        kind: 'condition',
        if: { type: 'custom', rules: [{ field: 'jobTitle', operator: 'is_empty', value: 'x' }] },
        then: null,
        else: null,
      },
      rule: 'invalid_rule',
      field: 'steps.s.if.rules[0].value',
    },
    {
      name: 'a custom rule with in but no list',
      step: {
        kind: 'condition',
        if: {
          type: 'custom',
          rules: [{ match: 'all', rules: [{ field: 'country', operator: 'in', value: 'ES' }] }],
        },
        then: null,
        else: null,
      },
      rule: 'invalid_rule',
      field: 'steps.s.if.rules[0].rules[0].value',
    },
    {
      name: 'a custom condition with no rules',
      step: { kind: 'condition', if: { type: 'custom', rules: [] }, then: null, else: null },
      rule: 'too_few',
      field: 'steps.s.if.rules',
    },
    {
      name: 'a condition with next instead of branches',
      step: { kind: 'condition', if: { type: 'is_connection' }, then: null, else: null, next: null },
      rule: 'unknown_field',
      field: 'steps.s.next',
    },
    {
      name: 'an unknown step kind',
      step: { kind: 'send_fax' },
      rule: 'invalid_value',
      field: 'steps.s.kind',
    },
    {
      name: 'a step without a kind',
      step: {},
      rule: 'required',
      field: 'steps.s.kind',
    },
    {
      name: 'an unknown field on a step',
      step: { kind: 'visit_profile', wait: 3 },
      rule: 'unknown_field',
      field: 'steps.s.wait',
    },
    {
      name: 'add to campaign without a campaign',
      step: { kind: 'add_to_campaign' },
      rule: 'required',
      field: 'steps.s.campaignId',
    },
  ]

  it.each(cases)('rejects $name', ({ step, rule, field }) => {
    expectIssue(rejected(single(step)), { rule, field, stepId: 's' })
  })

  it('accepts an email without a subject when every path to it passes an earlier email (threaded reply)', () => {
    const sequence = parseSequence({
      version: 1,
      start: 'first',
      steps: {
        first: { kind: 'email', subject: 'Hello', body: 'a', next: 'follow' },
        follow: { kind: 'email', delay: { days: 3 }, body: 'b', next: null },
      },
    })
    expect(sequence.steps.follow).not.toHaveProperty('subject')
  })

  it('rejects a subjectless email that one branch reaches without an earlier email', () => {
    const error = rejected({
      version: 1,
      start: 'check',
      steps: {
        check: { kind: 'condition', if: { type: 'has_professional_email' }, then: 'first', else: 'follow' },
        first: { kind: 'email', subject: 'Hello', body: 'a', next: 'follow' },
        follow: { kind: 'email', body: 'b', next: null },
      },
    })
    expectIssue(error, { rule: 'missing_subject', field: 'steps.follow.subject', stepId: 'follow' })
  })

  it('rejects an acceptance condition that some path reaches without a connection request', () => {
    const error = rejected({
      version: 1,
      start: 'check',
      steps: {
        check: { kind: 'condition', if: { type: 'is_connection' }, then: 'accepted', else: 'connect' },
        connect: { kind: 'send_connection', next: 'accepted' },
        accepted: {
          kind: 'condition',
          if: { type: 'connection_accepted', withinDays: 7 },
          then: null,
          else: null,
        },
      },
    })
    expectIssue(error, {
      rule: 'connection_request_required',
      field: 'steps.accepted.if',
      stepId: 'accepted',
    })
  })

  it('accepts AI variables that are defined', () => {
    const sequence = parseSequence({
      version: 1,
      start: 's',
      aiVariables: { opener: { prompt: 'Say hi' } },
      steps: { s: { kind: 'linkedin_message', body: '{{ai.opener}} {{firstName | "there"}}', next: null } },
    })
    expect(sequence.aiVariables).toEqual({ opener: { prompt: 'Say hi' } })
  })
})

describe('document rules', () => {
  it('rejects an unsupported version', () => {
    expectIssue(rejected({ ...designSequence, version: 2 }), { rule: 'invalid_value', field: 'version' })
  })

  it('rejects a step id with spaces', () => {
    const error = rejected({
      version: 1,
      start: 'a b',
      steps: { 'a b': { kind: 'visit_profile', next: null } },
    })
    expect(error.issues.some((each) => each.field === 'start' && each.rule === 'invalid_format')).toBe(true)
  })

  it('rejects unknown top-level fields', () => {
    expectIssue(rejected({ ...designSequence, steps2: {} }), { rule: 'unknown_field', field: 'steps2' })
  })

  it('rejects invalid JSON text with a PacelineError', () => {
    expectIssue(rejected('{"version": 1,'), { rule: 'invalid_json', field: '' })
  })

  it('rejects absurdly deep input before validating it', () => {
    let deep: unknown = {}
    for (let i = 0; i < 100; i++) deep = { nested: deep }
    expectIssue(rejected({ ...designSequence, steps: deep }), { rule: 'too_deep', field: '' })
  })

  it('rejects input whose properties cannot be read, with a PacelineError', () => {
    const hostile = Object.defineProperty({ version: 1, start: 's' }, 'steps', {
      enumerable: true,
      get() {
        throw new Error('boom')
      },
    })
    const error = rejected(hostile)
    expect(error).toBeInstanceOf(PacelineError)
    expect(error.issues[0]?.rule).toBe('unreadable_input')
  })

  it.each([null, undefined, 42, [], 'plain text', true])('rejects %j', (input) => {
    expect(rejected(input).issues.length).toBeGreaterThan(0)
  })
})

describe('sequenceJsonSchema', () => {
  it('describes the document for editors, including every step kind', () => {
    const schema = sequenceJsonSchema()
    const text = JSON.stringify(schema)
    for (const kind of [
      'visit_profile',
      'linkedin_voice',
      'add_to_campaign',
      'condition',
      'connection_accepted',
    ]) {
      expect(text).toContain(`"${kind}"`)
    }
    expect(schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['version', 'start', 'steps']),
    })
  })
})

describe('channelsOf', () => {
  it('derives LinkedIn from acceptance conditions and tasks from task steps', () => {
    const only = (step: Record<string, unknown>) => channelsOf(parseSequence(single(step) as SequenceInput))
    expect(only({ kind: 'task', title: 'Call' })).toEqual(['tasks'])
    expect(only({ kind: 'condition', if: { type: 'is_connection' }, then: null, else: null })).toEqual([
      'linkedin',
    ])
    expect(only({ kind: 'condition', if: { type: 'has_mobile_phone' }, then: null, else: null })).toEqual([])
    expect(only({ kind: 'email', subject: 'Hi', body: 'b' })).toEqual(['email'])
  })
})
