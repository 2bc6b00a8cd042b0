import { ref, shallowRef, type Ref } from 'vue'

/** Loading, error and data of one list or record, for the empty / loading / error states every page shows. */
export function useLoad<T>(fetcher: () => Promise<T>, initial: T) {
  const data = shallowRef(initial) as Ref<T>
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  async function load() {
    loading.value = true
    error.value = null
    try {
      data.value = await fetcher()
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }
  return { data, loading, error, load }
}

/** A client-side page of a list the API answers whole. */
export function slice<T>(items: T[], page: number, size: number): T[] {
  return items.slice((page - 1) * size, page * size)
}
