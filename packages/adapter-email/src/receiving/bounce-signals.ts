/**
 * What tells a bounce that is not an RFC 3464 report from other mail: who sends it (a mail system, a
 * mailing-list manager, an address nobody answers from), what it says (the phrasing mail servers use), and
 * its subject. None of these alone makes a bounce; the classifier weighs them together with the message's
 * structure (a returned message, an SMTP reply in the text).
 */

/** Mail systems' own senders: `MAILER-DAEMON` (with or without a domain), postmasters, delivery systems. */
const MAIL_SYSTEM_LOCAL_PART =
  /^(mailer[-_.]?daemon|mail[-_.]?daemon|m[-_.]?daemon|post[-_.]?master|mail[-_.]?delivery[-_.]?(sub)?system|mail[-_.]?administrator|mail[-_.]?admin|mailadmin|smtp[-_.]?gateway|mmsc[-_.]?ndr)$/i
const MAIL_SYSTEM_NAME =
  /^\s*"?(mailer[- ]daemon|mail delivery (sub)?system|mail delivery service|mail administrator|postmaster|mail system|mail transport system|.*\bndr administrator)"?\s*$/i

/** Addresses nobody reads: providers send their own delivery reports from them. */
const UNANSWERED_LOCAL_PART = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|noreply[-_.].*|bounces?)$/i

/** A list's own addresses: `owner-list`, `list-owner`, `list-request`, `list-admin`, `list-bounces`. */
const LIST_MANAGER_LOCAL_PART = /^(owner-.+|.+-(owner|request|admin|bounces?))$/i
const LIST_MANAGER_HEADERS = [
  'list-id',
  'list-subscribe',
  'list-help',
  'mailing-list',
  'x-mlserver',
  'x-ml-name',
]

export interface Sender {
  /** The address, lower-cased; `''` when the message names none. */
  readonly address: string
  /** The display name, if any. */
  readonly name: string
}

/** A mail system: the sender of delivery reports and notices, never a person. */
export function isMailSystem(sender: Sender): boolean {
  return MAIL_SYSTEM_LOCAL_PART.test(sender.address.split('@')[0] ?? '') || MAIL_SYSTEM_NAME.test(sender.name)
}

/** A mailing-list manager writing from the list's own address. */
export function isListManager(sender: Sender, headers: ReadonlyMap<string, string>): boolean {
  const local = sender.address.split('@')[0] ?? ''
  return LIST_MANAGER_LOCAL_PART.test(local) && LIST_MANAGER_HEADERS.some((name) => headers.has(name))
}

/** An address that takes no answers (`no-reply@`), the sender providers use for their own reports. */
export function isUnanswered(sender: Sender): boolean {
  return UNANSWERED_LOCAL_PART.test(sender.address.split('@')[0] ?? '')
}

export const BOUNCE_SUBJECT =
  /(undeliver|delivery status|delivery (has )?failed|delivery (failure|problem|error|notification|warning)|(mail|message) (delivery )?(failure|failed|error)|failed (delivery|mail)|failure (notice|delivery)|returned mail|returned to sender|mail delivery (failed|failure|subsystem|system)|non-?delivery|could not (be )?deliver|not delivered|delayed|warning: message|error sending|unzustellbar|nicht zustellbar|no se puede entregar|non remis|non recapitabile|mensagem n[aã]o entregue|onbestelbaar|mail error|mail returned|rejected)/i

/**
 * What only a delivery report says: the server writing about "your message" and "the following
 * recipients", in the words MTAs have used for decades. A person answering an email does not write these.
 */
const REPORT_PHRASES = [
  "your (e-?mail|message|mail)\\b[^\\n]{0,200}?\\s(could ?n[o']t|can ?n[o']t|was not|wasn't|will not|has not been|could not) be delivered",
  'could not be delivered to (the following|one or more)',
  "(could ?n[o']t|can ?n[o']t|unable to|not able to|failed to) deliver (your |the |this )?(e-?mail|message|mail)s? to",
  'the following (e-?mail|message|mail) could not be delivered',
  'delivery to the following recipients? (failed|has been delayed|was unsuccessful)',
  'did not reach the following recipient',
  'the following (recipients?|addresses?|address\\(es\\)|destination addresses) (had|failed|returned|were|could not)',
  'failed recipients?',
  'permanent fatal errors?',
  'this is the (mail system|qmail-send program|mailer-daemon|postfix program)',
  'this message was created automatically by mail delivery software',
  'automatically generated delivery status notification',
  "i('m| am) (afraid|sorry)( to have to inform you)? (that )?(i wasn.t able|your message)",
  '(trouble|error(s)?) (delivering|sending) your (mail|message)',
  'delivery of (your |this )?(e-?mail|message|mail)[\\s\\S]{0,200}?(has been|was) (postponed|delayed|refused|rejected)',
  'message (is |has been )?returned to (the )?sender',
  '(your|this) (e-?mail|message) (has been|was) (rejected|refused|returned|blocked)',
  'non-delivery report',
].join('|')

/**
 * What else mail servers say when a message could not be delivered, in the languages bounces are commonly
 * written in: read only from mail systems and addresses nobody answers from, since a person can write these
 * words too.
 */
const SERVER_PHRASES = [
  "(could ?n[o']t|can ?n[o']t|was not|will not|cannot|couldn't) be delivered",
  'undeliverable',
  'not (been )?delivered to',
  'delivery (has )?failed',
  'failed permanently',
  'permanent (error|failure)s?',
  'fatal errors?',
  '(temporary|transient) (failure|error|problem)',
  'unable to deliver',
  '(wasn.t|was not|were not|weren.t) able to deliver',
  'delivery (status notification|report)',
  'delivery to .{1,200} (failed|has been delayed)',
  'message (could not|was not|wasn.t|has not been|not) (be )?(delivered|sent)',
  'mail (delivery|system) (failed|error|subsystem)',
  'returned mail',
  '(user|recipient|mailbox|address|account)( name)? (is )?(unknown|not found|does ?n.t exist|not exist|unavailable|disabled|not recogni[sz]ed|is not valid|invalid)',
  'unknown (user|recipient|mailbox|address)',
  'no such (user|mailbox|address|recipient|person|domain)',
  'mailbox (is )?(full|unavailable|not found|disabled|quota)',
  'full mailbox',
  '(over|exceeded( the)?) (its )?quota',
  'quota exceeded',
  '(host|domain)( name)? (not found|unknown|lookup failed)',
  'recipient address rejected',
  'relay(ing)? (access )?denied',
  '(has been|was|message) (rejected|refused|blocked)',
  'rejected (your|the) message',
  '(retry time(out)?|delivery time) (exceeded|expired)',
  'envelope expired',
  'giving up',
  'will (be )?retr(y|ied)',
  'still (trying|being retried)',
  'continue to try',
  'has not yet been delivered',
  'not a member of',
  'message (is|was) too (large|big)',
  'size (limit )?exceeded',
  'remote (host|server|mta) (said|returned|responded)',
  'nicht zugestellt|unzustellbar|konnte nicht zugestellt',
  'no (se )?(pudo|ha podido) (ser )?entregar',
  "n'a pas pu (être|etre) (remis|distribu|d[ée]livr)|non remis|impossible de remettre",
  'non (è stato|e. stato) (possibile )?(recapitat|consegnat)',
  'não (foi|pôde ser) entregue',
  'kon niet worden bezorgd|onbestelbaar',
  'не доставлено|не может быть доставлено',
  '送信できませんでした|配信できませんでした|届けられませんでした',
].join('|')

const REPORT_PHRASE = new RegExp(REPORT_PHRASES, 'i')
const BOUNCE_PHRASE = new RegExp(`${REPORT_PHRASES}|${SERVER_PHRASES}`, 'i')

/** Only the start of a text is read for phrasing: bounces say what happened before they quote anything. */
const PHRASE_WINDOW = 20_000

/** Words only a delivery report writes (see REPORT_PHRASES). */
export function hasReportPhrasing(text: string): boolean {
  return REPORT_PHRASE.test(text.slice(0, PHRASE_WINDOW))
}

/** Any bounce phrasing, a report's own or a server's. */
export function hasBouncePhrasing(text: string): boolean {
  return BOUNCE_PHRASE.test(text.slice(0, PHRASE_WINDOW))
}
