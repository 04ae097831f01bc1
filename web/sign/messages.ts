// The signer page's words, Vietnamese first, English on request (same language choice as the
// other pages, kept in localStorage under landbook.lang).
const MESSAGES: Record<'vi' | 'en', Record<string, string>> = {
  vi: {
    subtitle: 'Ký số sổ địa chính điện tử',
    title: 'Ký lô thửa đã đối soát',
    help: 'Khóa bí mật trong tệp PKCS#12 chỉ được đọc và dùng trong trình duyệt này; máy chủ chỉ nhận chữ ký.',
    commune: 'Xã',
    p12: 'Tệp chứng thư số (.p12, .pfx)',
    password: 'Mật khẩu tệp',
    submit: 'Chuẩn bị lô và ký',
    resultTitle: 'Kết quả',
    reading: 'Đang mở tệp chứng thư…',
    preparing: 'Đang chuẩn bị lô ký…',
    signing: 'Đang ký trong trình duyệt…',
    uploading: 'Đang gửi chữ ký…',
    done: 'Đã ký xong.',
    batch: 'Lô ký',
    parcels: 'Số thửa đã ký',
    signer: 'Người ký',
    root: 'Gốc Merkle',
    notSigner: 'Trang này dành cho người ký số (vai trò signer).',
    noCommune: 'Bạn chưa được giao xã nào.',
    mismatch: 'Nội dung lô nhận được không khớp với xã hoặc mã băm đã công bố; không ký.',
    badP12: 'Không mở được tệp PKCS#12: sai mật khẩu, tệp hỏng hoặc thuật toán chưa hỗ trợ.',
  },
  en: {
    subtitle: 'Digital signing of the cadastral book',
    title: 'Sign a batch of reconciled parcels',
    help: 'The private key in the PKCS#12 file is read and used in this browser only; the server receives the signature alone.',
    commune: 'Commune',
    p12: 'Certificate file (.p12, .pfx)',
    password: 'File password',
    submit: 'Prepare the batch and sign',
    resultTitle: 'Result',
    reading: 'Opening the certificate file…',
    preparing: 'Preparing the batch…',
    signing: 'Signing in the browser…',
    uploading: 'Uploading the signature…',
    done: 'Signed.',
    batch: 'Batch',
    parcels: 'Parcels signed',
    signer: 'Signer',
    root: 'Merkle root',
    notSigner: 'This page is for signers (role signer).',
    noCommune: 'No commune is assigned to you.',
    mismatch: 'The batch content does not match the commune or the announced digest; not signing.',
    badP12: 'Cannot open the PKCS#12 file: wrong password, damaged file or unsupported algorithm.',
  },
}

const LANG_KEY = 'landbook.lang'
type Language = keyof typeof MESSAGES
let lang: Language = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi'

export const m = (key: string): string => MESSAGES[lang][key] ?? key

export function applyLanguage(next: string | undefined = lang): void {
  lang = next === 'en' ? 'en' : 'vi'
  localStorage.setItem(LANG_KEY, lang)
  document.documentElement.lang = lang
  for (const el of document.querySelectorAll<HTMLElement>('[data-m]')) el.textContent = m(el.dataset.m ?? '')
  for (const b of document.querySelectorAll<HTMLElement>('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang))
}
