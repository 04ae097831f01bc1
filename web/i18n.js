// Messages and the language switch shared by every page: Vietnamese first, English on request.
// Markup names its words by key: `data-i18n="key"` sets the text, and
// `data-i18n-attr="aria-label:key title:other.key"` sets attributes.
const LANG_KEY = 'landbook.lang'
const LANGS = ['vi', 'en']
let messages = {}

/** The message for `key` with `{name}` replaced from `params`; the key itself when there is none. */
export function t(key, params = {}) {
  return (messages[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''))
}

/** Whether the current language has a message for `key` (for optional labels, e.g. finding codes). */
export const has = (key) => Object.hasOwn(messages, key)

export const language = () => document.documentElement.lang

export const formatNumber = (n) => new Intl.NumberFormat(language()).format(n)

/** A fraction 0..1 as a percentage in the current language. */
export const formatPercent = (f) => new Intl.NumberFormat(language(), { style: 'percent' }).format(f)

/** Sets the words of every marked element under `root`; pages call it again for markup they add. */
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n)
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(/\s+/)) {
      const [attr, key] = pair.split(':')
      if (attr && key) el.setAttribute(attr, t(key))
    }
  }
}

async function loadMessages(lang) {
  const res = await fetch(`/i18n/${lang}.json`)
  if (!res.ok) throw new Error(`/i18n/${lang}.json: HTTP ${res.status}`)
  messages = await res.json()
  document.documentElement.lang = lang
  translate()
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang))
}

/**
 * Wires the page's `[data-lang]` buttons, loads the remembered language (Vietnamese the first
 * time), and calls `render` after every change so the page redraws what it built in code.
 */
export async function startI18n(render) {
  const choose = async (lang) => {
    localStorage.setItem(LANG_KEY, lang)
    await loadMessages(lang)
    await render(lang)
  }
  for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => choose(b.dataset.lang))
  const stored = localStorage.getItem(LANG_KEY)
  await choose(LANGS.includes(stored) ? stored : 'vi')
}
