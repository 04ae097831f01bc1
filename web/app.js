// Landbook start page: system status and the list of communes. Vietnamese first, English on request.
const LANG_KEY = 'landbook.lang'
let messages = {}

async function loadMessages(lang) {
  messages = await (await fetch(`/i18n/${lang}.json`)).json()
  document.documentElement.lang = lang
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n)
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang))
}

function t(key, params = {}) {
  return (messages[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''))
}

const number = (n) => new Intl.NumberFormat(document.documentElement.lang).format(n)

async function showHealth() {
  const el = document.getElementById('health')
  try {
    const h = await (await fetch('/api/health')).json()
    const d = h.database
    el.textContent = t('health.line', { kind: t(`health.${d.kind}`), postgres: d.postgres, postgis: d.postgis, applied: d.migrations.applied })
    if (d.migrations.pending.length) el.textContent += ' · ' + t('health.pending', { n: d.migrations.pending.length })
  } catch (error) {
    el.textContent = t('health.error', { message: error.message })
  }
}

async function showCommunes() {
  const { communes } = await (await fetch('/api/communes')).json()
  const body = document.querySelector('#communes tbody')
  body.replaceChildren(
    ...communes.map((c) => {
      const row = document.createElement('tr')
      const cells = [c.code, c.name, number(c.parcels), number(c.records)]
      cells.forEach((text, i) => {
        const td = document.createElement('td')
        td.textContent = text
        if (i >= 2) td.className = 'num'
        row.append(td)
      })
      const statuses = document.createElement('td')
      for (const [status, n] of Object.entries(c.statuses)) {
        const span = document.createElement('span')
        span.className = 'status'
        span.textContent = `${t(`status.${status}`)}: ${number(n)}`
        statuses.append(span)
      }
      row.append(statuses)
      return row
    }),
  )
  document.getElementById('communes-empty').hidden = communes.length > 0
}

async function render(lang) {
  localStorage.setItem(LANG_KEY, lang)
  await loadMessages(lang)
  await Promise.all([showHealth(), showCommunes()])
}

for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => render(b.dataset.lang))
render(localStorage.getItem(LANG_KEY) ?? 'vi')
