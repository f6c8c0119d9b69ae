import { type PipelinePalClient, PipelinePalError } from '../src/pipeline-pal-crm'

type Row = { id: string; props: Record<string, unknown>; owner: string | null; externalKey?: string }
const SCHEMA = {
  person: [
    { key: 'first_name', title: 'First name', kind: 'text', locked: false },
    { key: 'last_name', title: 'Last name', kind: 'text', locked: false },
    { key: 'email', title: 'Email', kind: 'email', locked: false },
    { key: 'title', title: 'Title', kind: 'text', locked: false },
    { key: 'linkedin', title: 'LinkedIn', kind: 'link', locked: false },
    { key: 'org_name', title: 'Organisation name', kind: 'text', locked: false },
    { key: 'stage', title: 'Stage', kind: 'choice', locked: false, choices: ['new', 'talking', 'won'] },
    { key: 'score', title: 'Score', kind: 'number', locked: true },
  ],
  org: [
    { key: 'name', title: 'Name', kind: 'text', locked: false },
    { key: 'website', title: 'Website', kind: 'link', locked: false },
  ],
}

/** Pipeline Pal as a test double: its API's rules (schema checks, external keys) in memory. */
export function fakePipelinePal(): PipelinePalClient & { rows: Record<'person' | 'org', Map<string, Row>> } {
  const rows = { person: new Map<string, Row>(), org: new Map<string, Row>() }
  const links = new Map<string, Array<{ orgId: string; main: boolean }>>()
  const notes = new Map<string, string>()
  const todos = new Map<string, { id: string; done: boolean; doneAt: string | null; externalKey: string }>()
  let next = 0
  const members = [
    { id: 'm-1', email: 'api@pal.example', name: 'API user', deactivated: false },
    { id: 'm-2', email: 'ana@pal.example', name: 'Ana', deactivated: false },
  ]
  const check = (kind: 'person' | 'org', props: Record<string, unknown>) => {
    for (const key of Object.keys(props)) {
      const field = SCHEMA[kind].find((each) => each.key === key)
      if (field === undefined) throw new PipelinePalError(`unknown property ${key}`, 400)
      if (field.locked) throw new PipelinePalError(`${key} is locked`, 400)
    }
  }
  const text = (value: unknown) => String(value ?? '').toLowerCase()
  return {
    rows,
    me: async () => members[0] as (typeof members)[0],
    members: async () => members,
    schema: async (kind) => SCHEMA[kind],
    find: async (kind, filter) =>
      [...rows[kind].values()].filter((row) =>
        filter.or.some((group) =>
          group.and.every((each) =>
            each.op === 'is'
              ? text(row.props[each.key]) === each.value.toLowerCase() && text(row.props[each.key]) !== ''
              : text(row.props[each.key]).startsWith(each.value.toLowerCase()),
          ),
        ),
      ),
    get: async (kind, id) => rows[kind].get(id) ?? null,
    insert: async (kind, body) => {
      const existing = [...rows[kind].values()].find((row) => row.externalKey === body.externalKey)
      if (existing !== undefined) return existing
      check(kind, body.props)
      const row = {
        id: `${kind}-${++next}`,
        props: { ...body.props },
        owner: body.owner ?? null,
        externalKey: body.externalKey,
      }
      rows[kind].set(row.id, row)
      return row
    },
    patch: async (kind, id, body) => {
      const row = rows[kind].get(id)
      if (row === undefined) throw new PipelinePalError('not found', 404)
      check(kind, body.props ?? {})
      Object.assign(row.props, body.props)
      if (body.owner !== undefined) row.owner = body.owner
      return row
    },
    link: async (personId, orgId, main, replace) => {
      let list = replace ? [] : [...(links.get(personId) ?? [])]
      if (main) list = list.map((each) => ({ ...each, main: false }))
      const found = list.find((each) => each.orgId === orgId)
      if (found === undefined) list.push({ orgId, main })
      else if (main) found.main = true
      links.set(personId, list)
    },
    links: async (personId) => links.get(personId) ?? [],
    note: async (body) => {
      const existing = notes.get(body.externalKey)
      if (existing !== undefined) return { id: existing }
      if (!rows.person.has(body.personId)) throw new PipelinePalError('no such person', 404)
      const id = `note-${++next}`
      notes.set(body.externalKey, id)
      return { id }
    },
    todo: async (body) => {
      const existing = [...todos.values()].find((each) => each.externalKey === body.externalKey)
      if (existing !== undefined) return { id: existing.id }
      const id = `todo-${++next}`
      todos.set(id, { id, done: false, doneAt: null, externalKey: body.externalKey })
      return { id }
    },
    todos: async (ids) =>
      ids.flatMap((id) =>
        todos.has(id) ? [todos.get(id) as { id: string; done: boolean; doneAt: string | null }] : [],
      ),
    finish: async (id) => {
      const todo = todos.get(id)
      if (todo === undefined) throw new PipelinePalError('no such to-do', 404)
      todo.done = true
      todo.doneAt ??= new Date(0).toISOString()
    },
  }
}
