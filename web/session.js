// Who is signed in, shown in every page's header with the page links and the log-out button.
// Pages call `startSession()` first: it sends a visitor without a session to the sign-in page.
import { goToLogin, logOut, signedInUser } from './api.js'
import { t } from './i18n.js'
import { renderNav } from './nav.js'

let user = null

export async function startSession() {
  user = await signedInUser()
  document.getElementById('logout')?.addEventListener('click', async () => {
    try {
      await logOut()
    } finally {
      await goToLogin()
    }
  })
  renderNav(user)
  return user
}

/** The signed-in user (`{ id, username, displayName, role, communes }`), once `startSession` resolved. */
export const currentUser = () => user

/** Redraws the header's user line and page links (after a language change). */
export function renderSession() {
  const box = document.getElementById('session')
  if (!box || !user) return
  box.hidden = false
  document.getElementById('session-user').textContent = t('session.user', { name: user.displayName, role: t(`role.${user.role}`) })
  renderNav(user)
}
