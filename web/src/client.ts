// The one GraphQL client: urql over fetch for queries and mutations, graphql-ws
// (graphql-transport-ws) for the referralEvents subscription. The token goes in the
// Authorization header, and in connection_init for the socket.
import { createClient as createWsClient } from "graphql-ws";
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";

export function makeClient(token: string | null): Client {
  const authorization = token ? `Bearer ${token}` : null;
  const ws = token
    ? createWsClient({
        url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
        connectionParams: { Authorization: authorization },
        lazy: true,
        retryAttempts: 5,
      })
    : null;
  const exchanges = [cacheExchange, fetchExchange];
  if (ws) {
    exchanges.push(
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    );
  }
  return new Client({
    url: "/graphql",
    exchanges,
    preferGetMethod: false,
    fetchOptions: (): RequestInit => ({
      headers: authorization ? { Authorization: authorization } : ({} as Record<string, string>),
    }),
  });
}
