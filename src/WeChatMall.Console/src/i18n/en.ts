import type zh from './zh-CN'

const en: typeof zh = {
  app: { title: 'WeChatMall merchant console', signOut: 'Sign out', language: '中文', role: 'Role' },
  nav: {
    dashboard: 'Dashboard', autoReplies: 'Auto-replies', orders: 'Orders', members: 'Members', catalog: 'Catalog',
    refunds: 'Refunds & alarms', tiers: 'Tiers', productCodes: 'Product codes', operators: 'Operators', apiTokens: 'API tokens',
    audit: 'Audit log',
  },
  common: {
    search: 'Search', reset: 'Reset', create: 'New', edit: 'Edit', delete: 'Delete', save: 'Save', cancel: 'Cancel',
    confirm: 'OK', actions: 'Actions', detail: 'Details', loading: 'Loading…', empty: 'Nothing here yet', retry: 'Retry',
    prev: 'Previous', next: 'Next', page: 'Page {n}', all: 'All', yes: 'Yes', no: 'No', enabled: 'Enabled', disabled: 'Disabled',
    createdAt: 'Created', status: 'Status', name: 'Name', reason: 'Reason', note: 'Note', saved: 'Saved', done: 'Done',
    confirmDelete: 'Delete it?', readOnly: 'Your role can only view this', id: 'ID', amount: 'Amount', yuan: 'yuan', export: 'Export',
  },
  errors: {
    PERMISSION_DENIED: 'Your role may not do this', CSRF_TOKEN_INVALID: 'The page is stale: reload it and try again',
    SIGN_IN_FAILED: 'Wrong username or password', TOTP_REQUIRED: 'Enter the code from your authenticator app',
    SIGN_IN_LOCKED: 'Too many failed sign-ins: the account is locked for 15 minutes', network: 'The server cannot be reached',
    generic: 'That did not work',
  },
  signIn: { title: 'Sign in to the merchant console', username: 'Username', password: 'Password', totp: 'Authenticator code', submit: 'Sign in' },
  dashboard: {
    today: 'Today', yesterday: 'Yesterday', orders: 'Orders placed', paidOrders: 'Orders paid', revenue: 'Revenue (yuan)',
    refunds: 'Refunds open', newFollowers: 'New followers', newMembers: 'New members', memberShare: 'Member order share',
    trend: 'Orders and revenue, last 7 days', notAvailable: 'No statistics endpoint yet', ordersSeries: 'Orders',
    revenueSeries: 'Revenue (yuan)',
  },
  autoReplies: {
    title: 'Auto-reply rules', trigger: 'Trigger', matchType: 'Match', pattern: 'Keyword', priority: 'Priority', replyMode: 'Reply mode',
    replies: 'Replies', replyText: 'Reply text',
    triggers: { keyword: 'Keyword', subscribe: 'On follow', default: 'Default', click: 'Menu click', scan: 'QR scan' },
    matchTypes: { exact: 'Exact', contains: 'Contains', prefix: 'Prefix', regex: 'Regex' },
    replyModes: { first: 'First reply', all: 'All replies', random: 'One at random' },
    test: 'Test a message', testText: 'What the follower sends', testRun: 'Try it', matched: 'Matches rule: {name}',
    notMatched: 'No rule matches', newRule: 'New rule', editRule: 'Edit rule',
  },
  orders: {
    title: 'Orders', orderNo: 'Order no.', memberId: 'Member ID', from: 'From', to: 'To', payable: 'Payable (yuan)',
    refunded: 'Refunded (yuan)', items: 'Items', paidAt: 'Paid at', refundState: 'Refund state', ship: 'Ship', refund: 'Refund',
    carrier: 'Carrier', trackingNo: 'Tracking no.', refundAmount: 'Refund (yuan)', returnStock: 'Return stock', address: 'Address',
    events: 'History', lines: 'Lines', quantity: 'Qty', unitPrice: 'Unit price (yuan)', exportCsv: 'Export CSV',
    exportXlsx: 'Export Excel', refunds: 'Refunds', shipped: 'Shipped', refundCreated: 'Refund submitted',
    statuses: { pending_payment: 'Awaiting payment', paid: 'To ship', shipped: 'Shipped', completed: 'Completed', cancelled: 'Cancelled' },
    refundStates: { none: 'None', partially_refunded: 'Partly refunded', refunded: 'Refunded' },
  },
  members: {
    title: 'Members', searchHint: 'Phone, invite code, member ID or openid', inviteCode: 'Invite code', points: 'Points', tier: 'Tier',
    mergedInto: 'Merged into', identities: 'Identities', kind: 'Kind', value: 'Value', pointsHistory: 'Points history', delta: 'Change',
    balanceAfter: 'Balance after', adjustPoints: 'Adjust points', merge: 'Merge members', mergedMemberId: 'Member ID to merge in',
    follows: 'Follows', orders: 'Orders', ordersSummary: '{orders} orders, {paid} paid, {net} yuan net',
    searchFirst: 'Search for members', merged: 'Merged',
  },
  catalog: {
    title: 'Products', product: 'Product', category: 'Category', price: 'Price (yuan)', minPrice: 'From (yuan)', sales: 'Sales',
    onShelf: 'On shelf', putOn: 'Put on shelf', takeOff: 'Take off shelf', skus: 'SKUs', stock: 'Stock', adjustStock: 'Adjust stock',
    stockDelta: 'Stock change', spec: 'Spec', code: 'Code', importCsv: 'Import CSV', imported: 'Imported {products} products, {skus} SKUs',
    newProduct: 'New product', productTitle: 'Title', subtitle: 'Subtitle', image: 'Image URL', categories: 'Categories',
    newCategory: 'New category', specName: 'Spec name', specValue: 'Spec value',
  },
  refunds: {
    title: 'Refunds', alarms: 'Payment alarms', alarmsHint: 'Refunds WeChat Pay answered abnormal or failed: retry or settle offline',
    outRefundNo: 'Refund no.', source: 'Source', wechatStatus: 'WeChat status', approve: 'Approve', reject: 'Reject', retry: 'Retry',
    settleOffline: 'Settle offline',
    statuses: {
      requested: 'Requested', processing: 'Processing', succeeded: 'Refunded', closed: 'Closed', abnormal: 'Abnormal', failed: 'Failed',
      rejected: 'Rejected', settled_offline: 'Settled offline',
    },
  },
  tiers: {
    title: 'Member tiers', code: 'Code', rank: 'Rank', minSpend: 'Lifetime spend (yuan)', minPoints: 'Lifetime points',
    discount: 'Discount (bp)', multiplier: 'Points multiplier (%)', newTier: 'New tier',
  },
  productCodes: {
    title: 'Product-code batches', points: 'Points per code', total: 'Codes', claimed: 'Claimed', expiresAt: 'Expires',
    disable: 'Disable', newBatch: 'New batch', count: 'How many', productId: 'Product ID', codes: 'Codes (shown once)',
    disabledAt: 'Disabled at',
  },
  operators: {
    title: 'Operators', username: 'Username', displayName: 'Display name', role: 'Role', password: 'Initial password',
    newOperator: 'New operator', lockedUntil: 'Locked until', lastSignIn: 'Last sign-in', disable: 'Disable', enable: 'Enable',
    roles: { owner: 'Owner', manager: 'Manager', operator: 'Operator', marketer: 'Marketer', viewer: 'Viewer' },
    changePassword: 'Change password', currentPassword: 'Current password', newPassword: 'New password',
  },
  apiTokens: {
    title: 'API tokens', name: 'Name', role: 'Role', expiresAt: 'Expires', revoke: 'Revoke', revokedAt: 'Revoked at',
    newToken: 'New token', shownOnce: 'The token is shown only this once; store it now:', lastUsedAt: 'Last used',
  },
  audit: {
    title: 'Audit log', actor: 'Who', action: 'Action', target: 'Target', clientIp: 'Client IP', at: 'When', before: 'Before',
    after: 'After', from: 'From', to: 'To',
  },
}
export default en
