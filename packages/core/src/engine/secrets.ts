import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import { entityIdSchema } from '../model/entity-id'
import { type EngineContext, inTransaction } from './engine-context'

// Its errors name the type or the length, never the value itself.
const valueSchema = z.string().max(64 * 1024)

/** Secret names are 1 to 200 printable characters, e.g. "smtp:ana@acme.io"; values strings up to 64 KB. */
function check(name: unknown, value?: { readonly given: unknown }): void {
  const parsed = z
    .strictObject({ name: entityIdSchema, ...(value === undefined ? {} : { value: valueSchema }) })
    .safeParse(value === undefined ? { name } : { name, value: value.given }, { reportInput: true })
  if (!parsed.success) throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'Secret', parsed.error)
}

/**
 * Stores a credential (an inbox password, a refresh token) in the workspace's storage. Stores that can
 * encrypt at rest do so (the SQLite store with an encryption key: AES-256-GCM bound to the row). The value
 * is never logged or put in an event.
 */
export async function putSecret(context: EngineContext, name: string, value: string): Promise<void> {
  check(name, { given: value })
  await inTransaction(context, (store) => store.put('secrets', name, { key: name, value }))
}

export async function getSecret(context: EngineContext, name: string): Promise<string | undefined> {
  check(name)
  return (await inTransaction(context, (store) => store.get('secrets', name), { readOnly: true }))?.value
}

export async function deleteSecret(context: EngineContext, name: string): Promise<void> {
  check(name)
  await inTransaction(context, (store) => store.delete('secrets', name))
}
