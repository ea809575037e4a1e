// Auth0's API-side validator, express-oauth2-jwt-bearer, in front of an RBAC API: auth() fetches the
// issuer's discovery document and keys and verifies each token, then requiredScopes and
// claimIncludes('permissions', ...) each decide on their own (as two routes guarded by one of them would).
// The middlewares are plain (req, res, next) functions, so they run here on a minimal request, without an
// Express app. Prints one JSON line with what each token met at each check; exit 1 on failure.
import { auth, claimIncludes, requiredScopes } from 'express-oauth2-jwt-bearer';
import { env } from './peer-support.mjs';

const verify = auth({ issuerBaseURL: env('ISSUER'), audience: env('AUDIENCE') });
const checks = {
  scope: requiredScopes(env('PERMISSION')),
  permissions: claimIncludes('permissions', env('PERMISSION')),
};

function request(token) {
  const headers = { host: 'api.example.com', authorization: `Bearer ${token}` };
  return {
    headers, method: 'GET', protocol: 'https', url: '/patients', originalUrl: '/patients', query: {},
    get: (name) => headers[name.toLowerCase()],
    is: () => false,
  };
}

/** Runs a middleware as Express would: 'passed' when it calls next(), else the error it passes on. */
async function run(middleware, req) {
  const error = await new Promise((resolve) => middleware(req, {}, resolve));
  return error ? { status: error.status, code: error.code, message: error.message,
    challenge: error.headers?.['WWW-Authenticate'] } : 'passed';
}

/** auth(), then, when it passed, each check on the verified request. */
async function guard(token) {
  const req = request(token);
  const outcome = { auth: await run(verify, req) };
  if (outcome.auth === 'passed') {
    for (const [name, check] of Object.entries(checks)) outcome[name] = await run(check, req);
  }
  return outcome;
}

try {
  console.log(JSON.stringify({ granted: await guard(env('GRANTED')), refused: await guard(env('REFUSED')) }));
} catch (error) {
  console.error(error);
  process.exit(1);
}
