// The page links in every page's header (điều hướng): only the pages the signed-in role may
// use, the current one marked. Pages opened from another (a parcel's detail) are not listed.
import { h } from './dom.js'
import { has, t, translate } from './i18n.js'
import type { Role, User } from './types.js'

interface Page {
  href: string
  key: string
  roles: Role[]
  /** false: opened from another page (a parcel's detail), not in the links. */
  listed?: boolean
  /** true: a page that does not exist yet, listed as text. */
  placeholder?: boolean
}

/** Each page with the roles that may use it (the API refuses the others anyway). */
export const PAGES: Page[] = [
  { href: '/', key: 'nav.home', roles: ['admin', 'gis', 'clerk', 'signer', 'manager'] },
  { href: '/map.html', key: 'nav.map', roles: ['admin', 'gis', 'clerk', 'signer', 'manager'] },
  { href: '/dashboard.html', key: 'nav.dashboard', roles: ['admin', 'gis', 'clerk', 'signer', 'manager'] },
  { href: '/import.html', key: 'nav.import', roles: ['admin', 'gis', 'manager'] },
  { href: '/queue.html', key: 'nav.queue', roles: ['admin', 'clerk', 'signer', 'manager'] },
  { href: '/parcel.html', key: 'nav.parcel', roles: ['admin', 'clerk', 'signer', 'manager'], listed: false },
  // The signer's page (its own module set under web/sign). `placeholder: true` lists a page
  // that does not exist yet as text, not a link.
  { href: '/sign.html', key: 'nav.sign', roles: ['signer'] },
  { href: '/admin.html', key: 'nav.admin', roles: ['admin'] },
]

const pageOf = (path: string): Page | undefined => PAGES.find((p) => p.href === (path === '/index.html' ? '/' : path))

/** Fills `nav.pages` with the links the role may follow. */
export function renderNav(user: User | null): void {
  const nav = document.querySelector('nav.pages')
  if (!nav || !user) return
  const here = pageOf(location.pathname)
  // Before the messages arrive the links are left empty rather than showing their keys.
  const label = (key: string): string => (has(key) ? t(key) : '')
  nav.replaceChildren(
    ...PAGES.filter((p) => p.listed !== false && p.roles.includes(user.role)).map((p) =>
      p.placeholder
        ? h('span', { class: 'placeholder', 'aria-disabled': 'true', 'data-i18n': p.key }, label(p.key))
        : h('a', { href: p.href, 'aria-current': p === here ? 'page' : null, 'data-i18n': p.key }, label(p.key)),
    ),
  )
  if (has('nav.home')) translate(nav)
}

/** Whether the signed-in role may use this page; if not, the page says so instead of its content. */
export function mayUseThisPage(user: User): boolean {
  const page = pageOf(location.pathname)
  if (!page || page.roles.includes(user.role)) return true
  document.querySelector('main')?.replaceChildren(
    h('section', {}, h('h2', { 'data-i18n': 'page.forbiddenTitle' }, t('page.forbiddenTitle')), h('p', { 'data-i18n': 'page.forbidden' }, t('page.forbidden')), h('p', {}, h('a', { href: '/', 'data-i18n': 'nav.home' }, t('nav.home')))),
  )
  return false
}
