/**
 * Human names of the audit log's actions. The API records an action as "METHOD /route/pattern" (or a name such as
 * "sign-in"); the page shows the name in the operator's language and keeps the raw value in a tooltip and the detail.
 * An action missing here (a route added later) shows its raw value.
 */
const labels: Record<string, [zh: string, en: string]> = {
  'sign-in': ['登录', 'Signed in'],
  'sign-out': ['退出登录', 'Signed out'],
  'change own password': ['修改自己的密码', 'Changed own password'],
  'start TOTP enrolment': ['开始绑定动态验证码', 'Started TOTP enrolment'],
  'confirm TOTP enrolment': ['确认绑定动态验证码', 'Confirmed TOTP enrolment'],
  'POST /admin/auto-replies': ['新建自动回复规则', 'Created an auto-reply rule'],
  'PUT /admin/auto-replies/{id}': ['修改自动回复规则', 'Changed an auto-reply rule'],
  'DELETE /admin/auto-replies/{id}': ['删除自动回复规则', 'Deleted an auto-reply rule'],
  'POST /admin/auto-replies/test': ['测试自动回复', 'Tested a message against the rules'],
  'POST /admin/catalog/categories': ['新建商品分类', 'Created a category'],
  'PUT /admin/catalog/categories/{id}': ['修改商品分类', 'Changed a category'],
  'DELETE /admin/catalog/categories/{id}': ['删除商品分类', 'Deleted a category'],
  'POST /admin/catalog/products': ['新建商品', 'Created a product'],
  'PUT /admin/catalog/products/{id}': ['修改商品', 'Changed a product'],
  'DELETE /admin/catalog/products/{id}': ['删除商品', 'Deleted a product'],
  'POST /admin/catalog/products/{id}/on-shelf': ['商品上架', 'Put a product on the shelf'],
  'POST /admin/catalog/products/{id}/off-shelf': ['商品下架', 'Took a product off the shelf'],
  'POST /admin/catalog/products/import': ['导入商品 CSV', 'Imported products (CSV)'],
  'POST /admin/catalog/products/{productId}/skus': ['新建 SKU', 'Created a SKU'],
  'PUT /admin/catalog/skus/{skuId}': ['修改 SKU', 'Changed a SKU'],
  'DELETE /admin/catalog/skus/{skuId}': ['删除 SKU', 'Deleted a SKU'],
  'POST /admin/catalog/skus/{skuId}/stock-adjustments': ['调整库存', 'Adjusted stock'],
  'POST /admin/members': ['新建会员', 'Created a member'],
  'POST /admin/members/{id}/points': ['调整积分', 'Adjusted points'],
  'POST /admin/members/{id}/merge': ['合并会员', 'Merged members'],
  'POST /admin/product-codes/batches': ['新建一物一码批次', 'Created a product-code batch'],
  'POST /admin/product-codes/batches/{id}/disable': ['停用一物一码批次', 'Disabled a product-code batch'],
  'POST /admin/tiers': ['新建会员等级', 'Created a tier'],
  'PUT /admin/tiers/{id}': ['修改会员等级', 'Changed a tier'],
  'DELETE /admin/tiers/{id}': ['删除会员等级', 'Deleted a tier'],
  'POST /admin/orders/{orderNo}/ship': ['订单发货', 'Shipped an order'],
  'POST /admin/orders/{orderNo}/refunds': ['发起退款', 'Started a refund'],
  'POST /admin/orders/{orderNo}/refunds/{outRefundNo}/approve': ['同意退款', 'Approved a refund'],
  'POST /admin/orders/{orderNo}/refunds/{outRefundNo}/reject': ['拒绝退款', 'Rejected a refund'],
  'POST /admin/orders/{orderNo}/refunds/{outRefundNo}/retry': ['重试退款', 'Retried a refund'],
  'POST /admin/orders/{orderNo}/refunds/{outRefundNo}/settle-offline': ['线下结清退款', 'Settled a refund offline'],
  'POST /admin/channels': ['新建渠道二维码', 'Created a channel QR code'],
  'PUT /admin/channels/menu': ['发布自定义菜单', 'Published the custom menu'],
  'POST /admin/channels/follower-sync': ['同步粉丝', 'Started a follower sync'],
  'POST /admin/marketplace/imports': ['导入电商平台订单', 'Imported marketplace orders'],
  'POST /admin/metrics/refresh': ['汇总经营数据', 'Rolled up the numbers'],
  'POST /admin/metrics/rebuild': ['重算经营数据', 'Rebuilt the numbers'],
  'POST /admin/audience/rebuilds': ['重算人群数据', 'Rebuilt the audience data'],
  'PUT /admin/audience/rfm/settings': ['修改 RFM 阈值', 'Changed the RFM thresholds'],
  'POST /admin/segments': ['新建人群', 'Created a segment'],
  'POST /admin/segments/count': ['计算人群人数', 'Counted a segment rule'],
  'POST /admin/segments/preview': ['预览人群', 'Previewed a segment rule'],
  'PUT /admin/segments/{id}': ['修改人群', 'Changed a segment'],
  'DELETE /admin/segments/{id}': ['删除人群', 'Deleted a segment'],
  'POST /admin/tags': ['新建标签', 'Created a tag'],
  'PUT /admin/tags/{id}': ['修改标签', 'Changed a tag'],
  'DELETE /admin/tags/{id}': ['删除标签', 'Deleted a tag'],
  'POST /admin/tags/{id}/wechat-sync': ['标签同步到微信', 'Synced a tag to WeChat'],
  'POST /admin/members/{memberId}/tags': ['给会员打标签', 'Tagged a member'],
  'DELETE /admin/members/{memberId}/tags/{tagId}': ['移除会员标签', 'Untagged a member'],
  'POST /admin/offers/coupon-templates': ['新建优惠券', 'Created a coupon template'],
  'PUT /admin/offers/coupon-templates/{id}': ['修改优惠券', 'Changed a coupon template'],
  'POST /admin/offers/coupon-templates/{id}/grants': ['发放优惠券', 'Granted coupons'],
  'POST /admin/offers/coupon-templates/{id}/segment-grants': ['按人群发券', 'Granted coupons to a segment'],
  'POST /admin/offers/draws': ['新建抽奖', 'Created a draw'],
  'POST /admin/offers/draw-chances': ['发放抽奖机会', 'Granted draw chances'],
  'POST /admin/offers/mall-items': ['新建积分商城商品', 'Created a points-mall item'],
  'PUT /admin/offers/mall-items/{id}': ['修改积分商城商品', 'Changed a points-mall item'],
  'PUT /admin/offers/draws/{id}/active': ['开关抽奖', 'Switched a draw on or off'],
  'POST /admin/session': ['登录', 'Signed in'],
  'DELETE /admin/session': ['退出登录', 'Signed out'],
  'POST /admin/session/password': ['修改自己的密码', 'Changed own password'],
  'POST /admin/session/totp': ['开始绑定动态验证码', 'Started TOTP enrolment'],
  'POST /admin/session/totp/confirm': ['确认绑定动态验证码', 'Confirmed TOTP enrolment'],
  'POST /admin/operators': ['新建操作员', 'Created an operator'],
  'PUT /admin/operators/{id}': ['修改操作员', 'Changed an operator'],
  'POST /admin/operators/{id}/reset-password': ['重置操作员密码', 'Reset an operator’s password'],
  'POST /admin/api-tokens': ['新建 API 令牌', 'Created an API token'],
  'DELETE /admin/api-tokens/{id}': ['吊销 API 令牌', 'Revoked an API token'],
  'POST /admin/campaigns': ['新建营销活动', 'Created a campaign'],
  'POST /admin/campaigns/templates/sync': ['同步消息模板', 'Synced the message templates'],
  'POST /admin/campaigns/{id}/start': ['启动营销活动', 'Started a campaign'],
  'POST /admin/campaigns/{id}/approve': ['审批营销活动', 'Approved a campaign'],
  'POST /admin/campaigns/{id}/pause': ['暂停营销活动', 'Paused a campaign'],
  'POST /admin/campaigns/{id}/resume': ['恢复营销活动', 'Resumed a campaign'],
  'POST /admin/campaigns/{id}/cancel': ['取消营销活动', 'Cancelled a campaign'],
  'POST /admin/campaigns/{id}/test-send': ['营销活动测试发送', 'Test-sent a campaign'],
  'POST /admin/journeys': ['新建自动化旅程', 'Created a journey'],
  'PUT /admin/journeys/{id}': ['修改自动化旅程', 'Changed a journey'],
  'POST /admin/journeys/{id}/activate': ['启用自动化旅程', 'Activated a journey'],
  'POST /admin/journeys/{id}/pause': ['暂停自动化旅程', 'Paused a journey'],
  'POST /admin/journeys/{id}/resume': ['恢复自动化旅程', 'Resumed a journey'],
  'POST /admin/journeys/{id}/archive': ['归档自动化旅程', 'Archived a journey'],
}

/** "PUT /admin/operators/{id:long}/" → "PUT /admin/operators/{id}": route constraints and a trailing slash dropped. */
export function normaliseAction(raw: string): string {
  return raw.replace(/\{(\*?\w+)(:[^}]*)?\??\}/g, (_, name: string) => `{${name.replace('*', '')}}`).replace(/\/+$/, '')
}

/** The action's name in the operator's language, or null when it has none (the page then shows the raw value). */
export function actionLabel(raw: string, locale: string): string | null {
  const pair = labels[normaliseAction(raw)]
  return pair ? pair[locale === 'en' ? 1 : 0] : null
}

/** Every named action (a browser test compares them with the API's routes). */
export const namedActions = Object.keys(labels)
