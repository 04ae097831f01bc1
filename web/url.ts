// Page state in the address bar (bookmarkable, shareable views): read the query parameters a
// page knows, and write them back without the empty ones.

export type View = Record<string, string>

/** The query parameters named in `defaults`, each as text, else its default. */
export function readQuery<V extends View>(defaults: V): V {
  const q = new URLSearchParams(location.search)
  const view: View = {}
  for (const [name, fallback] of Object.entries(defaults)) view[name] = q.get(name) ?? fallback
  return view as V
}

/** The page's address for `view`, leaving out values equal to their default (or empty). */
export function urlFor(view: View, defaults: View = {}, path = location.pathname): string {
  const q = new URLSearchParams()
  for (const [name, value] of Object.entries(view)) {
    if (value === undefined || value === null || value === '' || String(value) === String(defaults[name] ?? '')) continue
    q.set(name, String(value))
  }
  const search = q.toString()
  return `${path}${search ? `?${search}` : ''}`
}

/** Records `view` in the address bar: a new history entry (`push`) or in place. */
export function writeQuery(view: View, defaults: View = {}, { push = false } = {}): void {
  const url = urlFor(view, defaults)
  if (url === `${location.pathname}${location.search}`) return
  history[push ? 'pushState' : 'replaceState'](null, '', url)
}

/** A positive whole number from the address bar, else `fallback`. */
export const positiveInt = (text: string | null | undefined, fallback = 1): number => {
  const n = Number.parseInt(text ?? '', 10)
  return Number.isInteger(n) && n > 0 ? n : fallback
}
