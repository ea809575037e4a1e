// auth0-deploy-cli 8.x moving a tenant (Auth0's Management API v2): export the SOURCE server to YAML,
// import that YAML into the TARGET server, export the TARGET; print both exports' texts as JSON for the
// test to compare. The servers serve TLS with a test certificate (NODE_EXTRA_CA_CERTS); the deploy
// client is each server's bootstrap client.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, deploy } from 'auth0-deploy-cli';
import { env } from './peer-support.mjs';

const resources = ['tenant', 'clients', 'resourceServers', 'clientGrants', 'roles', 'connections', 'databases'];
const config = (prefix) => ({
  AUTH0_DOMAIN: env(`${prefix}_DOMAIN`),
  AUTH0_CLIENT_ID: env(`${prefix}_CLIENT_ID`),
  AUTH0_CLIENT_SECRET: env(`${prefix}_CLIENT_SECRET`),
  AUTH0_ALLOW_DELETE: false,
  AUTH0_INCLUDED_ONLY: resources,
});

const work = mkdtempSync(join(tmpdir(), 'deploy-cli-'));
const exported = async (prefix, folder) => {
  await dump({ output_folder: folder, format: 'yaml', config_file: undefined, config: config(prefix) });
  return readFileSync(join(folder, 'tenant.yaml'), 'utf8');
};

const first = await exported('SOURCE', join(work, 'source'));
await deploy({ input_file: join(work, 'source', 'tenant.yaml'), config: config('TARGET') });
const second = await exported('TARGET', join(work, 'target'));
console.log(JSON.stringify({ first, second }));
