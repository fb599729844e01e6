// The one GraphQL client: urql over fetch for queries and mutations, graphql-ws
// (graphql-transport-ws) for the referralEvents subscription. The token goes in the
// Authorization header, and in connection_init for the socket.
import { createClient as createWsClient } from "graphql-ws";
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";

export function makeClient(token: string | null): Client {
  const authorization = token ? `Bearer ${token}` : null;
  // Lazy: a socket opens only for a subscription. Without a token of its own the upgrade
  // request may still be authenticated by a front door that sets Authorization.
  const ws = createWsClient({
    url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
    connectionParams: authorization ? { Authorization: authorization } : {},
    lazy: true,
    retryAttempts: 5,
  });
  const subscriptions = subscriptionExchange({
    forwardSubscription(request) {
      const input = { ...request, query: request.query || "" };
      return {
        subscribe(sink) {
          return { unsubscribe: ws.subscribe(input, sink) };
        },
      };
    },
  });
  return new Client({
    url: "/graphql",
    exchanges: [cacheExchange, fetchExchange, subscriptions],
    preferGetMethod: false,
    fetchOptions: (): RequestInit => ({
      headers: authorization ? { Authorization: authorization } : ({} as Record<string, string>),
    }),
  });
}
