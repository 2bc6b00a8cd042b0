import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, ok, useCsrfToken } from '../api/client'
import type { components } from '../api/schema'

export type SessionDto = components['schemas']['SessionDto']
export type Area =
  | 'auto-replies' | 'catalog' | 'members' | 'product-codes' | 'loyalty' | 'orders' | 'refunds' | 'audience'
  | 'channels' | 'marketplace' | 'metrics' | 'offers' | 'campaigns' | 'campaign-approval' | 'operators'

/** Who is signed in and what their role lets them read or change (from POST/GET /admin/session). */
export const useSession = defineStore('session', () => {
  const current = ref<SessionDto | null>(null)
  const checked = ref(false)

  function accept(s: SessionDto | null) {
    current.value = s
    useCsrfToken(s?.csrfToken ?? null)
  }

  async function restore() {
    if (checked.value) return current.value
    const { data, response } = await api.GET('/admin/session')
    accept(response.ok && data ? data : null)
    checked.value = true
    return current.value
  }

  async function signIn(username: string, password: string, totpCode?: string) {
    accept(await ok(api.POST('/admin/session', { body: { username, password, totpCode: totpCode || null } })))
    checked.value = true
  }

  async function signOut() {
    await api.DELETE('/admin/session')
    accept(null)
  }

  function forget() {
    accept(null)
  }

  const operator = computed(() => current.value?.operator ?? null)
  const can = (area: Area, what: 'read' | 'write' = 'write') =>
    !!current.value?.permissions.find((p) => p.area === area && (what === 'read' ? p.read : p.write))

  return { current, operator, checked, restore, signIn, signOut, forget, can }
})
