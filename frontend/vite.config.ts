import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The Python package ships the built client as package data; relative asset paths let the
// server mount it under any URL prefix.
const outDir = fileURLToPath(new URL("../src/vidjil_local/static/app", import.meta.url));

export default defineConfig({
  base: "./",
  build: {
    outDir,
    emptyOutDir: true,
    // Offline workstations: everything inlined or shipped beside index.html, nothing fetched.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
