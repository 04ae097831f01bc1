// Messages and the language switch shared by every page: Vietnamese first, English on request.
// Markup names its words by key: `data-i18n="key"` sets the text, and
// `data-i18n-attr="aria-label:key title:other.key"` sets attributes. The words are in
// i18n/vi.json and i18n/en.json, each bundled as its own file and loaded when chosen.
const LANG_KEY = 'landbook.lang'
const LANGS = ['vi', 'en'] as const
export type Language = (typeof LANGS)[number]
export type Params = Record<string, string | number | null | undefined>

const LOADERS: Record<Language, () => Promise<{ default: Record<string, string> }>> = {
  vi: () => import('./i18n/vi.json'),
  en: () => import('./i18n/en.json'),
}
let messages: Record<string, string> = {}

const isLanguage = (value: string | null | undefined): value is Language => LANGS.some((l) => l === value)

/** The message for `key` with `{name}` replaced from `params`; the key itself when there is none. */
export function t(key: string, params: Params = {}): string {
  return (messages[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''))
}

/** Whether the current language has a message for `key` (for optional labels, e.g. finding codes). */
export const has = (key: string): boolean => Object.hasOwn(messages, key)

export const language = (): string => document.documentElement.lang

export const formatNumber = (n: number | bigint): string => new Intl.NumberFormat(language()).format(n)

/** A fraction 0..1 as a percentage in the current language. */
export const formatPercent = (f: number): string => new Intl.NumberFormat(language(), { style: 'percent' }).format(f)

/** Sets the words of every marked element under `root`; pages call it again for markup they add. */
export function translate(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n ?? '')
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of (el.dataset.i18nAttr ?? '').split(/\s+/)) {
      const [attr, key] = pair.split(':')
      if (attr && key) el.setAttribute(attr, t(key))
    }
  }
}

async function loadMessages(lang: Language): Promise<void> {
  messages = (await LOADERS[lang]()).default
  document.documentElement.lang = lang
  translate()
  for (const b of document.querySelectorAll<HTMLElement>('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang))
}

/**
 * Wires the page's `[data-lang]` buttons, loads the remembered language (Vietnamese the first
 * time), and calls `render` after every change so the page redraws what it built in code.
 */
export async function startI18n(render: (lang: Language) => unknown): Promise<void> {
  const choose = async (lang: Language): Promise<void> => {
    localStorage.setItem(LANG_KEY, lang)
    await loadMessages(lang)
    await render(lang)
  }
  for (const b of document.querySelectorAll<HTMLElement>('[data-lang]')) {
    const lang = b.dataset.lang
    if (isLanguage(lang)) b.addEventListener('click', () => choose(lang))
  }
  const stored = localStorage.getItem(LANG_KEY)
  await choose(isLanguage(stored) ? stored : 'vi')
}
