import { ApiError } from './api/client'
import { describe } from './notify'

/**
 * What the API refused about a form, laid out for the form: the problem's stable `code`, its message, and the
 * messages per field it names, so each can be shown at its field. The API names a field three ways:
 * - the framework's validation `errors` object (`{ "Name": ["…"] }`);
 * - a list of "path: reason" strings (`errors: ["template.thing1: at most 20 characters"]`, or a `detail` such as
 *   "recurrence.cron: …");
 * - only its code (`CAMPAIGN_COUPON_NOT_FOUND`): the form says which field a code is about (`codeFields`).
 * `step`: the journey step a JOURNEY_* problem names. Field paths are kept as the API spells them, lower-cased first letter.
 */
export interface FormProblem {
  code?: string
  message: string
  fields: Record<string, string>
  step?: number
}

const pathReason = /^([A-Za-z][\w.]*(?:\/[\w.]+)?):\s*(.+)$/s

const fieldKey = (path: string) => path.charAt(0).toLowerCase() + path.slice(1)

export function formProblem(e: unknown, codeFields: Record<string, string> = {}): FormProblem {
  const fields: Record<string, string> = {}
  const add = (path: string, reason: string) => {
    const key = fieldKey(path)
    fields[key] = fields[key] ? `${fields[key]} ${reason}` : reason
  }
  if (!(e instanceof ApiError)) return { message: describe(e), fields }
  const listed = e.problem?.errors
  if (Array.isArray(listed)) {
    for (const item of listed.map(String)) {
      const m = pathReason.exec(item)
      if (m) add(m[1], m[2])
    }
  } else if (e.errors) {
    for (const [k, v] of Object.entries(e.errors)) add(k.replace(/^\$\./, ''), v.join(' '))
  }
  const detail = typeof e.problem?.detail === 'string' ? e.problem.detail : undefined
  if (Object.keys(fields).length === 0 && detail) {
    const m = pathReason.exec(detail)
    if (m) add(m[1], m[2])
  }
  if (e.code && codeFields[e.code] && !fields[codeFields[e.code]]) add(codeFields[e.code], detail ?? e.message)
  const step = e.problem?.step
  return { code: e.code, message: (e.code ? `${e.code}: ` : '') + describe(e), fields, step: typeof step === 'number' ? step : undefined }
}
