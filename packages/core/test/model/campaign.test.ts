import { describe, expect, it } from 'vitest'
import {
  archiveCampaign,
  CAMPAIGN_STATUSES,
  CAMPAIGN_TRANSITIONS,
  type Campaign,
  type CampaignStatus,
  campaignWarnings,
  defineCampaign,
  defineIdentity,
  duplicateCampaign,
  isCampaignDue,
  launchCampaign,
  pauseCampaign,
  type Result,
  resumeCampaign,
  scheduleCampaign,
  sequence,
  templates,
  unscheduleCampaign,
  unwrap,
  updateCampaign,
  validateCampaign,
} from '../../src/index'
import { anaInput, designSequence, designWith } from '../fixtures'
import { expectFailure, expectIssue, expectSuccess, expectThrows } from '../test-helpers'

const ana = defineIdentity(anaInput)
const at = '2026-03-02T08:00:00.000Z'
const draft = defineCampaign({ id: 'c1', identityId: 'ana', sequence: designSequence })

function inStatus(status: CampaignStatus): Campaign {
  switch (status) {
    case 'draft':
      return draft
    case 'scheduled':
      return unwrap(scheduleCampaign(draft, { identity: ana, at, startAt: '2026-03-09T08:00:00Z' }))
    case 'running':
      return unwrap(launchCampaign(draft, { identity: ana, at }))
    case 'paused':
      return unwrap(pauseCampaign(inStatus('running'), { at }))
    case 'archived':
      return unwrap(archiveCampaign(draft, { at }))
  }
}

describe('defineCampaign', () => {
  it('creates a draft with documented defaults', () => {
    expect(draft).toMatchObject({
      id: 'c1',
      name: "ana's Campaign",
      identityId: 'ana',
      priority: 'medium',
      status: 'draft',
      tags: [],
      settings: {
        crmSync: { contacts: 'no', conversations: 'no' },
        skipPriorConversations: false,
        email: { inboxes: 'shuffle', trackOpens: false, trackClicks: false },
        replies: { mode: 'manual' },
      },
    })
  })

  it('builds a campaign from a template', () => {
    const campaign = defineCampaign({
      id: 'c2',
      name: 'Q2 outbound',
      identityId: 'ana',
      priority: 'high',
      sequence: templates.linkedinEmail.sequence,
      settings: {
        tags: ['q2', 'q2', 'emea'],
        folder: 'Outbound',
        email: { inboxes: ['ana@acme.io'], trackOpens: true },
      },
    })
    // Older code put folder and tags in settings: they are read there and moved to the campaign.
    expect(campaign.tags).toEqual(['q2', 'emea'])
    expect(campaign.folder).toBe('Outbound')
    expect(campaign.settings).not.toHaveProperty('tags')
    expect(campaign.settings).not.toHaveProperty('folder')
    expect(campaign.settings.email).toEqual({
      inboxes: ['ana@acme.io'],
      trackOpens: true,
      trackClicks: false,
    })
  })

  it('turns contacts CRM sync on when the sequence has tasks', () => {
    const campaign = defineCampaign({ id: 'c3', identityId: 'ana', sequence: templates.emailCall.sequence })
    expect(campaign.settings.crmSync.contacts).toBe('yes')
  })

  it.each(['no', 'on_reply'] as const)('rejects contacts sync %j for a sequence with tasks', (contacts) => {
    const error = expectFailure(
      validateCampaign({
        id: 'c3',
        identityId: 'ana',
        sequence: templates.emailCall.sequence,
        settings: { crmSync: { contacts } },
      }),
      'invalid_campaign',
    )
    expectIssue(error, { rule: 'tasks_require_contacts_sync', field: 'settings.crmSync.contacts' })
  })

  it('requires a campaign prompt for AI reply handling', () => {
    for (const mode of ['copilot', 'automatic'] as const) {
      const error = expectFailure(
        validateCampaign({
          id: 'c4',
          identityId: 'ana',
          sequence: designSequence,
          settings: { replies: { mode } },
        }),
        'invalid_campaign',
      )
      expectIssue(error, { rule: 'prompt_required', field: 'settings.replies.prompt' })
    }
    const copilot = defineCampaign({
      id: 'c4',
      identityId: 'ana',
      sequence: designSequence,
      settings: { replies: { mode: 'copilot', prompt: 'Offer a demo politely' } },
    })
    expect(copilot.settings.replies).toEqual({
      mode: 'copilot',
      prompt: 'Offer a demo politely',
      maxAnswers: 3,
      delayMinutes: { min: 5, max: 60 },
    })
  })

  it('reports sequence issues under sequence., with the step', () => {
    const error = expectThrows(
      () =>
        defineCampaign({
          id: 'c5',
          identityId: 'ana',
          sequence: designWith(
            (steps) => (steps.connect = { ...steps.connect, note: 'n'.repeat(301) }),
          ) as never,
        }),
      'invalid_campaign',
    )
    expectIssue(error, { rule: 'too_long', field: 'sequence.steps.connect.note', stepId: 'connect' })
  })

  it.each([
    [{ priority: 'urgent' }, 'invalid_value', 'priority'],
    [{ settings: { email: { inboxes: 'round_robin' } } }, 'invalid_value', 'settings.email.inboxes'],
    [
      { settings: { crmSync: { conversations: 'sometimes' } } },
      'invalid_value',
      'settings.crmSync.conversations',
    ],
    [{ settings: { tracking: true } }, 'unknown_field', 'settings.tracking'],
    [{ identityId: '' }, 'required', 'identityId'],
    [{ name: '' }, 'required', 'name'],
  ])('rejects %j (%s at %s)', (change, rule, field) => {
    const error = expectFailure(
      validateCampaign({ id: 'c6', identityId: 'ana', sequence: designSequence, ...change }),
      'invalid_campaign',
    )
    expectIssue(error, { rule, field })
  })

  it('rejects a step that adds the lead to the same campaign', () => {
    const error = expectFailure(
      validateCampaign({
        id: 'loop',
        identityId: 'ana',
        sequence: {
          version: 1,
          start: 'm',
          steps: { m: { kind: 'add_to_campaign', campaignId: 'loop', next: null } },
        },
      }),
      'invalid_campaign',
    )
    expectIssue(error, { rule: 'adds_to_itself', field: 'sequence.steps.m.campaignId', stepId: 'm' })
  })
})

describe('campaign lifecycle', () => {
  type Action = { name: string; to: CampaignStatus; run: (campaign: Campaign) => Result<Campaign> }
  const actions: Action[] = [
    { name: 'launch', to: 'running', run: (c) => launchCampaign(c, { identity: ana, at }) },
    {
      name: 'schedule',
      to: 'scheduled',
      run: (c) => scheduleCampaign(c, { identity: ana, at, startAt: '2026-04-01T00:00:00Z' }),
    },
    { name: 'unschedule', to: 'draft', run: (c) => unscheduleCampaign(c) },
    { name: 'pause', to: 'paused', run: (c) => pauseCampaign(c, { at }) },
    { name: 'resume', to: 'running', run: (c) => resumeCampaign(c) },
    { name: 'archive', to: 'archived', run: (c) => archiveCampaign(c, { at }) },
  ]

  const matrix = CAMPAIGN_STATUSES.flatMap((from) =>
    actions.map((action) => ({
      from,
      action: action.name,
      to: action.to,
      run: action.run,
      // Rescheduling a scheduled campaign is allowed: it moves the start time.
      allowed:
        CAMPAIGN_TRANSITIONS[from].includes(action.to) ||
        (from === 'scheduled' && action.name === 'schedule'),
    })),
  )

  it.each(matrix)('$action from $from: allowed=$allowed', ({ from, to, run, allowed }) => {
    const result = run(inStatus(from))
    if (allowed) {
      expect(expectSuccess(result).status).toBe(to)
      return
    }
    const error = expectFailure(result, 'illegal_transition')
    expect(error.details).toMatchObject({ entity: 'campaign', id: 'c1', from, to })
    expect(error.message).toContain(`from ${from} to ${to}`)
  })

  it('refuses to launch an archived campaign, naming both states and what to do', () => {
    const error = expectFailure(
      launchCampaign(inStatus('archived'), { identity: ana, at }),
      'illegal_transition',
    )
    expect(error.details).toMatchObject({ from: 'archived', to: 'running' })
    expect(error.message).toContain('duplicate it')
  })

  it('records when the campaign launched, paused and was archived', () => {
    const running = unwrap(launchCampaign(draft, { identity: ana, at: new Date(at) }))
    expect(running.launchedAt).toBe(at)
    const paused = unwrap(pauseCampaign(running, { at: '2026-03-03T10:00:00Z' }))
    expect(paused.pausedAt).toBe('2026-03-03T10:00:00.000Z')
    expect(unwrap(resumeCampaign(paused)).pausedAt).toBeUndefined()
    expect(unwrap(archiveCampaign(paused, { at })).archivedAt).toBe(at)
  })

  it('schedules a start in the future only, and reports when it is due', () => {
    const error = expectFailure(
      scheduleCampaign(draft, { identity: ana, at, startAt: '2026-03-01T00:00:00Z' }),
      'invalid_campaign',
    )
    expectIssue(error, { rule: 'start_in_past', field: 'startAt' })
    const scheduled = inStatus('scheduled')
    expect(scheduled.startAt).toBe('2026-03-09T08:00:00.000Z')
    expect(isCampaignDue(scheduled, '2026-03-09T07:59:59Z')).toBe(false)
    expect(isCampaignDue(scheduled, '2026-03-09T08:00:00Z')).toBe(true)
    expect(unwrap(launchCampaign(scheduled, { identity: ana, at })).startAt).toBeUndefined()
  })

  it('rejects an invalid time', () => {
    expectIssue(expectFailure(pauseCampaign(inStatus('running'), { at: 'yesterday' }), 'invalid_campaign'), {
      rule: 'invalid_time',
      field: 'at',
    })
  })

  it("refuses to launch on an identity that lacks the sequence's channels", () => {
    const emailOnly = defineIdentity({ ...anaInput, linkedin: undefined })
    const error = expectFailure(
      launchCampaign(draft, { identity: emailOnly, at }),
      'identity_missing_channel',
    )
    expectIssue(error, { rule: 'linkedin_not_connected', field: 'identity.linkedin' })
  })

  it('launches email steps on an identity without an inbox, with a warning that leads will wait for one', () => {
    const noInbox = defineIdentity({ ...anaInput, email: { inboxes: [] } })
    const launched = launchCampaign(draft, { identity: noInbox, at })
    expect(launched.ok && launched.value.status).toBe('running')
    expect(campaignWarnings(draft, noInbox)).toEqual([
      expect.objectContaining({ code: 'no_email_account', message: expect.stringContaining('wait') }),
    ])
    expect(campaignWarnings(draft, ana)).toEqual([])
  })

  it('refuses to launch a voice step without its recording, and to remove it once launched', () => {
    const voice = (audio?: { url: string }) =>
      sequence()
        .sendConnection({ id: 'connect' })
        .linkedinVoice({ id: 'voice', delay: { days: 1 }, ...(audio === undefined ? {} : { audio }) })
        .build()
    const waiting = defineCampaign({ id: 'v1', identityId: 'ana', sequence: voice() })
    expectIssue(expectFailure(launchCampaign(waiting, { identity: ana, at }), 'invalid_campaign'), {
      rule: 'missing_recording',
      field: 'sequence.steps.voice.audio',
    })
    const recorded = defineCampaign({
      id: 'v2',
      identityId: 'ana',
      sequence: voice({ url: 'https://files.example.com/hi.m4a' }),
    })
    const launched = launchCampaign(recorded, { identity: ana, at })
    if (!launched.ok) throw launched.error
    expectIssue(expectFailure(updateCampaign(launched.value, { sequence: voice() }), 'invalid_campaign'), {
      rule: 'missing_recording',
      field: 'sequence.steps.voice.audio',
    })
  })

  it('refuses named inboxes the identity does not have, and another identity', () => {
    const campaign = defineCampaign({
      id: 'c7',
      identityId: 'ana',
      sequence: designSequence,
      settings: { email: { inboxes: ['ana@acme.io', 'sales@acme.io'] } },
    })
    expectIssue(expectFailure(launchCampaign(campaign, { identity: ana, at }), 'identity_missing_channel'), {
      rule: 'unknown_inbox',
      field: 'settings.email.inboxes[1]',
    })
    const bob = defineIdentity({ ...anaInput, id: 'bob' })
    expectIssue(expectFailure(launchCampaign(draft, { identity: bob, at }), 'invalid_campaign'), {
      rule: 'identity_mismatch',
      field: 'identityId',
    })
  })

  it('duplicates any campaign, even archived, as a new draft', () => {
    for (const status of CAMPAIGN_STATUSES) {
      const copy = duplicateCampaign(inStatus(status), { id: `copy-${status}` })
      expect(copy).toMatchObject({
        id: `copy-${status}`,
        status: 'draft',
        duplicatedFrom: 'c1',
        name: "ana's Campaign (copy)",
      })
      expect(copy.sequence).toEqual(draft.sequence)
      expect(copy.launchedAt).toBeUndefined()
    }
  })
})

describe('updateCampaign', () => {
  it('lets a draft change anything, including the sequence shape', () => {
    const updated = expectSuccess(
      updateCampaign(draft, { sequence: templates.emailOnly.sequence, priority: 'low' }),
    )
    expect(Object.keys(updated.sequence.steps)).toEqual(['intro', 'follow_up', 'break_up'])
    expect(updated.priority).toBe('low')
    expect(updated.status).toBe('draft')
  })

  it('lets a launched campaign change delays, content and settings', () => {
    const running = inStatus('running')
    const edited = designWith((steps) => {
      steps.thanks = { ...steps.thanks, delay: { days: 2 }, body: 'Thanks, {{firstName | "friend"}}!' }
      steps.accepted = { ...steps.accepted, if: { type: 'connection_accepted', withinDays: 21 } }
    })
    const updated = expectSuccess(
      updateCampaign(running, { sequence: edited as never, settings: { tags: ['edited'] } }),
    )
    expect(updated.sequence.steps.thanks).toMatchObject({ delay: { days: 2 } })
    expect(updated.tags).toEqual(['edited'])
    expect(updated.settings.email.inboxes).toBe('shuffle')
    expect(updated.status).toBe('running')
    expect(updated.launchedAt).toBe(running.launchedAt)
  })

  it.each([
    [
      'a step added',
      designWith((steps) => {
        steps.thanks = { ...steps.thanks, next: 'extra' }
        steps.extra = { kind: 'visit_profile', next: null }
      }),
      'step_added',
      'sequence.steps.extra',
    ],
    [
      'a step removed',
      designWith((steps) => {
        steps.accepted = { ...steps.accepted, then: null }
        delete steps.thanks
      }),
      'step_removed',
      'sequence.steps.thanks',
    ],
    [
      'a branch re-linked',
      designWith((steps) => (steps.accepted = { ...steps.accepted, then: 'mail', else: 'thanks' })),
      'path_changed',
      'sequence.steps.accepted.then',
    ],
    [
      'a condition type changed',
      designWith((steps) => (steps.accepted = { ...steps.accepted, if: { type: 'is_connection' } })),
      'condition_changed',
      'sequence.steps.accepted.if.type',
    ],
  ])('locks the shape of a launched campaign: %s', (_name, sequence, rule, field) => {
    for (const status of ['scheduled', 'running', 'paused'] as const) {
      const error = expectFailure(
        updateCampaign(inStatus(status), { sequence: sequence as never }),
        'sequence_locked',
      )
      expectIssue(error, { rule, field })
    }
  })

  it('keeps the identity of a launched campaign', () => {
    expectIssue(
      expectFailure(updateCampaign(inStatus('running'), { identityId: 'bob' }), 'invalid_campaign'),
      {
        rule: 'identity_locked',
        field: 'identityId',
      },
    )
  })

  it('refuses to edit an archived campaign', () => {
    const error = expectFailure(
      updateCampaign(inStatus('archived'), { name: 'New name' }),
      'illegal_transition',
    )
    expect(error.details).toMatchObject({ from: 'archived', action: 'edit' })
  })

  it('validates edits', () => {
    expectIssue(expectFailure(updateCampaign(inStatus('running'), { name: '' }), 'invalid_campaign'), {
      rule: 'required',
      field: 'name',
    })
  })
})

describe('folder and tags given in settings (the older place)', () => {
  /** A campaign as an older version stored it: folder and tags in its settings, none at the top. */
  const stored = (): Campaign => {
    const { tags: _tags, ...rest } = inStatus('running')
    return { ...rest, settings: { ...rest.settings, tags: ['Old', 'old', 'emea'], folder: 'Spain' } } as never
  }

  it('refuses them when the campaign also gives them at the top', () => {
    const error = expectFailure(
      validateCampaign({
        id: 'c9',
        identityId: 'ana',
        sequence: designSequence,
        tags: ['q2'],
        folder: 'Outbound',
        settings: { tags: ['q3'], folder: 'Inbound' },
      }),
      'invalid_campaign',
    )
    expectIssue(error, { rule: 'given_twice', field: 'settings.tags' })
    expectIssue(error, { rule: 'given_twice', field: 'settings.folder' })
  })

  it("moves a stored campaign's folder and tags to the top on its next edit, keeping each tag once", () => {
    const edited = expectSuccess(updateCampaign(stored(), { priority: 'high' }))
    expect(edited.tags).toEqual(['Old', 'emea'])
    expect(edited.folder).toBe('Spain')
    expect(edited.settings).not.toHaveProperty('tags')
    expect(edited.settings).not.toHaveProperty('folder')
  })

  it('lets an edit replace them or take the campaign out of its folder', () => {
    const retagged = expectSuccess(updateCampaign(stored(), { tags: ['new'], folder: null }))
    expect(retagged.tags).toEqual(['new'])
    expect(retagged).not.toHaveProperty('folder')
    const moved = expectSuccess(updateCampaign(stored(), { settings: { folder: 'France' } }))
    expect(moved.folder).toBe('France')
    expect(moved.tags).toEqual(['Old', 'emea'])
    expectIssue(
      expectFailure(
        updateCampaign(stored(), { folder: null, settings: { folder: 'France' } }),
        'invalid_campaign',
      ),
      { rule: 'given_twice', field: 'settings.folder' },
    )
  })

  it('is copied to the top by duplicate', () => {
    const copy = duplicateCampaign(stored(), { id: 'copy' })
    expect(copy.tags).toEqual(['Old', 'old', 'emea'])
    expect(copy.folder).toBe('Spain')
    expect(copy.settings).not.toHaveProperty('tags')
  })
})
