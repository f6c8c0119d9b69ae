import type { Engine } from '@paceline/core'
import type { Hono } from 'hono'
import type { BoardContext } from '../http/board-context'
import { segment } from '../http/board-context'
import { formProblems, formText, replyForm, tagForm, untagForm } from './action-forms'
import { postAction } from './post-action'

type BoardEnv = { Variables: { board: BoardContext } }

/** The POST routes: each action the board offers, through `postAction`'s checks. */
export function boardActions(app: Hono<BoardEnv>): void {
  app.post('/campaigns/:id/pause', (c) => {
    const campaignId = c.req.param('id')
    return postAction(c, c.var.board, {
      action: { type: 'pause-campaign', campaignId },
      back: `/campaigns/${segment(campaignId)}`,
      run: async () => {
        await c.var.board.engine.campaigns.pause(campaignId)
        return 'campaign-paused'
      },
    })
  })
  app.post('/campaigns/:id/resume', (c) => {
    const campaignId = c.req.param('id')
    return postAction(c, c.var.board, {
      action: { type: 'resume-campaign', campaignId },
      back: `/campaigns/${segment(campaignId)}`,
      run: async () => {
        await c.var.board.engine.campaigns.resume(campaignId)
        return 'campaign-resumed'
      },
    })
  })
  app.post('/campaigns/:id/retry-errors', (c) => {
    const campaignId = c.req.param('id')
    return postAction(c, c.var.board, {
      action: { type: 'retry-errors', campaignId },
      back: `/campaigns/${segment(campaignId)}`,
      run: async () => retryNotice(await retryCampaignErrors(c.var.board.engine, campaignId)),
    })
  })
  const lead = (verb: 'pause' | 'resume' | 'retry') =>
    app.post(`/campaigns/:id/leads/:lead/${verb}`, (c) => {
      const ids = { campaignId: c.req.param('id'), leadId: c.req.param('lead') }
      const engine = c.var.board.engine
      return postAction(c, c.var.board, {
        action: {
          type: verb === 'retry' ? 'retry-errors' : verb === 'pause' ? 'pause-lead' : 'resume-lead',
          ...ids,
        },
        back: `/campaigns/${segment(ids.campaignId)}/leads/${segment(ids.leadId)}`,
        run: async () => {
          if (verb === 'pause') await engine.leads.pause(ids.campaignId, ids.leadId)
          else if (verb === 'resume') await engine.leads.resume(ids.campaignId, ids.leadId)
          else {
            const { retried } = await engine.leads.retryErrors([ids.leadId], ids.campaignId)
            return retryNotice(await stillInError(engine, retried))
          }
          return verb === 'pause' ? 'lead-paused' : 'lead-resumed'
        },
      })
    })
  lead('pause')
  lead('resume')
  lead('retry')

  app.post('/conversations/:id/approve', (c) => {
    const conversationId = c.req.param('id')
    const engine = c.var.board.engine
    return postAction(c, c.var.board, {
      // Edited or not is part of what is authorized: a host may allow sending drafts as written only.
      action: async (form) => {
        const suggestion = await engine.conversations.suggestion(conversationId)
        const edited = suggestion === undefined || formText(form.text ?? '') !== formText(suggestion.text)
        return { type: 'approve-suggestion', conversationId, edited }
      },
      back: `/conversations/${segment(conversationId)}`,
      run: async (form) => {
        const parsed = replyForm.safeParse(form)
        if (!parsed.success) return { refused: `The answer was not sent: ${formProblems(parsed.error)}.` }
        if ((await engine.conversations.suggestion(conversationId)) === undefined)
          return {
            refused:
              'The suggestion is gone (someone answered or discarded it meanwhile); nothing was sent. Reload the conversation.',
          }
        await engine.conversations.reply(conversationId, {
          text: parsed.data.text,
          idempotencyKey: parsed.data.idempotencyKey,
        })
        return 'suggestion-sent'
      },
    })
  })
  app.post('/conversations/:id/discard', (c) => {
    const conversationId = c.req.param('id')
    return postAction(c, c.var.board, {
      action: { type: 'discard-suggestion', conversationId },
      back: `/conversations/${segment(conversationId)}`,
      run: async () => {
        await c.var.board.engine.conversations.discardSuggestion(conversationId)
        return 'suggestion-discarded'
      },
    })
  })
  app.post('/conversations/:id/reply', (c) => {
    const conversationId = c.req.param('id')
    return postAction(c, c.var.board, {
      action: { type: 'reply', conversationId },
      back: `/conversations/${segment(conversationId)}`,
      run: async (form) => {
        const parsed = replyForm.safeParse(form)
        if (!parsed.success) return { refused: `The answer was not sent: ${formProblems(parsed.error)}.` }
        await c.var.board.engine.conversations.reply(conversationId, {
          text: parsed.data.text,
          idempotencyKey: parsed.data.idempotencyKey,
          ...(parsed.data.subject === undefined ? {} : { subject: parsed.data.subject }),
        })
        return 'reply-sent'
      },
    })
  })
  app.post('/conversations/:id/tags', (c) => {
    const conversationId = c.req.param('id')
    return postAction(c, c.var.board, {
      action: { type: 'tag-conversation', conversationId },
      back: `/conversations/${segment(conversationId)}`,
      run: async (form) => {
        const parsed = tagForm.safeParse(form)
        if (!parsed.success) return { refused: `The tag was not added: ${formProblems(parsed.error)}.` }
        await c.var.board.engine.conversations.tag(conversationId, [parsed.data])
        return 'tags-saved'
      },
    })
  })
  app.post('/conversations/:id/untag', (c) => {
    const conversationId = c.req.param('id')
    return postAction(c, c.var.board, {
      action: { type: 'tag-conversation', conversationId },
      back: `/conversations/${segment(conversationId)}`,
      run: async (form) => {
        const parsed = untagForm.safeParse(form)
        if (!parsed.success) return { refused: `The tag was not removed: ${formProblems(parsed.error)}.` }
        await c.var.board.engine.conversations.untag(conversationId, [parsed.data.name])
        return 'tags-saved'
      },
    })
  })
}

interface RetryOutcome {
  readonly retried: number
  /** Retried, and in error again at once: what was missing (a profile, an email) is still missing. */
  readonly again: number
}

function retryNotice(outcome: RetryOutcome): string {
  if (outcome.retried === 0) return 'nothing-to-retry'
  return outcome.again === 0 ? 'errors-retried' : 'errors-again'
}

async function stillInError(
  engine: Engine,
  retried: readonly { readonly campaignId: string; readonly leadId: string }[],
): Promise<RetryOutcome> {
  const views = await Promise.all(retried.map((lead) => engine.leads.get(lead.campaignId, lead.leadId)))
  return { retried: retried.length, again: views.filter((view) => view.status === 'error').length }
}

/** Retries every lead of the campaign in error, a page at a time. */
async function retryCampaignErrors(engine: Engine, campaignId: string): Promise<RetryOutcome> {
  let retried = 0
  let again = 0
  let after: string | undefined
  do {
    const page = await engine.leads.list(campaignId, {
      status: 'error',
      limit: 500,
      ...(after === undefined ? {} : { after }),
    })
    if (page.items.length > 0) {
      const outcome = await stillInError(
        engine,
        (
          await engine.leads.retryErrors(
            page.items.map((lead) => lead.leadId),
            campaignId,
          )
        ).retried,
      )
      retried += outcome.retried
      again += outcome.again
    }
    after = page.next
  } while (after !== undefined)
  return { retried, again }
}
