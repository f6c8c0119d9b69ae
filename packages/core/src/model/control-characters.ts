/** C0 control characters (including CR, LF and tab) and DEL: never valid in ids or header values. */
function isControl(code: number): boolean {
  return code <= 0x1f || code === 0x7f
}

export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true
  return false
}

/** Replaces every run of control characters with one space, so a value fits on one header line. */
export function foldControlCharacters(text: string): string {
  let out = ''
  let inRun = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (isControl(code)) {
      if (!inRun) out += ' '
      inRun = true
    } else {
      out += text[i]
      inRun = false
    }
  }
  return out
}
