import { Effect } from 'effect'
import { describe, expect, it } from 'vitest'
import { sequence } from '../../src/index'
import { refusal } from '../test-helpers'
import { fixture } from './engine-fixture'

const withTask = sequence()
  .task({ id: 'call', title: 'Call {{firstName}}', type: 'call', dueInDays: 2 })
  .email({ id: 'intro', subject: 'Hi {{firstName}}', body: 'Hello', delay: { days: 1 } })
  .build()

describe('tasks created by hand', () => {
  it('sit beside the task steps’ tasks: listed, counted and completed the same way', async () => {
    const { engine, runUntil, clock } = await fixture({ sequence: withTask, leads: 2 })
    await runUntil('2026-03-02T12:00:00Z')
    const created: string[] = []
    engine.on('task-created', (event) => created.push(String(event.detail?.taskId)))

    const task = await engine.tasks.create('c', 'l0', {
      title: 'Send the pricing deck',
      type: 'email',
      note: 'Version 2, with the discount',
      dueAt: '2026-03-05T10:00:00+01:00',
    })
    expect(task).toMatchObject({
      campaignId: 'c',
      leadId: 'l0',
      identityId: 'ana',
      origin: 'manual',
      stepId: null,
      title: 'Send the pricing deck',
      body: 'Version 2, with the discount',
      type: 'email',
      status: 'pending',
      createdAt: clock.now(),
      dueAt: Date.parse('2026-03-05T09:00:00Z'),
      completedAt: null,
    })
    expect(created).toEqual([task.taskId])

    const all = (await engine.tasks.list('c', { order: 'oldest' })).items
    expect(all.map((each) => [each.leadId, each.origin, each.stepId, each.title])).toEqual([
      ['l0', 'step', 'call', 'Call Firstl0'],
      ['l1', 'step', 'call', 'Call Firstl1'],
      ['l0', 'manual', null, 'Send the pricing deck'],
    ])
    expect((await engine.tasks.list('c', { leadId: 'l0' })).items).toHaveLength(2)
    // A task by hand does not move the lead in its sequence.
    expect((await engine.leads.get('c', 'l0')).stepId).toBe('intro')

    clock.set(Date.parse('2026-03-02T13:00:00Z'))
    const done = await engine.tasks.complete(task.taskId)
    expect(done).toMatchObject({ status: 'completed', completedAt: Date.parse('2026-03-02T13:00:00Z') })
    expect(await engine.tasks.complete(task.taskId)).toEqual(done)
    const [stepTask] = (await engine.tasks.list('c', { leadId: 'l1' })).items
    await engine.tasks.complete(stepTask?.taskId as string)
    expect(await engine.actions({ types: ['task-completed'] })).toEqual([
      expect.objectContaining({ leadId: 'l0', channel: 'tasks', detail: { taskId: task.taskId } }),
      expect.objectContaining({ leadId: 'l1', stepId: 'call', detail: { taskId: stepTask?.taskId } }),
    ])
    // Completing through an inbound event (the CRM's) is the same completion: nothing changes twice.
    expect(await engine.ingest({ type: 'task-completed', taskId: task.taskId })).toMatchObject({
      duplicate: true,
    })
    const metrics = await engine.analytics.campaign('c')
    expect(metrics.tasks).toEqual({ pending: 1, completed: 2 })
    expect((await engine.tasks.list('c', { status: 'pending' })).items.map((each) => each.leadId)).toEqual([
      'l0',
    ])
    await engine.close()
  })

  it('does not count a lead as started because a person gave it a task', async () => {
    const { engine } = await fixture({ sequence: withTask, leads: 1, launch: false })
    await engine.tasks.create('c', 'l0', { title: 'Research the account' })
    const [task] = (await engine.tasks.list('c')).items
    expect(task).toMatchObject({ type: 'todo', origin: 'manual', body: null })
    const metrics = await engine.analytics.campaign('c')
    expect(metrics.all.started).toBe(0)
    expect(metrics.tasks.pending).toBe(1)
    await engine.close()
  })

  it('refuses a task on a lead not in the campaign, a malformed one, or one whose id is taken', async () => {
    const { engine } = await fixture({ sequence: withTask, leads: 1, launch: false })
    expect((await refusal(engine.tasks.create('c', 'ghost', { title: 'x' }))).message).toMatch(
      /No lead 'ghost'/,
    )
    expect((await refusal(engine.tasks.create('nope', 'l0', { title: 'x' }))).code).toBe('not_found')
    const invalid = await refusal(
      engine.tasks.create('c', 'l0', {
        title: ' ',
        type: 'fax' as never,
        dueAt: 'next week',
        colour: 1,
      } as never),
    )
    expect(invalid.code).toBe('invalid_task')
    expect(invalid.issues.map((each) => each.field).sort()).toEqual(['colour', 'title', 'type'])
    expect(invalid.message).toMatch(/colour: is not a known field/)
    const badDue = await refusal(engine.tasks.create('c', 'l0', { title: 'Call', dueAt: 'next week' }))
    expect(badDue.issues).toEqual([expect.objectContaining({ field: 'dueAt', rule: 'invalid_instant' })])

    await engine.tasks.create('c', 'l0', { id: 'deck', title: 'Send the deck' })
    const taken = await refusal(engine.tasks.create('c', 'l0', { id: 'deck', title: 'Again' }))
    expect(taken.issues).toEqual([expect.objectContaining({ field: 'id', rule: 'already_exists' })])
    expect((await refusal(engine.tasks.complete('missing'))).code).toBe('not_found')
    expect((await engine.tasks.list('c')).items).toHaveLength(1)
    await engine.close()
  })

  it('is on the Effect API too', async () => {
    const { engine } = await fixture({ sequence: withTask, leads: 1, launch: false })
    const task = await Effect.runPromise(
      engine.effect.createTask('c', 'l0', { title: 'Call back', type: 'call' }),
    )
    const done = await Effect.runPromise(engine.effect.completeTask(task.taskId))
    expect(done.status).toBe('completed')
    await engine.close()
  })
})
