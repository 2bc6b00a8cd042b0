/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
interface ImportMetaEnv {
  readonly VITE_API_BASE_URL: string
  readonly VITE_WX_APPID: string
  readonly VITE_SUBSCRIBE_TEMPLATE_IDS: string
  readonly VITE_DEV_SANDBOX: string
}
