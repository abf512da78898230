import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";

const apiUrl = process.env.API_URL ?? "http://localhost:4000";
/**
 * The API's GraphQL endpoint (HTTP and WebSocket) and its files: run logs, samples' WAV and MIDI, and the images of
 * deliveries (matched by pattern, since /deliveries/<id> is also a page of the dashboard).
 */
const apiProxy = {
  "/graphql": { target: apiUrl, ws: true, changeOrigin: true },
  "/runs": { target: apiUrl, changeOrigin: true },
  "/samples": { target: apiUrl, changeOrigin: true },
  "^/deliveries/[^/]+/images/": { target: apiUrl, changeOrigin: true },
};

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
