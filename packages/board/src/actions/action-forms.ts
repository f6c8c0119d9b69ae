import { z } from 'zod'

/** Browsers send a text box's line breaks as CRLF; messages are written with LF, and without outer spaces. */
export function formText(value: string): string {
  return value.replace(/\r\n?/g, '\n').trim()
}

/** The fields each action's form posts, besides the CSRF token and the page to come back to. */
export const replyForm = z.object({
  text: z.string().transform(formText).pipe(z.string().min(1, 'write an answer first').max(100_000)),
  subject: z
    .string()
    .trim()
    .max(998)
    .optional()
    .transform((subject) => (subject === '' ? undefined : subject)),
  idempotencyKey: z.uuid({ message: 'the form is damaged: reload the page' }),
})

export const tagForm = z.object({
  name: z.string().trim().min(1, 'name the tag').max(100),
  category: z.enum(['positive', 'neutral', 'negative']).default('neutral'),
})

export const untagForm = z.object({ name: z.string().trim().min(1).max(100) })

/** Sentences for a form's problems: "text: write an answer first". */
export function formProblems(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length === 0 ? 'form' : issue.path.join('.')}: ${issue.message}`)
    .join('; ')
}
