// Talking to the import API: JSON reads, and the upload (XMLHttpRequest, because fetch cannot
// report upload progress). Failures carry the server's problem+json.

export class ApiError extends Error {
  /** `status` 0 means the server was not reached; `problem` is the RFC 9457 body, if any. */
  constructor(status, problem) {
    super(problem?.detail ?? (status ? `HTTP ${status}` : 'network error'))
    this.status = status
    this.problem = problem ?? null
  }
}

export async function getJson(url) {
  let res
  try {
    res = await fetch(url, { headers: { accept: 'application/json' } })
  } catch {
    throw new ApiError(0, null)
  }
  const body = await res.json().catch(() => null)
  if (!res.ok) throw new ApiError(res.status, body)
  return body
}

/** POSTs the form; `onProgress(fraction)` while the bytes go out. Resolves with the JSON answer. */
export function postForm(url, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.responseType = 'json'
    xhr.setRequestHeader('accept', 'application/json')
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    })
    xhr.addEventListener('load', () => (xhr.status >= 200 && xhr.status < 300 ? resolve(xhr.response) : reject(new ApiError(xhr.status, xhr.response))))
    xhr.addEventListener('error', () => reject(new ApiError(0, null)))
    xhr.send(form)
  })
}
