/** Money is integer fen in the API; people read yuan. Times are UTC in the API; people read China time. */
export function yuan(fen: number | string | null | undefined): string {
  if (fen === null || fen === undefined || fen === '') return '—'
  return (Number(fen) / 100).toFixed(2)
}

export function toFen(yuanValue: number): number {
  return Math.round(yuanValue * 100)
}

const chinaTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  second: '2-digit', hour12: false,
})

export function when(iso: string | null | undefined): string {
  return iso ? chinaTime.format(new Date(iso)).replace(/\//g, '-') : '—'
}

/** Midnight in China (UTC+8, no daylight saving) of the day `daysAgo` before today, as a UTC instant. */
export function chinaMidnight(daysAgo: number, now = new Date()): Date {
  const shifted = new Date(now.getTime() + 8 * 3600_000)
  const midnight = Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()) - 8 * 3600_000
  return new Date(midnight - daysAgo * 86_400_000)
}

/** The start (00:00 China time) of a day picked as `YYYY-MM-DD`, as a UTC instant. */
export function chinaDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`)
}
