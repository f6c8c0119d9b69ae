import { type ParsedMail, simpleParser } from 'mailparser'

/**
 * Parses a raw message the way the inbox reader does: no image links resolved, no HTML made from text, and
 * HTML over 1 MB left unparsed (a pathological body must not stall an inbox).
 */
export function readMessage(source: Buffer | string): Promise<ParsedMail> {
  return simpleParser(source, { skipImageLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 1_000_000 })
}
