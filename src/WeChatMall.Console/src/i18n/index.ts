import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'
import { zh as journeysZh, en as journeysEn } from '../journeys/messages'
import { zh as campaignFormZh, en as campaignFormEn } from '../campaignMessages'
import { zh as marketplaceZh, en as marketplaceEn } from '../marketplace/messages'

export type Locale = 'zh-CN' | 'en'
const saved = localStorage.getItem('wcm-console-locale')

/** Chinese by default; the choice of English is remembered in this browser. */
export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: {
    'zh-CN': { ...zhCN, journeys: journeysZh, campaignForm: campaignFormZh, marketplace: marketplaceZh },
    en: { ...en, journeys: journeysEn, campaignForm: campaignFormEn, marketplace: marketplaceEn },
  },
})

export function switchLocale(locale: Locale) {
  i18n.global.locale.value = locale
  localStorage.setItem('wcm-console-locale', locale)
  document.documentElement.lang = locale
}
