import { api } from './client'
import { devSandbox, forgetInvite, pendingInvite, saveSession } from './session'

/** The code wx.login hands the client; in the sandbox H5 build, one minted by the sandbox for `openId`. */
async function loginCode(openId?: string): Promise<string> {
  // #ifdef MP-WEIXIN
  const res = await uni.login({ provider: 'weixin' })
  return res.code
  // #endif
  // #ifdef H5
  if (!devSandbox) throw new Error('请在微信小程序中打开商城')
  const minted = await api.post('/api/dev/sandbox/login-codes', { body: { openId: openId || null } })
  return minted.code
  // #endif
}

export async function signIn(openId?: string) {
  const code = await loginCode(openId)
  const invite = pendingInvite()
  const session = await api.post('/api/auth/login', { body: { code, inviteCode: invite || null } })
  saveSession(session.token)
  if (invite) forgetInvite()
  return session
}
