declare module 'email-reply-parser' {
  /** GitHub's email_reply_parser, ported: splits a reply into what is new and what is quoted. */
  export default class EmailReplyParser {
    /** The visible text: the new part of the message, without quotes and signatures. */
    parseReply(text: string): string
    parseReplied(text: string): string
  }
}
