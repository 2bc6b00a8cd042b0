import type { components } from '../api/schema'
import { customContentOf, customMessageOf, emptyCustomMessage, type CustomMessageForm } from '../customMessage'

/** Journeys (docs/journeys.md): their states, triggers and steps, and the form model the edit page works on. */
export type Journey = components['schemas']['JourneyDto']
export type JourneyDetail = components['schemas']['JourneyDetailDto']
export type JourneyStep = components['schemas']['JourneyStep']
export type JourneyRequest = components['schemas']['JourneyRequest']

export const journeyStatuses = ['draft', 'active', 'paused', 'archived'] as const
export const triggerTypes = ['followed', 'member_bound', 'first_order_paid', 'order_paid', 'no_purchase', 'points_expiring', 'coupon_expiring', 'tag_added'] as const
export const stepTypes = ['wait', 'branch', 'send', 'add_tag', 'remove_tag', 'grant_points', 'grant_coupon'] as const
export const channelTypes = ['template', 'subscribe', 'text'] as const
/** Triggers that take a number of days. */
export const triggerWithDays = ['no_purchase', 'points_expiring', 'coupon_expiring']

export type Move = 'activate' | 'pause' | 'resume' | 'archive'
/** The moves JourneyTransitions allows from a status: draft → active ⇄ paused; any of them → archived. */
export function movesOf(status: string): Move[] {
  return ({ draft: ['activate', 'archive'], active: ['pause', 'archive'], paused: ['resume', 'archive'] } as Record<string, Move[]>)[status] ?? []
}
export const canEdit = (status: string) => status !== 'archived'

export function statusType(s: string): 'success' | 'warning' | 'info' | 'primary' {
  return ({ active: 'success', paused: 'warning', draft: 'info', archived: 'info' } as Record<string, 'success' | 'warning' | 'info'>)[s] ?? 'info'
}

/** One step as the form edits it: every field present, so switching the type keeps what was typed. */
export interface StepForm {
  type: string
  days: number | null
  until: string
  conditionType: string
  conditionTagId: number | null
  onTrue: number | null
  onFalse: number | null
  channels: string[]
  template: { templateId: string; data: Record<string, string>; url: string }
  subscribe: { templateId: string; data: Record<string, string>; page: string }
  message: CustomMessageForm
  tagId: number | null
  points: number | null
  couponTemplateId: number | null
}

export interface JourneyForm {
  name: string
  trigger: { type: string; channelId: number | null; days: number | null; tagId: number | null }
  goal: boolean
  steps: StepForm[]
}

export function emptyStep(type = 'wait'): StepForm {
  return {
    type, days: type === 'wait' ? 1 : null, until: '', conditionType: 'bought_since_entry', conditionTagId: null, onTrue: null, onFalse: null,
    channels: ['text'], template: { templateId: '', data: {}, url: '' }, subscribe: { templateId: '', data: {}, page: '' }, message: emptyCustomMessage(),
    tagId: null, points: null, couponTemplateId: null,
  }
}

export function emptyJourney(): JourneyForm {
  return { name: '', trigger: { type: 'followed', channelId: null, days: null, tagId: null }, goal: false, steps: [emptyStep('send')] }
}

const num = (v: number | string | null | undefined) => (v === null || v === undefined || v === '' ? null : Number(v))

/** The form of a saved journey (its current definition). */
export function formOf(j: Journey): JourneyForm {
  const d = j.definition
  return {
    name: j.name,
    trigger: { type: d.trigger.type, channelId: num(d.trigger.channelId), days: num(d.trigger.days), tagId: num(d.trigger.tagId) },
    goal: !!d.goal,
    steps: d.steps.map((s) => ({
      ...emptyStep(s.type), days: num(s.days), until: s.until ?? '', conditionType: s.condition?.type ?? 'bought_since_entry',
      conditionTagId: num(s.condition?.tagId), onTrue: num(s.onTrue), onFalse: num(s.onFalse), channels: [...(s.channels ?? [])],
      template: { templateId: s.content?.template?.templateId ?? '', data: { ...(s.content?.template?.data ?? {}) }, url: s.content?.template?.url ?? '' },
      subscribe: { templateId: s.content?.subscribe?.templateId ?? '', data: { ...(s.content?.subscribe?.data ?? {}) }, page: s.content?.subscribe?.page ?? '' },
      message: customMessageOf(s.content), tagId: num(s.tagId), points: num(s.points), couponTemplateId: num(s.couponTemplateId),
    })),
  }
}

/** What the API takes: only the fields the step's type uses (the API checks the rest and names the step it refuses). */
export function requestOf(f: JourneyForm) {
  const trigger = {
    type: f.trigger.type,
    channelId: f.trigger.type === 'followed' ? f.trigger.channelId : null,
    days: triggerWithDays.includes(f.trigger.type) ? f.trigger.days : null,
    tagId: f.trigger.type === 'tag_added' ? f.trigger.tagId : null,
  }
  const steps = f.steps.map((s) => {
    switch (s.type) {
      case 'wait': return { type: s.type, days: s.days, until: s.until || null }
      case 'branch': return {
        type: s.type, condition: { type: s.conditionType, tagId: s.conditionType === 'has_tag' ? s.conditionTagId : null },
        onTrue: s.onTrue, onFalse: s.onFalse,
      }
      case 'send': {
        const uses = (c: string) => s.channels.includes(c)
        return {
          type: s.type, channels: [...s.channels],
          content: {
            template: uses('template') && s.template.templateId ? { templateId: s.template.templateId, data: s.template.data, url: s.template.url.trim() || null } : null,
            subscribe: uses('subscribe') && s.subscribe.templateId ? { templateId: s.subscribe.templateId, data: s.subscribe.data, page: s.subscribe.page.trim() || null } : null,
            ...customContentOf(uses('text') ? s.message : null),
          },
        }
      }
      case 'add_tag': case 'remove_tag': return { type: s.type, tagId: s.tagId }
      case 'grant_points': return { type: s.type, points: s.points }
      case 'grant_coupon': return { type: s.type, couponTemplateId: s.couponTemplateId }
      default: return { type: s.type }
    }
  })
  return { name: f.name.trim(), trigger, goal: f.goal ? { type: 'bought' } : null, steps }
}
