// The member's session token (POST /api/auth/login) and a pending invite code, in the platform's storage.
const TOKEN = 'wcm.token'
const INVITE = 'wcm.invite'

export const sessionToken = (): string => uni.getStorageSync(TOKEN) || ''
export const saveSession = (token: string) => uni.setStorageSync(TOKEN, token)
export const clearSession = () => uni.removeStorageSync(TOKEN)
export const rememberInvite = (code: string) => uni.setStorageSync(INVITE, code)
export const pendingInvite = (): string => uni.getStorageSync(INVITE) || ''
export const forgetInvite = () => uni.removeStorageSync(INVITE)

/** True in the H5 build made for the sandbox (`--mode sandbox`): sign-in and cashier go through /api/dev/sandbox. */
export const devSandbox = import.meta.env.VITE_DEV_SANDBOX === '1'

/** Sends the shopper to sign in when there is no session; answers whether there is one. */
export function requireSession(): boolean {
  if (sessionToken()) return true
  uni.navigateTo({ url: '/pages/login/login' })
  return false
}
