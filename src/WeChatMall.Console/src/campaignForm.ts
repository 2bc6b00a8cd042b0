import type { components } from './api/schema'
import { checkCustomMessage, customContentOf, emptyCustomMessage, maxText, personalValues } from './customMessage'

/**
 * The new-campaign form: its state, the request it makes (CreateCampaignRequest) and the checks the API makes
 * (docs/campaigns.md), done in the page first so an operator sees them at the field before sending. Keys of the
 * problems are the API's own field paths ("text.news.url", "recurrence.cron"), so the API's refusals land at the
 * same fields.
 */
export type Channel = 'template' | 'subscribe' | 'text' | 'mass'
export const channelOptions: Channel[] = ['template', 'subscribe', 'text', 'mass']
/** A mass send's content: exactly one. */
export const massKinds = ['text', 'mediaId', 'imageMediaId'] as const
export type MassKind = (typeof massKinds)[number]

export function emptyCampaign() {
  return {
    name: '', segmentId: null as number | null, channels: [] as Channel[],
    template: { templateId: '', data: {} as Record<string, string>, url: '' },
    subscribe: { templateId: '', data: {} as Record<string, string>, page: '' },
    message: emptyCustomMessage(), // the text channel's customer-service message
    mass: { kind: 'text' as MassKind, text: '', mediaId: '', imageMediaId: '', byTag: false, tagId: null as number | null },
    couponTemplateId: null as number | null,
    when: 'now' as 'now' | 'at' | 'recurring', sendAt: null as Date | null, cron: '',
    quietStart: '', quietEnd: '', attributionDays: null as number | null,
  }
}
export type CampaignForm = ReturnType<typeof emptyCampaign>

const blank = (s: string) => s.trim() === ''
const orNull = (s: string) => (blank(s) ? null : s.trim())

export function requestOf(f: CampaignForm): components['schemas']['CreateCampaignRequest'] {
  const uses = (c: Channel) => f.channels.includes(c)
  const mass = uses('mass') ? f.mass : null
  return {
    name: f.name.trim(), segmentId: f.segmentId ?? 0, channels: [...f.channels],
    content: {
      template: uses('template') && f.template.templateId ? { templateId: f.template.templateId, data: f.template.data, url: orNull(f.template.url) } : null,
      subscribe: uses('subscribe') && f.subscribe.templateId ? { templateId: f.subscribe.templateId, data: f.subscribe.data, page: orNull(f.subscribe.page) } : null,
      ...customContentOf(uses('text') ? f.message : null),
      mass: mass ? {
        text: mass.kind === 'text' ? mass.text : null,
        mediaId: mass.kind === 'mediaId' ? mass.mediaId.trim() : null,
        imageMediaId: mass.kind === 'imageMediaId' ? mass.imageMediaId.trim() : null,
        tagId: mass.byTag ? mass.tagId : null,
      } : null,
    },
    sendAt: f.when === 'at' && f.sendAt ? f.sendAt.toISOString() : null,
    recurrence: f.when === 'recurring' ? { cron: f.cron.trim() } : null,
    couponTemplateId: uses('mass') ? null : f.couponTemplateId,
    quietStart: f.quietStart || null, quietEnd: f.quietEnd || null, attributionDays: f.attributionDays,
  }
}

const placeholder = /\{[A-Za-z_][A-Za-z0-9_]*\}/g

/** The values that may hold {coupon} (as the API's CampaignContent.UsesCoupon). */
function usesCoupon(f: CampaignForm): boolean {
  const uses = (c: Channel) => f.channels.includes(c)
  const values = [
    ...(uses('template') ? Object.values(f.template.data) : []),
    ...(uses('subscribe') ? Object.values(f.subscribe.data) : []),
    ...(uses('text') ? personalValues(f.message) : []),
  ]
  return values.some((v) => v.includes('{coupon}'))
}

/**
 * The API's checks that need no server: field path → message (`t` gives the operator's language). Template and
 * subscribe values are checked by the API (their limits depend on the field's type and the rendered placeholders).
 */
export function checkCampaign(f: CampaignForm, t: (key: string, values?: Record<string, unknown>) => string): Record<string, string> {
  const p: Record<string, string> = {}
  const uses = (c: Channel) => f.channels.includes(c)
  if (blank(f.name)) p.name = t('campaignForm.required')
  if (!f.segmentId) p.segmentId = t('campaignForm.required')
  if (f.channels.length === 0) p.channels = t('campaignForm.required')
  else if (uses('mass') && f.channels.length > 1) p.channels = t('campaignForm.massAlone')
  if (uses('template') && !f.template.templateId) p.template = t('campaignForm.required')
  if (uses('subscribe') && !f.subscribe.templateId) p.subscribe = t('campaignForm.required')
  if (uses('text')) Object.assign(p, checkCustomMessage(f.message, t))
  if (uses('mass')) {
    const m = f.mass
    if (m.kind === 'text') {
      const found = [...new Set(m.text.match(placeholder) ?? [])]
      if (blank(m.text)) p['mass.text'] = t('campaignForm.required')
      else if (m.text.length > maxText) p['mass.text'] = t('campaignForm.atMost', { n: maxText })
      else if (found.length > 0) p['mass.text'] = t('campaignForm.massPersonalised', { names: found.join(' ') })
    }
    if (m.kind === 'mediaId' && blank(m.mediaId)) p['mass.mediaId'] = t('campaignForm.required')
    if (m.kind === 'imageMediaId' && blank(m.imageMediaId)) p['mass.imageMediaId'] = t('campaignForm.required')
    if (m.byTag && !m.tagId) p['mass.tagId'] = t('campaignForm.required')
  } else if (usesCoupon(f) && !f.couponTemplateId) {
    p.couponTemplateId = t('campaignForm.couponNeeded', { p: '{coupon}' })
  }
  if (f.when === 'at' && !f.sendAt) p.sendAt = t('campaignForm.required')
  if (f.when === 'recurring' && f.cron.trim().split(/\s+/).filter(Boolean).length !== 5) p['recurrence.cron'] = t('campaignForm.cronFields')
  if (!f.quietStart !== !f.quietEnd) p.quietStart = t('campaignForm.quietBoth')
  return p
}

/** Which field a refusal without a field path is about (the rest name their field in the message). */
export const campaignCodeFields: Record<string, string> = {
  CAMPAIGN_MASS_PERSONALISED: 'mass.text',
  CAMPAIGN_MASS_TAG_NOT_SYNCED: 'mass.tagId',
  CAMPAIGN_COUPON_NOT_FOUND: 'couponTemplateId',
  CAMPAIGN_COUPON_NOT_ISSUABLE: 'couponTemplateId',
  CAMPAIGN_SEGMENT_NOT_FOUND: 'segmentId',
}

/** API paths shown at another field of the form: "content" is the {coupon} rule, the quiet-hours pair at its start. */
export const campaignPathAliases: Record<string, string> = {
  content: 'couponTemplateId',
  'quietStart/quietEnd': 'quietStart',
  quietEnd: 'quietStart',
}
