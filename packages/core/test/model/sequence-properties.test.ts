import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  PacelineError,
  parseSequence,
  type SequenceBuilder,
  sequence,
  validateSequence,
} from '../../src/index'
import { designSequence } from '../fixtures'

/**
 * A builder program: a list of operations, where a condition holds two nested programs. `connected` says
 * whether a connection request is certain to precede the point the operation runs at, so that generated
 * acceptance conditions are valid.
 */
type Operation =
  | { readonly op: 'action'; readonly action: Action }
  | {
      readonly op: 'condition'
      readonly condition: GeneratedCondition
      readonly then: Program
      readonly else: Program
    }
  | { readonly op: 'end' }
type Program = readonly Operation[]

type Action =
  | { kind: 'visit' }
  | { kind: 'react'; reaction: 'like' | 'celebrate' | 'most_reacted' }
  | { kind: 'connect'; note?: string }
  | { kind: 'message'; body?: string; chunks?: string[]; delayDays?: number }
  | { kind: 'inmail'; subject: string; body: string }
  | { kind: 'voice'; recording: string | undefined }
  | { kind: 'attachment'; caption?: string }
  | { kind: 'email'; subject: string; body: string; delayDays?: number }
  | { kind: 'task'; title: string }
  | { kind: 'move'; campaignId: string }

type GeneratedCondition =
  | { type: 'is_connection' | 'has_linkedin_profile' | 'has_professional_email' | 'has_mobile_phone' }
  | { type: 'has_been_contacted'; withinDays: number }
  | { type: 'connection_accepted'; withinDays: number }

// Valid step text: not blank, no braces (template syntax is tested elsewhere), one line (subjects).
const text = fc
  .string({ minLength: 1, maxLength: 40 })
  .map((value) => value.replace(/[{}\r\n]/g, 'x'))
  .filter((value) => value.trim() !== '')
const withVariable = fc
  .tuple(text, fc.constantFrom('', ' {{firstName}}', ' {{company.name | "your team"}}'))
  .map(([a, b]) => `${a}${b}`)
const days = fc.integer({ min: 0, max: 30 })

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.constant({ kind: 'visit' as const }),
  fc.record({
    kind: fc.constant('react' as const),
    reaction: fc.constantFrom('like' as const, 'celebrate' as const, 'most_reacted' as const),
  }),
  fc.record({ kind: fc.constant('connect' as const), note: fc.option(withVariable, { nil: undefined }) }),
  fc.oneof(
    fc.record({ kind: fc.constant('message' as const), body: withVariable, delayDays: days }),
    fc.record({
      kind: fc.constant('message' as const),
      chunks: fc.array(withVariable, { minLength: 1, maxLength: 4 }),
    }),
  ),
  fc.record({ kind: fc.constant('inmail' as const), subject: text, body: withVariable }),
  fc.record({
    kind: fc.constant('voice' as const),
    recording: fc.option(
      fc.constantFrom('https://files.example.com/hello.m4a', 'data:audio/mpeg;base64,SUQz'),
      {
        nil: undefined,
      },
    ),
  }),
  fc.record({
    kind: fc.constant('attachment' as const),
    caption: fc.option(withVariable, { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('email' as const),
    subject: withVariable,
    body: withVariable,
    delayDays: days,
  }),
  fc.record({ kind: fc.constant('task' as const), title: withVariable }),
  fc.record({ kind: fc.constant('move' as const), campaignId: fc.constantFrom('nurture', 'events') }),
)

const condition: fc.Arbitrary<GeneratedCondition> = fc.oneof(
  fc.record({
    type: fc.constantFrom(
      'is_connection' as const,
      'has_linkedin_profile' as const,
      'has_professional_email' as const,
      'has_mobile_phone' as const,
    ),
  }),
  fc.record({
    type: fc.constant('has_been_contacted' as const),
    withinDays: fc.integer({ min: 1, max: 90 }),
  }),
  fc.record({
    type: fc.constant('connection_accepted' as const),
    withinDays: fc.integer({ min: 1, max: 30 }),
  }),
)

const { program } = fc.letrec<{ program: Program; operation: Operation }>((tie) => ({
  program: fc.array(tie('operation'), { minLength: 0, maxLength: 5 }),
  operation: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ op: fc.constant('action' as const), action }),
    fc.record({
      op: fc.constant('condition' as const),
      condition,
      then: tie('program'),
      else: tie('program'),
    }),
    fc.constant({ op: 'end' as const }),
  ),
}))

/** Runs a program on a builder, keeping the rules that span steps (the builder's contract with its user). */
type PathState = { connected: boolean; emailed: boolean; closed: boolean }

function run(builder: SequenceBuilder, operations: Program, state: PathState): void {
  for (const operation of operations) {
    if (state.closed) return
    if (operation.op === 'end') {
      builder.end()
      state.closed = true
      return
    }
    if (operation.op === 'action') {
      apply(builder, operation.action, state)
      continue
    }
    const condition = operation.condition
    if (condition.type === 'connection_accepted' && !state.connected) {
      builder.sendConnection()
      state.connected = true
    }
    const branchStates = [{ ...state }, { ...state }] as const
    builder.condition(condition, {
      then: (path) => run(path, operation.then, branchStates[0]),
      else: (path) => run(path, operation.else, branchStates[1]),
    })
    // What follows a condition is only certain when both branches made it so.
    state.connected = branchStates[0].connected && branchStates[1].connected
    state.emailed = branchStates[0].emailed && branchStates[1].emailed
    if (branchStates[0].closed && branchStates[1].closed) {
      state.closed = true
      return
    }
  }
}

function apply(builder: SequenceBuilder, generated: Action, state: PathState): void {
  const delay = (value: number | undefined) => (value ? { delay: { days: value } } : {})
  switch (generated.kind) {
    case 'visit':
      builder.visitProfile()
      return
    case 'react':
      builder.reactToLastPost({ reaction: generated.reaction })
      return
    case 'connect':
      builder.sendConnection(generated.note === undefined ? {} : { note: generated.note })
      state.connected = true
      return
    case 'message':
      builder.linkedinMessage(
        generated.chunks !== undefined
          ? { chunks: generated.chunks }
          : { body: generated.body ?? 'hi', ...delay(generated.delayDays) },
      )
      return
    case 'inmail':
      builder.linkedinInmail({ subject: generated.subject, body: generated.body })
      return
    case 'voice':
      // A draft may wait for its recording.
      builder.linkedinVoice(generated.recording === undefined ? {} : { audio: { url: generated.recording } })
      return
    case 'attachment':
      builder.linkedinAttachment({
        attachment: { url: 'https://files.example.com/deck.pdf' },
        ...(generated.caption === undefined ? {} : { body: generated.caption }),
      })
      return
    case 'email':
      // Follow-ups may reply in thread; the first email on a path needs its own subject.
      builder.email(
        state.emailed
          ? { body: generated.body, ...delay(generated.delayDays) }
          : { subject: generated.subject, body: generated.body, ...delay(generated.delayDays) },
      )
      state.emailed = true
      return
    case 'task':
      builder.task({ title: generated.title })
      return
    case 'move':
      // Moving the lead into another campaign ends the path.
      builder.addToCampaign({ campaignId: generated.campaignId })
      state.closed = true
  }
}

describe('sequence properties', () => {
  it('every sequence the builder produces parses, and parses to what build() returned', () => {
    fc.assert(
      fc.property(action, program, (first, operations) => {
        const builder = sequence()
        const state = { connected: false, emailed: false, closed: false }
        apply(builder, first, state)
        run(builder, operations, state)
        const built = builder.build()
        expect(parseSequence(builder.toJSON())).toEqual(built)
        expect(parseSequence(JSON.parse(JSON.stringify(built)))).toEqual(built)
      }),
      { numRuns: 400 },
    )
  })

  it('parseSequence throws nothing but PacelineError on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = validateSequence(value)
        if (!result.ok) {
          expect(result.error).toBeInstanceOf(PacelineError)
          expect(result.error.code).toBe('invalid_sequence')
          expect(result.error.issues.length).toBeGreaterThan(0)
        }
        try {
          parseSequence(value)
        } catch (error) {
          expect(error).toBeInstanceOf(PacelineError)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('parseSequence throws nothing but PacelineError on JSON text, valid or not', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (textValue) => {
        const result = validateSequence(textValue)
        if (!result.ok) expect(result.error).toBeInstanceOf(PacelineError)
      }),
      { numRuns: 500 },
    )
  })

  it('parseSequence throws nothing but PacelineError on mutations of a valid sequence', () => {
    const paths = fc.constantFrom('start', 'steps', 'visit', 'connect', 'accepted', 'thanks', 'mail')
    fc.assert(
      fc.property(
        paths,
        fc.constantFrom('kind', 'next', 'then', 'else', 'note', 'if', 'delay', 'body'),
        fc.jsonValue(),
        (target, field, value) => {
          const copy = structuredClone(designSequence) as unknown as Record<
            string,
            Record<string, Record<string, unknown>>
          >
          if (target === 'start' || target === 'steps') (copy as Record<string, unknown>)[target] = value
          else {
            const step = copy.steps?.[target]
            if (step !== undefined) step[field] = value
          }
          const result = validateSequence(copy)
          if (!result.ok) {
            expect(result.error).toBeInstanceOf(PacelineError)
            for (const found of result.error.issues) expect(typeof found.rule).toBe('string')
          }
        },
      ),
      { numRuns: 1000 },
    )
  })
})
