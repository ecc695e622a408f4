// Token exchange with oauth4webapi's generic grant, as a Node.js workload would do it, unmodified: discovery from
// the issuer, client_secret_basic, then RFC 8693's grant. Prints the token response as JSON, or the error.
// Usage: node exchange.mjs <issuer> <token endpoint base> <client_id> <client_secret> <subject_token>
import * as oauth from 'oauth4webapi';

const [issuerUrl, base, clientId, clientSecret, subjectToken] = process.argv.slice(2);
const issuer = new URL(issuerUrl);
const response = await fetch(new URL('/.well-known/oauth-authorization-server', base));
const as = await oauth.processDiscoveryResponse(issuer, response);
// The issuer is http://localhost:8080 in tests: point the endpoint at the port the test runs on.
as.token_endpoint = new URL('/oauth2/token', base).href;
const client = { client_id: clientId };
const auth = oauth.ClientSecretBasic(clientSecret);
try {
  const exchanged = await oauth.genericTokenEndpointRequest(as, client, auth, 'urn:ietf:params:oauth:grant-type:token-exchange',
    new URLSearchParams({
      subject_token: subjectToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    }), { [oauth.allowInsecureRequests]: true });
  const result = await oauth.processGenericTokenEndpointResponse(as, client, exchanged);
  console.log(JSON.stringify(result));
} catch (error) {
  console.log(JSON.stringify({ failed: String(error), cause: error.cause ?? null }));
  process.exitCode = 1;
}
