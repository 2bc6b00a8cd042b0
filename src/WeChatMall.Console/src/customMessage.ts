import type { components } from './api/schema'

type Content = components['schemas']['CampaignContent']

/**
 * A customer-service message, the `text` channel of a campaign and of a journey's send step (docs/campaigns.md): one
 * of four kinds. Its form state, the part of CampaignContent it makes, and the API's checks that need no server, keyed
 * by the API's field paths ("text", "text.news.url") so the API's refusals land at the same fields.
 */
export const customKinds = ['text', 'image', 'news', 'miniProgram'] as const
export type CustomKind = (typeof customKinds)[number]

export const maxText = 2000
export const maxTitle = 64
export const maxDescription = 120
export const maxMediaId = 128

export function emptyCustomMessage() {
  return {
    kind: 'text' as CustomKind,
    text: '',
    image: { mediaId: '' },
    news: { title: '', description: '', url: '', picUrl: '' },
    miniProgram: { title: '', appId: '', pagePath: '', thumbMediaId: '' },
  }
}
export type CustomMessageForm = ReturnType<typeof emptyCustomMessage>

/** The form of saved content: the kind it holds (text when none), every field of the others empty. */
export function customMessageOf(c: Content | null | undefined): CustomMessageForm {
  const m = emptyCustomMessage()
  if (c?.image) return { ...m, kind: 'image', image: { mediaId: c.image.mediaId } }
  if (c?.news) {
    return { ...m, kind: 'news', news: { title: c.news.title, description: c.news.description ?? '', url: c.news.url, picUrl: c.news.picUrl ?? '' } }
  }
  if (c?.miniProgram) {
    const p = c.miniProgram
    return { ...m, kind: 'miniProgram', miniProgram: { title: p.title, appId: p.appId, pagePath: p.pagePath, thumbMediaId: p.thumbMediaId } }
  }
  return { ...m, text: c?.text ?? '' }
}

const blank = (s: string) => s.trim() === ''
const orNull = (s: string) => (blank(s) ? null : s.trim())

/** The content's customer-service part: the chosen kind only (null for all when the channel is not used). */
export function customContentOf(m: CustomMessageForm | null): Pick<Content, 'text' | 'image' | 'news' | 'miniProgram'> {
  const kind = m?.kind
  return {
    text: kind === 'text' ? m!.text : null,
    image: kind === 'image' ? { mediaId: m!.image.mediaId.trim() } : null,
    news: kind === 'news'
      ? { title: m!.news.title, description: orNull(m!.news.description), url: m!.news.url.trim(), picUrl: orNull(m!.news.picUrl) } : null,
    miniProgram: kind === 'miniProgram'
      ? { title: m!.miniProgram.title, appId: m!.miniProgram.appId.trim(), pagePath: m!.miniProgram.pagePath.trim(), thumbMediaId: m!.miniProgram.thumbMediaId.trim() }
      : null,
  }
}

/** The values of the chosen kind a member's placeholders ({nickname}, {coupon}…) may fill in. */
export function personalValues(m: CustomMessageForm): string[] {
  return m.kind === 'text' ? [m.text] : m.kind === 'news' ? [m.news.title, m.news.description] : m.kind === 'miniProgram' ? [m.miniProgram.title] : []
}

const appId = /^wx[0-9a-f]{16}$/

function https(url: string): boolean {
  try {
    const u = new URL(url.trim())
    return u.protocol === 'https:' && u.host !== ''
  } catch {
    return false
  }
}

/** The API's checks of the chosen kind: field path → message (`t` gives the operator's language). */
export function checkCustomMessage(m: CustomMessageForm, t: (key: string, values?: Record<string, unknown>) => string): Record<string, string> {
  const p: Record<string, string> = {}
  const required = (path: string, v: string, max: number) => {
    if (blank(v)) p[path] = t('campaignForm.required')
    else if (v.length > max) p[path] = t('campaignForm.atMost', { n: max })
  }
  if (m.kind === 'text') required('text', m.text, maxText)
  if (m.kind === 'image') required('text.image.mediaId', m.image.mediaId, maxMediaId)
  if (m.kind === 'news') {
    required('text.news.title', m.news.title, maxTitle)
    if (m.news.description.length > maxDescription) p['text.news.description'] = t('campaignForm.atMost', { n: maxDescription })
    if (!https(m.news.url)) p['text.news.url'] = t('campaignForm.https')
    if (!blank(m.news.picUrl) && !https(m.news.picUrl)) p['text.news.picUrl'] = t('campaignForm.https')
  }
  if (m.kind === 'miniProgram') {
    required('text.miniProgram.title', m.miniProgram.title, maxTitle)
    if (!appId.test(m.miniProgram.appId.trim())) p['text.miniProgram.appId'] = t('campaignForm.appId')
    const page = m.miniProgram.pagePath.trim()
    if (page === '') p['text.miniProgram.pagePath'] = t('campaignForm.required')
    else if (page.startsWith('/') || page.includes('://')) p['text.miniProgram.pagePath'] = t('campaignForm.pagePathRule')
    required('text.miniProgram.thumbMediaId', m.miniProgram.thumbMediaId, maxMediaId)
  }
  return p
}
