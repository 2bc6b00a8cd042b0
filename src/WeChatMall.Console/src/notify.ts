import { ElMessage } from 'element-plus'
import { ApiError } from './api/client'
import { i18n } from './i18n'

/** Says what went wrong: known problem codes in the operator's language, otherwise the API's own title. */
export function describe(e: unknown): string {
  const t = i18n.global.t
  const te = i18n.global.te
  if (e instanceof ApiError) return e.code && te(`errors.${e.code}`) ? t(`errors.${e.code}`) : e.message || t('errors.generic')
  if (e instanceof TypeError) return t('errors.network')
  return e instanceof Error ? e.message : t('errors.generic')
}

export function showError(e: unknown) {
  ElMessage.error({ message: describe(e), grouping: true })
}

export function showDone(message?: string) {
  ElMessage.success(message ?? i18n.global.t('common.done'))
}

/** Runs an action, shows its error, and answers whether it worked. */
export async function attempt(action: () => Promise<unknown>, doneMessage?: string): Promise<boolean> {
  try {
    await action()
    showDone(doneMessage)
    return true
  } catch (e) {
    showError(e)
    return false
  }
}
