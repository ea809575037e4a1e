// Drives users search paging and an import job with Auth0's Node SDK (npm auth0 4.x) ManagementClient:
// jobs.importUsers with a users file (multipart), jobs.get until the job completes, jobs.getErrors, then
// users.getAll with q and search_engine v3, page by page with include_totals. The server's certificate is
// trusted through NODE_EXTRA_CA_CERTS. Prints one JSON line; exit 1 on failure.
import { ManagementClient } from 'auth0';
import { check, env } from './peer-support.mjs';

const management = new ManagementClient({ domain: env('DOMAIN'), token: env('TOKEN') });
const tag = env('TAG');

try {
  const users = [];
  for (let i = 0; i < 5; i++) {
    users.push({ email: `node${i}.${tag}@example.com`, name: `${tag} user ${i}`, app_metadata: { n: i } });
  }
  users.push({ email: `bad.${tag}@example.com`, custom_password_hash: { algorithm: 'md5', hash: { value: 'x' } } });
  const { data: started } = await management.jobs.importUsers({
    users: new Blob([JSON.stringify(users)], { type: 'application/json' }),
    connection_id: env('CONNECTION_ID'), upsert: false, external_id: `node-${tag}`,
  });
  check(started.type === 'users_import' && started.id, 'the import job was not created', started);

  let job = started;
  for (let attempt = 0; attempt < 300 && !['completed', 'failed'].includes(job.status); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    ({ data: job } = await management.jobs.get({ id: started.id }));
  }
  const { data: errors } = await management.jobs.getErrors({ id: started.id });

  const seen = [];
  let total;
  for (let page = 0; page < 10; page++) {
    const { data } = await management.users.getAll({
      q: `name:${tag}* AND email.domain:example.com`, search_engine: 'v3', per_page: 2, page,
      include_totals: true, sort: 'email:1',
    });
    total = data.total;
    if (data.users.length === 0) break;
    data.users.forEach((user) => seen.push(user.email));
  }
  console.log(JSON.stringify({
    status: job.status, summary: job.summary, errorCodes: errors.map((e) => e.errors[0].code), total,
    seen: seen.length, ordered: seen.join() === [...seen].sort().join(),
  }));
} catch (error) {
  console.error(error);
  if (error.cause) console.error('cause:', error.cause);
  process.exit(1);
}
