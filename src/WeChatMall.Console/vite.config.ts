import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Built into dist/, which the API serves same-origin under /console (AdminConsole:StaticFilesPath, docs/console.md).
// `npm run dev` proxies the API (CONSOLE_API, default http://127.0.0.1:5080) so the session cookie stays same-origin.
const api = process.env.CONSOLE_API ?? 'http://127.0.0.1:5080'

export default defineConfig({
  base: '/console/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 2048,
  },
  server: { proxy: { '/admin': api, '/api': api } },
})
