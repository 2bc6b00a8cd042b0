// A small typed client over uni.request (the mini-program has no fetch). Every path, parameter, body and answer
// type comes from `paths`, generated from docs/api/openapi.json at build time (npm run gen:api): no request shape
// is written by hand here.
import type { components, paths } from './schema'
import { clearSession, sessionToken } from './session'

export type Schemas = components['schemas']
type HttpMethod = 'get' | 'post' | 'put' | 'delete'
type Op<P extends keyof paths, M extends HttpMethod> = NonNullable<paths[P][M]>
type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P
}[keyof paths]

type JsonBody<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
type PathParams<O> = O extends { parameters: { path: infer X } } ? X : never
type QueryParams<O> = O extends { parameters: { query?: infer X } } ? X : never
type HeaderParams<O> = O extends { parameters: { header?: infer X } } ? X : never
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : void
export type Success<O> = O extends { responses: infer R }
  ? R extends { 200: infer A } ? Json<A> : R extends { 201: infer A } ? Json<A> : void
  : never

export interface RequestOptions<O> {
  path?: PathParams<O>
  query?: QueryParams<O>
  header?: HeaderParams<O>
  body?: JsonBody<O>
}

/** A refusal of the API: its ProblemDetails `code` (docs/errors.md) and title, or the network failing (status 0). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message)
  }
}

const baseUrl = (import.meta.env.VITE_API_BASE_URL || '').replace(/\/$/, '')

function buildUrl(template: string, path?: object, query?: object): string {
  let url = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String((path as Record<string, unknown> | undefined)?.[name] ?? '')))
  const pairs = Object.entries(query ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
  if (pairs.length) url += `?${pairs.join('&')}`
  return baseUrl + url
}

export function request<M extends HttpMethod, P extends PathsWith<M>>(
  method: M, path: P, options: RequestOptions<Op<P, M>> = {},
): Promise<Success<Op<P, M>>> {
  const header: Record<string, string> = { ...(options.header as Record<string, string> | undefined) }
  const token = sessionToken()
  if (token) header.Authorization = `Bearer ${token}`
  if (options.body !== undefined) header['Content-Type'] = 'application/json'
  return new Promise((resolve, reject) => {
    uni.request({
      url: buildUrl(path as string, options.path as object, options.query as object),
      method: method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'DELETE',
      header,
      data: options.body as never,
      dataType: 'json',
      success: (res) => {
        if (res.statusCode >= 200 && res.statusCode < 300) {
          resolve((res.statusCode === 204 ? undefined : res.data) as Success<Op<P, M>>)
          return
        }
        const problem = (res.data ?? {}) as { code?: string; title?: string }
        if (res.statusCode === 401) clearSession()
        reject(new ApiError(res.statusCode, problem.code ?? `HTTP_${res.statusCode}`, problem.title ?? `请求失败（${res.statusCode}）`))
      },
      fail: (err) => reject(new ApiError(0, 'NETWORK', `网络错误：${err.errMsg}`)),
    })
  })
}

export const api = {
  get: <P extends PathsWith<'get'>>(path: P, o?: RequestOptions<Op<P, 'get'>>) => request('get', path, o),
  post: <P extends PathsWith<'post'>>(path: P, o?: RequestOptions<Op<P, 'post'>>) => request('post', path, o),
  put: <P extends PathsWith<'put'>>(path: P, o?: RequestOptions<Op<P, 'put'>>) => request('put', path, o),
  delete: <P extends PathsWith<'delete'>>(path: P, o?: RequestOptions<Op<P, 'delete'>>) => request('delete', path, o),
}

/** The Chinese message to show for a refusal, by its stable code where the shopper can act on it. */
export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return '出错了，请稍后再试'
  const known: Record<string, string> = {
    OUT_OF_STOCK: '库存不足',
    TOO_MANY_OPEN_ORDERS: '未支付订单过多，请先支付或取消',
    PURCHASE_LIMIT_EXCEEDED: '超出限购数量',
    ORDER_EXPIRED: '订单已过支付时间',
    ORDER_NOT_PAYABLE: '订单当前不可支付',
    RATE_LIMITED: '操作太频繁，请稍后再试',
    PHONE_IN_USE: '该手机号已绑定其他账号，请联系客服',
    REFUND_ALREADY_REQUESTED: '已提交过退款申请，请等待处理',
    COUPON_SOLD_OUT: '优惠券已抢光',
    COUPON_LIMIT_REACHED: '已达领取上限',
    COUPON_NOT_FOR_YOU: '该券仅限指定会员领取',
    COUPON_NOT_ISSUABLE: '该券已停止发放',
    COUPON_TEMPLATE_NOT_FOUND: '该券已下架',
    COUPON_NOT_AVAILABLE: '优惠券已被使用或已过期，请重新选择',
    COUPON_NOT_YET_VALID: '优惠券尚未到使用时间',
    COUPON_NOT_APPLICABLE: '优惠券不适用于这些商品',
    COUPON_NOT_FOUND: '优惠券不存在',
    INSUFFICIENT_POINTS: '积分不足',
    MALL_LIMIT_REACHED: '已达兑换上限',
    MALL_ITEM_NOT_FOUND: '该商品已下架',
    NETWORK: '网络错误，请检查网络',
  }
  return known[e.code] ?? e.message
}

export const yuan = (fen: number | string | null | undefined) => `¥${(Number(fen ?? 0) / 100).toFixed(2)}`
