import type { Schemas } from './client'

export const statusText: Record<string, string> = {
  pending_payment: '待付款',
  paid: '待发货',
  shipped: '待收货',
  completed: '已完成',
  cancelled: '已取消',
}

export const refundText: Record<string, string> = {
  none: '',
  partially_refunded: '部分退款',
  refunded: '已退款',
}

export const canRefund = (o: Schemas['OrderDetailDto']) =>
  ['paid', 'shipped', 'completed'].includes(o.status) && o.refundState !== 'refunded'

/** China time, as the shopper reads it (times are stored and sent in UTC). */
export function chinaTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const t = new Date(new Date(iso).getTime() + 8 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}`
}
