const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * The 18-character form of a 15-character Salesforce id: three more characters, one per five-character
 * chunk, each encoding which of the chunk's characters are upper-case letters (so the id survives
 * case-insensitive systems).
 */
export function toEighteen(id15: string): string {
  let suffix = ''
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0
    for (let position = 0; position < 5; position++) {
      const character = id15[chunk * 5 + position] ?? ''
      if (character >= 'A' && character <= 'Z') bits |= 1 << position
    }
    suffix += SUFFIX_ALPHABET[bits]
  }
  return `${id15}${suffix}`
}

/** A record id: the object's key prefix, a pod-like part, then a base-62 counter; 18 characters. */
export function salesforceId(keyPrefix: string, counter: number): string {
  let digits = ''
  let rest = counter
  do {
    digits = `${BASE62[rest % 62]}${digits}`
    rest = Math.floor(rest / 62)
  } while (rest > 0)
  return toEighteen(`${keyPrefix}Dn${digits.padStart(10, '0')}`)
}

export const isIdLike = (value: string) => /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(value)
