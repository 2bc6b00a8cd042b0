import { yuan, type Schemas } from './client'

type CouponFace = Pick<Schemas['MemberCouponDto'], 'kind' | 'amountOffFen' | 'percentOff' | 'maxDiscountFen' | 'thresholdFen'>

/** The coupon's face as shoppers read it: ¥20 / 8.5折 big, and its condition small. */
export function couponValue(c: CouponFace): string {
  if (c.kind === 'percent_off') return `${(100 - Number(c.percentOff)) / 10}折`
  return yuan(c.amountOffFen)
}

export function couponCondition(c: CouponFace): string {
  const threshold = Number(c.thresholdFen)
  const base = threshold > 0 ? `满${yuan(threshold)}可用` : '无门槛'
  return c.kind === 'percent_off' && c.maxDiscountFen != null ? `${base}，最多减${yuan(c.maxDiscountFen)}` : base
}

export const couponStatusText: Record<string, string> = {
  available: '可使用',
  locked: '待支付订单占用',
  used: '已使用',
  expired: '已过期',
}

/** China date of a UTC instant, e.g. 2026-12-06. */
export function chinaDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const t = new Date(new Date(iso).getTime() + 8 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}`
}
