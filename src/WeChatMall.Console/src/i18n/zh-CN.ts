export default {
  app: { title: 'WeChatMall 商户后台', signOut: '退出登录', language: 'English', role: '角色' },
  nav: {
    dashboard: '概览', autoReplies: '自动回复', orders: '订单', members: '会员', catalog: '商品', refunds: '退款与告警',
    tiers: '会员等级', productCodes: '一物一码', operators: '操作员', apiTokens: 'API 令牌', audit: '审计日志',
  },
  common: {
    search: '搜索', reset: '重置', create: '新建', edit: '编辑', delete: '删除', save: '保存', cancel: '取消', confirm: '确定',
    actions: '操作', detail: '详情', loading: '加载中…', empty: '暂无数据', retry: '重试', prev: '上一页', next: '下一页',
    page: '第 {n} 页', all: '全部', yes: '是', no: '否', enabled: '启用', disabled: '停用', createdAt: '创建时间',
    status: '状态', name: '名称', reason: '原因', note: '备注', saved: '已保存', done: '操作成功', confirmDelete: '确定删除？',
    readOnly: '您的角色只能查看', id: 'ID', amount: '金额', yuan: '元', export: '导出',
  },
  errors: {
    PERMISSION_DENIED: '您的角色无权执行此操作', CSRF_TOKEN_INVALID: '页面已过期，请刷新后重试',
    SIGN_IN_FAILED: '用户名或密码错误', TOTP_REQUIRED: '请输入动态验证码', SIGN_IN_LOCKED: '登录失败次数过多，账号已锁定 15 分钟',
    network: '无法连接服务器', generic: '操作失败',
  },
  signIn: {
    title: '登录商户后台', username: '用户名', password: '密码', totp: '动态验证码', submit: '登录',
  },
  dashboard: {
    today: '今日', yesterday: '昨日', orders: '下单数', paidOrders: '支付订单', revenue: '支付金额（元）', refunds: '退款中',
    newFollowers: '新增关注', newMembers: '新增会员', memberShare: '会员下单占比', trend: '近 7 天订单与支付金额',
    notAvailable: '统计接口尚未提供', ordersSeries: '订单数', revenueSeries: '支付金额（元）',
  },
  autoReplies: {
    title: '自动回复规则', trigger: '触发方式', matchType: '匹配方式', pattern: '关键词', priority: '优先级', replyMode: '回复方式',
    replies: '回复内容', replyText: '回复文字', triggers: { keyword: '关键词', subscribe: '关注时', default: '默认回复', click: '菜单点击', scan: '扫码' },
    matchTypes: { exact: '完全匹配', contains: '包含', prefix: '前缀', regex: '正则' },
    replyModes: { first: '回复一条', all: '全部回复', random: '随机一条' },
    test: '测试消息', testText: '粉丝发送的文字', testRun: '试一试', matched: '命中规则：{name}', notMatched: '没有规则命中',
    newRule: '新建规则', editRule: '编辑规则',
  },
  orders: {
    title: '订单', orderNo: '订单号', memberId: '会员 ID', from: '开始日期', to: '结束日期', payable: '应付（元）',
    refunded: '已退（元）', items: '商品', paidAt: '支付时间', refundState: '退款状态', ship: '发货', refund: '退款',
    carrier: '快递公司', trackingNo: '运单号', refundAmount: '退款金额（元）', returnStock: '退回库存', address: '收货地址',
    events: '状态记录', lines: '商品明细', quantity: '数量', unitPrice: '单价（元）', exportCsv: '导出 CSV', exportXlsx: '导出 Excel',
    refunds: '退款记录', shipped: '已发货', refundCreated: '已提交退款',
    statuses: { pending_payment: '待支付', paid: '待发货', shipped: '已发货', completed: '已完成', cancelled: '已取消' },
    refundStates: { none: '无', partially_refunded: '部分退款', refunded: '已退款' },
  },
  members: {
    title: '会员', searchHint: '手机号、邀请码、会员 ID 或 openid', inviteCode: '邀请码', points: '积分', tier: '等级',
    mergedInto: '已合并到', identities: '身份', kind: '类型', value: '值', pointsHistory: '积分记录', delta: '变动',
    balanceAfter: '变动后余额', adjustPoints: '调整积分', merge: '合并会员', mergedMemberId: '被合并的会员 ID', follows: '关注的公众号',
    orders: '订单', ordersSummary: '共 {orders} 单，已支付 {paid} 单，净支付 {net} 元', searchFirst: '输入条件后搜索会员',
    merged: '已合并',
  },
  catalog: {
    title: '商品', product: '商品', category: '分类', price: '价格（元）', minPrice: '最低价（元）', sales: '销量', onShelf: '上架',
    putOn: '上架', takeOff: '下架', skus: '规格', stock: '库存', adjustStock: '调整库存', stockDelta: '库存变动', spec: '规格值',
    code: '编码', importCsv: '导入 CSV', imported: '已导入 {products} 个商品、{skus} 个规格', newProduct: '新建商品',
    productTitle: '商品名称', subtitle: '副标题', image: '图片地址', categories: '分类', newCategory: '新建分类',
    specName: '规格名', specValue: '规格值',
  },
  refunds: {
    title: '退款', alarms: '支付告警', alarmsHint: '微信支付返回异常或失败的退款：需要人工重试或线下结算', outRefundNo: '退款单号',
    source: '来源', wechatStatus: '微信状态', approve: '同意', reject: '拒绝', retry: '重试', settleOffline: '线下结算',
    statuses: {
      requested: '待审核', processing: '处理中', succeeded: '已退款', closed: '已关闭', abnormal: '异常', failed: '失败',
      rejected: '已拒绝', settled_offline: '线下结算',
    },
  },
  tiers: {
    title: '会员等级', code: '代码', rank: '级别', minSpend: '累计消费门槛（元）', minPoints: '累计积分门槛', discount: '折扣（基点）',
    multiplier: '积分倍率（%）', newTier: '新建等级',
  },
  productCodes: {
    title: '一物一码批次', points: '每码积分', total: '数量', claimed: '已领取', expiresAt: '过期时间', disable: '停用',
    newBatch: '新建批次', count: '生成数量', productId: '商品 ID', codes: '生成的码（仅显示一次）', disabledAt: '停用时间',
  },
  operators: {
    title: '操作员', username: '用户名', displayName: '显示名', role: '角色', password: '初始密码', newOperator: '新建操作员',
    lockedUntil: '锁定至', lastSignIn: '最近登录', disable: '停用', enable: '启用',
    roles: { owner: '所有者', manager: '经理', operator: '运营', marketer: '营销', viewer: '只读' },
    changePassword: '修改密码', currentPassword: '当前密码', newPassword: '新密码',
  },
  apiTokens: {
    title: 'API 令牌', name: '名称', role: '角色', expiresAt: '过期时间', revoke: '吊销', revokedAt: '吊销时间',
    newToken: '新建令牌', shownOnce: '令牌只显示这一次，请立即保存：', lastUsedAt: '最近使用',
  },
  audit: {
    title: '审计日志', actor: '操作人', action: '操作', target: '对象', clientIp: '客户端 IP', at: '时间', before: '修改前', after: '修改后',
    from: '开始日期', to: '结束日期',
  },
}
