import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import type { Store } from '../store'

const MAX_SECRET_NAME = 200
const PAGE = 100

/**
 * Where an identity's credentials are kept: `identity:<identityId>:<name>`, the id URI-encoded so that no
 * identity's names can start like another's (`ana` and `ana:b`). Secrets stored under these names belong
 * to the identity: deleting the identity deletes them, and share links store what they bring here.
 *
 * ```ts
 * await engine.secrets.put(identitySecretName('ana', 'smtp:ana@acme.io'), appPassword)
 * ```
 */
export function identitySecretName(identityId: string, name: string): string {
  const full = `${identitySecretPrefix(identityId)}${name}`
  if (name.length === 0 || full.length > MAX_SECRET_NAME) {
    throw new PacelineError(
      PacelineErrorCodes.invalidOptions,
      `The secret name for '${name}' of identity '${identityId}' must be 1 to ${MAX_SECRET_NAME} characters with its prefix '${identitySecretPrefix(identityId)}' (it would be ${full.length}); use a shorter name.`,
      { details: { identityId, name } },
    )
  }
  return full
}

function identitySecretPrefix(identityId: string): string {
  return `identity:${encodeURIComponent(identityId)}:`
}

/** Deletes every secret of the identity inside the transaction; returns how many there were. */
export async function deleteIdentitySecrets(store: Store, identityId: string): Promise<number> {
  const prefix = identitySecretPrefix(identityId)
  let deleted = 0
  if ((await store.get('secrets', prefix)) !== undefined) {
    await store.delete('secrets', prefix)
    deleted++
  }
  // Secrets are ordered by name and `after` may be any name: the identity's names follow its prefix.
  for (;;) {
    const page = await store.query('secrets', { after: prefix, limit: PAGE })
    const names = page.map((secret) => secret.key).filter((name) => name.startsWith(prefix))
    for (const name of names) await store.delete('secrets', name)
    deleted += names.length
    if (names.length < PAGE) return deleted
  }
}
