import type { components } from './api/schema'

/**
 * The segment rule editor's model (docs/audience.md, "Rule grammar"): groups (all / any / none) of conditions, each
 * condition a field of GET /admin/segments/fields, one of its operators, and the value as typed. `toRule` makes the
 * API's JSON of it; `fromRule` reads a saved rule back (`not` becomes a none-group of one).
 */
export type SegmentField = components['schemas']['SegmentFieldDto']
export type GroupKind = 'all' | 'any' | 'none'
export interface Condition { type: 'condition'; field: string; op: string; value: string; days: number | null; template: string }
export interface Group { type: 'group'; kind: GroupKind; children: RuleNode[] }
export type RuleNode = Condition | Group
export type RuleJson = string | number | boolean | null | RuleJson[] | { [key: string]: RuleJson }

export const noValueOps = ['isNull', 'isNotNull']

export function newCondition(field?: SegmentField): Condition {
  return { type: 'condition', field: field?.name ?? '', op: field?.operators[0] ?? '', value: '', days: field?.extra === 'days' ? 30 : null, template: '' }
}

export function newGroup(kind: GroupKind = 'all'): Group {
  return { type: 'group', kind, children: [] }
}

function list(text: string): string[] {
  return text.split(/[,，\s]+/).map((s) => s.trim()).filter((s) => s.length > 0)
}

function scalar(kind: string, text: string): RuleJson {
  const s = text.trim()
  if (kind === 'Flag') return s === 'true'
  if (kind === 'Number' || kind === 'Ids' || kind === 'Hours') return /^-?\d+$/.test(s) ? Number(s) : s
  return s
}

function valueOf(c: Condition, kind: string): RuleJson {
  if (c.op === 'between') return list(c.value).map((v) => scalar(kind, v))
  if (c.op === 'in' || c.op === 'notIn') return list(c.value).map((v) => scalar(kind, v))
  if (c.op === 'withinDays' || c.op === 'notWithinDays') return scalar('Number', c.value)
  return scalar(kind, c.value)
}

export function toRule(node: RuleNode, fields: SegmentField[]): RuleJson {
  if (node.type === 'group') return { [node.kind]: node.children.map((n) => toRule(n, fields)) }
  const field = fields.find((f) => f.name === node.field)
  const rule: { [key: string]: RuleJson } = { field: node.field, op: node.op }
  if (!noValueOps.includes(node.op)) rule.value = valueOf(node, field?.kind ?? 'Text')
  if (field?.extra === 'days') rule.days = node.days
  if (field?.extra === 'template') rule.template = node.template
  return rule
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function fromRule(rule: unknown): RuleNode {
  if (!isObject(rule)) return newGroup()
  for (const kind of ['all', 'any', 'none'] as const) {
    const children = rule[kind]
    if (Array.isArray(children)) return { type: 'group', kind, children: children.map(fromRule) }
  }
  if ('not' in rule) return { type: 'group', kind: 'none', children: [fromRule(rule.not)] }
  const value = rule.value
  return {
    type: 'condition',
    field: String(rule.field ?? ''),
    op: String(rule.op ?? ''),
    value: Array.isArray(value) ? value.map(String).join(', ') : value === undefined || value === null ? '' : String(value),
    days: typeof rule.days === 'number' ? rule.days : null,
    template: typeof rule.template === 'string' ? rule.template : '',
  }
}
