import { Readable } from 'node:stream'
import type { Context, Hono } from 'hono'
import type { z } from 'zod'
import { audienceFiltersSchema } from '../pages/audience-filters'
import { campaignPage } from '../pages/campaign-page'
import { campaignsPage } from '../pages/campaigns-page'
import { conversationPage } from '../pages/conversation-page'
import { conversationFiltersSchema, conversationsPage } from '../pages/conversations-page'
import { identitiesPage } from '../pages/identities-page'
import { leadPage } from '../pages/lead-page'
import { type BoardContext, segment } from './board-context'
import { problemPage } from './layout'
import type { Markup } from './markup'

type BoardEnv = { Variables: { board: BoardContext } }

/** The GET routes: the pages and the audience's CSV. */
export function boardPages(app: Hono<BoardEnv>): void {
  app.get('/', (c) => c.redirect(c.var.board.href('/campaigns'), 302))
  app.get('/identities', async (c) => c.html(await identitiesPage(c.var.board)))
  app.get('/campaigns', async (c) => c.html(await campaignsPage(c.var.board)))
  app.get('/campaigns/:id', (c) =>
    filtered(c, audienceFiltersSchema, `/campaigns/${segment(c.req.param('id'))}`, (filters) =>
      campaignPage(c.var.board, c.req.param('id'), filters),
    ),
  )
  app.get('/campaigns/:id/audience.csv', async (c) => {
    const filters = audienceFiltersSchema.safeParse(c.req.query())
    if (!filters.success) return c.text(filterProblem(filters.error), 400)
    const { after: _after, step, ...rest } = filters.data
    const campaignId = c.req.param('id')
    const stream = await c.var.board.engine.csv.audience(campaignId, {
      ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
      ...(step === undefined ? {} : { stepId: step }),
    })
    const name = `${campaignId.replace(/[^A-Za-z0-9._-]+/g, '_')}-audience.csv`
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'no-store',
      },
    })
  })
  app.get('/campaigns/:id/leads/:lead', async (c) =>
    c.html(await leadPage(c.var.board, c.req.param('id'), c.req.param('lead'))),
  )
  app.get('/conversations', (c) =>
    filtered(c, conversationFiltersSchema, '/conversations', (filters) =>
      conversationsPage(c.var.board, filters),
    ),
  )
  app.get('/conversations/:id', async (c) => c.html(await conversationPage(c.var.board, c.req.param('id'))))
}

/** A page drawn from its query's filters; filters it cannot read answer 400, saying which and why. */
async function filtered<Schema extends z.ZodType>(
  c: Context<BoardEnv>,
  schema: Schema,
  clear: string,
  draw: (filters: z.output<Schema>) => Promise<Markup>,
): Promise<Response> {
  const filters = schema.safeParse(c.req.query())
  if (filters.success) return c.html(await draw(filters.data))
  const board = c.var.board
  return c.html(
    await problemPage(board, 'Unknown filter', filterProblem(filters.error), board.href(clear)),
    400,
  )
}

function filterProblem(error: z.ZodError): string {
  return `These filters are not valid: ${error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`).join('; ')}. Clear the filters and try again.`
}
