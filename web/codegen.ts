// Typed documents for every operation, generated from Hanaro's committed SDL at build time
// (`npm run build` runs it first); the output, src/gql/, is not committed. It includes
// src/gql/persisted-documents.json, the manifest of the app's operations (sha256 -> document)
// that HANARO_TRUSTED_DOCUMENTS takes (docs/operations.md); the app still sends each text.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: ["../schema.graphql", "codegen/federation.graphql"],
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: "sha256" } },
      config: {
        scalars: { DateTime: "string", Date: "string", _Any: "unknown" },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
  silent: true,
};
export default config;
