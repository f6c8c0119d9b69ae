/**
 * What a person asks the board to do: every POST the board accepts is one of these, and reaches the engine
 * only when `authorize(request, action)` allows it.
 */
export type BoardAction =
  | { readonly type: 'pause-campaign'; readonly campaignId: string }
  | { readonly type: 'resume-campaign'; readonly campaignId: string }
  /** Retry the campaign's leads in error, or only `leadId`'s. */
  | { readonly type: 'retry-errors'; readonly campaignId: string; readonly leadId?: string }
  | { readonly type: 'pause-lead'; readonly campaignId: string; readonly leadId: string }
  | { readonly type: 'resume-lead'; readonly campaignId: string; readonly leadId: string }
  /** Send the copilot's draft answer; `edited` when the person changed its text first. */
  | { readonly type: 'approve-suggestion'; readonly conversationId: string; readonly edited: boolean }
  | { readonly type: 'discard-suggestion'; readonly conversationId: string }
  /** An answer a person wrote. */
  | { readonly type: 'reply'; readonly conversationId: string }
  | { readonly type: 'tag-conversation'; readonly conversationId: string }

export type BoardActionType = BoardAction['type']

/**
 * Decides whether the person making `request` may do `action` (your session, your roles). Called for every
 * POST, and when a page is drawn to show only the buttons that would be allowed. Without it the board is
 * read-only.
 */
export type Authorize = (request: Request, action: BoardAction) => boolean | Promise<boolean>
