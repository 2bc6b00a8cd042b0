/** The marketplace page's words (merged into the console's messages as `marketplace`). */
export const zh = {
  nav: '电商平台订单',
  import: '导入订单', platform: '平台', platforms: { tmall: '天猫/淘宝', jd: '京东', other: '其他（本系统模板）' },
  chooseFile: '选择导出文件（CSV / Excel）', importing: '导入中…', fileHint: '天猫/淘宝订单报表、京东 POP 订单导出，或本系统模板；同一订单重复导入不会重复计算。',
  report: '导入结果', rows: '读取行数', imported: '新导入', matched: '已匹配会员', prospects: '潜在客户', newProspects: '新建潜在客户',
  unclaimed: '待认领', duplicates: '重复', rejected: '拒绝',
  rejections: '被拒绝的行', row: '行号', reason: '原因', orderNo: '订单号',
  reasons: {
    missing_order_no: '缺少订单号', bad_order_no: '订单号过长', not_paid: '未付款或已关闭', bad_paid_at: '付款时间不是日期',
    missing_amount: '缺少金额', bad_amount: '金额格式不对', missing_phone: '缺少手机号', bad_phone: '手机号无效', malformed_row: 'CSV 格式错误',
  } as Record<string, string>,
  history: '导入记录', fileName: '文件名', importedAt: '导入时间', show: '查看订单',
  orders: '导入的订单', link: '状态', links: { matched: '已匹配会员', prospect: '潜在客户', unclaimed: '待认领', claimed: '已认领' } as Record<string, string>,
  allLinks: '全部状态', importId: '导入批次', buyer: '买家', receiver: '收货人', phone: '手机', items: '商品', amount: '金额（元）', paidAt: '付款时间',
  member: '会员', claimedAt: '认领时间', clearImport: '全部批次',
}

export const en: typeof zh = {
  nav: 'Marketplace orders',
  import: 'Import orders', platform: 'Platform', platforms: { tmall: 'Tmall / Taobao', jd: 'JD', other: 'Other (our template)' },
  chooseFile: 'Choose an export (CSV / Excel)', importing: 'Importing…', fileHint: "Tmall/Taobao's order report, JD POP's order export, or our template; an order imported twice counts once.",
  report: 'Import result', rows: 'Rows read', imported: 'Imported', matched: 'Matched to members', prospects: 'Prospects', newProspects: 'New prospects',
  unclaimed: 'Waiting for a claim', duplicates: 'Duplicates', rejected: 'Rejected',
  rejections: 'Rejected rows', row: 'Line', reason: 'Reason', orderNo: 'Order number',
  reasons: {
    missing_order_no: 'No order number', bad_order_no: 'Order number too long', not_paid: 'Not paid, or closed', bad_paid_at: 'Payment time is not a date',
    missing_amount: 'No amount', bad_amount: 'Amount is not yuan', missing_phone: 'No phone', bad_phone: 'Phone is not a mobile number', malformed_row: 'Broken CSV',
  },
  history: 'Imports', fileName: 'File', importedAt: 'Imported at', show: 'Show orders',
  orders: 'Imported orders', link: 'State', links: { matched: 'Matched to a member', prospect: 'Prospect', unclaimed: 'Waiting for a claim', claimed: 'Claimed' },
  allLinks: 'All states', importId: 'Import', buyer: 'Buyer', receiver: 'Receiver', phone: 'Phone', items: 'Items', amount: 'Amount (yuan)', paidAt: 'Paid at',
  member: 'Member', claimedAt: 'Claimed at', clearImport: 'All imports',
}
