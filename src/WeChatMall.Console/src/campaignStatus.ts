/** A campaign's states (docs/campaigns.md) and what the pages do with them. */
export const campaignStatuses = ['draft', 'awaiting_approval', 'scheduled', 'running', 'paused', 'parked', 'recurring', 'completed', 'cancelled'] as const

/** States in which the worker may still send: the detail page refreshes its results while the campaign is in one. */
export const liveStatuses = ['scheduled', 'running', 'parked']

export const canPause = (s: string) => ['scheduled', 'running', 'parked', 'recurring'].includes(s)

/** A recurring campaign's cron may be changed while it is a draft, paused or recurring (PUT …/recurrence). */
export const canSetRecurrence = (s: string) => ['draft', 'paused', 'recurring'].includes(s)
export const canCancel = (s: string) => !['completed', 'cancelled'].includes(s)

export function statusType(s: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' {
  return ({ running: 'primary', scheduled: 'primary', awaiting_approval: 'warning', paused: 'warning', parked: 'warning', completed: 'success', recurring: 'primary',
    cancelled: 'info', draft: 'info' } as Record<string, 'success' | 'warning' | 'info' | 'danger' | 'primary'>)[s] ?? 'info'
}
