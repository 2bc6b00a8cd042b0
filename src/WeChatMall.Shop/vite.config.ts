import { defineConfig, loadEnv, type Plugin } from 'vite'
import uni from '@dcloudio/vite-plugin-uni'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// Configuration comes from .env files (see docs/shop.md) or VITE_* environment variables, never from source edits:
//   VITE_API_BASE_URL  the API origin (required for mp-weixin: the mini-program has no "same origin")
//   VITE_WX_APPID      the mini-program AppID, written into project.config.json of the mp-weixin build
//   VITE_DEV_SANDBOX   "1" only in the sandbox mode: H5 sign-in and cashier through /api/dev/sandbox
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_')
  const platform = process.env.UNI_PLATFORM
  if (platform === 'mp-weixin') {
    if (!/^https?:\/\//.test(env.VITE_API_BASE_URL ?? '')) {
      throw new Error('VITE_API_BASE_URL must be the API origin for mp-weixin (e.g. in .env.local or the environment)')
    }
    if (!env.VITE_WX_APPID) throw new Error('VITE_WX_APPID (the mini-program AppID) is required for mp-weixin')
    if (env.VITE_DEV_SANDBOX === '1') throw new Error('VITE_DEV_SANDBOX is for the H5 sandbox build only')
  }
  return {
    plugins: [uni(), projectConfigAppId(env.VITE_WX_APPID)],
  }
})

// uni-app writes dist/<mode>/mp-weixin/project.config.json from manifest.json; the AppID comes from configuration.
function projectConfigAppId(appId: string | undefined): Plugin {
  return {
    name: 'wechatmall-project-config-appid',
    apply: 'build',
    closeBundle() {
      const out = process.env.UNI_OUTPUT_DIR
      if (process.env.UNI_PLATFORM !== 'mp-weixin' || !out || !appId) return
      const file = join(out, 'project.config.json')
      if (!existsSync(file)) return
      const config = JSON.parse(readFileSync(file, 'utf8'))
      config.appid = appId
      writeFileSync(file, JSON.stringify(config, null, 2))
    },
  }
}
