/**
 * The board's only script, served from the board (no inline script, so a strict Content-Security-Policy
 * holds). Everything works without it; it only saves clicks and double sends:
 * - a filter that changes submits its form (the Apply button stays for keyboards and no-script);
 * - a form whose button asks to confirm (`data-confirm`) asks before it posts;
 * - a submitted form's buttons are disabled, so a double click never posts twice;
 * - a textarea with `data-limit` shows how many characters are left.
 */
export const BOARD_SCRIPT = `(() => {
  'use strict'
  for (const control of document.querySelectorAll('form.filters select')) {
    control.addEventListener('change', () => control.form && control.form.requestSubmit())
  }
  for (const form of document.querySelectorAll('form[method="post"]')) {
    form.addEventListener('submit', (event) => {
      const button = event.submitter
      const question = button && button.dataset.confirm
      if (question && !window.confirm(question)) {
        event.preventDefault()
        return
      }
      window.setTimeout(() => {
        for (const each of form.querySelectorAll('button')) each.disabled = true
      }, 0)
    })
  }
  for (const area of document.querySelectorAll('textarea[data-limit]')) {
    const limit = Number(area.dataset.limit)
    const counter = document.getElementById(area.id + '-count')
    if (!counter || !limit) continue
    const update = () => {
      const left = limit - area.value.length
      counter.textContent = left >= 0 ? left + ' characters left' : -left + ' characters too many'
    }
    area.addEventListener('input', update)
    update()
  }
})()
`

/** The tab's icon, a small SVG served by the board (a browser asks for one on every page). */
export const BOARD_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d2430"/><path d="M7 22 L13 14 L18 18 L25 9" stroke="#56b4e9" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>`
