/**
 * Index columns are `bytea` holding an order-preserving encoding of the field's value, so one column orders
 * numbers and strings exactly as the port does (numbers first, by value; then strings, by their UTF-8 bytes,
 * like SQLite's BINARY collation) whatever the database's collation, and a range bound of either kind
 * compares correctly. `bytea` compares bytewise, shorter first on a common prefix.
 */
const NUMBER = 0x01
const STRING = 0x02

/** The encoded index value of a document field: strings and finite numbers; anything else is NULL. */
export function encodeIndexValue(value: unknown): Buffer | null {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8')
    const encoded = Buffer.allocUnsafe(bytes.length + 1)
    encoded[0] = STRING
    bytes.copy(encoded, 1)
    return encoded
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return null
  const encoded = Buffer.allocUnsafe(9)
  encoded[0] = NUMBER
  // -0 and 0 are one value. IEEE 754 bits order like their numbers once the sign bit is flipped for
  // positives and every bit is flipped for negatives.
  encoded.writeDoubleBE(value === 0 ? 0 : value, 1)
  if ((encoded[1] as number) & 0x80) for (let i = 1; i < 9; i++) encoded[i] = ~(encoded[i] as number) & 0xff
  else encoded[1] = (encoded[1] as number) ^ 0x80
  return encoded
}
