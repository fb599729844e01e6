// An @apollo/gateway serving a composed supergraph (the JS counterpart of the Apollo Router),
// forwarding each client's Authorization header to every subgraph request.
//
//   node gateway.mjs SUPERGRAPH.graphql     listens on 127.0.0.1 (a free port) and prints
//                                           {"url": "http://127.0.0.1:PORT/"}
import { readFileSync } from "node:fs";

import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

class ForwardAuthorization extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    if (context.authorization) {
      request.http.headers.set("authorization", context.authorization);
    }
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.argv[2], "utf8"),
  buildService: ({ url }) => new ForwardAuthorization({ url }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: 0 },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
console.log(JSON.stringify({ url }));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.stop().finally(() => process.exit(0)));
}
