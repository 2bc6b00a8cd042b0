import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './schema'

/**
 * The one typed client of the console, generated from docs/api/openapi.json (npm run gen:api). Same-origin: the
 * session cookie (HttpOnly, SameSite=Strict) rides along by itself; every change also carries the CSRF token the
 * sign-in answered with. A 401 anywhere but the sign-in itself means the session ended: back to the sign-in page.
 */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' })

let csrfToken: string | null = null
let onSignedOut: (() => void) | null = null

export function useCsrfToken(token: string | null) {
  csrfToken = token
}

export function whenSignedOut(handler: () => void) {
  onSignedOut = handler
}

const session: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) request.headers.set('X-CSRF-Token', csrfToken)
    return request
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/admin/session')) onSignedOut?.()
    return response
  },
}
api.use(session)

/** A ProblemDetails answer (docs/errors.md) as an error: `code` is stable, `title` is for people. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string | undefined,
    title: string,
    public readonly errors?: Record<string, string[]>,
    /** The whole ProblemDetails, for extensions such as the menu's `violations`. */
    public readonly problem?: Record<string, unknown>,
  ) {
    super(title)
  }
}

type Answer<T> = { data?: T; error?: unknown; response: Response }

/** The data of a successful answer, or an ApiError carrying the problem's code and title. */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call
  if (response.ok) return data as T
  const problem = (error ?? {}) as { code?: string; title?: string; detail?: string; errors?: Record<string, string[]> }
  const fields = problem.errors ? Object.values(problem.errors).flat().join(' ') : ''
  throw new ApiError(response.status, problem.code, fields || problem.detail || problem.title || response.statusText, problem.errors,
    problem as Record<string, unknown>)
}
