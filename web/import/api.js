// Talking to the import API: JSON reads (the shared ../api.js), and the upload
// (XMLHttpRequest, because fetch cannot report upload progress). Failures carry the server's
// problem+json.
import { ApiError, csrfHeader, goToLogin } from '../api.js'

export { ApiError, getJson } from '../api.js'

/** POSTs the form; `onProgress(fraction)` while the bytes go out. Resolves with the JSON answer. */
export function postForm(url, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.responseType = 'json'
    xhr.setRequestHeader('accept', 'application/json')
    for (const [name, value] of Object.entries(csrfHeader())) xhr.setRequestHeader(name, value)
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    })
    xhr.addEventListener('load', () => {
      if (xhr.status === 401) goToLogin()
      else if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response)
      else reject(new ApiError(xhr.status, xhr.response))
    })
    xhr.addEventListener('error', () => reject(new ApiError(0, null)))
    xhr.send(form)
  })
}
