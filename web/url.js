// Page state in the address bar (bookmarkable, shareable views): read the query parameters a
// page knows, and write them back without the empty ones.

/** The query parameters named in `defaults`, each as text, else its default. */
export function readQuery(defaults) {
  const q = new URLSearchParams(location.search)
  const view = {}
  for (const [name, fallback] of Object.entries(defaults)) view[name] = q.get(name) ?? fallback
  return view
}

/** The page's address for `view`, leaving out values equal to their default (or empty). */
export function urlFor(view, defaults = {}, path = location.pathname) {
  const q = new URLSearchParams()
  for (const [name, value] of Object.entries(view)) {
    if (value === undefined || value === null || value === '' || String(value) === String(defaults[name] ?? '')) continue
    q.set(name, String(value))
  }
  const search = q.toString()
  return `${path}${search ? `?${search}` : ''}`
}

/** Records `view` in the address bar: a new history entry (`push`) or in place. */
export function writeQuery(view, defaults = {}, { push = false } = {}) {
  const url = urlFor(view, defaults)
  if (url === `${location.pathname}${location.search}`) return
  history[push ? 'pushState' : 'replaceState'](null, '', url)
}

/** A positive whole number from the address bar, else `fallback`. */
export const positiveInt = (text, fallback = 1) => {
  const n = Number.parseInt(text ?? '', 10)
  return Number.isInteger(n) && n > 0 ? n : fallback
}
