// Two pages: the app (index.html) and Hanaro's own GraphiQL (graphiql.html). Everything they
// load is bundled into dist/, which the server serves; nothing comes from a CDN.
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { "@krds": resolve(__dirname, "node_modules/krds-uiux/resources") },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      input: {
        app: resolve(__dirname, "index.html"),
        graphiql: resolve(__dirname, "graphiql.html"),
      },
    },
  },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:8000", ws: true }, "/demo": "http://127.0.0.1:8000" },
  },
});
