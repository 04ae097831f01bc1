// Building elements in code. Text is always set as text, never as HTML: file names and
// messages come from uploaded files.

export type AttrValue = string | number | boolean | null | undefined | ((event: Event) => unknown)
export type Child = Node | string | number | null | undefined | false | Child[]

/**
 * `h('a', { href: '/x', class: 'link', onclick: fn }, 'text', child)`: attributes set as given
 * (`true` for a bare attribute; `false`, null and undefined leave it out), `on…` adds a listener.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, AttrValue> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue
    if (typeof value === 'function') {
      if (name.startsWith('on')) el.addEventListener(name.slice(2), value)
    } else if (name === 'class') el.className = String(value)
    else el.setAttribute(name, value === true ? '' : String(value))
  }
  appendChild(el, children)
  return el
}

function appendChild(el: Element, child: Child): void {
  if (Array.isArray(child)) for (const c of child) appendChild(el, c)
  else if (child !== undefined && child !== null && child !== false) el.append(child instanceof Node ? child : String(child))
}

/** The page's element with this id, of the kind its markup gives it; a missing one is a bug in the page. */
export function byId<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T
export function byId(id: string): HTMLElement
export function byId(id: string, type: { new (): HTMLElement; prototype: HTMLElement } = HTMLElement): HTMLElement {
  const el = document.getElementById(id)
  if (!(el instanceof type)) throw new Error(`#${id}: no ${type.name} in the page`)
  return el
}

/** The element an event happened on, when it is one (not a text node or the window). */
export const targetElement = (event: Event): Element | null => (event.target instanceof Element ? event.target : null)
