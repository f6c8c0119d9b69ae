import type { Engine, Suggestion } from '@paceline/core'
import type { Hono } from 'hono'
import type { BoardContext } from '../http/board-context'
import { segment } from '../http/board-context'
import { formProblems, formText, replyForm, tagForm, untagForm } from './action-forms'
import { type PostedAction, postAction } from './post-action'

type BoardEnv = { Variables: { board: BoardContext } }
type Route = (id: string, engine: Engine) => Omit<PostedAction, 'back'>

/** The POST routes: each action the board offers, through `postAction`'s checks. */
export function boardActions(app: Hono<BoardEnv>): void {
  /** `/campaigns/:id/<verb>` and `/conversations/:id/<verb>`, coming back to that page. */
  const on = (kind: 'campaigns' | 'conversations', verb: string, route: Route) =>
    app.post(`/${kind}/:id/${verb}`, (c) => {
      const id = c.req.param('id')
      return postAction(c, c.var.board, { back: `/${kind}/${segment(id)}`, ...route(id, c.var.board.engine) })
    })

  on('campaigns', 'pause', (campaignId, engine) => ({
    action: { type: 'pause-campaign', campaignId },
    run: async () => {
      await engine.campaigns.pause(campaignId)
      return 'campaign-paused'
    },
  }))
  on('campaigns', 'resume', (campaignId, engine) => ({
    action: { type: 'resume-campaign', campaignId },
    run: async () => {
      await engine.campaigns.resume(campaignId)
      return 'campaign-resumed'
    },
  }))
  on('campaigns', 'retry-errors', (campaignId, engine) => ({
    action: { type: 'retry-errors', campaignId },
    run: async () => retryNotice(await retryCampaignErrors(engine, campaignId)),
  }))

  for (const verb of ['pause', 'resume', 'retry'] as const)
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

  on('conversations', 'approve', (conversationId, engine) => {
    // Read once, to ask `authorize` (edited or not is part of what it decides: a host may allow sending
    // drafts only as written) and to refuse when there is no draft left to send.
    let suggestion: Suggestion | undefined
    return {
      action: async (form) => {
        suggestion = await engine.conversations.suggestion(conversationId)
        const edited = suggestion === undefined || formText(form.text ?? '') !== formText(suggestion.text)
        return { type: 'approve-suggestion', conversationId, edited }
      },
      run: async (form) => {
        const parsed = replyForm.safeParse(form)
        if (!parsed.success) return { refused: `The answer was not sent: ${formProblems(parsed.error)}.` }
        if (suggestion === undefined)
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
    }
  })
  on('conversations', 'discard', (conversationId, engine) => ({
    action: { type: 'discard-suggestion', conversationId },
    run: async () => {
      await engine.conversations.discardSuggestion(conversationId)
      return 'suggestion-discarded'
    },
  }))
  on('conversations', 'reply', (conversationId, engine) => ({
    action: { type: 'reply', conversationId },
    run: async (form) => {
      const parsed = replyForm.safeParse(form)
      if (!parsed.success) return { refused: `The answer was not sent: ${formProblems(parsed.error)}.` }
      await engine.conversations.reply(conversationId, {
        text: parsed.data.text,
        idempotencyKey: parsed.data.idempotencyKey,
        ...(parsed.data.subject === undefined ? {} : { subject: parsed.data.subject }),
      })
      return 'reply-sent'
    },
  }))
  on('conversations', 'tags', (conversationId, engine) => ({
    action: { type: 'tag-conversation', conversationId },
    run: async (form) => {
      const parsed = tagForm.safeParse(form)
      if (!parsed.success) return { refused: `The tag was not added: ${formProblems(parsed.error)}.` }
      await engine.conversations.tag(conversationId, [parsed.data])
      return 'tags-saved'
    },
  }))
  on('conversations', 'untag', (conversationId, engine) => ({
    action: { type: 'tag-conversation', conversationId },
    run: async (form) => {
      const parsed = untagForm.safeParse(form)
      if (!parsed.success) return { refused: `The tag was not removed: ${formProblems(parsed.error)}.` }
      await engine.conversations.untag(conversationId, [parsed.data.name])
      return 'tags-saved'
    },
  }))
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
