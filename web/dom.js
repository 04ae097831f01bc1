// Building elements in code. Text is always set as text, never as HTML: file names and
// messages come from uploaded files.

/**
 * `h('a', { href: '/x', class: 'link', onclick: fn }, 'text', child)`: attributes set as given
 * (`true` for a bare attribute; `false`, null and undefined leave it out), `on…` adds a listener.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue
    if (name === 'class') el.className = value
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value)
    else el.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue
    el.append(child instanceof Node ? child : String(child))
  }
  return el
}
