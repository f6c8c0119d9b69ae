/** Reply and forward prefixes mail clients add in common European languages (Re, AW, SV, WG, TR, RV, ...). */
const PREFIX = /^\s*(re|aw|antw|sv|vs|wg|fw|fwd|tr|rv|rif|r)\s*(\[\d+\]|\(\d+\))?\s*[:：]\s*/i

/** A subject as a thread knows it: without "Re:"/"AW:"/"RE[2]:" prefixes, spacing or case differences. */
export function threadSubject(subject: string): string {
  let rest = subject
  for (let previous = ''; previous !== rest; ) {
    previous = rest
    rest = rest.replace(PREFIX, '')
  }
  return rest.replace(/\s+/g, ' ').trim().toLowerCase()
}
