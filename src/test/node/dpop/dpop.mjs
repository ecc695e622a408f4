// A DPoP-bound token with openid-client 6, as a Node.js workload would get one, unmodified: discovery from the
// issuer, client_secret_basic, a fresh ES256 DPoP key, the client_credentials grant (the library answers the
// service's use_dpop_nonce itself). Prints the token response and the DPoP public key as JSON, or the error.
// Usage: node dpop.mjs <issuer> <base URL the service listens on> <client_id> <client_secret>
import * as client from 'openid-client';

const [issuerUrl, base, clientId, clientSecret] = process.argv.slice(2);
// The issuer is http://localhost:8080 in tests: requests go to the port the test runs on, proofs name the issuer's.
const listening = new URL(base);
const onTheTestPort = (url, options) => {
  const target = new URL(url);
  target.protocol = listening.protocol;
  target.host = listening.host;
  return fetch(target, options);
};
try {
  const config = await client.discovery(new URL(issuerUrl), clientId, undefined, client.ClientSecretBasic(clientSecret),
    { execute: [client.allowInsecureRequests], [client.customFetch]: onTheTestPort });
  config[client.customFetch] = onTheTestPort;
  const keyPair = await client.randomDPoPKeyPair('ES256');
  const tokens = await client.clientCredentialsGrant(config, {}, { DPoP: client.getDPoPHandle(config, keyPair) });
  const jwk = await crypto.subtle.exportKey('jwk', keyPair.publicKey);
  console.log(JSON.stringify({ ...tokens, dpop_jwk: jwk }));
} catch (error) {
  console.log(JSON.stringify({ failed: String(error), cause: error.cause ?? null }));
  process.exitCode = 1;
}
