import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";

const apiUrl = process.env.API_URL ?? "http://localhost:4000";
const apiProxy = { "/graphql": { target: apiUrl, ws: true, changeOrigin: true } };

export default defineConfig({
  plugins: [vue()],
  server: { proxy: apiProxy },
  preview: { proxy: apiProxy },
  test: {
    name: "client",
    environment: "happy-dom",
    include: ["src/**/*.test.ts"],
  },
});
