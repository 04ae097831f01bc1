// Talking to the import API: JSON reads (the shared ../api.js), and the upload
// (XMLHttpRequest, because fetch cannot report upload progress). Failures carry the server's
// problem+json.
import { ApiError, csrfHeader, goToLogin } from '../api.js'
import type { Problem } from '../types.js'

export { ApiError, getJson } from '../api.js'

/** POSTs the form; `onProgress(fraction)` while the bytes go out. Resolves with the JSON answer. */
// The answer is trusted to have the shape the caller names: it comes from our own server.
export function postForm<T>(url: string, form: FormData, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.responseType = 'json'
    xhr.setRequestHeader('accept', 'application/json')
    for (const [name, value] of Object.entries(csrfHeader())) xhr.setRequestHeader(name, value)
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    })
    xhr.addEventListener('load', () => {
      const answer: unknown = xhr.response
      if (xhr.status === 401) void goToLogin()
      else if (xhr.status >= 200 && xhr.status < 300) resolve(answer as T)
      else reject(new ApiError(xhr.status, answer as Problem | null))
    })
    xhr.addEventListener('error', () => reject(new ApiError(0, null)))
    xhr.send(form)
  })
}
