import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";

const apiUrl = process.env.API_URL ?? "http://localhost:4000";
/**
 * The API's GraphQL endpoint (HTTP and WebSocket) and its files: run logs, samples' WAV and MIDI, blind A/B trial
 * audio, and the images of deliveries (matched by pattern, since /deliveries/<id> is also a page of the dashboard).
 */
// The API answers only its own origin: the dev server's requests arrive as the API's own (Host and Origin).
const toApi = { target: apiUrl, changeOrigin: true, headers: { origin: new URL(apiUrl).origin } };
const apiProxy = {
  "/graphql": { ...toApi, ws: true },
  "/runs": toApi,
  "/samples": toApi,
  "/ab-trials": toApi,
  "^/deliveries/[^/]+/images/": toApi,
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
