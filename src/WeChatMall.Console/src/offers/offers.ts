import { ApiError } from '../api/client'
import type { components } from '../api/schema'
import { i18n } from '../i18n'
import { yuan } from '../format'

export type CouponTemplate = components['schemas']['CouponTemplateDto']
export type CouponTemplateRequest = components['schemas']['CouponTemplateRequest']

/** The API's validation errors by form field (`title`, `scopeIds`…), whatever case the server wrote the key in. */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError) || !e.errors) return {}
  const out: Record<string, string> = {}
  for (const [key, messages] of Object.entries(e.errors)) {
    const last = key.split('.').pop() ?? key
    const field = last.charAt(0).toLowerCase() + last.slice(1)
    out[field] = [out[field], ...messages].filter(Boolean).join(' ')
  }
  return out
}

/** What the coupon gives, as a merchant says it: 满 100 减 20, 无门槛减 5, 8.5 折 最多减 30. */
export function couponValue(c: Pick<CouponTemplate, 'kind' | 'amountOffFen' | 'thresholdFen' | 'percentOff' | 'maxDiscountFen'>): string {
  const t = i18n.global.t
  if (c.kind === 'percent_off') {
    const pct = Number(c.percentOff)
    const cap = c.maxDiscountFen == null ? '' : t('offers.capOff', { cap: yuan(c.maxDiscountFen) })
    return t('offers.percentValue', { pct, rate: ((100 - pct) / 10).toString() }) + cap
  }
  return Number(c.thresholdFen) > 0
    ? t('offers.amountValue', { threshold: yuan(c.thresholdFen), off: yuan(c.amountOffFen) })
    : t('offers.amountNoThreshold', { off: yuan(c.amountOffFen) })
}

/** Fixed dates or N days after receipt. */
export function couponValidity(c: Pick<CouponTemplate, 'validFrom' | 'validTo' | 'validDays'>, when: (iso: string | null | undefined) => string): string {
  const t = i18n.global.t
  if (c.validDays != null) return t('offers.validDaysValue', { days: c.validDays })
  return `${c.validFrom ? when(c.validFrom) : t('offers.fromReceipt')} ~ ${when(c.validTo)}`
}

/** Parses "12, 15 16" into ids; anything not a positive integer is dropped. */
export function parseIds(text: string): number[] {
  return text.split(/[\s,，]+/).map((s) => Number(s)).filter((n) => Number.isInteger(n) && n > 0)
}
