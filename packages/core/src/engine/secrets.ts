import { ReachkitErrorCodes } from '../errors/error-codes'
import { ReachkitError } from '../errors/reachkit-error'
import { hasControlCharacter } from '../model/control-characters'
import { type EngineContext, inTransaction } from './engine-context'

/** Secret names: printable, no control characters, at most 200 characters. */
function checkName(name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 200 || hasControlCharacter(name)) {
    throw new ReachkitError(
      ReachkitErrorCodes.invalidOptions,
      'A secret name must be 1 to 200 printable characters, e.g. "smtp:ana@acme.io".',
      { details: { name } },
    )
  }
}

/**
 * Stores a credential (an inbox password, a refresh token) in the workspace's storage. Stores that can
 * encrypt at rest do so (the SQLite store with an encryption key: AES-256-GCM bound to the row). The value
 * is never logged or put in an event.
 */
export async function putSecret(context: EngineContext, name: string, value: string): Promise<void> {
  checkName(name)
  if (typeof value !== 'string') {
    throw new ReachkitError(ReachkitErrorCodes.invalidOptions, `The secret '${name}' must be a string.`)
  }
  await inTransaction(context, (store) => store.put('secrets', name, { key: name, value }))
}

export async function getSecret(context: EngineContext, name: string): Promise<string | undefined> {
  checkName(name)
  return (await inTransaction(context, (store) => store.get('secrets', name), { readOnly: true }))?.value
}

export async function deleteSecret(context: EngineContext, name: string): Promise<void> {
  checkName(name)
  await inTransaction(context, (store) => store.delete('secrets', name))
}
