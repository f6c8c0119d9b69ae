import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { stringify } from 'csv-stringify'
import { z } from 'zod'

/** How every export writes its CSV. */
export interface CsvOptions {
  /**
   * Starts the file with a UTF-8 byte order mark, so spreadsheet applications (Excel in particular) read
   * accents and other non-ASCII text right. Default false.
   */
  readonly bom?: boolean
}

export const csvFields = { bom: z.boolean().optional() }

/** A column: the record field it reads and the header it gets. */
export interface CsvColumn<K extends string = string> {
  readonly key: K
  readonly header: string
}

/** One row: a value per column; a missing, null or undefined value is an empty cell. */
export type CsvRow<K extends string = string> = Readonly<
  Partial<Record<K, string | number | boolean | null | undefined>>
>

/**
 * Rows as CSV text, streamed: rows are pulled from `rows` only as fast as the reader takes the text
 * (backpressure), so an export of any size holds a few pages at a time. RFC 4180 (CRLF line ends, fields
 * quoted when needed), with a header row, even when there are no rows. Cells that a spreadsheet would run
 * as a formula (starting with =, +, -, @, a tab or a carriage return, or their full-width forms) are
 * prefixed with an apostrophe, so `=HYPERLINK(...)` in a lead's name stays text; numbers are left as they are.
 * A failure while reading the rows ends the stream with that error.
 */
export function csvStream<K extends string>(
  columns: readonly CsvColumn<K>[],
  rows: AsyncIterable<CsvRow<K>>,
  options: CsvOptions,
): Readable {
  const csv = stringify({
    columns: columns.map((column) => ({ key: column.key, header: column.header })),
    header: true,
    bom: options.bom === true,
    record_delimiter: 'windows',
    escape_formulas: true,
    cast: { boolean: (value) => (value ? 'true' : 'false') },
  })
  // The pipeline destroys the CSV stream with the rows' error, so the reader sees it; nothing else to do.
  pipeline(Readable.from(rows, { objectMode: true, highWaterMark: 64 }), csv).catch(() => undefined)
  return csv
}

/** A rate as a decimal fraction with at most four places, or an empty cell without a base. */
export const ratio = (value: number, base: number): number | null =>
  base <= 0 ? null : Math.round((value / base) * 10_000) / 10_000

export const isoTime = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString()
