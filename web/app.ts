// Landbook start page: system status and the list of communes. Vietnamese first, English on request.
import { getJson, messageOf } from './api.js'
import { byId } from './dom.js'
import { formatNumber as number, startI18n, t } from './i18n.js'
import { renderSession, startSession } from './session.js'
import type { Commune } from './types.js'

interface Health {
  database: { kind: string; postgres: string; postgis: string; migrations: { applied: number; pending: string[] } }
}

async function showHealth(): Promise<void> {
  const el = byId('health')
  try {
    const h = await getJson<Health>('/api/health')
    const d = h.database
    el.textContent = t('health.line', { kind: t(`health.${d.kind}`), postgres: d.postgres, postgis: d.postgis, applied: d.migrations.applied })
    if (d.migrations.pending.length) el.textContent += ' · ' + t('health.pending', { n: d.migrations.pending.length })
  } catch (error) {
    el.textContent = t('health.error', { message: messageOf(error) })
  }
}

async function showCommunes(): Promise<void> {
  const { communes } = await getJson<{ communes: Commune[] }>('/api/communes')
  byId('communes', HTMLTableElement).tBodies[0]?.replaceChildren(
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
  byId('communes-empty').hidden = communes.length > 0
}

await startSession()
startI18n(() => {
  renderSession()
  return Promise.all([showHealth(), showCommunes()])
})
