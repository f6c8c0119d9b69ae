/**
 * Files a message carries, given by URL: downloaded with the provider's fetch before anything goes to
 * Unipile, which takes them as multipart uploads (`attachments`, `voice_message`), not as links.
 */

/** A file a message carries, downloaded before anything goes to Unipile. */
export interface DownloadedFile {
  readonly name: string
  readonly blob: Blob
}

/** LinkedIn's limit for a file in a message (20 MB): larger ones are refused before any upload. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024

/** Downloads `url` with the provider's fetch; any failure here happens before Unipile is called. */
export async function download(
  fetchImpl: typeof fetch,
  url: string,
  name: string | undefined,
): Promise<DownloadedFile | { readonly failed: string; readonly tooLarge?: true }> {
  let response: Response
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(60_000) })
  } catch (error) {
    return { failed: `could not download ${url}: ${error instanceof Error ? error.message : String(error)}` }
  }
  if (!response.ok) return { failed: `could not download ${url}: HTTP ${response.status}` }
  const declared = Number(response.headers.get('content-length') ?? '0')
  if (declared > MAX_FILE_BYTES) {
    await response.body?.cancel()
    return { failed: `${url} is over LinkedIn's 20 MB limit for a file`, tooLarge: true }
  }
  let bytes: ArrayBuffer
  try {
    bytes = await response.arrayBuffer()
  } catch (error) {
    return { failed: `could not download ${url}: ${error instanceof Error ? error.message : String(error)}` }
  }
  if (bytes.byteLength > MAX_FILE_BYTES)
    return { failed: `${url} is over LinkedIn's 20 MB limit for a file`, tooLarge: true }
  const type = response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream'
  let fileName = name
  if (fileName === undefined || fileName === '') {
    try {
      fileName = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '')
    } catch {
      fileName = ''
    }
  }
  return { name: fileName || 'attachment', blob: new Blob([bytes], { type }) }
}
