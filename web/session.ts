// Who is signed in, shown in every page's header with the page links and the log-out button.
// Pages call `startSession()` first: it sends a visitor without a session to the sign-in page.
import { goToLogin, logOut, signedInUser } from './api.js'
import { byId } from './dom.js'
import { t } from './i18n.js'
import { renderNav } from './nav.js'
import type { User } from './types.js'

let user: User | null = null

export async function startSession(): Promise<User> {
  const me = await signedInUser()
  user = me
  document.getElementById('logout')?.addEventListener('click', async () => {
    try {
      await logOut()
    } finally {
      await goToLogin()
    }
  })
  renderNav(me)
  return me
}

/** The signed-in user, once `startSession` resolved. */
export const currentUser = (): User | null => user

/** Redraws the header's user line and page links (after a language change). */
export function renderSession(): void {
  const box = document.getElementById('session')
  if (!box || !user) return
  box.hidden = false
  byId('session-user').textContent = t('session.user', { name: user.displayName, role: t(`role.${user.role}`) })
  renderNav(user)
}
