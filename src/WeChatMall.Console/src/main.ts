import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import { whenSignedOut } from './api/client'
import { useSession } from './stores/session'

const app = createApp(App).use(createPinia()).use(i18n).use(router).use(ElementPlus)
whenSignedOut(() => {
  useSession().forget()
  if (router.currentRoute.value.name !== 'sign-in')
    router.push({ name: 'sign-in', query: { next: router.currentRoute.value.fullPath } })
})
app.mount('#app')
