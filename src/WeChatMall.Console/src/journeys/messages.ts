/** The journeys pages' words (merged into the console's messages as `journeys`). */
export const zh = {
  nav: '自动化旅程',
  title: '自动化旅程', newJourney: '新建旅程', name: '旅程名称', statusFilter: '状态', trigger: '触发条件', goal: '目标', steps: '步骤',
  version: '版本', activatedAt: '启用时间', updatedAt: '更新时间', back: '返回列表', edit: '编辑', editTitle: '编辑旅程（保存为新版本）',
  statuses: { draft: '草稿', active: '运行中', paused: '已暂停', archived: '已归档' },
  moves: { activate: '启用', pause: '暂停', resume: '恢复', archive: '归档' },
  confirmArchive: '归档后旅程永久停止，排队中的消息将被取消。确定归档？',
  triggers: {
    followed: '关注公众号', member_bound: '绑定手机号', first_order_paid: '首单支付', order_paid: '订单支付', no_purchase: '多日未购买',
    points_expiring: '积分即将过期', coupon_expiring: '优惠券即将过期', tag_added: '被打上标签',
  },
  stepTypes: { wait: '等待', branch: '条件分支', send: '发送消息', add_tag: '打标签', remove_tag: '移除标签', grant_points: '发放积分', grant_coupon: '发放优惠券' },
  conditions: { bought_since_entry: '进入后已购买', has_tag: '拥有标签' },
  goalBought: '购买后退出旅程', noGoal: '无（走完全部步骤）',
  channel: '渠道二维码', anyChannel: '任意渠道', days: '天', until: '到点（北京时间）', tag: '标签', points: '积分', coupon: '优惠券',
  onTrue: '为真时跳到', onFalse: '为假时跳到', nextStep: '下一步', leave: '退出旅程', end: '结束', stepN: '第 {n} 步',
  addStep: '添加步骤', remove: '删除', moveUp: '上移', moveDown: '下移', invalid: '旅程无法按此定义运行：', stepProblem: '第 {n} 步有问题',
  editHint: '保存为新版本：之后进入的会员按新版本走，已在旅程中的会员走完他们进入时的版本。',
  entered: '进入人数', memberStates: { active: '进行中', completed: '已完成', exited_goal: '达成目标退出', exited_branch: '分支退出' },
  results: '各步骤结果', passed: '已通过', waiting: '停留中', outcomes: '结果', sendResults: '发送', versionN: '版本 {n}', current: '当前',
  noResults: '还没有会员进入', summary: { wait: '等待 {what}', days: '{n} 天', until: '到 {t}' },
  outcomeNames: {
    waited: '已等待', true: '是', false: '否', queued: '已排队', tagged: '已打标签', already_tagged: '原已有标签', untagged: '已移除', not_tagged: '原无标签',
    tag_deleted: '标签已删除', granted: '已发放', member_gone: '会员已不存在',
  },
}

export const en: typeof zh = {
  nav: 'Journeys',
  title: 'Journeys', newJourney: 'New journey', name: 'Journey name', statusFilter: 'Status', trigger: 'Trigger', goal: 'Goal', steps: 'Steps',
  version: 'Version', activatedAt: 'Activated', updatedAt: 'Updated', back: 'Back to the list', edit: 'Edit', editTitle: 'Edit journey (saved as a new version)',
  statuses: { draft: 'Draft', active: 'Active', paused: 'Paused', archived: 'Archived' },
  moves: { activate: 'Activate', pause: 'Pause', resume: 'Resume', archive: 'Archive' },
  confirmArchive: 'An archived journey stops for good and its queued messages are cancelled. Archive?',
  triggers: {
    followed: 'Follows the Official Account', member_bound: 'Binds a phone number', first_order_paid: 'Pays a first order', order_paid: 'Pays an order',
    no_purchase: 'Has not bought for days', points_expiring: 'Points about to expire', coupon_expiring: 'Coupon about to expire', tag_added: 'Is given a tag',
  },
  stepTypes: { wait: 'Wait', branch: 'Branch', send: 'Send a message', add_tag: 'Add a tag', remove_tag: 'Remove a tag', grant_points: 'Grant points', grant_coupon: 'Grant a coupon' },
  conditions: { bought_since_entry: 'Bought since entering', has_tag: 'Has the tag' },
  goalBought: 'Leave when they buy', noGoal: 'None (all steps)',
  channel: 'Channel QR code', anyChannel: 'Any channel', days: 'Days', until: 'Until (China time)', tag: 'Tag', points: 'Points', coupon: 'Coupon',
  onTrue: 'If true, go to', onFalse: 'If false, go to', nextStep: 'The next step', leave: 'Leave the journey', end: 'The end', stepN: 'Step {n}',
  addStep: 'Add a step', remove: 'Remove', moveUp: 'Up', moveDown: 'Down', invalid: 'The journey cannot run as defined:', stepProblem: 'Step {n} has a problem',
  editHint: 'Saved as a new version: members who enter from now on follow it; members already inside finish the version they entered with.',
  entered: 'Entered', memberStates: { active: 'In progress', completed: 'Completed', exited_goal: 'Left at the goal', exited_branch: 'Left at a branch' },
  results: 'Results by step', passed: 'Passed', waiting: 'Waiting here', outcomes: 'Outcomes', sendResults: 'Sending', versionN: 'Version {n}', current: 'current',
  noResults: 'No member has entered yet', summary: { wait: 'Wait {what}', days: '{n} days', until: 'until {t}' },
  outcomeNames: {
    waited: 'Waited', true: 'True', false: 'False', queued: 'Queued', tagged: 'Tagged', already_tagged: 'Already tagged', untagged: 'Untagged', not_tagged: 'Was not tagged',
    tag_deleted: 'Tag deleted', granted: 'Granted', member_gone: 'Member gone',
  },
}
