import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm dev` proxies the API to a running catalog (FASIT_API, default http://127.0.0.1:8080).
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': globalThis.process?.env['FASIT_API'] ?? 'http://127.0.0.1:8080' } },
});
