import type {
  AiContext,
  ClassifyReplyRequest,
  FillVariablesRequest,
  GenerateMessageRequest,
  SuggestReplyRequest,
} from '@paceline/core/ports'

export const context: AiContext = {
  lead: {
    id: 'eva',
    profile: {
      firstName: 'Eva',
      lastName: 'Lind',
      company: 'Lind & Co',
      headline: 'Head of Ops at Lind & Co',
      professionalEmail: 'eva@lind.se',
    },
  },
  sender: { name: 'Ana Ruiz', contact: { company: 'Acme', title: 'Founder' } },
  channel: 'email',
  stepKind: 'email',
}

export function messageRequest(overrides: Partial<GenerateMessageRequest> = {}): GenerateMessageRequest {
  return {
    ...context,
    prompt: 'Invite Eva to a 15-minute call about faster month-end closing.',
    ...overrides,
  }
}

export function variablesRequest(overrides: Partial<FillVariablesRequest> = {}): FillVariablesRequest {
  return {
    ...context,
    variables: {
      opener: { prompt: "One sentence about the lead's role.", maxLength: 80 },
      industry: { prompt: "The lead's industry.", options: ['saas', 'retail', 'manufacturing'] },
    },
    ...overrides,
  }
}

export function classifyRequest(
  text: string,
  overrides: Partial<ClassifyReplyRequest> = {},
): ClassifyReplyRequest {
  return { text, channel: 'email', subject: 'Re: month-end closing', ...overrides }
}

export function suggestRequest(overrides: Partial<SuggestReplyRequest> = {}): SuggestReplyRequest {
  return {
    ...context,
    stepKind: 'reply',
    prompt: 'Answer questions about Acme Close and offer a 15-minute call. Pricing starts at 49 EUR a month.',
    conversation: [
      {
        direction: 'outbound',
        text: 'Hi Eva, would a 15-minute call about faster month-end closing help?',
        subject: 'Month-end closing',
        at: '2026-03-02T09:00:00.000Z',
      },
      { direction: 'inbound', text: 'Maybe. How much does it cost?', at: '2026-03-02T11:30:00.000Z' },
    ],
    maxLength: 500,
    ...overrides,
  }
}
